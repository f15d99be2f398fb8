// Every account (unless refarch:deployer.enabled is false): the deployer (admin) and the previewer (read-only, all a
// pull request's unreviewed program reaches), both reached only through OIDC, never with long-lived keys.
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
    previewerRoleName,
    previewerTrustPolicy,
    PULUMI_OIDC_ISSUER,
} from "../policies";
import type { DeployerSettings } from "../config";

export interface DeployerArgs {
    /** `<namespace>-<stage>`: the roles are `<namePrefix>-deployer` and `<namePrefix>-previewer`. */
    namePrefix: string;
    /** The Pulumi organization: the `aud` of its deployment tokens. */
    organization: string;
    project: string;
    /** Stacks (names or `*` patterns) whose deployments may assume the roles: this stage's stack, and in testing its review stacks. */
    stacks: string[];
    /** Managed policies of the deployer. */
    policyArns: string[];
    /** Managed policies of the previewer. */
    previewerPolicyArns: string[];
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
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly previewerRoleArn: pulumi.Output<string>;

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

        const trustOf = (policy: (trust: OidcTrust) => PolicyDocument) =>
            pulumi.all([pulumiProviderArn, githubProviderArn]).apply(([pulumiArn, githubArn]) =>
                JSON.stringify(
                    policy({
                        pulumiProviderArn: pulumiArn,
                        organization: args.organization,
                        project: args.project,
                        stacks: args.stacks,
                        github: githubArn && args.githubSubjectPrefix ? { providerArn: githubArn, subjectPrefix: args.githubSubjectPrefix } : undefined,
                    }),
                ),
            );
        const role = (key: string, roleName: string, description: string, trust: pulumi.Output<string>, policies: string[], opts: pulumi.CustomResourceOptions, adopt = false): aws.iam.Role => {
            // Import ids as the provider documents them: a role by its name, an attachment by `<role>/<policy arn>`.
            const created = new aws.iam.Role(`${name}-${key}`, { name: roleName, description, assumeRolePolicy: trust, maxSessionDuration: args.maxSessionDuration ?? 3600 }, { ...opts, ...(adopt ? { import: roleName } : {}) });
            for (const policyArn of policies) {
                new aws.iam.RolePolicyAttachment(`${name}-${key === "role" ? "" : `${key}-`}${policyName(policyArn)}`, { role: created.name, policyArn }, { ...opts, ...(adopt ? { import: `${roleName}/${policyArn}` } : {}) });
            }
            return created;
        };
        // A destroy runs as the deployer: were it or its policies deleted in parallel with the rest, the destroy would
        // lose its permissions halfway. Both are retained on delete (left in the account, out of the state), and the
        // next up adopts them (adoptRetained); README "Destroying testing" says how to remove them for good.
        const identityKept = { parent: this, retainOnDelete: true };
        // The deployer keeps its resource names (`deployer-role`, `deployer-<policy>`), so existing stacks update it in place.
        const deployer = role("role", deployerRoleName(args.namePrefix), "Assumed through OIDC by Pulumi Deployments (update, refresh, destroy) and by GitHub Actions in this stack's environment; managed by refarch", trustOf(deployerTrustPolicy), args.policyArns, identityKept, args.adoptRetained);
        const previewer = role("previewer", previewerRoleName(args.namePrefix), "Read-only; assumed through OIDC by pull-request previews (GitHub pull_request, Pulumi Deployments preview); managed by refarch", trustOf(previewerTrustPolicy), args.previewerPolicyArns, { parent: this });
        this.roleArn = deployer.arn;
        this.roleName = deployer.name;
        this.previewerRoleArn = previewer.arn;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, previewerRoleArn: this.previewerRoleArn });
    }
}

/** Whether a destroy left this stack's deployer in the account: the role exists while the stack's own last outputs
 * (a StackReference to itself, made only then) do not name it. */
export async function retainedDeployer(roleName: string, selfStack: string, opts: pulumi.InvokeOptions): Promise<boolean> {
    // Stryker disable next-line ObjectLiteral,StringLiteral: the regex only narrows the listing; names.includes decides alone.
    const { names } = await aws.iam.getRoles({ nameRegex: `^${roleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$` }, opts);
    if (!names.includes(roleName)) return false;
    const self = new pulumi.StackReference(`${selfStack}-self`, { name: selfStack });
    return (await self.getOutputDetails("deployerRoleArn")).value === undefined;
}

/** The GitHub subject prefix the roles trust: the configured one, else `repo:<githubRepository>`. */
export function githubSubjectPrefixOf(settings: DeployerSettings): string | undefined {
    return settings.githubSubjectPrefix ?? (settings.githubRepository ? `repo:${settings.githubRepository}` : undefined);
}
