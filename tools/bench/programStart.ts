// `npm run bench:start`: what `pulumi up` pays to start this program, type-checked and as configured (transpile-only).
// Each sample is a fresh process running languageHost.js, which registers ts-node as Pulumi's language host does.
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { parseArgs } from "util";

const repoRoot = path.resolve(__dirname, "..", "..");

interface Sample {
    typeChecked: boolean;
    wallMs: number;
    cpuMs: number;
    maxRssKb: number;
}

function start(main: string, env: Record<string, string>): Sample {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!("PULUMI_NODEJS_TRANSPILE_ONLY" in env)) delete environment.PULUMI_NODEJS_TRANSPILE_ONLY;
    const child = spawnSync(process.execPath, [path.join(__dirname, "languageHost.js"), main], { cwd: repoRoot, env: environment, encoding: "utf8" });
    if (child.status !== 0) throw new Error(`languageHost.js ${main} exited ${child.status}:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").pop()!) as Sample;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
    const runs = Number(values.runs);
    const project = load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main?: string };
    const entry = project.main ?? ".";
    const modes: [string, Record<string, string>][] = [
        ["type-checked (before)", { PULUMI_NODEJS_TRANSPILE_ONLY: "false" }],
        ["as configured (now)", {}],
    ];
    console.log(`Program start as the Pulumi language host runs it (ts-node from @pulumi/pulumi's cmd/run), ${entry}, median of ${runs}, node ${process.version}:`);
    for (const [label, env] of modes) {
        const samples = Array.from({ length: runs }, () => start(entry, env));
        const typeChecked = samples.every((s) => s.typeChecked);
        console.log(
            `  ${label.padEnd(22)} ${typeChecked ? "type-checks " : "transpile-only"}  wall ${(median(samples.map((s) => s.wallMs)) / 1000).toFixed(1)} s  ` +
                `cpu ${(median(samples.map((s) => s.cpuMs)) / 1000).toFixed(1)} s  peak RSS ${Math.round(median(samples.map((s) => s.maxRssKb)) / 1024)} MB`,
        );
    }
}

main();
