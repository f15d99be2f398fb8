// `npm run deploy`: waves from the stack graph, reverse order and protection for destroy, live progress and
// the summary, failures that stop later waves, and the refusals; run against an injected fake workspace
// and the real Pulumi.<stack>.yaml files, with no Pulumi CLI.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseDeployArgs, UsageError } from "../src/deploy/args";
import { main } from "../src/deploy/cli";
import { applyEvent, planDeploy, runDeploy, StackProgress } from "../src/deploy/orchestrator";
import { renderProgress, renderSummary } from "../src/deploy/progress";
import type { DeployWorkspace, EngineEvent, RunStackOptions } from "../src/deploy/workspace";
import { findPulumiCli } from "../src/deploy/workspace";
import * as fs from "fs";
import { meeting, NEEDS, org as underTest, repoRoot, required, scratchDir, toolDirectory } from "./harness";

// The organization under test, or a variant of it with two stacks in a wave, written account ids, and protected and unprotected stacks.
const org = meeting([NEEDS.twoStackWave, NEEDS.writtenAccount, NEEDS.protectedStack, NEEDS.unprotectedWorkload], underTest);

const project = org.project;
/** The stacks in deploy order, as README states the rule (org, audit, the workload stages together, root). */
const WAVES = org.waves;
const DEPLOY_ORDER = WAVES.flat();
const DESTROY_ORDER = [...WAVES].reverse().flat();

const event = (fields: Partial<EngineEvent>): EngineEvent => ({ sequence: 0, timestamp: 0, ...fields }) as EngineEvent;
const step = (urn: string) => ({ op: "create", urn, type: "aws:iam/role:Role", provider: "" }) as any;

/** A fake Pulumi: each stack registers `resources` resources, then succeeds or throws its configured error. */
class FakeWorkspace implements DeployWorkspace {
    readonly log: string[] = [];
    constructor(
        private readonly failures: Record<string, string> = {},
        private readonly resources = 3,
    ) {}

    /** stack -> the policy packs its operation was given. */
    readonly policyPacks = new Map<string, string[] | undefined>();

    async run(stack: string, operation: string, onEvent: (e: EngineEvent) => void, options?: RunStackOptions): Promise<void> {
        this.policyPacks.set(stack, options?.policyPacks);
        this.log.push(`start ${operation} ${stack}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (let i = 0; i < this.resources; i++) onEvent(event({ resourcePreEvent: { metadata: step(`urn:${stack}:${i}`) } }));
        for (let i = 0; i < this.resources; i++) onEvent(event({ resOutputsEvent: { metadata: step(`urn:${stack}:${i}`) } }));
        if (this.failures[stack]) {
            onEvent(event({ diagnosticEvent: { message: this.failures[stack], color: "never", severity: "error" } }));
            this.log.push(`fail ${stack}`);
            throw new Error(`code: 255\n stderr: ${this.failures[stack]}`);
        }
        onEvent(event({ summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { create: 2, same: 1 }, policyPacks: {} } }));
        this.log.push(`end ${stack}`);
    }
}

/** Runs the CLI's main with a fake workspace and a CLI "on PATH"; returns exit code, output and the workspace. */
async function cli(argv: string[], failures: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const workspace = new FakeWorkspace(failures);
    let clock = 0;
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), tty: false, now: () => (clock += 1000) }, {
        projectDir: org.dir,
        pulumiCli: () => "/usr/local/bin/pulumi",
        workspace: () => workspace,
    });
    return { code, out: out.join("\n"), err: err.join("\n"), log: workspace.log, workspace };
}

describe("deploy: waves", () => {
    it("up runs the stack graph's waves (audit, then the workload stages in parallel, then root), each after the one before", async () => {
        const { code, log } = await cli(["up", "--yes"]);
        expect(code).to.equal(0);
        const waves = WAVES;
        const starts = log.filter((l) => l.startsWith("start")).map((l) => l.split(" ")[2]);
        let at = 0;
        for (const wave of waves) {
            expect(starts.slice(at, at + wave.length)).to.have.members(wave);
            at += wave.length;
        }
        // Every stack, and a stack that runs again (org, after audit) once more.
        expect(at).to.equal(DEPLOY_ORDER.length);
        expect([...new Set(starts)]).to.have.members(org.stacks);
        // A stack's line of its run in wave `i` (org runs twice): the n-th of its lines, n its runs before that wave.
        const runOf = (line: string, stack: string, i: number) => {
            const n = waves.slice(0, i).filter((w) => w.includes(stack)).length;
            return log.map((l, at) => [l, at] as const).filter(([l]) => l === line)[n]?.[1] ?? -1;
        };
        for (const [i, wave] of waves.entries()) {
            // Parallel: every stack of a wave starts before any of them ends; each wave waits for the whole wave before.
            const firstEnd = Math.min(...wave.map((s) => runOf(`end ${s}`, s, i)));
            for (const stack of wave) expect(runOf(`start up ${stack}`, stack, i), stack).to.be.lessThan(firstEnd);
            for (const before of waves[i - 1] ?? []) {
                for (const stack of wave) expect(runOf(`end ${before}`, before, i - 1), `${before} before ${stack}`).to.be.lessThan(runOf(`start up ${stack}`, stack, i));
            }
        }
    });

    it("preview needs no --yes and covers every stack", async () => {
        const { code, log } = await cli(["preview"]);
        expect(code).to.equal(0);
        expect([...new Set(log.filter((l) => l.startsWith("start preview")).map((l) => l.split(" ")[2]))]).to.have.members(Object.keys(project.stackConfigs));
    });

    it("--stacks runs only those, still in wave order", async function () {
        required(WAVES.length > 1, "one deploy wave");
        const [first, last] = [DEPLOY_ORDER[0], DEPLOY_ORDER[DEPLOY_ORDER.length - 1]];
        const { log } = await cli(["refresh", "--stacks", `${last},${first}`]);
        expect(log.filter((l) => l.startsWith("start"))).to.deep.equal([`start refresh ${first}`, `start refresh ${last}`]);
    });

    it("destroy runs the waves in reverse: root first, audit last", async () => {
        const plan = planDeploy(project, parseDeployArgs(["destroy", "--stacks", [...org.stacks].reverse().join(","), "--yes"], org.stacks));
        expect(plan.waves).to.deep.equal([...WAVES].reverse());
    });

    it("a failing stack stops the waves after it, the rest of its wave finishes, and the summary names what was not run", async function () {
        const at = required(WAVES.findIndex((w, i) => w.length > 1 && i < WAVES.length - 1) + 1, "no deploy wave of two stacks before the last") - 1;
        const [failing, ...others] = WAVES[at];
        const later = WAVES.slice(at + 1).flat();
        const message = `error: creating IAM Role (${org.namePrefix(failing)}-admin): EntityAlreadyExists`;
        const { code, out, log } = await cli(["up", "--yes"], { [failing]: message });
        expect(code).to.equal(1);
        expect(log).to.include.members([...others.map((s) => `end ${s}`), `fail ${failing}`]);
        for (const stack of later) {
            expect(log).not.to.include(`start up ${stack}`);
            expect(out).to.match(new RegExp(`^${stack} +not run +- +-$`, "m"));
            expect(out).to.include(`${stack}: not run, because ${failing} failed`);
        }
        expect(out).to.match(new RegExp(`^${failing} +failed +- +\\d+:\\d\\d$`, "m"));
        expect(out).to.include(`${failing}: ${message}`);
    });

    it("without AWS credentials, names the stack and the account that failed to authenticate", async function () {
        const stack = required(org.find((s) => org.writtenAccountOf(s) !== undefined), "no account id written in refarch:accounts");
        const { code, out } = await cli(["preview", "--stacks", stack], { [stack]: "error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found." });
        expect(code).to.equal(1);
        expect(out).to.include(`${stack}: AWS authentication failed for stack ${stack} in account ${org.writtenAccountOf(stack)} (stage ${org.stageOf(stack)})`);
    });

    it("without a Pulumi Cloud login, says how to log in", async function () {
        const stack = required([...org.stacks].reverse().find((s) => org.writtenAccountOf(s) !== undefined), "no account id written in refarch:accounts");
        const { out } = await cli(["preview", "--stacks", stack], { [stack]: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions" });
        expect(out).to.include(`${stack}: Pulumi Cloud authentication failed for stack ${stack} (account ${org.writtenAccountOf(stack)}): run pulumi login`);
    });
});

describe("deploy: refusals (exit 2, nothing run)", () => {
    const refused = async (argv: string[]) => {
        const result = await cli(argv);
        expect(result.code, result.err).to.equal(2);
        expect(result.log, "a stack was run").to.deep.equal([]);
        return result.err;
    };

    const protectedStacks = DESTROY_ORDER.filter((s) => org.isProtected(s));

    it("destroy of every stack refuses the protected ones unless they are named", async function () {
        required(protectedStacks, "no protected stack");
        const err = await refused(["destroy", "--yes"]);
        expect(err).to.include(`destroy refuses the protected stack(s) ${protectedStacks.join(", ")} unless named`);
        const rest = DESTROY_ORDER.filter((s) => !protectedStacks.includes(s));
        if (rest.length > 0) expect(err).to.include(`--stacks ${rest.join(",")} --yes`);
    });

    it("destroy of a named protected stack still needs --yes", async function () {
        const stack = required(protectedStacks[0], "no protected stack");
        expect(await refused(["destroy", "--stacks", stack])).to.include(`destroy changes ${stack}: pass --yes`);
    });

    it("destroy of named protected stacks with --yes runs", async function () {
        const named = required(protectedStacks.slice(0, 2), "no protected stack");
        const { code, log } = await cli(["destroy", "--stacks", [...named].reverse().join(","), "--yes"]);
        expect(code).to.equal(0);
        expect(log.filter((l) => l.startsWith("start"))).to.deep.equal(named.map((s) => `start destroy ${s}`));
    });

    it("follows refarch:protect: an unprotected stack (testing always is) needs only --yes to destroy", async function () {
        const stack = required(org.find((s) => !org.isProtected(s)), "no unprotected stack");
        const { code, log } = await cli(["destroy", "--stacks", stack, "--yes"]);
        expect(code).to.equal(0);
        expect(log).to.include(`end ${stack}`);
    });

    it("up without --yes", async () => {
        expect(await refused(["up"])).to.include(`up changes ${DEPLOY_ORDER.join(", ")}: pass --yes`);
    });

    it("bad arguments, each with the usage line", async () => {
        const known = DEPLOY_ORDER[0];
        const unknown = `${known}-nosuchstack`;
        expect(await refused([])).to.include("no operation given");
        expect(await refused(["deploy"])).to.include(`"deploy" is not an operation (valid: up, preview, refresh, destroy)`);
        expect(await refused(["preview", "--stacks", `${known},${unknown}`])).to.include(`--stacks: ${unknown} is not a stack of this project (valid: ${DEPLOY_ORDER.join(", ")};`);
        expect(await refused(["preview", known])).to.include(`unexpected argument(s): ${known}; name stacks with --stacks ${known}`);
        expect(await refused(["preview", "--force"])).to.include("unknown option --force");
        expect(await refused(["preview", "--force"])).to.include("usage: npm run deploy -- <up|preview|refresh|destroy>");
    });

    it("parses --stacks and --yes", () => {
        const [a, b] = [org.stacks[0], org.stacks[org.stacks.length - 1]];
        expect(parseDeployArgs(["destroy", "-s", `${a}, ${b},${a}`, "-y"], org.stacks)).to.deep.equal({ operation: "destroy", stacks: [...new Set([a, b])], yes: true });
        expect(() => parseDeployArgs(["up", "--stacks", ","], org.stacks)).to.throw(UsageError, "--stacks names no stack");
    });
});

describe("deploy: --policy-pack, as the merge deploy runs it", () => {
    /** A directory that is a policy pack as Pulumi recognises one: it has a PulumiPolicy.yaml. */
    const pack = () => {
        const dir = scratchDir("refarch-pack-");
        fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        return dir;
    };

    it("hands every stack's up and preview the pack's absolute directory, and none when not given", async () => {
        const dir = pack();
        for (const operation of ["up", "preview"]) {
            const run = await cli([operation, "--yes", "--policy-pack", dir]);
            expect(run.code, run.err).to.equal(0);
            expect([...run.workspace.policyPacks.keys()].sort()).to.deep.equal([...new Set(DEPLOY_ORDER)].sort());
            for (const [stack, packs] of run.workspace.policyPacks) expect(packs, `${operation} ${stack}`).to.deep.equal([dir]);
        }
        const without = await cli(["up", "--yes"]);
        for (const [stack, packs] of without.workspace.policyPacks) expect(packs, stack).to.equal(undefined);
    });

    it("refuses, running nothing, a pack directory without PulumiPolicy.yaml, an empty one, and a pack on refresh or destroy", async () => {
        const empty = scratchDir("refarch-not-a-pack-");
        const missing = await cli(["up", "--yes", "--policy-pack", empty]);
        expect([missing.code, missing.log]).to.deep.equal([2, []]);
        expect(missing.err).to.include(`no PulumiPolicy.yaml in ${empty}`);
        expect(missing.err).to.include("(cd policy && npm ci)");
        for (const operation of ["refresh", "destroy"]) {
            const run = await cli([operation, "--yes", "--stacks", DEPLOY_ORDER[0], "--policy-pack", pack()]);
            expect([run.code, run.log], operation).to.deep.equal([2, []]);
            expect(run.err).to.include(`--policy-pack applies to up and preview, not ${operation}`);
        }
        expect(() => parseDeployArgs(["up", "--policy-pack", " "], org.stacks)).to.throw(UsageError, "--policy-pack needs the policy pack's directory");
        expect((await cli(["up", "--yes", "--policy-pack"])).err).to.include("--policy-pack needs the policy pack's directory, as --policy-pack policy");
    });
});

describe("deploy: progress and summary", () => {
    const entry = (fields: Partial<StackProgress>): StackProgress => ({ stack: "prod", stage: "prod", account: "222222222222", operation: "up", status: "running", done: 0, planned: 0, ...fields });

    it("counts resources done and planned from the engine's events, and changes from its summary", () => {
        const p = entry({});
        for (let i = 0; i < 15; i++) applyEvent(p, event({ resourcePreEvent: { metadata: step(`u${i}`) } }));
        for (let i = 0; i < 12; i++) applyEvent(p, event({ resOutputsEvent: { metadata: step(`u${i}`) } }));
        expect([p.done, p.planned]).to.deep.equal([12, 15]);
        applyEvent(p, event({ summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: { create: 3, update: 1, delete: 2, same: 9 }, policyPacks: {} } }));
        expect(p.changes).to.equal(6);
    });

    it("renders one line per stack: operation, done/planned, elapsed, status", () => {
        const lines = renderProgress(
            [
                entry({ stack: "audit", status: "succeeded", done: 9, planned: 9, startedAt: 0, finishedAt: 75_000 }),
                entry({ stack: "prod", done: 12, planned: 15, startedAt: 60_000 }),
                entry({ stack: "root", status: "waiting" }),
            ],
            102_000,
        );
        expect(lines).to.deep.equal([
            "audit  up        9/9 resources       1:15    succeeded",
            "prod   up        12/15 resources     0:42    running",
            "root   up                                    waiting",
        ]);
    });

    it("the summary table has stack, result, changes and duration, then why any stack failed or was not run", () => {
        const summary = renderSummary([
            entry({ stack: "audit", status: "succeeded", changes: 3, startedAt: 0, finishedAt: 61_000 }),
            entry({ stack: "prod", status: "failed", changes: undefined, startedAt: 0, finishedAt: 5_000, reason: "boom" }),
            entry({ stack: "root", status: "not run", reason: "prod failed" }),
        ]);
        expect(summary).to.equal(
            [
                "stack  result   changes  duration",
                "-----  -------  -------  --------",
                "audit  ok       3        1:01",
                "prod   failed   -        0:05",
                "root   not run  -        -",
                "",
                "prod: boom",
                "root: not run, because prod failed",
            ].join("\n"),
        );
    });

    it("reports progress to the caller as stacks start and finish", async function () {
        required(WAVES.length > 1, "one deploy wave");
        const [first, last] = [DEPLOY_ORDER[0], DEPLOY_ORDER[DEPLOY_ORDER.length - 1]];
        const seen: string[] = [];
        const plan = planDeploy(project, parseDeployArgs(["preview", "--stacks", `${first},${last}`], org.stacks));
        await runDeploy(project, plan, new FakeWorkspace(), { onProgress: (stacks) => seen.push(stacks.map((s) => `${s.stack}:${s.status}`).join(",")) });
        expect(seen[0]).to.equal(`${first}:running,${last}:waiting`);
        expect(seen[seen.length - 1]).to.equal(`${first}:succeeded,${last}:succeeded`);
    });
});

describe("deploy: without the Pulumi CLI", () => {
    it("finds the CLI only as an executable on PATH", () => {
        expect(findPulumiCli(["/nowhere", "/opt/pulumi/bin"].join(path.delimiter), (f) => f === "/opt/pulumi/bin/pulumi")).to.equal("/opt/pulumi/bin/pulumi");
        expect(findPulumiCli("/nowhere", () => false)).to.equal(undefined);
    });

    it("npm run deploy -- preview exits 2 at once with install guidance, without loading the Automation API", () => {
        // PATH holds node and npm, put there by the test, and no pulumi; npm runs the script with /bin/sh, named
        // here as npm finds its script shell on PATH otherwise (https://docs.npmjs.com/cli/v11/using-npm/config#script-shell).
        const tools = toolDirectory({}, { npm: true });
        const env = { ...process.env, PATH: tools, npm_config_script_shell: "/bin/sh" };
        const result = spawnSync(path.join(tools, "npm"), ["run", "--silent", "deploy", "--", "preview"], { cwd: repoRoot, env, encoding: "utf8" });
        expect(result.status, result.stderr).to.equal(2);
        expect(result.stderr).to.include("The Pulumi CLI is not on PATH");
        expect(result.stderr).to.include("curl -fsSL https://get.pulumi.com | sh");
        expect(result.stdout).to.equal("");
    });
});
