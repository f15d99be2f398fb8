// `npm run bench`: what `npm start` costs next to the floor, a bare one-bucket Pulumi program under Pulumi's mock
// runtime run as plain JavaScript (oneBucket.js). Each run is a fresh Node process, the programs alternating so the
// machine's drift hits all alike; prints medians of wall time, CPU time and peak memory, and exits 1 when
// `npm start` is over 1.5x the floor in wall time or peak memory. `--test` measures `npm test` instead (npmTest.ts).
import { spawnSync } from "child_process";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import { cacheEnvironment, clearCaches } from "./caches";
import { benchNpmTest } from "./npmTest";
import { loadAverage, median } from "./stats";

const GOAL = 1.5;
const repoRoot = path.resolve(__dirname, "..", "..");
const usageReporter = path.join(__dirname, "usage.js");
/** Node 22.1+: any program may keep a compile cache, so the floor is measured with one too. */
const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === "function";

interface Sample {
    wallMs: number;
    cpuMs: number;
    maxRssKb: number;
}

interface Program {
    args: string[];
    cwd: string;
    env: NodeJS.ProcessEnv;
}

/** Node's arguments for `npm start`, read from the checkout's package.json, with the usage reporter preloaded before the entry script. */
function startCommand(checkout: string): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(checkout, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
    const entry = args.findIndex((a, i) => /\.[jt]s$/.test(a) && args[i - 1] !== "-r");
    if (node !== "node" || entry === -1) throw new Error(`package.json scripts.start is "${pkg.scripts.start}"; the benchmark expects "node [flags] <entry>.ts|.js"`);
    return [...args.slice(0, entry), "-r", usageReporter, ...args.slice(entry)];
}

/** The environment without any cache setting, so the floor runs bare unless one is given on purpose. */
function bareEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
    for (const key of ["NODE_COMPILE_CACHE", "NODE_DISABLE_COMPILE_CACHE", "SWC_NODE_CACHE", "SWC_NODE_CACHE_DIR"]) if (!(key in extra)) delete env[key];
    return env;
}

function measure(program: Program, scratch: string): Sample {
    const report = path.join(scratch, "usage.json");
    fs.rmSync(report, { force: true });
    const started = performance.now();
    const child = spawnSync(process.execPath, program.args, { cwd: program.cwd, env: { ...program.env, REFARCH_BENCH_REPORT: report }, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    const wallMs = performance.now() - started;
    if (child.status !== 0) throw new Error(`node ${program.args.join(" ")} exited ${child.status}:\n${child.stderr}`);
    const usage = JSON.parse(fs.readFileSync(report, "utf8")) as { cpuMs: number; maxRssKb: number };
    return { wallMs, cpuMs: usage.cpuMs, maxRssKb: usage.maxRssKb };
}

/** The floor must have done its one job, else it would be measuring nothing. */
function checkFloor(floor: Program, scratch: string): void {
    const child = spawnSync(process.execPath, floor.args, { cwd: floor.cwd, env: { ...floor.env, REFARCH_BENCH_REPORT: path.join(scratch, "usage.json") }, encoding: "utf8" });
    const printed = child.status === 0 ? (JSON.parse(child.stdout.trim()) as { registered: string[] }) : undefined;
    if (!printed?.registered.includes("aws:s3/bucket:Bucket")) throw new Error(`the floor registered no bucket (exit ${child.status}):\n${child.stdout}${child.stderr}`);
}

function main(): number {
    // --cold: every npm start begins with empty caches, as the first run in a fresh clone does.
    // --before <dir>: also runs npm start as another checkout (an earlier commit, npm ci'd) has it.
    // --each-measure: also runs npm start with each of its speed measures turned off, to show what each earns.
    const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, cold: { type: "boolean" }, before: { type: "string" }, "each-measure": { type: "boolean" } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: must be a whole number of runs, at least 1`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-bench-"));
    const start = (checkout: string, extra: NodeJS.ProcessEnv = {}): Program => ({
        args: [...startCommand(checkout), "--out", path.join(scratch, "plan")],
        cwd: checkout,
        env: bareEnvironment({ ...cacheEnvironment(scratch, checkout), ...extra }),
    });
    const floor: Program = { args: ["-r", usageReporter, path.join(__dirname, "oneBucket.js")], cwd: repoRoot, env: bareEnvironment() };
    const programs: Record<string, Program> = { "one bucket (floor)": floor, "npm start (all stacks)": start(repoRoot) };
    if (hasCompileCache) programs["one bucket, compile cache"] = { ...floor, env: bareEnvironment({ NODE_COMPILE_CACHE: path.join(scratch, "floor-cache") }) };
    if (values["each-measure"]) {
        if (hasCompileCache) programs["npm start, no compile cache"] = start(repoRoot, { NODE_DISABLE_COMPILE_CACHE: "1" });
        programs["npm start, no transform cache"] = start(repoRoot, { SWC_NODE_CACHE: "0" });
    }
    const before = values.before && path.resolve(values.before);
    if (before) programs["npm start, --before"] = start(before);
    const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(programs).map((k) => [k, []]));
    const loadBefore = loadAverage();
    try {
        checkFloor(floor, scratch);
        // One unmeasured run of each warms the file system's cache and the programs' own.
        for (const program of Object.values(programs)) measure(program, scratch);
        for (let i = 0; i < runs; i++) {
            for (const [name, program] of Object.entries(programs)) {
                if (values.cold && program !== floor) clearCaches(scratch, program.cwd);
                samples[name].push(measure(program, scratch));
            }
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }

    const summary = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [name, { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)), maxRssKb: median(list.map((s) => s.maxRssKb)) }]),
    );
    const base = summary["one bucket (floor)"];
    const full = summary["npm start (all stacks)"];
    const row = (label: string, cells: string[]) => label.padEnd(30) + cells.map((c) => c.padStart(10)).join("");
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const ratios = (s: Sample) => [s.wallMs / base.wallMs, s.cpuMs / base.cpuMs, s.maxRssKb / base.maxRssKb].map((r) => `${r.toFixed(2)}x`);
    console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before, ${loadAverage()} after; median of ${runs} runs each, every run a fresh process${values.cold ? ", npm start with empty caches" : ""}`);
    for (const [name, program] of Object.entries(programs)) console.log(`${name}: node ${program.args.join(" ").replace(scratch, "<tmp>")} (in ${program.cwd})`);
    console.log(row("", ["wall", "cpu", "peak RSS"]));
    for (const [name, s] of Object.entries(summary)) console.log(row(name, [seconds(s.wallMs), seconds(s.cpuMs), `${Math.round(s.maxRssKb / 1024)} MB`]));
    for (const [name, s] of Object.entries(summary)) if (name !== "one bucket (floor)") console.log(row(`ratio: ${name}`, ratios(s)));
    const met = full.wallMs / base.wallMs <= GOAL && full.maxRssKb / base.maxRssKb <= GOAL;
    console.log(met ? `Within the goal: at most ${GOAL}x the floor's wall time and peak memory.` : `Over the goal of ${GOAL}x the floor's wall time or peak memory.`);
    return met ? 0 : 1;
}

if (process.argv.includes("--test")) benchNpmTest(process.argv.slice(2)).then((code) => (process.exitCode = code));
else process.exitCode = main();
