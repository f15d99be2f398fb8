// Every account (unless refarch:deployer.enabled is false): the deployer (admin: GitHub's deploy job from the deploy
// branch in the stack's environment, and Pulumi Deployments' changes where the stage is not protected), the previewer
// (metadata reads only, all a pull request's unreviewed program reaches) and, in testing, the review role (review
// stacks' admin inside a permissions boundary). All reached only through OIDC, never with long-lived keys.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    deployerRoleName,
    deployerTrustPolicy,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_ISSUER,
    oidcProviderArn,
    OidcTrust,
    PolicyDocument,
    policyName,
    previewerPolicy,
    previewerPolicyName,
    previewerRoleName,
    previewerTrustPolicy,
    PullRequestPreviews,
    PULUMI_OIDC_ISSUER,
    reviewBoundaryName,
    reviewBoundaryPolicy,
    reviewerRoleName,
    reviewerTrustPolicy,
} from "../policies";
import { subjectPrefixOf } from "../config/settings/deployer";
import type { DeployerSettings } from "../config";

export interface DeployerArgs {
    /** `<namespace>-<stage>`: the roles are `<namePrefix>-deployer` and `<namePrefix>-previewer`. */
    namePrefix: string;
    /** The Pulumi organization: the `aud` of its deployment tokens. */
    organization: string;
    project: string;
    /** Stacks whose deployments may assume the deployer and previewer: this stage's stack, and in root the org stack. */
    stacks: string[];
    /**
     * The stacks Pulumi Deployments may change (update, refresh, destroy): none for a protected stage, which only
     * GitHub's deploy job changes. Defaults to `stacks`.
     */
    pulumiChanges?: string[];
    /** The branch whose GitHub deploy jobs the deployer trusts. Defaults to "main". */
    deployBranch?: string;
    /**
     * Testing only: the review stacks' name pattern (`pr-*`), the IAM names their resources get
     * (`<namespace>-<pattern>-*`) and the review role's managed policies. Then a review role and its permissions
     * boundary are made. Defaults to none.
     */
    reviewStacks?: { pattern: string; namePattern: string; policyArns: string[] };
    /** Managed policies of the deployer. */
    policyArns: string[];
    /** Managed policies of the previewer, besides its own (metadata reads, data reads denied). */
    previewerPolicyArns: string[];
    /** Which pull_request jobs the previewer admits (refarch:pulumiCloud.protectedPreviews). Defaults to every one, no environment. */
    pullRequestPreviews?: PullRequestPreviews;
    /** GitHub's subject prefix of the repository whose Actions may assume the roles (`repo:owner/name`). Defaults to none. */
    githubSubjectPrefix?: string;
    /** ARNs of OIDC providers the account already has, used instead of creating them. Defaults to none: both are created. */
    existingProviders?: { pulumi?: string; github?: string };
    /** Longest session, in seconds. Defaults to 3600. */
    maxSessionDuration?: number;
    /** A destroy left the deployer and its OIDC providers in the account (retainOnDelete): adopt them with `import`
     * instead of failing with EntityAlreadyExists (see retainedDeployer). Defaults to false. */
    adoptRetained?: boolean;
    /** The account's partition and id: the ARN of an OIDC provider to adopt is `arn:<partition>:iam::<id>:oidc-provider/<host>`. */
    account: { partition: string; id: string };
}

export class Deployer extends pulumi.ComponentResource {
    /** Undefined where nothing may assume a deployer: a protected stage without a GitHub repository. */
    readonly roleArn?: pulumi.Output<string>;
    readonly roleName?: pulumi.Output<string>;
    readonly previewerRoleArn: pulumi.Output<string>;
    /** Testing only: the review stacks' role. */
    readonly reviewerRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: DeployerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:deploy:Deployer", name, {}, opts);
        // The providers the deployer's trust names outlive a destroy with it (see identityKept below). The import id of
        // an OIDC provider is its ARN (@pulumi/aws iam/openIdConnectProvider, Import).
        const provider = (key: string, issuer: string, audience: string): pulumi.Output<string> => {
            const arn = oidcProviderArn(args.account.partition, args.account.id, issuer);
            // No thumbprint: IAM fetches and keeps the issuer's certificate thumbprint itself.
            return new aws.iam.OpenIdConnectProvider(`${name}-${key}-oidc`, { url: issuer, clientIdLists: [audience] }, { parent: this, retainOnDelete: true, ...(args.adoptRetained ? { import: arn } : {}) }).arn;
        };
        // An existing provider keeps its own audiences: docs/security.md "Deployment identities" says to add the Pulumi organization to it.
        const pulumiProviderArn = args.existingProviders?.pulumi ? pulumi.output(args.existingProviders.pulumi) : provider("pulumi", PULUMI_OIDC_ISSUER, args.organization);
        const githubProviderArn = !args.githubSubjectPrefix
            ? pulumi.output<string | undefined>(undefined)
            : args.existingProviders?.github
              ? pulumi.output<string | undefined>(args.existingProviders.github)
              : provider("github", GITHUB_OIDC_ISSUER, GITHUB_OIDC_AUDIENCE);

        const pulumiChanges = args.pulumiChanges ?? args.stacks;
        const trustOf = (policy: (trust: OidcTrust) => PolicyDocument) =>
            pulumi.all([pulumiProviderArn, githubProviderArn]).apply(([pulumiArn, githubArn]) =>
                JSON.stringify(
                    policy({
                        pulumiProviderArn: pulumiArn,
                        organization: args.organization,
                        project: args.project,
                        stacks: args.stacks,
                        pulumiChanges,
                        github: githubArn && args.githubSubjectPrefix ? { providerArn: githubArn, subjectPrefix: args.githubSubjectPrefix, branch: args.deployBranch ?? "main", pullRequests: args.pullRequestPreviews } : undefined,
                    }),
                ),
            );
        const role = (
            key: string,
            roleName: string,
            description: string,
            trust: pulumi.Output<string>,
            policies: pulumi.Input<string>[],
            opts: pulumi.CustomResourceOptions,
            adopt = false,
            permissionsBoundary?: pulumi.Input<string>,
        ): aws.iam.Role => {
            // Import ids as the provider documents them: a role by its name, an attachment by `<role>/<policy arn>`.
            const created = new aws.iam.Role(
                `${name}-${key}`,
                { name: roleName, description, assumeRolePolicy: trust, maxSessionDuration: args.maxSessionDuration ?? 3600, permissionsBoundary },
                { ...opts, ...(adopt ? { import: roleName } : {}) },
            );
            for (const policyArn of policies) {
                // A policy made here (an Output) is named by its key; a managed one by its ARN's last part.
                const policyKey = typeof policyArn === "string" ? policyName(policyArn) : "own";
                new aws.iam.RolePolicyAttachment(`${name}-${key === "role" ? "" : `${key}-`}${policyKey}`, { role: created.name, policyArn }, { ...opts, ...(adopt && typeof policyArn === "string" ? { import: `${roleName}/${policyArn}` } : {}) });
            }
            return created;
        };
        // A destroy runs as the deployer: were it or its policies deleted in parallel with the rest, the destroy would
        // lose its permissions halfway. Both are retained on delete (left in the account, out of the state), and the
        // next up adopts them (adoptRetained); README "Destroying testing" says how to remove them for good.
        const identityKept = { parent: this, retainOnDelete: true };
        const plain = { parent: this };
        // The deployer keeps its resource names (`deployer-role`, `deployer-<policy>`), so existing stacks update it in place.
        if (args.githubSubjectPrefix !== undefined || pulumiChanges.length > 0) {
            const deployerTrust = trustOf((trust) => deployerTrustPolicy(trust) ?? NOBODY);
            const description = pulumiChanges.length === 0
                ? "Assumed through OIDC only by GitHub's deploy job from the deploy branch in this stack's environment (protected: not by Pulumi Deployments); managed by refarch"
                : "Assumed through OIDC by Pulumi Deployments (update, refresh, destroy) and by GitHub's deploy job from the deploy branch in this stack's environment; managed by refarch";
            const deployer = role("role", deployerRoleName(args.namePrefix), description, deployerTrust, args.policyArns, identityKept, args.adoptRetained);
            this.roleArn = deployer.arn;
            this.roleName = deployer.name;
        }
        const reads = new aws.iam.Policy(`${name}-previewer-reads`, { name: previewerPolicyName(args.namePrefix), description: "The previewer's metadata reads; every data-plane read denied; managed by refarch", policy: JSON.stringify(previewerPolicy()) }, plain);
        const previewer = role(
            "previewer",
            previewerRoleName(args.namePrefix),
            "Metadata reads, no data; assumed through OIDC by pull-request previews (GitHub pull_request, Pulumi Deployments preview); managed by refarch",
            trustOf(previewerTrustPolicy),
            [...args.previewerPolicyArns, reads.arn],
            plain,
        );
        this.previewerRoleArn = previewer.arn;
        if (args.reviewStacks) this.reviewerRoleArn = this.reviewRole(name, args, args.reviewStacks, pulumiProviderArn, role);
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, previewerRoleArn: this.previewerRoleArn, reviewerRoleArn: this.reviewerRoleArn });
    }

    /** The review stacks' role: its policies inside a boundary that keeps it, and every role it makes, away from IAM, trails and the organization. */
    private reviewRole(
        name: string,
        args: DeployerArgs,
        review: { pattern: string; namePattern: string; policyArns: string[] },
        pulumiProviderArn: pulumi.Output<string>,
        role: (key: string, roleName: string, description: string, trust: pulumi.Output<string>, policies: string[], opts: pulumi.CustomResourceOptions, adopt: boolean, boundary: pulumi.Input<string>) => aws.iam.Role,
    ): pulumi.Output<string> {
        const { partition, id } = args.account;
        const boundaryName = reviewBoundaryName(args.namePrefix);
        // The ARN IAM gives the policy below: the boundary names itself (statements on the boundary and on new roles).
        const boundaryArn = `arn:${partition}:iam::${id}:policy/${boundaryName}`;
        const scope = {
            partition,
            accountId: id,
            boundaryArn,
            protectedRoles: [deployerRoleName(args.namePrefix), previewerRoleName(args.namePrefix), reviewerRoleName(args.namePrefix)],
            reviewNamePattern: review.namePattern,
        };
        const boundary = new aws.iam.Policy(`${name}-review-boundary`, { name: boundaryName, description: "Permissions boundary of review stacks' role and of every role it makes; managed by refarch", policy: JSON.stringify(reviewBoundaryPolicy(scope)) }, { parent: this });
        const trust = pulumiProviderArn.apply((arn) => JSON.stringify(reviewerTrustPolicy({ pulumiProviderArn: arn, organization: args.organization, project: args.project }, review.pattern)));
        const reviewer = role(
            "reviewer",
            reviewerRoleName(args.namePrefix),
            `Assumed through OIDC only by Pulumi Deployments of review stacks (${review.pattern}); bounded by ${boundaryName}; managed by refarch`,
            trust,
            review.policyArns,
            { parent: this, dependsOn: [boundary] },
            false,
            boundary.arn,
        );
        return reviewer.arn;
    }
}

/** Never reached: a deployer is made only where someone may assume it. */
const NOBODY: PolicyDocument = { Version: "2012-10-17", Statement: [] };

/** Whether a destroy left this stack's deployer in the account: the role exists while the stack's own last outputs
 * (a StackReference to itself, made only then) do not name it. */
export async function retainedDeployer(roleName: string, selfStack: string, opts: pulumi.InvokeOptions): Promise<boolean> {
    // Stryker disable next-line ObjectLiteral,StringLiteral: the regex only narrows the listing; names.includes decides alone.
    const { names } = await aws.iam.getRoles({ nameRegex: `^${roleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$` }, opts);
    if (!names.includes(roleName)) return false;
    const self = new pulumi.StackReference(`${selfStack}-self`, { name: selfStack });
    return (await self.getOutputDetails("deployerRoleArn")).value === undefined;
}

/** The GitHub subject prefix the roles trust: the configured one, else githubRepository's (immutable where its ids are known). */
export function githubSubjectPrefixOf(settings: DeployerSettings): string | undefined {
    return settings.githubSubjectPrefix ?? (settings.githubRepository ? subjectPrefixOf(settings.githubRepository, settings.githubRepositoryIds) : undefined);
}
