// `npm run deploy` when a stack fails before or while it runs: the summary quotes the Pulumi CLI's own message
// (not the Automation API's "code: -2") and names the next command; --help works with or without the CLI.
// Failures are the Automation API's real CommandError, built from the CLI's stderr as it builds them.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { answerWithoutSdk } from "../src/deploy/bin";
import { main } from "../src/deploy/cli";
import type { DeployWorkspace, EngineEvent } from "../src/deploy/workspace";
import { meeting, NEEDS, org as underTest, repoRoot, required, scratchDir, toolDirectory } from "./harness";

// The organization under test, or a variant of it with two stacks in a wave, and accounts both written and created.
const org = meeting([NEEDS.twoStackWave, NEEDS.writtenAccount, NEEDS.createdAccount], underTest);

// Internal to @pulumi/pulumi (no typings): the classes its `pulumi` invocations throw.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CommandResult } = require("@pulumi/pulumi/automation/cmd");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createCommandError } = require("@pulumi/pulumi/automation/errors");

/** Stacks deployed in one wave (so one failing does not stop the other): the widest wave's first two, or one stack. */
const widest = org.waves.reduce((a, b) => (b.length > a.length ? b : a));
const [first, second] = [widest[0], widest[1]];

interface Failure {
    /** What the CLI wrote to stderr. */
    stderr?: string;
    /** An error diagnostic the engine reported while the program ran. */
    diagnostic?: string;
}

/** A Pulumi that fails the given stacks the way the Automation API does: a CommandError whose message starts `code: <n>`. */
class FailingWorkspace implements DeployWorkspace {
    readonly runs: string[] = [];
    constructor(private readonly failures: Record<string, Failure>) {}

    async run(stack: string, operation: string, onEvent: (e: EngineEvent) => void): Promise<void> {
        this.runs.push(`${operation} ${stack}`);
        const failure = this.failures[stack];
        if (!failure) return;
        if (failure.diagnostic) onEvent({ sequence: 0, timestamp: 0, diagnosticEvent: { message: failure.diagnostic, color: "never", severity: "error" } } as EngineEvent);
        throw createCommandError(new CommandResult("", failure.stderr ?? "", -2));
    }
}

async function deploy(argv: string[], failures: Record<string, Failure> = {}, cliInstalled = true) {
    const out: string[] = [];
    const err: string[] = [];
    const workspace = new FailingWorkspace(failures);
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), tty: false, now: () => 0 }, {
        projectDir: org.dir,
        pulumiCli: () => (cliInstalled ? "/usr/local/bin/pulumi" : undefined),
        workspace: () => workspace,
    });
    return { code, out: out.join("\n"), err: err.join("\n"), runs: workspace.runs };
}

/** The summary's note for one stack: its line and the `next:` line under it, if any. */
function note(out: string, stack: string): { reason: string; next?: string } {
    const lines = out.split("\n");
    const at = lines.findIndex((l) => l.startsWith(`${stack}: `));
    expect(at, `no summary note for ${stack} in:\n${out}`).to.be.greaterThan(-1);
    const next = lines[at + 1]?.startsWith("  next: ") ? lines[at + 1].slice("  next: ".length) : undefined;
    return { reason: lines[at].slice(stack.length + 2), next };
}

describe("deploy: what went wrong, and what to run next", () => {
    it("a stack never created: quotes the CLI's 'no stack named' and says to create it", async () => {
        const stack = first;
        const { code, out } = await deploy(["preview", "--stacks", stack], { [stack]: { stderr: `error: no stack named '${stack}' found\n` } });
        expect(code).to.equal(1);
        const { reason, next } = note(out, stack);
        expect(reason).to.include(`error: no stack named '${stack}' found`);
        expect(reason).not.to.match(/code: -?\d/);
        expect(next).to.equal(`pulumi stack init ${stack} && npm run deploy -- preview --stacks ${stack}`);
    });

    it("not logged in to Pulumi Cloud: quotes the CLI and says pulumi login, then the same run (with --yes for up)", async function () {
        const stack = required(org.find((s) => org.writtenAccountOf(s) !== undefined), "no stack whose account id refarch:accounts writes");
        const message = "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions";
        const { out } = await deploy(["up", "--stacks", stack, "--yes"], { [stack]: { stderr: `${message}\n` } });
        const { reason, next } = note(out, stack);
        expect(reason).to.include(message);
        expect(reason).to.include(`account ${org.writtenAccountOf(stack)}`);
        expect(next).to.equal(`pulumi login && npm run deploy -- up --stacks ${stack} --yes`);
    });

    it("no AWS credentials: quotes the provider's error, names the account, and says how to check the credentials", async function () {
        const stack = required([...org.stacks].reverse().find((s) => org.writtenAccountOf(s) !== undefined), "no stack whose account id refarch:accounts writes");
        const message = "error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.";
        const { out } = await deploy(["preview", "--stacks", stack], { [stack]: { diagnostic: message, stderr: "error: preview failed\n" } });
        const { reason, next } = note(out, stack);
        expect(reason).to.include(message);
        expect(reason).to.include(`account ${org.writtenAccountOf(stack)}`);
        expect(next).to.equal(`aws sts get-caller-identity   # must show account ${org.writtenAccountOf(stack)}; then: npm run deploy -- preview --stacks ${stack}`);
    });

    it("an account the org stack creates is named by its email, its id being known only to that stack", async function () {
        const stack = required(org.find((s) => org.stageOf(s) !== "org" && org.writtenAccountOf(s) === undefined), "no account created from { email }");
        const email = org.accountEmails[org.stageOf(stack)];
        const message = "error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.";
        const { out } = await deploy(["preview", "--stacks", stack], { [stack]: { diagnostic: message, stderr: "error: preview failed\n" } });
        expect(note(out, stack).reason).to.include(`account created for ${email}`);
    });

    it("any other failure: the CLI's error lines, and no made-up next step", async () => {
        const { out } = await deploy(["refresh", "--stacks", first], { [first]: { stderr: `Updating (${first})\nerror: the current deployment has 1 resource(s) with pending operations\n` } });
        const { reason, next } = note(out, first);
        expect(reason).to.equal("error: the current deployment has 1 resource(s) with pending operations");
        expect(next).to.equal(undefined);
    });

    it("every failed stack gets its own message in one run", async function () {
        required(second, "no deploy wave with two stacks");
        const { out } = await deploy(["preview", "--stacks", `${first},${second}`], {
            [first]: { stderr: `error: no stack named '${first}' found\n` },
            [second]: { stderr: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n" },
        });
        expect(note(out, first).next).to.match(new RegExp(`^pulumi stack init ${first} `));
        expect(note(out, second).next).to.match(/^pulumi login /);
    });
});

describe("deploy: --help and bad options", () => {
    for (const cliInstalled of [true, false]) {
        it(`--help prints the usage and exits 0, running nothing (Pulumi CLI ${cliInstalled ? "installed" : "missing"})`, async () => {
            for (const argv of [["--help"], ["-h"], ["up", "--help"], ["help"]]) {
                const { code, out, err, runs } = await deploy(argv, {}, cliInstalled);
                expect(code, argv.join(" ")).to.equal(0);
                expect(out).to.match(/^usage: npm run deploy -- <up\|preview\|refresh\|destroy>/);
                expect(err).to.equal("");
                expect(runs).to.deep.equal([]);
            }
        });
    }

    it("an unknown option is named with the valid ones, without Node's parser advice", async () => {
        const { code, err } = await deploy(["up", "--force"]);
        expect(code).to.equal(2);
        expect(err).to.include("unknown option --force (valid: --stacks a,b, --yes, --policy-pack dir, --help)");
        expect(err).not.to.include("positional argument");
    });

    it("--stacks with no value says what it needs", async () => {
        const { code, err } = await deploy(["preview", "--stacks"]);
        expect(code).to.equal(2);
        expect(err).to.include("--stacks needs the stacks to run, as --stacks a,b");
    });

    // The entry's own answer, before it loads the SDK: once with no pulumi on PATH, once with a stand-in that must not
    // be run. (test/deploy.test.ts runs the entry itself through npm, as a process.)
    it("npm run deploy -- --help prints help whether or not the CLI is on PATH", () => {
        const marker = path.join(scratchDir("refarch-cli-"), "ran");
        const withCli = toolDirectory({ pulumi: `require("fs").writeFileSync(${JSON.stringify(marker)}, "");\nprocess.exit(1);` });
        for (const PATH of [toolDirectory(), withCli]) {
            const result = answerWithoutSdk(["--help"], repoRoot, { ...process.env, PATH })!;
            expect(result.code, result.stderr).to.equal(0);
            expect(result.stdout).to.match(/^usage: npm run deploy -- /);
            expect(result.stderr).to.equal("");
        }
        expect(fs.existsSync(marker), "the pulumi on PATH was run").to.equal(false);
    });
});
