// `npm run bench`: what the whole offline plan costs next to the smallest program that loads the same
// SDKs. Both run the command `npm start` runs (from package.json), in a fresh Node process each, with
// the same CLI and engine: the six-stack plan of this project, and src/plan/bench/one-bucket. Prints the
// medians of wall time, CPU time and peak RSS, and their ratios; the goal is at most 3x on time and memory.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";

const GOAL = 3;
const repoRoot = path.resolve(__dirname, "..", "..");

interface Sample {
    wallMs: number;
    cpuMs: number;
    maxRssKb: number;
}

/** `npm start`'s own command, with the usage reporter preloaded just before the entry script. */
function startCommand(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
    const entry = args.findIndex((a) => a.endsWith(".ts"));
    if (node !== "node" || entry === -1) throw new Error(`package.json scripts.start is "${pkg.scripts.start}"; the benchmark expects "node [flags] <entry>.ts"`);
    return [...args.slice(0, entry), "-r", `./${path.relative(repoRoot, path.join(__dirname, "bench", "usage.ts"))}`, ...args.slice(entry)];
}

function measure(command: string[], extra: string[], scratch: string): Sample {
    const report = path.join(scratch, "usage.json");
    const started = performance.now();
    const child = spawnSync(process.execPath, [...command, ...extra], {
        cwd: repoRoot,
        env: { ...process.env, REFARCH_BENCH_REPORT: report, NO_COLOR: "1" },
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
    });
    const wallMs = performance.now() - started;
    if (child.status !== 0) throw new Error(`${[...command, ...extra].join(" ")} exited ${child.status}:\n${child.stderr}`);
    const usage = JSON.parse(fs.readFileSync(report, "utf8")) as { cpuMs: number; maxRssKb: number };
    return { wallMs, ...usage };
}

const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function main(): number {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: must be a whole number of runs, at least 1`);
    const command = startCommand();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-bench-"));
    const programs = {
        "one bucket": ["--project", path.join("src", "plan", "bench", "one-bucket"), "--out", path.join(scratch, "one-bucket")],
        "npm start (all stacks)": ["--out", path.join(scratch, "plan")],
    };
    const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(programs).map((k) => [k, []]));
    try {
        // One unmeasured run of each warms the file cache; then the two alternate so drift hits both alike.
        for (const extra of Object.values(programs)) measure(command, extra, scratch);
        for (let i = 0; i < runs; i++) {
            for (const [name, extra] of Object.entries(programs)) samples[name].push(measure(command, extra, scratch));
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }

    const summary = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [name, { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)), maxRssKb: median(list.map((s) => s.maxRssKb)) }]),
    );
    const [base, full] = Object.values(summary);
    const ratio = { wallMs: full.wallMs / base.wallMs, cpuMs: full.cpuMs / base.cpuMs, maxRssKb: full.maxRssKb / base.maxRssKb };
    const row = (label: string, cells: string[]) => label.padEnd(24) + cells.map((c) => c.padStart(10)).join("");
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; median of ${runs} runs each, every run a fresh process`);
    console.log(`command: node ${command.join(" ")} [--project src/plan/bench/one-bucket] --out <tmp>`);
    console.log(row("", ["wall", "cpu", "peak RSS"]));
    for (const [name, s] of Object.entries(summary)) console.log(row(name, [seconds(s.wallMs), seconds(s.cpuMs), `${Math.round(s.maxRssKb / 1024)} MB`]));
    console.log(row("ratio", [ratio.wallMs, ratio.cpuMs, ratio.maxRssKb].map((r) => `${r.toFixed(2)}x`)));
    const met = ratio.wallMs <= GOAL && ratio.maxRssKb <= GOAL;
    console.log(met ? `Within the goal: at most ${GOAL}x the one-bucket time and peak memory.` : `Over the goal of ${GOAL}x the one-bucket time or peak memory.`);
    return met ? 0 : 1;
}

process.exitCode = main();
