// `npm run mutate [-- <Stryker options>]`: Stryker over the security core (stryker.config.mjs), then a check of its
// JSON report that no file scores under FILE_BREAK: Stryker's own break threshold is one overall score.
//
//   npm run mutate                                                 incremental: only what changed since the last run
//   npm run mutate -- --mutate src/project/stackGraph.ts --concurrency 1 one file (the report still holds every file)
//   npm run mutate -- --force                                      every mutant again (after a change to test/harness/)
import { spawnSync } from "child_process";
import * as fs from "fs";
import { calculateMetrics, FileUnderTestModel, Metrics, MetricsResult } from "mutation-testing-metrics";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
/** Where stryker.config.mjs's json reporter writes (Stryker's default jsonReporter.fileName). */
const REPORT = path.join(repoRoot, "reports", "mutation", "mutation.json");
export const FILE_BREAK = 80;

/** The JSON report Stryker's json reporter writes (mutation-testing-report-schema), as far as this check reads it. */
type Report = { files: Parameters<typeof calculateMetrics>[0] };

/**
 * Each file's mutation score, computed by the library Stryker's own reporters use (mutation-testing-metrics,
 * calculateMetrics): detected (Killed, Timeout) over valid (detected, Survived, NoCoverage); CompileError and
 * RuntimeError mutants count in neither. A file with no valid mutant has no score (NaN) and is left out.
 */
export function fileScores(report: Report): { file: string; score: number }[] {
    const leaves = (node: MetricsResult<FileUnderTestModel, Metrics>): MetricsResult<FileUnderTestModel, Metrics>[] => (node.file ? [node] : node.childResults.flatMap(leaves));
    // A leaf's file keeps the name the report gave it (the tree's own names are shortened to the common directory).
    return leaves(calculateMetrics(report.files))
        .map((node) => ({ file: node.file!.name, score: node.metrics.mutationScore }))
        .filter((f) => !Number.isNaN(f.score));
}

/** `npm run mutate`'s exit code from Stryker's and the report, with a line for each file under FILE_BREAK, worst first. */
export function verdict(strykerStatus: number, report: Report): { code: number; messages: string[] } {
    const weak = fileScores(report)
        .filter((f) => f.score < FILE_BREAK)
        .sort((a, b) => a.score - b.score);
    const messages = weak.map(({ file, score }) => `npm run mutate: ${file} scores ${score.toFixed(2)}, under the ${FILE_BREAK} every file must reach`);
    if (strykerStatus !== 0) messages.push(`npm run mutate: Stryker exited ${strykerStatus} (under its break threshold, or it failed)`);
    return { code: strykerStatus !== 0 ? strykerStatus : weak.length > 0 ? 1 : 0, messages };
}

function main(): number {
    const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");
    // A report left by an earlier run must not pass for this one's.
    fs.rmSync(REPORT, { force: true });
    // Both on-disk caches off: every sandbox's instrumented files would be left in them, and Stryker's runners live long.
    const env = { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1", SWC_NODE_CACHE: "0" };
    const run = spawnSync(process.execPath, [stryker, "run", ...process.argv.slice(2)], { stdio: "inherit", cwd: repoRoot, env });
    if (!fs.existsSync(REPORT)) {
        console.error(`npm run mutate: Stryker wrote no report at ${path.relative(repoRoot, REPORT)} (exit ${run.status})`);
        return run.status || 1;
    }
    const { code, messages } = verdict(run.status ?? 1, JSON.parse(fs.readFileSync(REPORT, "utf8")) as Report);
    for (const message of messages) console.error(message);
    return code;
}

if (require.main === module) process.exitCode = main();
