// `npm run bench -- --test`: what `npm test` costs as a user runs it, medians over fresh runs: wall time, the CPU
// time of the whole process tree (the shell's `times`, POSIX sh) and its peak memory (Linux /proc, proc(5), every
// 100 ms). `--before <dir>` alternates with another checkout; `--cold` empties the caches before each measured run.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import { cacheEnvironment, clearCaches } from "./caches";
import { loadAverage, median } from "./stats";

const GOAL_SECONDS = 20;
const repoRoot = path.resolve(__dirname, "..", "..");

interface TestRun {
    wallMs: number;
    cpuMs: number;
    /** The most resident memory the whole tree held at one sampled moment. */
    treeRssKb: number;
    /** The peak resident memory of its largest process. */
    largestKb: number;
    passed: boolean;
}

/** pid -> parent pid, for every process /proc lists. */
function parents(): Map<number, number> {
    const map = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        try {
            // The command name, in parentheses, may hold spaces: the fields after its closing parenthesis are state, then ppid.
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
        } catch {
            // Gone between the listing and the read.
        }
    }
    return map;
}

function descendants(root: number): number[] {
    const map = parents();
    const found = [root];
    for (let i = 0; i < found.length; i++) for (const [pid, ppid] of map) if (ppid === found[i]) found.push(pid);
    return found;
}

function memoryKb(pid: number): { rss: number; hwm: number } {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
        return { rss: field("VmRSS"), hwm: field("VmHWM") };
    } catch {
        return { rss: 0, hwm: 0 };
    }
}

/** One `npm test` in `checkout`, its output discarded, sampled until it ends. */
function runNpmTest(checkout: string, env: NodeJS.ProcessEnv): Promise<TestRun> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        // `times` prints the shell's own user/system time, then its children's: npm and everything under it.
        const shell = spawn("sh", ["-c", 'npm test >/dev/null 2>&1; status=$?; times; exit $status'], { cwd: checkout, env: { ...process.env, ...env, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "inherit"] });
        let treeRssKb = 0;
        let largestKb = 0;
        const sample = () => {
            let total = 0;
            for (const pid of descendants(shell.pid!)) {
                const { rss, hwm } = memoryKb(pid);
                total += rss;
                largestKb = Math.max(largestKb, hwm);
            }
            treeRssKb = Math.max(treeRssKb, total);
        };
        const sampler = setInterval(sample, 100);
        let printed = "";
        shell.stdout.on("data", (chunk) => (printed += chunk));
        shell.on("error", reject);
        shell.on("close", (code) => {
            clearInterval(sampler);
            const wallMs = performance.now() - started;
            const children = printed.trim().split("\n").pop() ?? "";
            const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
            if (seconds.length !== 2) return reject(new Error(`could not read the shell's times output: ${JSON.stringify(printed)}`));
            resolve({ wallMs, cpuMs: (seconds[0] + seconds[1]) * 1000, treeRssKb, largestKb, passed: code === 0 });
        });
    });
}

export async function benchNpmTest(argv: string[]): Promise<number> {
    const { values } = parseArgs({ args: argv, options: { test: { type: "boolean" }, runs: { type: "string", default: "3" }, before: { type: "string" }, cold: { type: "boolean" } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: must be a whole number of runs, at least 1`);
    const checkouts: Record<string, string> = { "npm test": repoRoot };
    if (values.before) {
        const before = path.resolve(values.before);
        if (!fs.existsSync(path.join(before, "node_modules"))) throw new Error(`--before ${before}: no node_modules there. Fix: run npm ci in ${before} first`);
        checkouts["npm test, --before"] = before;
    }
    const samples: Record<string, TestRun[]> = Object.fromEntries(Object.keys(checkouts).map((k) => [k, []]));
    const loadBefore = loadAverage();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-bench-"));
    try {
        // One unmeasured run of each warms the caches; with --cold every measured run starts without them.
        for (const checkout of Object.values(checkouts)) await runNpmTest(checkout, cacheEnvironment(scratch, checkout));
        for (let i = 0; i < runs; i++) {
            for (const [name, checkout] of Object.entries(checkouts)) {
                if (values.cold) clearCaches(scratch, checkout);
                samples[name].push(await runNpmTest(checkout, cacheEnvironment(scratch, checkout)));
            }
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }

    const row = (label: string, cells: string[]) => label.padEnd(20) + cells.map((c) => c.padStart(14)).join("");
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
    console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before, ${loadAverage()} after; median of ${runs} runs each, every run a fresh npm test${values.cold ? " with empty caches" : ""}`);
    for (const [name, checkout] of Object.entries(checkouts)) console.log(`${name}: npm test in ${checkout}`);
    console.log(row("", ["wall", "cpu (all)", "peak RSS tree", "largest proc"]));
    for (const [name, list] of Object.entries(samples)) {
        const failed = list.filter((s) => !s.passed).length;
        const cells = [seconds(median(list.map((s) => s.wallMs))), seconds(median(list.map((s) => s.cpuMs))), mb(median(list.map((s) => s.treeRssKb))), mb(median(list.map((s) => s.largestKb)))];
        console.log(row(name, cells) + (failed > 0 ? `   ${failed} of ${list.length} runs FAILED` : ""));
    }
    const ours = samples["npm test"];
    const wall = median(ours.map((s) => s.wallMs)) / 1000;
    const allPassed = Object.values(samples).every((list) => list.every((s) => s.passed));
    console.log(wall <= GOAL_SECONDS ? `Within the goal: npm test at most ${GOAL_SECONDS} s wall.` : `Over the goal of ${GOAL_SECONDS} s wall for npm test.`);
    return allPassed && wall <= GOAL_SECONDS ? 0 : 1;
}
