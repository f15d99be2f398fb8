// What the user sees: one live line per stack (operation, resources done / planned, elapsed) and, at the
// end, a summary table (stack, result, changes, duration). Pure functions of the progress and the clock.
import type { StackProgress } from "./orchestrator";

export function formatDuration(ms: number): string {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

const elapsed = (p: StackProgress, now: number): string =>
    p.startedAt === undefined ? "" : formatDuration((p.finishedAt ?? now) - p.startedAt);

/** One line per stack, e.g. `prod     up       12/15 resources  0:42  running`. */
export function renderProgress(stacks: StackProgress[], now: number): string[] {
    const width = Math.max(...stacks.map((p) => p.stack.length), 5);
    return stacks.map((p) => {
        const counts = p.status === "waiting" || p.status === "not run" ? "" : `${p.done}/${p.planned} resources`;
        const columns = [p.stack.padEnd(width), p.operation.padEnd(8), counts.padEnd(18), elapsed(p, now).padEnd(6), p.status];
        return columns.join("  ").trimEnd();
    });
}

/** The closing table, and one line per stack that failed or was not run saying why. */
export function renderSummary(stacks: StackProgress[]): string {
    const rows = stacks.map((p) => [
        p.stack,
        p.status === "succeeded" ? "ok" : p.status,
        p.changes === undefined ? "-" : String(p.changes),
        p.startedAt === undefined || p.finishedAt === undefined ? "-" : formatDuration(p.finishedAt - p.startedAt),
    ]);
    const header = ["stack", "result", "changes", "duration"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
    const notes = stacks
        .filter((p) => p.status === "failed" || p.status === "not run")
        .map((p) => `${p.stack}: ${p.status === "not run" ? `not run, because ${p.reason}` : p.reason}${p.next ? `\n  next: ${p.next}` : ""}`);
    return [...table, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}
