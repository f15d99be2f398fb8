// The workflows' supply chain cannot be swapped under them (issue 26 item 11, issue 24 item 5): every remote action
// is pinned to a full commit SHA with its release tag in a comment, no `${{ }}` is expanded inside a run script
// (values reach scripts through env), and every tool a workflow installs is pinned to one exact version. And what a job
// may ask Pulumi Cloud for (issue 26 items 2 and 4): no job a pull request starts, in its own workflow or a reusable one it
// calls, requests an organization token; every job that deploys runs in an environment; the merge deploy applies the
// policy pack the previews apply.
// GitHub's guidance: https://docs.github.com/en/actions/reference/security/secure-use#using-third-party-actions and
// https://docs.github.com/en/actions/reference/security/secure-use#use-an-intermediate-environment-variable
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { repoRoot } from "./harness";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    env?: Record<string, unknown>;
    with?: Record<string, unknown>;
}
interface Job {
    uses?: string;
    steps?: Step[];
    environment?: unknown;
}
interface Workflow {
    file: string;
    text: string;
    jobs: Record<string, Job>;
    /** The events that start it (`on:`), as names. */
    events: string[];
}
/** One `uses:` of a workflow, job-level (a reusable workflow) or step-level (an action), and where it is. */
interface Use {
    where: string;
    uses: string;
    step?: Step;
}

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

function parseWorkflow(file: string, text: string): Workflow {
    const doc = yaml.load(text) as { jobs?: Record<string, Job>; on?: unknown } | undefined;
    const on = doc?.on;
    const events = typeof on === "string" ? [on] : Array.isArray(on) ? on.map(String) : on && typeof on === "object" ? Object.keys(on) : [];
    return { file, text, jobs: doc?.jobs ?? {}, events };
}
const readWorkflow = (file: string): Workflow => parseWorkflow(file, fs.readFileSync(path.join(workflowsDir, file), "utf8"));

function stepsOf(workflow: Workflow): { where: string; step: Step }[] {
    return Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
        (steps ?? []).map((step, i) => ({ where: `${workflow.file}: job ${job}, step ${i + 1} (${step.name ?? step.id ?? step.uses ?? "run"})`, step })),
    );
}

function usesOf(workflow: Workflow): Use[] {
    const jobLevel = Object.entries(workflow.jobs)
        .filter(([, job]) => job.uses !== undefined)
        .map(([job, { uses }]) => ({ where: `${workflow.file}: job ${job}`, uses: String(uses) }));
    const stepLevel = stepsOf(workflow)
        .filter(({ step }) => step.uses !== undefined)
        .map(({ where, step }) => ({ where, uses: String(step.uses), step }));
    return [...jobLevel, ...stepLevel];
}

/** This repository's own workflows and actions run at the commit that calls them: nothing to pin. */
const isLocal = (uses: string): boolean => uses.startsWith("./");
const SHA_PINNED = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const DIGEST_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
const RELEASE_TAG = /^v\d+\.\d+\.\d+$/;
/** A `uses:` line as written: its value (quotes stripped) and the trailing comment. YAML parsers drop comments. */
const USES_LINE = /^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)["']?\s*(?:#\s*(.*?))?\s*$/;

/** The release tag in the comment of every line that writes `uses: <value>`; none when no line does. */
function tagComments(text: string, uses: string): (string | undefined)[] {
    return text
        .split("\n")
        .map((line) => USES_LINE.exec(line))
        .filter((m): m is RegExpExecArray => m !== null && m[1] === uses)
        .map((m) => m[2]);
}

/** Remote actions and reusable workflows not pinned to a full commit SHA with their release tag in a comment. */
function unpinnedActions(workflow: Workflow): string[] {
    return usesOf(workflow)
        .filter(({ uses }) => !isLocal(uses) && !DIGEST_PINNED.test(uses))
        .flatMap(({ where, uses }) => {
            if (!SHA_PINNED.test(uses)) return [`${where}: ${uses} is not pinned to a full 40-hex commit SHA`];
            const comments = tagComments(workflow.text, uses);
            if (comments.length === 0) return [`${where}: ${uses} is not written as \`uses: ${uses} # vX.Y.Z\` on one line`];
            return comments.filter((c) => c === undefined || !RELEASE_TAG.test(c)).map((c) => `${where}: ${uses} has ${c === undefined ? "no comment" : `comment "${c}"`}, not its release tag (# vX.Y.Z)`);
        });
}

/** Run scripts that expand an expression into the script text, where a value can become shell code. */
function expressionsInScripts(workflow: Workflow): string[] {
    return stepsOf(workflow)
        .filter(({ step }) => step.run !== undefined && String(step.run).includes("${{"))
        .map(({ where, step }) => `${where}: \`${String(step.run).trim()}\` expands \${{ }} inside the script; pass the value through env:`);
}

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
/** `curl ... | sh` and the like: an installer fetched and run; pinned only with `--version X.Y.Z` after the shell. */
const PIPED_INSTALLER = /\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b([^\n]*)/g;
const GLOBAL_NPM_INSTALL = /\bnpm\s+(?:install|i|add)\s+(?:-g|--global)\s+([^\n;&|]+)/g;

/** Tools a workflow installs at no exact version: the Pulumi CLI (through pulumi/actions or an installer), global npm packages. */
function unpinnedInstalls(workflow: Workflow, pulumiCliVersion: string): string[] {
    return stepsOf(workflow).flatMap(({ where, step }) => {
        const problems: string[] = [];
        if (step.uses?.startsWith("pulumi/actions@")) {
            const version = step.with?.["pulumi-version"];
            if (version !== pulumiCliVersion) problems.push(`${where}: pulumi/actions installs Pulumi CLI ${version === undefined ? "^3 (its default)" : JSON.stringify(version)}, not ${pulumiCliVersion}`);
        }
        const script = String(step.run ?? "");
        for (const [installer, after] of script.matchAll(PIPED_INSTALLER)) {
            const version = /--version\s+(\S+)/.exec(after)?.[1];
            if (version === undefined || !EXACT_VERSION.test(version)) problems.push(`${where}: \`${installer.trim()}\` installs whatever version is current`);
        }
        for (const [install, packages] of script.matchAll(GLOBAL_NPM_INSTALL)) {
            const loose = packages.trim().split(/\s+/).filter((p) => !p.startsWith("-") && !/^(@[^/@\s]+\/)?[^@\s]+@\d+\.\d+\.\d+$/.test(p));
            if (loose.length > 0) problems.push(`${where}: \`${install.trim()}\` installs ${loose.join(", ")} at no exact version`);
        }
        return problems;
    });
}

/** The Pulumi CLI the workflows install: the release of the @pulumi/pulumi SDK package.json pins (one pulumi/pulumi tag). */
const pulumiSdkVersion: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];

/** A one-job workflow of the given steps, written as YAML text the way a workflow file is. */
const inline = (steps: string): Workflow => parseWorkflow("inline.yml", `on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`);
const SHA = "d23441a48e516b6c34aea4fa41551a30e30af803";

describe("workflow checker (on small inline workflows, so the checks below cannot pass vacuously)", () => {
    it("rejects an action by tag, by branch, by short SHA, a remote reusable workflow by tag, and a SHA pin without its release tag", () => {
        expect(unpinnedActions(inline("      - uses: actions/checkout@v6\n"))).to.deep.equal(["inline.yml: job job, step 1 (actions/checkout@v6): actions/checkout@v6 is not pinned to a full 40-hex commit SHA"]);
        expect(unpinnedActions(inline("      - uses: actions/checkout@main\n"))).to.have.length(1);
        expect(unpinnedActions(inline(`      - uses: actions/checkout@${SHA.slice(0, 7)} # v6.1.0\n`))).to.have.length(1);
        const reusable = parseWorkflow("caller.yml", "on: push\njobs:\n  call:\n    uses: octo-org/pipelines/.github/workflows/deploy.yml@v1\n");
        expect(unpinnedActions(reusable)).to.deep.equal(["caller.yml: job call: octo-org/pipelines/.github/workflows/deploy.yml@v1 is not pinned to a full 40-hex commit SHA"]);
        expect(unpinnedActions(inline(`      - uses: actions/checkout@${SHA}\n`))).to.deep.equal([`inline.yml: job job, step 1 (actions/checkout@${SHA}): actions/checkout@${SHA} has no comment, not its release tag (# vX.Y.Z)`]);
        expect(unpinnedActions(inline(`      - uses: actions/checkout@${SHA} # latest\n`))).to.have.length(1);
        expect(unpinnedActions(inline(`      - { uses: "actions/checkout@${SHA}" }\n`))).to.have.length(1);
    });

    it("accepts a full SHA with its release tag in the comment, quoted or not, a local workflow and a docker digest", () => {
        expect(unpinnedActions(inline(`      - uses: actions/checkout@${SHA} # v6.1.0\n      - name: setup\n        uses: "actions/setup-node@${SHA}"   #  v6.5.0\n`))).to.deep.equal([]);
        expect(unpinnedActions(parseWorkflow("caller.yml", "on: push\njobs:\n  call:\n    uses: ./.github/workflows/stacks.yml\n"))).to.deep.equal([]);
        expect(unpinnedActions(inline(`      - uses: docker://alpine@sha256:${"a".repeat(64)}\n`))).to.deep.equal([]);
    });

    it("rejects ${{ inputs.x }}, event data or a matrix value inside a run script; accepts them in env and with", () => {
        expect(expressionsInScripts(inline("      - run: npm run deploy -- up --stacks ${{ inputs.x }} --yes\n"))).to.deep.equal([
            "inline.yml: job job, step 1 (run): `npm run deploy -- up --stacks ${{ inputs.x }} --yes` expands ${{ }} inside the script; pass the value through env:",
        ]);
        expect(expressionsInScripts(inline('      - run: |\n          echo "${{ github.event.pull_request.title }}"\n'))).to.have.length(1);
        expect(expressionsInScripts(inline("      - run: echo ${{matrix.stack}}\n"))).to.have.length(1);
        const throughEnv = inline(`      - env:\n          X: \${{ inputs.x }}\n        run: npm run deploy -- up --stacks "$X" --yes\n      - uses: actions/checkout@${SHA} # v6.1.0\n        with:\n          ref: \${{ inputs.x }}\n`);
        expect(expressionsInScripts(throughEnv)).to.deep.equal([]);
    });

    it("rejects the Pulumi CLI at pulumi/actions' default or a range, an unversioned `curl | sh`, and a global npm package without a version", () => {
        const pulumiActions = (extra: string) => inline(`      - uses: pulumi/actions@${SHA} # v7.0.0\n${extra}`);
        expect(unpinnedInstalls(pulumiActions(""), "3.248.0")).to.deep.equal([`inline.yml: job job, step 1 (pulumi/actions@${SHA}): pulumi/actions installs Pulumi CLI ^3 (its default), not 3.248.0`]);
        expect(unpinnedInstalls(pulumiActions('        with:\n          pulumi-version: "^3"\n'), "3.248.0")).to.have.length(1);
        expect(unpinnedInstalls(pulumiActions('        with:\n          pulumi-version: "3.247.0"\n'), "3.248.0")).to.have.length(1);
        expect(unpinnedInstalls(inline("      - run: curl -fsSL https://get.pulumi.com | sh\n"), "3.248.0")).to.deep.equal(["inline.yml: job job, step 1 (run): `curl -fsSL https://get.pulumi.com | sh` installs whatever version is current"]);
        expect(unpinnedInstalls(inline("      - run: curl -fsSL https://get.pulumi.com | sh -s -- --version latest\n"), "3.248.0")).to.have.length(1);
        expect(unpinnedInstalls(inline("      - run: npm install -g @pulumi/pulumi typescript@5.9.3\n"), "3.248.0")).to.deep.equal(["inline.yml: job job, step 1 (run): `npm install -g @pulumi/pulumi typescript@5.9.3` installs @pulumi/pulumi at no exact version"]);
    });

    it("accepts the Pulumi CLI at the exact version, from pulumi/actions or get.pulumi.com's installer, and exact global npm packages", () => {
        expect(unpinnedInstalls(inline(`      - uses: pulumi/actions@${SHA} # v7.0.0\n        with:\n          pulumi-version: "3.248.0"\n`), "3.248.0")).to.deep.equal([]);
        expect(unpinnedInstalls(inline("      - run: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0\n"), "3.248.0")).to.deep.equal([]);
        expect(unpinnedInstalls(inline("      - run: npm i -g @pulumi/pulumi@3.248.0\n"), "3.248.0")).to.deep.equal([]);
    });
});

describe("the repository's workflows", () => {
    const workflows = workflowFiles.map(readWorkflow);
    const remote = workflows.flatMap(usesOf).filter(({ uses }) => !isLocal(uses));

    it("pin every remote action to a full commit SHA with its release tag in a comment", () => {
        expect(remote.length, "remote actions in .github/workflows").to.be.greaterThan(0);
        for (const workflow of workflows) expect(unpinnedActions(workflow), workflow.file).to.deep.equal([]);
    });

    it("pin each action to one commit and one tag everywhere, so no workflow runs an older or different copy", () => {
        const pins = new Map<string, Set<string>>();
        for (const workflow of workflows) {
            for (const { uses } of usesOf(workflow).filter((u) => !isLocal(u.uses))) {
                const action = uses.slice(0, uses.lastIndexOf("@"));
                const pin = `${uses} # ${tagComments(workflow.text, uses).join(", ")}`;
                pins.set(action, (pins.get(action) ?? new Set()).add(pin));
            }
        }
        for (const [action, pinned] of pins) expect([...pinned], action).to.have.length(1);
    });

    it("expand no ${{ }} inside any run script: inputs, matrix values and event data reach scripts through env", () => {
        expect(workflows.flatMap(stepsOf).filter(({ step }) => step.run !== undefined).length, "run steps").to.be.greaterThan(0);
        for (const workflow of workflows) expect(expressionsInScripts(workflow), workflow.file).to.deep.equal([]);
    });

    it("deploy-stack passes the stack it deploys to npm run deploy through env, quoted", () => {
        const deploy = stepsOf(readWorkflow("deploy-stack.yml")).map(({ step }) => step).find((s) => String(s.run ?? "").includes("npm run deploy -- up"))!;
        const variable = /--stacks "\$(\w+)"/.exec(String(deploy.run))?.[1];
        expect(variable, String(deploy.run)).to.be.a("string");
        expect(deploy.env?.[variable!]).to.equal("${{ inputs.stack }}");
    });

    it("install every tool at an exact version: the Pulumi CLI at the release of the SDK package.json pins", () => {
        expect(pulumiSdkVersion).to.match(EXACT_VERSION);
        const cliInstalls = workflows.flatMap(stepsOf).filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
        expect(cliInstalls.length, "steps that install the Pulumi CLI").to.be.greaterThan(0);
        for (const workflow of workflows) expect(unpinnedInstalls(workflow, pulumiSdkVersion), workflow.file).to.deep.equal([]);
    });

    it("install the Pulumi CLI in every job that runs it outside pulumi/actions (npm run deploy, stacks --json with created accounts)", () => {
        for (const workflow of workflows) {
            for (const [job, { steps }] of Object.entries(workflow.jobs)) {
                const runsDeploy = (steps ?? []).some((s) => /\bnpm run (-s )?deploy\b/.test(String(s.run ?? "")));
                if (!runsDeploy) continue;
                const install = (steps ?? []).findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === undefined);
                const firstDeploy = (steps ?? []).findIndex((s) => /\bnpm run (-s )?deploy\b/.test(String(s.run ?? "")));
                expect(install, `${workflow.file}: job ${job} installs the Pulumi CLI before npm run deploy`).to.be.within(0, firstDeploy - 1);
            }
        }
    });
});

// ---- Pulumi Cloud tokens, environments and the policy pack (issue 26 items 2 and 4, issue 24 item 5) ----

const ORGANIZATION_TOKEN = "urn:pulumi:token-type:access_token:organization";
const TEAM_TOKEN = "urn:pulumi:token-type:access_token:team";
const PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target"];

/** The jobs a workflow runs, with the jobs of the local reusable workflows it calls (`uses: ./.github/workflows/x.yml`), recursively. */
function jobsRun(workflow: Workflow, read: (file: string) => Workflow, seen = new Set<string>()): { where: string; job: Job }[] {
    if (seen.has(workflow.file)) return [];
    seen.add(workflow.file);
    return Object.entries(workflow.jobs).flatMap(([name, job]) => {
        const where = `${workflow.file}: job ${name}`;
        if (job.uses !== undefined && isLocal(job.uses)) return [{ where, job }, ...jobsRun(read(path.basename(job.uses)), read, seen).map((j) => ({ ...j, where: `${where} -> ${j.where}` }))];
        return [{ where, job }];
    });
}

/** pulumi/auth-actions steps that ask for an organization token, or for a team token without naming the team. */
function tokenProblems(where: string, job: Job): string[] {
    return (job.steps ?? [])
        .filter((step) => step.uses?.startsWith("pulumi/auth-actions@"))
        .flatMap((step) => {
            const type = step.with?.["requested-token-type"];
            if (type === ORGANIZATION_TOKEN) return [`${where}: requests an organization token`];
            if (type !== TEAM_TOKEN) return [`${where}: requests ${type === undefined ? "no token type" : String(type)}, not a team token`];
            return String(step.with?.scope ?? "").startsWith("team:") ? [] : [`${where}: requests a team token without scope team:<name>`];
        });
}

/** Problems of every job a pull request starts, through called workflows too: each Pulumi login asks for a named team's token. */
function pullRequestTokenProblems(workflow: Workflow, read: (file: string) => Workflow): string[] {
    if (!workflow.events.some((e) => PULL_REQUEST_EVENTS.includes(e))) return [];
    return jobsRun(workflow, read).flatMap(({ where, job }) => tokenProblems(where, job));
}

const DEPLOYS = /\b(?:npm run (?:-s )?deploy -- (?:up|destroy|refresh)|pulumi (?:up|destroy|refresh))\b/;
/** Jobs that change a stack (npm run deploy -- up/destroy/refresh, pulumi up/...) outside a GitHub environment. */
function deploysOutsideEnvironment(workflow: Workflow): string[] {
    return Object.entries(workflow.jobs)
        .filter(([, job]) => (job.steps ?? []).some((s) => DEPLOYS.test(String(s.run ?? "")) || (s.uses?.startsWith("pulumi/actions@") && ["up", "destroy", "refresh"].includes(String(s.with?.command)))))
        .filter(([, job]) => job.environment === undefined || job.environment === "")
        .map(([name]) => `${workflow.file}: job ${name} deploys outside a GitHub environment`);
}

describe("workflow checker: Pulumi tokens and environments (on small inline workflows)", () => {
    const files = (texts: Record<string, string>) => {
        const parsed = Object.fromEntries(Object.entries(texts).map(([f, t]) => [f, parseWorkflow(f, t)]));
        return { parsed, read: (f: string) => parsed[f] };
    };
    const login = (type: string, scope = "") => `      - uses: pulumi/auth-actions@${SHA} # v2.1.0\n        with:\n          organization: o\n          requested-token-type: ${type}\n${scope ? `          scope: ${scope}\n` : ""}`;

    it("flags an organization token in a pull_request job, in a reusable workflow it calls, and a team token with no team", () => {
        const { parsed, read } = files({
            "pr.yml": `on: pull_request\njobs:\n  direct:\n    runs-on: ubuntu-latest\n    steps:\n${login(ORGANIZATION_TOKEN)}  called:\n    uses: ./.github/workflows/called.yml\n`,
            "called.yml": `on: workflow_call\njobs:\n  inner:\n    runs-on: ubuntu-latest\n    steps:\n${login(ORGANIZATION_TOKEN)}`,
            "noscope.yml": `on: [pull_request_target]\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${login(TEAM_TOKEN)}`,
        });
        expect(pullRequestTokenProblems(parsed["pr.yml"], read)).to.deep.equal(["pr.yml: job direct: requests an organization token", "pr.yml: job called -> called.yml: job inner: requests an organization token"]);
        expect(pullRequestTokenProblems(parsed["noscope.yml"], read)).to.deep.equal(["noscope.yml: job j: requests a team token without scope team:<name>"]);
    });

    it("accepts a named team's token on pull_request, and leaves workflows no pull request starts to the deploy checks", () => {
        const { parsed, read } = files({
            "pr.yml": `on:\n  pull_request:\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${login(TEAM_TOKEN, "team:${{ matrix.previewTeam }}")}`,
            "push.yml": `on:\n  push:\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${login(ORGANIZATION_TOKEN)}`,
        });
        expect(pullRequestTokenProblems(parsed["pr.yml"], read)).to.deep.equal([]);
        expect(pullRequestTokenProblems(parsed["push.yml"], read)).to.deep.equal([]);
    });

    it("flags a job that deploys outside an environment, by npm run deploy or pulumi/actions", () => {
        expect(deploysOutsideEnvironment(inline('      - run: npm run deploy -- up --stacks "$S" --yes\n'))).to.deep.equal(["inline.yml: job job deploys outside a GitHub environment"]);
        expect(deploysOutsideEnvironment(inline(`      - uses: pulumi/actions@${SHA} # v7.0.0\n        with:\n          command: up\n`))).to.have.length(1);
        expect(deploysOutsideEnvironment(inline("      - run: npm run -s deploy -- stacks --json\n"))).to.deep.equal([]);
        const inEnvironment = parseWorkflow("e.yml", 'on: push\njobs:\n  job:\n    environment: ${{ inputs.stack }}\n    steps:\n      - run: npm run deploy -- up --stacks "$S" --yes\n');
        expect(deploysOutsideEnvironment(inEnvironment)).to.deep.equal([]);
    });
});

describe("the repository's workflows: Pulumi tokens, environments and the policy pack", () => {
    const workflows = workflowFiles.map(readWorkflow);
    const read = (file: string) => readWorkflow(file);

    it("no job a pull request starts, its called workflows' included, requests an organization token: each asks for a named team's", () => {
        const pullRequestWorkflows = workflows.filter((w) => w.events.some((e) => PULL_REQUEST_EVENTS.includes(e)));
        const logins = pullRequestWorkflows.flatMap((w) => jobsRun(w, read)).filter(({ job }) => (job.steps ?? []).some((s) => s.uses?.startsWith("pulumi/auth-actions@")));
        expect(logins.length, "Pulumi logins in jobs a pull request starts").to.be.greaterThan(0);
        for (const workflow of workflows) expect(pullRequestTokenProblems(workflow, read), workflow.file).to.deep.equal([]);
    });

    it("no workflow requests an organization token at all: the deploy job asks for the deploy team it is given", () => {
        expect(workflows.filter((w) => w.text.includes(ORGANIZATION_TOKEN)).map((w) => w.file)).to.deep.equal([]);
        const login = stepsOf(readWorkflow("deploy-stack.yml")).find(({ step }) => step.uses?.startsWith("pulumi/auth-actions@"))!.step;
        expect(login.with).to.deep.include({ "requested-token-type": TEAM_TOKEN, scope: "team:${{ inputs.team }}" });
    });

    it("every job that deploys runs in a GitHub environment, the one named after the stack", () => {
        for (const workflow of workflows) expect(deploysOutsideEnvironment(workflow), workflow.file).to.deep.equal([]);
        expect(readWorkflow("deploy-stack.yml").jobs.up.environment).to.equal("${{ inputs.stack }}");
    });

    it("the merge deploy applies the policy pack the previews apply, installed first", () => {
        const doc = (file: string) => yaml.load(readWorkflow(file).text) as { env?: Record<string, string> };
        const pack = doc("preview.yml").env?.POLICY_PACK;
        expect(pack, "preview.yml's POLICY_PACK").to.be.a("string");
        expect(doc("deploy-stack.yml").env?.POLICY_PACK).to.equal(pack);
        const steps = stepsOf(readWorkflow("deploy-stack.yml")).map(({ step }) => String(step.run ?? ""));
        const up = steps.findIndex((r) => r.includes("npm run deploy -- up"));
        expect(steps[up]).to.match(/--policy-pack "\$POLICY_PACK"/);
        expect(steps.findIndex((r) => /cd "\$POLICY_PACK" && npm ci/.test(r))).to.be.within(0, up - 1);
    });
});
