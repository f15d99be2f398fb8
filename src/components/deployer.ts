// Every account (unless refarch:deployer.enabled is false): the identity deployments run as. An IAM OIDC
// provider for Pulumi Cloud and a `<namespace>-<stage>-deployer` role that Pulumi Deployments of exactly
// this project's stacks in this account assume with their OIDC token; optionally GitHub Actions of one
// repository too. No long-lived keys, and the root account does not trust this role: it is not a human role.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployerRoleName, deployerTrustPolicy, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER } from "../policies";
import { z } from "zod";
import { area, flag, hint, matching, policyArns } from "../config/schema";
import { policyName } from "../policies";

export interface DeployerArgs {
    /** `<namespace>-<stage>`: the role is `<namePrefix>-deployer`. */
    namePrefix: string;
    /** The Pulumi organization: the `aud` of its deployment tokens. */
    organization: string;
    project: string;
    /** Stacks (names or `*` patterns) whose deployments may assume the role: this stage's stack, and in testing its review stacks. */
    stacks: string[];
    /** Managed policies of the role. */
    policyArns: string[];
    /** `owner/repo` whose GitHub Actions may assume the role too (previews on pull requests, deploys in the GitHub environments `stacks`). Default none. */
    githubRepository?: string;
    /** Longest session, in seconds. Default 3600. */
    maxSessionDuration?: number;
}

export class Deployer extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: DeployerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:deploy:Deployer", name, {}, opts);
        const pulumiProvider = new aws.iam.OpenIdConnectProvider(
            `${name}-pulumi-oidc`,
            // No thumbprint: IAM fetches and keeps the issuer's certificate thumbprint itself.
            { url: PULUMI_OIDC_ISSUER, clientIdLists: [args.organization] },
            { parent: this },
        );
        const githubProvider = args.githubRepository
            ? new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, { url: GITHUB_OIDC_ISSUER, clientIdLists: [GITHUB_OIDC_AUDIENCE] }, { parent: this })
            : undefined;

        const trust = pulumi.all([pulumiProvider.arn, githubProvider?.arn]).apply(([pulumiProviderArn, githubProviderArn]) =>
            JSON.stringify(
                deployerTrustPolicy({
                    pulumiProviderArn,
                    organization: args.organization,
                    project: args.project,
                    stacks: args.stacks,
                    github: githubProviderArn && args.githubRepository
                        ? { providerArn: githubProviderArn, repository: args.githubRepository, environments: args.stacks.filter((s) => !s.includes("*")) }
                        : undefined,
                }),
            ),
        );
        // A destroy runs as this role: were it or its policies deleted in parallel with the rest, the destroy would
        // lose its permissions halfway. Both are retained on delete (left in the account, out of the state); README
        // "Destroying a stage" says how to remove or re-adopt them.
        const identityKept = { parent: this, retainOnDelete: true };
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: deployerRoleName(args.namePrefix),
                description: "Assumed by Pulumi Deployments (and GitHub Actions) through OIDC to deploy this account; managed by refarch",
                assumeRolePolicy: trust,
                maxSessionDuration: args.maxSessionDuration ?? 3600,
            },
            identityKept,
        );
        for (const policyArn of args.policyArns) {
            new aws.iam.RolePolicyAttachment(`${name}-${policyName(policyArn)}`, { role: role.name, policyArn }, identityKept);
        }
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}

// ---- refarch:deployer: this component's config, one for every account (Pulumi.yaml) ----

const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const STACK_PATTERN = /^[A-Za-z0-9._*-]+$/;
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

export const deployerSettings = area(
    "refarch:deployer",
    "project",
    z.strictObject(
        {
            /** Whether every account gets the OIDC provider and the deployer role. */
            enabled: flag(true).default(true),
            /** The role's managed policies: the program manages IAM, CloudTrail, S3 and KMS. */
            policyArns: policyArns(ADMINISTRATOR_ACCESS).default([ADMINISTRATOR_ACCESS]),
            /** `owner/repo` whose GitHub Actions workflows may also assume the role. Default none. */
            githubRepository: matching(GITHUB_REPOSITORY, "must be a GitHub repository as owner/name", "acme/refarch").optional(),
            /** Name pattern (`*` wildcard) of the review stacks the testing stage's deployer also admits. */
            reviewStacks: matching(STACK_PATTERN, "must be a stack-name pattern of letters, digits, . _ - and the * wildcard", '"pr-*"').default("pr-*"),
        },
        hint("must be { enabled?, policyArns?, githubRepository?, reviewStacks? }", "{ enabled: true }"),
    ).prefault({}),
);
export type DeployerSettings = z.infer<typeof deployerSettings.schema>;
