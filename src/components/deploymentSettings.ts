// Every stage's own stack (never a review stack): its Pulumi Deployments settings in Pulumi Cloud, managed as a
// resource of the stack itself, so settings are reviewed, versioned and applied like everything else. This replaces
// the `Pulumi.<stack>.deploy.yaml` files, which Pulumi CLI 3.251.0 can no longer apply ("`pulumi deployment settings`
// no longer writes the local `Pulumi.<stack>.deploy.yaml` file", pulumi/pulumi CHANGELOG 3.251.0, #23480, which also
// removed `deployment settings push`).
//
// The pipeline, decided once here (`pipelineOf`) and followed by these settings and by .github/workflows:
//  - pull requests: .github/workflows/preview.yml previews every stage's stack, as the account's read-only previewer.
//    Deployments' own PR previews are off: one settings role serves every operation, and that role is the deployer.
//  - merges to main: .github/workflows/deploy.yml deploys every stage's stack, in the stack graph's waves (root reads
//    every other stage's outputs, an order push-to-deploy cannot keep across stacks), each job in the GitHub
//    environment named after its stack; protected stages' environments have required reviewers. Deployments'
//    push-to-deploy is off, so no stack deploys twice.
//  - review stacks: Pulumi Deployments only, from the testing stack as template, destroyed and removed when the pull
//    request closes. They run in the testing account as its deployer, which admits them by name (refarch:deployer.reviewStacks).
// What stays with Pulumi Deployments for stage stacks: operations started in Pulumi Cloud (refresh, destroy, drift),
// which run from the configured branch as the account's deployer.
import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";

export interface StackDeploymentSettingsArgs {
    organization: string;
    project: string;
    stack: string;
    /** `owner/name` of the GitHub repository the program is deployed from. */
    repository: string;
    /** The branch deployments run from. */
    branch: string;
    /** The account's deployer role, assumed through Pulumi's OIDC token. */
    deployerRoleArn: pulumi.Input<string>;
    /** What the pipeline gives Pulumi Deployments for this stack. */
    pipeline: StackPipeline;
}

export class StackDeploymentSettings extends pulumi.ComponentResource {
    readonly settingsId: pulumi.Output<string>;

    constructor(name: string, args: StackDeploymentSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:deploy:StackDeploymentSettings", name, {}, opts);
        const { pipeline } = args;
        // Inputs as @pulumi/pulumiservice 1.3.0 declares them (deploymentSettings.d.ts, types/input.d.ts). The `github`
        // block is marked deprecated for `vcs`, but `vcs.provider`'s accepted values are not declared there; `github`
        // is the documented GitHub-only shape (DeploymentSettingsGithubArgs).
        const settings = new pulumiservice.DeploymentSettings(
            `${name}-settings`,
            {
                organization: args.organization,
                project: args.project,
                stack: args.stack,
                sourceContext: { git: { branch: `refs/heads/${args.branch}` } },
                github: {
                    repository: args.repository,
                    previewPullRequests: pipeline.pullRequestPreview === "pulumi-deployments",
                    deployCommits: pipeline.mergeDeploy === "pulumi-deployments",
                    pullRequestTemplate: pipeline.reviewStackTemplate,
                },
                operationContext: {
                    oidc: { aws: { roleARN: args.deployerRoleArn, sessionName: "pulumi-deployments", duration: "1h0m0s" } },
                    options: {
                        skipIntermediateDeployments: true,
                        // Review stacks copy the template's settings: each is removed once destroyed, when its pull request closes.
                        deleteAfterDestroy: pipeline.reviewStackTemplate,
                    },
                },
            },
            { parent: this },
        );
        this.settingsId = settings.id;
        this.registerOutputs({ settingsId: this.settingsId });
    }
}

/** Which mechanism does what for one stage's stack. */
export interface StackPipeline {
    stack: string;
    /** Who previews the stack on a pull request. */
    pullRequestPreview: "github-workflow" | "pulumi-deployments";
    /** Who deploys the stack on a merge to the branch. */
    mergeDeploy: "github-workflow" | "pulumi-deployments";
    /** Deploys wait for a reviewer's approval in the stack's GitHub environment (refarch:protect). */
    approval: boolean;
    /** The stack is the template of Pulumi Deployments' review stacks. */
    reviewStackTemplate: boolean;
}

/**
 * The pipeline of every stage's stack, from config: GitHub workflows preview and deploy every stage (see the header);
 * protected stages deploy behind approval; the testing stage, when there is one, is the review-stack template.
 */
export function pipelineOf(stages: { stage: string; protect: boolean }[], testingStage: string): StackPipeline[] {
    return stages.map(({ stage, protect }) => ({
        stack: stage,
        pullRequestPreview: "github-workflow",
        mergeDeploy: "github-workflow",
        approval: protect,
        reviewStackTemplate: stage === testingStage,
    }));
}
