// Every stage's own stack (never a review stack): its Pulumi Deployments settings, managed as a resource so they are
// reviewed like everything else; CLI 3.251.0 dropped the Pulumi.<stack>.deploy.yaml files (pulumi/pulumi#23480).
// pipelineOf decides who previews and deploys what; .github/workflows follow it (docs: the deploy pipeline).
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
    /** The account's deployment roles; the settings name the one settingsRoleOf(pipeline) picks. */
    roles: DeploymentRoles;
    /** What the pipeline gives Pulumi Deployments for this stack. */
    pipeline: StackPipeline;
}

export class StackDeploymentSettings extends pulumi.ComponentResource {
    readonly settingsId: pulumi.Output<string>;

    constructor(name: string, args: StackDeploymentSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:deploy:StackDeploymentSettings", name, {}, opts);
        const { pipeline } = args;
        const chosen = settingsRoleOf(pipeline);
        const roleArn = args.roles[chosen];
        if (roleArn === undefined) throw new pulumi.ResourceError(`stack "${args.stack}": its Pulumi Deployments settings need the account's ${chosen} role, which no component made`, this);
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
                    oidc: { aws: { roleARN: roleArn, sessionName: "pulumi-deployments", duration: "1h0m0s" } },
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

/** The roles a stack's settings may name: one, since `operationContext.oidc.aws` takes one roleARN for every operation
 * (@pulumi/pulumiservice 1.3.0 types/input.d.ts AWSOIDCConfigurationArgs). */
export interface DeploymentRoles {
    deployer?: pulumi.Input<string>;
    previewer?: pulumi.Input<string>;
    reviewer?: pulumi.Input<string>;
}

/**
 * The role a stack's Pulumi Deployments settings name, so that it admits the operations those settings run:
 * - the review-stack template (testing): the review role. Review stacks copy the template's settings, so this is how
 *   each gets the review role; testing itself is changed only by GitHub's deploy job (the review role refuses it).
 * - a protected stage: the previewer. Its deployer refuses Pulumi Deployments' changes (no approval in Pulumi Cloud),
 *   so Pulumi Cloud may only preview it; merges deploy through GitHub's environment with required reviewers.
 * - otherwise the deployer (Pulumi Cloud's update, refresh, destroy and drift runs), or the previewer when Pulumi
 *   Deployments only previews pull requests.
 * A settings block that would run both previews and deploys through Pulumi Deployments is refused: one role cannot
 * admit both and stay read-only for previews.
 */
export function settingsRoleOf(pipeline: StackPipeline): keyof DeploymentRoles {
    const previews = pipeline.pullRequestPreview === "pulumi-deployments";
    const deploys = pipeline.mergeDeploy === "pulumi-deployments";
    if (pipeline.reviewStackTemplate) return "reviewer";
    if (pipeline.approval && deploys) throw new Error(`stack "${pipeline.stack}" is protected: it deploys through GitHub's deploy job in its environment, not Pulumi Deployments`);
    if (previews && deploys) throw new Error(`stack "${pipeline.stack}": Pulumi Deployments settings name one role, so they cannot both preview pull requests (previewer) and deploy merges (deployer)`);
    return pipeline.approval || previews ? "previewer" : "deployer";
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
