// `npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes]`: the command line, parsed and
// checked against the project's stacks before anything runs. Mistakes are UsageErrors (exit 2).
import { parseArgs } from "util";

export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface DeployArgs {
    operation: Operation;
    /** The stacks named with --stacks, in the order given; undefined means every stack of the project. */
    stacks?: string[];
    /** The user confirmed changes: required for up and destroy, which change accounts. */
    yes: boolean;
}

export const USAGE = "usage: npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes]\n       npm run -s deploy -- stacks --json   (the stacks, waves and roles the workflows use; no Pulumi CLI needed)";

export class UsageError extends Error {
    constructor(message: string) {
        super(`${message}\n${USAGE}`);
        this.name = "UsageError";
    }
}

/** Parses argv (without node and the script); `known` are the project's stacks, for --stacks. */
export function parseDeployArgs(argv: string[], known: string[]): DeployArgs {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { stacks: { type: "string", short: "s" }, yes: { type: "boolean", short: "y", default: false } } });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const [operation, ...extra] = parsed.positionals;
    if (operation === undefined) throw new UsageError("no operation given");
    if (!(OPERATIONS as readonly string[]).includes(operation)) throw new UsageError(`"${operation}" is not an operation (valid: ${OPERATIONS.join(", ")})`);
    if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(" ")}; name stacks with --stacks ${extra.join(",")}`);

    let stacks: string[] | undefined;
    if (parsed.values.stacks !== undefined) {
        stacks = [...new Set(parsed.values.stacks.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
        if (stacks.length === 0) throw new UsageError("--stacks names no stack");
        const unknown = stacks.filter((s) => !known.includes(s));
        if (unknown.length > 0) throw new UsageError(`--stacks: ${unknown.join(", ")} ${unknown.length === 1 ? "is not a stack" : "are not stacks"} of this project (valid: ${known.join(", ")}; each has a Pulumi.<stack>.yaml)`);
    }
    return { operation: operation as Operation, stacks, yes: parsed.values.yes === true };
}
