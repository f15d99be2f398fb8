// `npm run mutate [-- <Stryker options>]`: Stryker over the security core (stryker.config.mjs), then a check of
// its JSON report that no file scores under FILE_BREAK. Stryker's own break threshold is one overall score
// (docs/configuration.md "thresholds"); a weak file would hide behind strong ones.
//
//   npm run mutate                                              incremental: tests only what changed since
//                                                               test/mutation/incremental.json was written
//   npm run mutate -- --mutate src/stackGraph.ts --concurrency 1   one file (the report still holds every file)
//   npm run mutate -- --force                                   every mutant again (after a change to test/harness.ts)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
/** Where stryker.config.mjs's json reporter writes (Stryker's default jsonReporter.fileName). */
const REPORT = path.join(repoRoot, "reports", "mutation", "mutation.json");
export const FILE_BREAK = 80;

/** One file of Stryker's JSON report (mutation-testing-report-schema): its mutants and their status. */
interface ReportFile {
    mutants: { status: string }[];
}

/**
 * A file's mutation score as Stryker computes it (mutation-testing-metrics, countFileMetrics): detected (Killed,
 * Timeout) over valid (detected, Survived, NoCoverage). CompileError and RuntimeError mutants count in neither;
 * Ignored and Pending neither. Undefined for a file with no valid mutant.
 */
export function mutationScore(file: ReportFile): number | undefined {
    const count = (...statuses: string[]) => file.mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count("Killed", "Timeout");
    const valid = detected + count("Survived", "NoCoverage");
    return valid === 0 ? undefined : (100 * detected) / valid;
}

/** The files under FILE_BREAK, each with its score, worst first. */
export function filesUnder(files: Record<string, ReportFile>, limit = FILE_BREAK): { file: string; score: number }[] {
    return Object.entries(files)
        .map(([file, result]) => ({ file, score: mutationScore(result) }))
        .filter((f): f is { file: string; score: number } => f.score !== undefined && f.score < limit)
        .sort((a, b) => a.score - b.score);
}

function main(): number {
    const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");
    // A report left by an earlier run must not pass for this one's.
    fs.rmSync(REPORT, { force: true });
    // Without npm start's compile cache (src/plan/compileCache.js): Stryker's runners are long-lived processes, and
    // every sandbox's instrumented files would be left in the cache.
    const env = { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1" };
    const run = spawnSync(process.execPath, [stryker, "run", ...process.argv.slice(2)], { stdio: "inherit", cwd: repoRoot, env });
    if (!fs.existsSync(REPORT)) {
        console.error(`npm run mutate: Stryker wrote no report at ${path.relative(repoRoot, REPORT)} (exit ${run.status})`);
        return run.status || 1;
    }
    const report = JSON.parse(fs.readFileSync(REPORT, "utf8")) as { files: Record<string, ReportFile> };
    const weak = filesUnder(report.files);
    for (const { file, score } of weak) console.error(`npm run mutate: ${file} scores ${score.toFixed(2)}, under the ${FILE_BREAK} every file must reach`);
    if (run.status !== 0) console.error(`npm run mutate: Stryker exited ${run.status} (under its break threshold, or it failed)`);
    return run.status !== 0 ? run.status || 1 : weak.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
