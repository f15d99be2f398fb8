// `npm run bench`: what `npm start` costs next to the floor, a bare one-bucket Pulumi program under Pulumi's mock
// runtime run as a plain JavaScript script (src/plan/bench/oneBucket.js: the same @pulumi/pulumi and @pulumi/aws,
// no plan CLI, no offline engine, no IAM simulator, no TypeScript loader). `npm start` runs as package.json's
// start script says, planning every stack. Each run is a fresh Node process; the two alternate so drift in the
// machine's load hits both alike. Prints the medians of wall time, CPU time and peak memory, and their ratios;
// exits 1 when `npm start` is over 1.5x the floor in wall time or peak memory.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import { CACHES, clearCaches } from "./bench/caches";
import { benchNpmTest } from "./bench/npmTest";

const GOAL = 1.5;
const repoRoot = path.resolve(__dirname, "..", "..");
const usageReporter = `./${path.relative(repoRoot, path.join(__dirname, "bench", "usage.js"))}`;

interface Sample {
    wallMs: number;
    cpuMs: number;
    maxRssKb: number;
}

/** Node's arguments for `npm start`'s own command, read from the checkout's package.json, with the usage reporter preloaded before the entry script. */
function startCommand(checkout = repoRoot): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(checkout, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
    const entry = args.findIndex((a) => /\.[jt]s$/.test(a) && args[args.indexOf(a) - 1] !== "-r");
    if (node !== "node" || entry === -1) throw new Error(`package.json scripts.start is "${pkg.scripts.start}"; the benchmark expects "node [flags] <entry>.ts|.js"`);
    return [...args.slice(0, entry), "-r", checkout === repoRoot ? usageReporter : path.join(__dirname, "bench", "usage.js"), ...args.slice(entry)];
}

function measure(args: string[], scratch: string, cwd = repoRoot): Sample {
    const report = path.join(scratch, "usage.json");
    fs.rmSync(report, { force: true });
    const started = performance.now();
    const child = spawnSync(process.execPath, args, {
        cwd,
        env: { ...process.env, REFARCH_BENCH_REPORT: report, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
        encoding: "utf8",
    });
    const wallMs = performance.now() - started;
    if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}:\n${child.stderr}`);
    const usage = JSON.parse(fs.readFileSync(report, "utf8")) as { cpuMs: number; maxRssKb: number };
    return { wallMs, cpuMs: usage.cpuMs, maxRssKb: usage.maxRssKb };
}

/** The floor must have done its one job, else it would be measuring nothing. */
function checkFloor(args: string[], scratch: string): void {
    const child = spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, REFARCH_BENCH_REPORT: path.join(scratch, "usage.json") }, encoding: "utf8" });
    const printed = child.status === 0 ? (JSON.parse(child.stdout.trim()) as { registered: string[] }) : undefined;
    if (!printed?.registered.includes("aws:s3/bucket:Bucket")) throw new Error(`the floor registered no bucket (exit ${child.status}):\n${child.stdout}${child.stderr}`);
}

const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

function main(): number {
    // --cold: every npm start run begins with empty caches (transpiled .ts, compiled code), as the first run in a fresh clone does.
    // --before <dir>: also runs npm start as another checkout (an earlier commit, with node_modules) has it, in the same alternation.
    const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, cold: { type: "boolean" }, before: { type: "string" } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: must be a whole number of runs, at least 1`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-bench-"));
    const floor = ["-r", usageReporter, path.join("src", "plan", "bench", "oneBucket.js")];
    const start = [...startCommand(), "--out", path.join(scratch, "plan")];
    // The floor again with npm start's compile cache preloaded: how much of npm start's lead is that cache, which any
    // program could have. The goal is measured against the bare floor, as the issue set it.
    const cachedFloor = ["-r", `./${path.relative(repoRoot, path.join(__dirname, "compileCache.js"))}`, ...floor];
    const programs: Record<string, string[]> = { "one bucket (floor)": floor, "npm start (all stacks)": start, "one bucket, compile cache": cachedFloor };
    const before = values.before && path.resolve(values.before);
    if (before) programs["npm start, --before"] = [...startCommand(before), "--out", path.join(scratch, "plan-before")];
    const cwdOf = (name: string) => (name === "npm start, --before" ? before! : repoRoot);
    const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(programs).map((k) => [k, []]));
    const loadBefore = loadAverage();
    try {
        checkFloor(floor, scratch);
        // One unmeasured run of each warms the file cache (and register.js's transpile cache).
        for (const [name, args] of Object.entries(programs)) measure(args, scratch, cwdOf(name));
        for (let i = 0; i < runs; i++) {
            for (const [name, args] of Object.entries(programs)) {
                if (values.cold && args !== floor) clearCaches(cwdOf(name), CACHES.start);
                samples[name].push(measure(args, scratch, cwdOf(name)));
            }
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }

    const summary = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [name, { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)), maxRssKb: median(list.map((s) => s.maxRssKb)) }]),
    );
    const [base, full, cachedBase] = Object.values(summary);
    const ratio = { wallMs: full.wallMs / base.wallMs, cpuMs: full.cpuMs / base.cpuMs, maxRssKb: full.maxRssKb / base.maxRssKb };
    const row = (label: string, cells: string[]) => label.padEnd(24) + cells.map((c) => c.padStart(10)).join("");
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before, ${loadAverage()} after; median of ${runs} runs each, every run a fresh process${values.cold ? ", npm start with empty caches" : ""}`);
    console.log(`floor:     node ${floor.join(" ")}`);
    console.log(`npm start: node ${start.join(" ").replace(scratch, "<tmp>")}`);
    if (before) console.log(`--before:  node ${programs["npm start, --before"].join(" ").replace(scratch, "<tmp>")} (in ${before})`);
    console.log(row("", ["wall", "cpu", "peak RSS"]));
    for (const [name, s] of Object.entries(summary)) console.log(row(name, [seconds(s.wallMs), seconds(s.cpuMs), `${Math.round(s.maxRssKb / 1024)} MB`]));
    console.log(row("ratio", [ratio.wallMs, ratio.cpuMs, ratio.maxRssKb].map((r) => `${r.toFixed(2)}x`)));
    console.log(row("ratio to cached floor", [full.wallMs / cachedBase.wallMs, full.cpuMs / cachedBase.cpuMs, full.maxRssKb / cachedBase.maxRssKb].map((r) => `${r.toFixed(2)}x`)));
    const earlier = before && summary["npm start, --before"];
    if (earlier) console.log(row("ratio, --before", [earlier.wallMs / base.wallMs, earlier.cpuMs / base.cpuMs, earlier.maxRssKb / base.maxRssKb].map((r) => `${r.toFixed(2)}x`)));
    const met = ratio.wallMs <= GOAL && ratio.maxRssKb <= GOAL;
    console.log(met ? `Within the goal: at most ${GOAL}x the floor's wall time and peak memory.` : `Over the goal of ${GOAL}x the floor's wall time or peak memory.`);
    return met ? 0 : 1;
}

// --test: npm test's own benchmark (src/plan/bench/npmTest.ts), not npm start's.
if (process.argv.includes("--test")) benchNpmTest(process.argv.slice(2)).then((code) => (process.exitCode = code));
else process.exitCode = main();
