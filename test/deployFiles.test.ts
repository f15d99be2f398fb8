// The shipped CI workflows parse and say what the program and the stack graph say: every stack previewed on pull
// requests with the policy pack as its account's previewer, `up` on main in the graph's waves as its deployer, and
// every stack, wave and role taken from `npm run -s deploy -- stacks --json`, never written in a workflow.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { answerWithoutSdk } from "../src/deploy/bin";
import { describeStacks, MAX_DEPLOY_WAVES } from "../src/deploy/stacks";
import { ProjectFilesError, readProject } from "../src/offline/engine";
import { org, orSkip, repoRoot } from "./harness";

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
    it("runs README's test command (npm ci, npm test) on every pull request, then the suite on other organizations as .ci/run does", () => {
        const ci = workflow("ci.yml");
        expect(ci.on).to.have.property("pull_request");
        const others = ["npm run --silent test:fixtures", "npm run --silent test:customized"];
        expect(runs(ci.jobs.test)).to.deep.equal(["npm ci", "npm test", ...others]);
        const local = fs.readFileSync(path.join(repoRoot, ".ci/run"), "utf8");
        for (const command of others) expect(local).to.include(command);
        expect(steps(ci.jobs.test).find((s) => s.uses?.startsWith("actions/setup-node"))?.with["node-version"]).to.equal(20);
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        expect(readme).to.include("npm ci\nnpm test");
    });
});

describe("stacks --json (what the workflows read)", () => {
    // The workflows run it in the repository, on the repository's project: that run is checked as is, through the
    // entry's own answer (test/deploy.test.ts runs the entry itself through npm, as a process).
    it("prints, without a Pulumi CLI, what it describes for the repository's project", () => {
        const run = answerWithoutSdk(["stacks", "--json"], repoRoot, "/nonexistent")!;
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.deep.equal(describeStacks(readProject(repoRoot)));
    });

    it("describes every stage's stack in the stack graph's waves with the roles the program creates in its account", async () => {
        const described = describeStacks(project);
        expect(described.waves.map((w) => w.map((e) => e.stack)).filter((w) => w.length > 0)).to.deep.equal(org.waves);
        expect(described.waves).to.have.length(MAX_DEPLOY_WAVES);
        expect(described.stacks.map((e) => e.stack)).to.have.members(org.stacks);
        for (const entry of described.stacks) {
            const outputs = (await org.evaluation(entry.stack)).outputs;
            expect(entry.deployerRoleArn, entry.stack).to.equal(outputs.deployerRoleArn);
            expect(entry.previewerRoleArn, entry.stack).to.equal(outputs.previewerRoleArn);
            expect(entry.region, entry.stack).to.equal(org.regionOf(entry.stack));
        }
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
        const used = workflowFiles.flatMap((f) => [...workflowText(f).matchAll(/uses: ([\w-]+\/[\w-]+)@(\S+)/g)].map((m) => [m[1], m[2]]));
        expect(used.length).to.be.greaterThan(0);
        for (const [action, version] of used) expect(version, action).to.equal(current[action]);
    });
});

describe("preview workflow", () => {
    const preview = workflow("preview.yml");
    const job = preview.jobs.preview;

    it("previews every stack from stacks --json on pull requests, with the policy pack, commenting on the pull request", () => {
        expect(Object.keys(preview.on)).to.deep.equal(["pull_request"]);
        expect(preview.jobs.stacks.uses).to.equal("./.github/workflows/stacks.yml");
        expect(job.needs).to.deep.equal(["stacks"]);
        expect(job.strategy.matrix.include).to.equal("${{ fromJSON(needs.stacks.outputs.json).stacks }}");
        const action = steps(job).find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(action.with).to.deep.include({ command: "preview", "comment-on-pr": true, "stack-name": "${{ env.PULUMI_ORG }}/${{ matrix.stack }}", policyPacks: "${{ steps.pack.outputs.path }}" });
        expect(steps(job).find((s) => s.id === "pack").run).to.include("PulumiPolicy.yaml");
        expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("assumes each account's previewer (never the deployer) in the stack's region; Pulumi Cloud through OIDC; no long-lived keys", () => {
        expect(steps(job).find((s) => s.uses?.startsWith("pulumi/auth-actions@"))?.with["requested-token-type"]).to.equal("urn:pulumi:token-type:access_token:organization");
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
        expect(runs(stacks.jobs.stacks)).to.include(`echo "json=$(npm run -s deploy -- stacks --json)" >> "$GITHUB_OUTPUT"`);
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
            expect(job.with, name).to.deep.equal({ stack: "${{ matrix.stack }}", role: "${{ matrix.deployerRoleArn }}", region: "${{ matrix.region }}" });
        });
        expect(deploy.concurrency["cancel-in-progress"]).to.equal(false);
    });

    it("each stack deploys with npm run deploy, in the GitHub environment named after it, as that account's deployer", () => {
        expect(stackJob.environment).to.equal("${{ inputs.stack }}");
        expect(runs(stackJob)).to.include("npm run deploy -- up --stacks ${{ inputs.stack }} --yes");
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
        orSkip(this, org.has("testing"), "no testing stage");
        expect(project.stackConfigs.testing["refarch:stage"]).to.equal("testing");
    });
});
