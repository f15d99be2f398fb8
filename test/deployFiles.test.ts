// The shipped CI and deployment files parse and say what the program and the stack graph say: every stack
// previewed on pull requests with the policy pack, `up` on main in the graph's waves, Pulumi Deployments
// settings per stack, and every role they assume is the deployer role the program creates in that account.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { deployWaves } from "../src/stackGraph";
import { configValue, project, repoRoot, SHIPPED_STACKS, shippedStack } from "./harness";

const load = (file: string): any => yaml.load(fs.readFileSync(path.join(repoRoot, file), "utf8"));
const workflow = (name: string): any => load(`.github/workflows/${name}`);
const deployerArn = async (stack: string): Promise<string> => String((await shippedStack(stack)).outputs.deployerRoleArn);
const stages = Object.keys(configValue<Record<string, string>>("root", "refarch:accounts"));
const steps = (job: any): any[] => job.steps ?? [];
const runs = (job: any): string[] => steps(job).filter((s) => s.run).map((s) => String(s.run).trim());

/** The waves a workflow's jobs run in, from their needs: (each job after everything it needs). */
function wavesOfNeeds(jobs: Record<string, { needs?: string[] }>): string[][] {
    const waves: string[][] = [];
    const placed = new Set<string>();
    while (placed.size < Object.keys(jobs).length) {
        const wave = Object.keys(jobs).filter((j) => !placed.has(j) && (jobs[j].needs ?? []).every((n) => placed.has(n)));
        if (wave.length === 0) throw new Error("needs: form a cycle");
        wave.forEach((j) => placed.add(j));
        waves.push(wave);
    }
    return waves;
}

/** Secrets a workflow reads other than GitHub's own short-lived token: long-lived keys would show up here. */
const secretsUsed = (file: string): string[] =>
    [...fs.readFileSync(path.join(repoRoot, ".github/workflows", file), "utf8").matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).filter((s) => s !== "GITHUB_TOKEN");

describe("CI workflow", () => {
    it("runs README's test command (npm ci, npm test) on every pull request", () => {
        const ci = workflow("ci.yml");
        expect(ci.on).to.have.property("pull_request");
        expect(runs(ci.jobs.test)).to.deep.equal(["npm ci", "npm test"]);
        expect(steps(ci.jobs.test).find((s) => s.uses?.startsWith("actions/setup-node"))?.with["node-version"]).to.equal(20);
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        expect(readme).to.include("npm ci\nnpm test");
    });
});

describe("preview workflow", () => {
    const preview = workflow("preview.yml");
    const job = preview.jobs.preview;

    it("previews every stack on pull requests, with the policy pack, commenting on the pull request", () => {
        expect(Object.keys(preview.on)).to.deep.equal(["pull_request"]);
        expect(job.strategy.matrix.include.map((e: any) => e.stack)).to.have.members(SHIPPED_STACKS);
        const action = steps(job).find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(action.with).to.deep.include({ command: "preview", "comment-on-pr": true, "stack-name": "${{ env.PULUMI_ORG }}/${{ matrix.stack }}", policyPacks: "${{ steps.pack.outputs.path }}" });
        expect(steps(job).find((s) => s.id === "pack").run).to.include("PulumiPolicy.yaml");
        expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("uses OIDC for Pulumi Cloud and assumes exactly the deployer role the program creates in each account; no long-lived keys", async () => {
        expect(steps(job).find((s) => s.uses?.startsWith("pulumi/auth-actions@"))?.with["requested-token-type"]).to.equal("urn:pulumi:token-type:access_token:organization");
        const aws = steps(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(aws.with["role-to-assume"]).to.equal("${{ matrix.role }}");
        expect(Object.keys(aws.with)).not.to.include.members(["aws-access-key-id", "aws-secret-access-key"]);
        for (const { stack, role } of job.strategy.matrix.include) expect(role, stack).to.equal(await deployerArn(stack));
        expect(secretsUsed("preview.yml")).to.deep.equal([]);
    });
});

describe("deploy workflow", () => {
    const deploy = workflow("deploy.yml");
    const stackJob = workflow("deploy-stack.yml").jobs.up;

    it("runs on main, one job per stack, chained with needs: in the stack graph's waves", () => {
        expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
        expect(Object.keys(deploy.jobs)).to.have.members(SHIPPED_STACKS);
        expect(wavesOfNeeds(deploy.jobs).map((w) => [...w].sort())).to.deep.equal(deployWaves(stages).map((w) => [...w].sort()));
        expect(deploy.concurrency["cancel-in-progress"]).to.equal(false);
    });

    it("each job deploys its own stack with npm run deploy, in the GitHub environment named after it, as that account's deployer", async () => {
        for (const [stack, job] of Object.entries<any>(deploy.jobs)) {
            expect(job.uses, stack).to.equal("./.github/workflows/deploy-stack.yml");
            expect(job.with, stack).to.deep.equal({ stack, role: await deployerArn(stack) });
        }
        expect(stackJob.environment).to.equal("${{ inputs.stack }}");
        expect(runs(stackJob)).to.include("npm run deploy -- up --stacks ${{ inputs.stack }} --yes");
        expect(steps(stackJob).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")).with["role-to-assume"]).to.equal("${{ inputs.role }}");
        expect(deploy.permissions["id-token"]).to.equal("write");
        expect([...secretsUsed("deploy.yml"), ...secretsUsed("deploy-stack.yml")]).to.deep.equal([]);
    });

    it("the GitHub environment a job runs in is one the deployer role trusts", async () => {
        for (const stack of SHIPPED_STACKS) {
            const role = (await shippedStack(stack)).resources.find((r) => r.name === "deployer-role")!;
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
            const github = trust.Statement.find((s: any) => s.Sid === "GitHubActionsOfThisRepository");
            expect(github.Condition.StringEquals["token.actions.githubusercontent.com:sub"], stack).to.include(`repo:acme/refarch:environment:${stack}`);
        }
    });
});

describe("Pulumi Deployments settings", () => {
    const settings = (stack: string): any => load(`Pulumi.${stack}.deploy.yaml`).settings;

    it("every stack has Pulumi.<stack>.deploy.yaml, which the program's config reader skips", () => {
        for (const stack of SHIPPED_STACKS) expect(fs.existsSync(path.join(repoRoot, `Pulumi.${stack}.deploy.yaml`)), stack).to.equal(true);
        expect(Object.keys(project.stackConfigs)).to.have.members(SHIPPED_STACKS);
    });

    it("previews pull requests on every stack; deploys commits only on dev and testing; testing is the review-stack template", () => {
        for (const stack of SHIPPED_STACKS) {
            const gitHub = settings(stack).gitHub;
            expect(gitHub.repository, stack).to.equal(configValue<{ githubRepository: string }>(stack, "refarch:deployer").githubRepository);
            expect(gitHub.previewPullRequests, stack).to.equal(true);
            expect(gitHub.deployCommits, stack).to.equal(["dev", "testing"].includes(stack));
            expect(gitHub.pullRequestTemplate, stack).to.equal(stack === "testing");
            expect(settings(stack).operationContext.options.deleteAfterDestroy, stack).to.equal(stack === "testing");
        }
    });

    it("each stack's deployments assume that account's deployer role, which trusts exactly that stack (and, in testing, review stacks)", async () => {
        for (const stack of SHIPPED_STACKS) {
            expect(settings(stack).operationContext.oidc.aws.roleArn, stack).to.equal(await deployerArn(stack));
            const role = (await shippedStack(stack)).resources.find((r) => r.name === "deployer-role")!;
            const pulumiTrust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
            const subjects: string[] = pulumiTrust.Condition.StringLike["api.pulumi.com/oidc:sub"];
            expect(subjects.some((s) => s.includes(`:stack:${stack}:`)), stack).to.equal(true);
        }
    });

    it("Pulumi.testing.yaml names its stage, so review stacks made from it deploy stage testing", () => {
        expect(project.stackConfigs.testing["refarch:stage"]).to.equal("testing");
    });
});
