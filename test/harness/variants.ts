import * as path from "path";
import { org } from "./organization";

/** Transitional: removed once no test skips itself. */
export function orSkip<T>(ctx: Mocha.Context, value: T | undefined | null | false, reason: string): T {
    if (value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0)) return value;
    const runnable = ctx.test as Mocha.Test | Mocha.Hook | undefined;
    const titled = runnable?.type === "hook" ? runnable.parent : runnable;
    if (titled) titled.title += ` (skipped: ${reason} in ${path.relative(process.cwd(), org.dir) || "this project"})`;
    return ctx.skip();
}
