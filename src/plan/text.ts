// Text helpers every plan renderer shares (terminal, diff, organization, architecture.md), kept apart so the
// renderers depend on this and not on each other.
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}
