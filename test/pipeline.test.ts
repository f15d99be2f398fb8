// One pipeline per stack: for every stage's stack exactly one mechanism previews it on a pull request and exactly
// one deploys it on a merge, the ones the pipeline decided from config (pipelineOf), and a protected stage deploys
// only behind its GitHub environment's approval. What each mechanism does is read from what ships: the
// DeploymentSettings resources the stacks create (Pulumi Deployments) and the workflow files (GitHub Actions), with
// their matrices resolved against `stacks --json`. Any overlap (two previews, two deploys) or gap fails.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { pipelineOf, settingsRoleOf, StackDeploymentSettings, StackPipeline } from "../src/components/deploymentSettings";
import { previewOf } from "../src/components/pulumiCloudAccess";
import { previewEnvironment } from "../src/policies";
import { TESTING_STAGE } from "../src/config";
import { describeStacks, StacksDocument } from "../src/deploy/stacks";
import { evaluateProject } from "../src/offline/engine";
import { stacksInDeployOrder } from "../src/project";
import { configOf as configIn, created, meeting, NEEDS, ofType, org as underTest, repoRoot, single, succeeded } from "./harness";

// The organization under test, or a variant of it whose deployer names a GitHub repository.
const org = meeting([NEEDS.repository], underTest);

const project = org.project;

type Mechanism = "github-workflow" | "pulumi-deployments";
/** One thing that runs on a trigger: a preview on a pull request, or an `up` on a merge. */
interface Run {
    stack: string;
    trigger: "pull-request" | "merge";
    mechanism: Mechanism;
    /** Where it runs: the GitHub environment (approval), or Pulumi Deployments (none). */
    environment?: string;
    /** For review stacks only: the stack is the template Pulumi Deployments copies. */
    reviewTemplate?: boolean;
}

/** Every stack of the project, the org stack included. */
const projectStacks = Object.keys(project.stackConfigs);
const configOf = (stack: string) => configIn(org, stack);

/** The pipeline as config decides it. */
const expected = (): StackPipeline[] => pipelineOf(projectStacks.map((stack) => ({ stage: configOf(stack).stage, protect: configOf(stack).protect })), TESTING_STAGE);

/** What Pulumi Deployments will run, from each stack's DeploymentSettings resource. */
async function deploymentsRuns(): Promise<Run[]> {
    const runs: Run[] = [];
    for (const stack of projectStacks) {
        for (const settings of ofType(await org.evaluation(stack), "pulumiservice:index:DeploymentSettings")) {
            const github = settings.inputs.github as { previewPullRequests?: boolean; deployCommits?: boolean; pullRequestTemplate?: boolean };
            const target = String(settings.inputs.stack);
            if (github.previewPullRequests) runs.push({ stack: target, trigger: "pull-request", mechanism: "pulumi-deployments" });
            if (github.deployCommits) runs.push({ stack: target, trigger: "merge", mechanism: "pulumi-deployments" });
            if (github.pullRequestTemplate) runs.push({ stack: target, trigger: "pull-request", mechanism: "pulumi-deployments", reviewTemplate: true });
        }
    }
    return runs;
}

/** The stacks a matrix expression `${{ fromJSON(needs.stacks.outputs.json).<path> }}` expands to. */
function matrixStacks(include: unknown, stacks: StacksDocument): string[] {
    const match = /^\$\{\{ fromJSON\(needs\.stacks\.outputs\.json\)\.(stacks|waves\[(\d+)\]|previews\.(open|reviewed)) \}\}$/.exec(String(include));
    if (!match) throw new Error(`matrix include ${JSON.stringify(include)} is not read from stacks --json`);
    const entries = match[3] !== undefined ? stacks.previews[match[3] as "open" | "reviewed"] : match[2] === undefined ? stacks.stacks : stacks.waves[Number(match[2])];
    return entries.map((e) => e.stack);
}

/** What GitHub Actions will run, from every workflow file: each pulumi preview/up step, per stack of its matrix. */
function workflowRuns(files: Record<string, any>, stacks: StacksDocument): Run[] {
    const runs: Run[] = [];
    for (const workflow of Object.values(files)) {
        if (workflow.on?.workflow_call) continue; // reached through the workflows that call it
        const trigger = workflow.on?.pull_request !== undefined ? "pull-request" : workflow.on?.push ? "merge" : undefined;
        if (!trigger) continue;
        for (const job of Object.values<any>(workflow.jobs)) {
            const called = job.uses?.startsWith("./.github/workflows/") ? files[path.basename(job.uses)] : undefined;
            if (called && Object.values<any>(called.jobs).every((j) => !(j.steps ?? []).some(pulumiStep))) continue;
            const steps: any[] = called ? Object.values<any>(called.jobs).flatMap((j) => j.steps ?? []) : (job.steps ?? []);
            if (!steps.some(pulumiStep)) continue;
            const environment = called ? Object.values<any>(called.jobs)[0].environment : job.environment;
            for (const stack of matrixStacks(job.strategy?.matrix?.include, stacks)) {
                const named = environment === "${{ inputs.stack }}" || environment === "${{ matrix.stack }}" ? stack : environment === "${{ matrix.previewEnvironment }}" ? previewEnvironment(stack) : environment;
                runs.push({ stack, trigger, mechanism: "github-workflow", environment: named });
            }
        }
    }
    return runs;
}

/** A step that runs a Pulumi operation on a stack; pulumi/actions without a command only installs the CLI (its README, "Installation Only"). */
const pulumiStep = (step: any): boolean => (String(step.uses ?? "").startsWith("pulumi/actions@") && step.with?.command !== undefined) || /npm run deploy -- (up|preview)/.test(String(step.run ?? ""));

/** How a pull request previews each stack, as refarch:pulumiCloud decides (previewOf): off ones have no pull-request run. */
const previewModes = (): Record<string, ReturnType<typeof previewOf>> =>
    Object.fromEntries(projectStacks.map((stack) => [stack, previewOf(configOf(stack).stage, configOf(stack).pulumiCloud.protectedPreviews)]));
/**
 * How many runs a stack's merge deploy has in the deploy workflow: one per wave that runs it (the org stack runs again
 * after audit, src/project/stackGraph.ts laterReads); one for every other trigger and mechanism.
 */
const wavesRunning = (stack: string): number => Math.max(1, stacksInDeployOrder(project).filter((wave) => wave.includes(stack)).length);
const count = (n: number) => (n === 1 ? "one" : String(n));

/** Every way the runs differ from the pipeline: overlaps, gaps, approvals missing, a wrong template. */
function pipelineProblems(pipeline: StackPipeline[], runs: Run[], previews = previewModes()): string[] {
    const problems: string[] = [];
    for (const stack of pipeline) {
        for (const [trigger, wanted] of [["pull-request", stack.pullRequestPreview], ["merge", stack.mergeDeploy]] as const) {
            const found = runs.filter((r) => r.stack === stack.stack && r.trigger === trigger && !r.reviewTemplate);
            if (trigger === "pull-request" && previews[stack.stack] === "off") {
                if (found.length > 0) problems.push(`${stack.stack}: ${found.length} pull-request runs, but its pull-request previews are off`);
                continue;
            }
            if (trigger === "pull-request" && previews[stack.stack] === "reviewed" && found.length === 1 && found[0].environment !== previewEnvironment(stack.stack)) {
                problems.push(`${stack.stack}: protected, but previewed outside its ${previewEnvironment(stack.stack)} environment`);
            }
            const want = trigger === "merge" && wanted === "github-workflow" ? wavesRunning(stack.stack) : 1;
            if (found.length !== want) problems.push(`${stack.stack}: ${found.length} ${trigger} runs (${found.map((r) => r.mechanism).join(", ") || "none"}); want exactly ${count(want)}, by ${wanted}`);
            else if (found[0].mechanism !== wanted) problems.push(`${stack.stack}: ${trigger} run by ${found[0].mechanism}; the pipeline says ${wanted}`);
            else if (trigger === "merge" && stack.approval && found[0].environment !== stack.stack) problems.push(`${stack.stack}: protected, but deployed outside its GitHub environment`);
        }
        const template = runs.some((r) => r.stack === stack.stack && r.reviewTemplate === true);
        if (template !== stack.reviewStackTemplate) problems.push(`${stack.stack}: review-stack template is ${template}; the pipeline says ${stack.reviewStackTemplate}`);
    }
    const unknown = runs.filter((r) => !pipeline.some((p) => p.stack === r.stack));
    for (const run of unknown) problems.push(`${run.stack}: run by ${run.mechanism} on ${run.trigger}, but it is no stage's stack`);
    return problems;
}

const shippedWorkflows = (): Record<string, any> =>
    Object.fromEntries(
        fs
            .readdirSync(path.join(repoRoot, ".github/workflows"))
            .filter((f) => f.endsWith(".yml"))
            .map((f) => [f, yaml.load(fs.readFileSync(path.join(repoRoot, ".github/workflows", f), "utf8"))]),
    );

describe("pipeline: one mechanism per stack and trigger", function () {
    // Without a repository there is nothing to deploy from: no Pulumi Deployments settings, no workflow the deployers trust.

    it("the shipped settings and workflows preview and deploy every stage's stack exactly once, as config decides; testing is the only review-stack template", async () => {
        const pipeline = expected();
        expect(pipeline.map((p) => p.stack)).to.have.members(projectStacks);
        const runs = [...(await deploymentsRuns()), ...workflowRuns(shippedWorkflows(), describeStacks(project, await org.createdAccountIds()))];
        expect(pipelineProblems(pipeline, runs)).to.deep.equal([]);
        // Protected stages (refarch:protect, or prod/audit/root by default) deploy behind their environment's approval.
        const protectedStacks = projectStacks.filter((s) => configOf(s).protect);
        expect(protectedStacks.length).to.be.greaterThan(0);
        for (const stack of protectedStacks) expect(pipeline.find((p) => p.stack === stack)!.approval, stack).to.equal(true);
    });

    it("every stage's stack has exactly one DeploymentSettings, with the repository and branch of config and OIDC to the account role settingsRoleOf picks", async () => {
        const repository = JSON.parse(project.projectConfig["refarch:deployer"]).githubRepository;
        for (const stack of projectStacks) {
            const evaluation = await org.evaluation(stack);
            const [settings, ...more] = ofType(evaluation, "pulumiservice:index:DeploymentSettings");
            expect(more, stack).to.deep.equal([]);
            expect(settings.inputs, stack).to.deep.include({ organization: org.organization, project: project.name, stack, sourceContext: { git: { branch: "refs/heads/main" } } });
            expect((settings.inputs.github as any).repository, stack).to.equal(repository);
            const [pipeline] = pipelineOf([{ stage: configOf(stack).stage, protect: org.kindOf(stack) === "organization" || configOf(stack).protect }], TESTING_STAGE);
            const role = (await org.evaluation(org.identityOf(stack))).outputs[`${settingsRoleOf(pipeline)}RoleArn`];
            expect((settings.inputs.operationContext as any).oidc.aws.roleARN, stack).to.equal(role);
            expect((settings.inputs.operationContext as any).options.deleteAfterDestroy, stack).to.equal(configOf(stack).stage === TESTING_STAGE);
            expect(evaluation.outputs.deploymentSettingsId, "Pulumi Cloud's id of the settings: the provider's import id").to.equal(`${org.organization}/${project.name}/${stack}`);
            expect(settings.protect, "protected with the stage").to.equal(configOf(stack).protect);
        }
    });

    it("refarch:deployments sets the branch, switches the settings off, and refuses a ref where a branch belongs", async () => {
        const stack = org.stageStacks[0];
        const release = succeeded(await org.evaluateWith(stack, { "refarch:deployments": JSON.stringify({ branch: "release" }) }));
        expect((ofType(release, "pulumiservice:index:DeploymentSettings")[0].inputs.sourceContext as any).git.branch).to.equal("refs/heads/release");
        const off = succeeded(await org.evaluateWith(stack, { "refarch:deployments": JSON.stringify({ enabled: false }) }));
        expect(ofType(off, "pulumiservice:index:DeploymentSettings")).to.deep.equal([]);
        const bad = await org.evaluateWith(stack, { "refarch:deployments": JSON.stringify({ branch: "refs/heads/main" }) });
        expect(created(bad)).to.deep.equal([]);
        expect(bad.error?.message).to.include(`Pulumi.yaml: refarch:deployments.branch: "refs/heads/main" must be a branch name, without refs/heads/`);
    });

    it("refarch:deployments of the wrong type or with a branch git would not name is refused, with the value to set", async () => {
        const stack = org.stageStacks[0];
        const refused = async (deployments: unknown) => (await org.evaluateWith(stack, { "refarch:deployments": JSON.stringify(deployments) })).error?.message;
        const fix = "Fix: in Pulumi.yaml, under config: refarch:deployments: value: set";
        expect(await refused({ enabled: "yes" })).to.include(`refarch:deployments.enabled: "yes" must be true or false. ${fix} enabled: true`);
        expect(await refused({ branch: 5 })).to.include(`refarch:deployments.branch: 5 must be a branch name. ${fix} branch: "main"`);
        expect(await refused({ branch: "main branch" })).to.include(`refarch:deployments.branch: "main branch" must be a branch name: letters, digits, '.', '_', '/' and '-'. ${fix} branch: "main"`);
        expect(await refused({ branch: "refs/heads/main" })).to.include(`refarch:deployments.branch: "refs/heads/main" must be a branch name, without refs/heads/. ${fix} branch: "main"`);
    });

    it("the settings follow the pipeline: Pulumi Deployments previews pull requests and deploys merges exactly where the pipeline gives it them", async () => {
        // The component on its own, in the first stack to deploy, with each mechanism in turn.
        const stack = org.waves[0][0];
        const settingsFor = async (preview: StackPipeline["pullRequestPreview"], merge: StackPipeline["mergeDeploy"]) => {
            const pipeline: StackPipeline = { stack, pullRequestPreview: preview, mergeDeploy: merge, approval: false, reviewStackTemplate: false };
            const roles = { deployer: "arn:aws:iam::111111111111:role/deployer", previewer: "arn:aws:iam::111111111111:role/previewer" };
            const program = () => {
                new StackDeploymentSettings("settings", { organization: org.organization, project: project.name, stack, repository: "acme/infrastructure", branch: "main", roles, pipeline });
                return {};
            };
            const [evaluation] = await evaluateProject(program, org.project, { stacks: [stack] });
            const settings = single(succeeded(evaluation), "pulumiservice:index:DeploymentSettings").inputs;
            return { ...(settings.github as Record<string, unknown>), roleARN: (settings.operationContext as { oidc: { aws: { roleARN: string } } }).oidc.aws.roleARN };
        };
        // One role per settings (settingsRoleOf): previews run as the previewer, deploys as the deployer.
        expect(await settingsFor("pulumi-deployments", "github-workflow")).to.deep.include({ previewPullRequests: true, deployCommits: false, roleARN: "arn:aws:iam::111111111111:role/previewer" });
        expect(await settingsFor("github-workflow", "pulumi-deployments")).to.deep.include({ previewPullRequests: false, deployCommits: true, roleARN: "arn:aws:iam::111111111111:role/deployer" });
        expect(await settingsFor("github-workflow", "github-workflow")).to.deep.include({ previewPullRequests: false, deployCommits: false });
    });

    it("fails on a crafted overlap: push-to-deploy switched on for a stack the deploy workflow also deploys", async () => {
        const runs = [...(await deploymentsRuns()), ...workflowRuns(shippedWorkflows(), describeStacks(project, await org.createdAccountIds()))];
        const crafted = [...runs, { stack: projectStacks[0], trigger: "merge", mechanism: "pulumi-deployments" } as Run];
        expect(pipelineProblems(expected(), crafted)).to.deep.equal([`${projectStacks[0]}: 2 merge runs (github-workflow, pulumi-deployments); want exactly one, by github-workflow`]);
    });

    it("fails on a crafted overlap in the workflows: a second workflow previewing every stack on pull requests", async () => {
        const workflows = shippedWorkflows();
        workflows["preview-again.yml"] = workflows["preview.yml"];
        const problems = pipelineProblems(expected(), [...(await deploymentsRuns()), ...workflowRuns(workflows, describeStacks(project, await org.createdAccountIds()))]);
        const previewed = projectStacks.filter((s) => previewModes()[s] !== "off");
        expect(previewed.length).to.be.greaterThan(0);
        expect(problems).to.have.length(previewed.length);
        for (const problem of problems) expect(problem).to.match(/: 2 pull-request runs \(github-workflow, github-workflow\)/);
    });

    it("fails on a gap: a wave job removed from the deploy workflow leaves its stacks undeployed", async () => {
        const workflows = shippedWorkflows();
        const deploy = JSON.parse(JSON.stringify(workflows["deploy.yml"]));
        delete deploy.jobs["wave-1"];
        workflows["deploy.yml"] = deploy;
        const firstWave = describeStacks(project, await org.createdAccountIds()).waves[0].map((e) => e.stack);
        const problems = pipelineProblems(expected(), [...(await deploymentsRuns()), ...workflowRuns(workflows, describeStacks(project, await org.createdAccountIds()))]);
        // One problem per stack of that wave, in the order of the pipeline (the project's stacks): a stack that runs again
        // in a later wave (org) is one run short.
        const left = (s: string) => wavesRunning(s) - 1;
        expect(problems).to.deep.equal(
            projectStacks.filter((s) => firstWave.includes(s)).map((s) => `${s}: ${left(s)} merge runs (${Array(left(s)).fill("github-workflow").join(", ") || "none"}); want exactly ${count(wavesRunning(s))}, by github-workflow`),
        );
    });

    it("previews no stack whose pull-request previews are off, and a reviewed one only in its preview environment", async () => {
        const stacks = describeStacks(project, await org.createdAccountIds());
        const runs = workflowRuns(shippedWorkflows(), stacks);
        const stack = projectStacks[0];
        const crafted: Run[] = [...runs.filter((r) => r.stack !== stack || r.trigger !== "pull-request"), { stack, trigger: "pull-request", mechanism: "github-workflow" }];
        const deployments = await deploymentsRuns();
        expect(pipelineProblems(expected(), [...deployments, ...crafted], { ...previewModes(), [stack]: "off" })).to.deep.equal([`${stack}: 1 pull-request runs, but its pull-request previews are off`]);
        expect(pipelineProblems(expected(), [...deployments, ...crafted], { ...previewModes(), [stack]: "reviewed" })).to.deep.equal([`${stack}: protected, but previewed outside its ${previewEnvironment(stack)} environment`]);
    });

    it("fails when a protected stack deploys outside its GitHub environment", async () => {
        const workflows = shippedWorkflows();
        const stackWorkflow = JSON.parse(JSON.stringify(workflows["deploy-stack.yml"]));
        delete stackWorkflow.jobs.up.environment;
        workflows["deploy-stack.yml"] = stackWorkflow;
        const problems = pipelineProblems(expected(), [...(await deploymentsRuns()), ...workflowRuns(workflows, describeStacks(project, await org.createdAccountIds()))]);
        expect(problems).to.have.members(projectStacks.filter((s) => configOf(s).protect).map((s) => `${s}: protected, but deployed outside its GitHub environment`));
    });
});
