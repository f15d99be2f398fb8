// refarch:deployer: the settings of every account's Deployer component, one for the whole project (Pulumi.yaml).
import { z } from "zod";
import { area, flag, hint, matching, policyArns } from "../schema";

const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
/** `repo:owner/name`, or the immutable form `repo:owner@<owner id>/name@<repo id>` (see githubPullRequestSubject). */
const GITHUB_SUBJECT_PREFIX = /^repo:[A-Za-z0-9][A-Za-z0-9-]*(@\d+)?\/[A-Za-z0-9._-]+(@\d+)?$/;
const STACK_PATTERN = /^[A-Za-z0-9._*-]+$/;
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
// A preview reads each resource's live state through the provider's Describe/Get/List calls and compares it with the
// program; the state itself comes from Pulumi Cloud, and sts:GetCallerIdentity (the provider's account check) needs no
// permission (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). AWS's ReadOnlyAccess
// covers those reads and writes nothing.
const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/.+$/;
const oidcProviderArnField = (issuerHost: string) =>
    z
        .string(hint(`must be the ARN of the account's existing OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .regex(OIDC_PROVIDER_ARN, hint(`must be the ARN of the account's existing OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .refine((arn) => arn.endsWith(`:oidc-provider/${issuerHost}`), hint(`must be an OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .optional();

export const deployerSettings = area(
    "refarch:deployer",
    "project",
    z.strictObject(
        {
            /** Whether every account gets the OIDC providers and the deployer and previewer roles. */
            enabled: flag(true).default(true),
            /** The deployer's managed policies: the program manages IAM, CloudTrail, S3 and KMS. */
            policyArns: policyArns(ADMINISTRATOR_ACCESS).default([ADMINISTRATOR_ACCESS]),
            /** The previewer's managed policies: reads only. */
            previewerPolicyArns: policyArns(READ_ONLY_ACCESS).default([READ_ONLY_ACCESS]),
            /** `owner/repo` whose GitHub Actions workflows may also assume the roles, and which Pulumi Deployments deploys from. Default none. */
            githubRepository: matching(GITHUB_REPOSITORY, "must be a GitHub repository as owner/name", "acme/refarch").optional(),
            /**
             * The start of the repository's GitHub OIDC `sub`. Default `repo:<githubRepository>`; a repository with
             * immutable subject claims (new, renamed or transferred repositories since GitHub's 2026 rollout, or opted in) needs `repo:<owner>@<owner id>/<repo>@<repo id>`.
             */
            githubSubjectPrefix: matching(GITHUB_SUBJECT_PREFIX, "must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id> for immutable subject claims", '"repo:acme@123456/refarch@456789"').optional(),
            /** Per stage: ARNs of OIDC providers that account already has (AWS allows one per URL), reused instead of created. */
            existingOidcProviders: z
                .record(
                    z.string(),
                    z.strictObject({ pulumi: oidcProviderArnField("api.pulumi.com/oidc"), github: oidcProviderArnField("token.actions.githubusercontent.com") }, hint("must be { pulumi?, github? }: ARNs of existing OIDC providers", '{ pulumi: "arn:aws:iam::<account id>:oidc-provider/api.pulumi.com/oidc" }')),
                    hint("must map stages to { pulumi?, github? }", '{ dev: { pulumi: "arn:aws:iam::<account id>:oidc-provider/api.pulumi.com/oidc" } }'),
                )
                .default({}),
            /** Name pattern (`*` wildcard) of the review stacks the testing stage's deployer also admits. */
            reviewStacks: matching(STACK_PATTERN, "must be a stack-name pattern of letters, digits, . _ - and the * wildcard", '"pr-*"').default("pr-*"),
        },
        hint("must be { enabled?, policyArns?, previewerPolicyArns?, githubRepository?, githubSubjectPrefix?, existingOidcProviders?, reviewStacks? }", "{ enabled: true }"),
    ).prefault({}),
);
export type DeployerSettings = z.infer<typeof deployerSettings.schema>;
