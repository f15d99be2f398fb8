// refarch:deployer: the settings of every account's Deployer component, one for the whole project (Pulumi.yaml).
import { z } from "zod";
import { VIEW_ONLY_ACCESS } from "../../policies/deploymentRoles";
import { area, flag, hint, matching, policyArns } from "../schema";

const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
/**
 * `repo:owner/name`, or the immutable form `repo:owner@<owner id>/name@<repo id>` (see githubDeploySubject). No
 * wildcard: `*` or `?` would let another owner's or repository's jobs match.
 */
const GITHUB_SUBJECT_PREFIX = /^repo:[A-Za-z0-9][A-Za-z0-9-]*(@\d+)?\/[A-Za-z0-9._-]+(@\d+)?$/;
const STACK_PATTERN = /^[A-Za-z0-9._*-]+$/;
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
// A plain preview calls AWS only for the program's invokes (the state comes from Pulumi Cloud); `--refresh` also reads
// each resource's metadata. ViewOnlyAccess lists and describes; the previewer's own policy (policies/deploymentRoles.ts)
// adds the refresh reads and denies every data-plane read whatever is attached here.
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/.+$/;
const oidcProviderArnField = (issuerHost: string) =>
    z
        .string(hint(`must be the ARN of the account's existing OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .regex(OIDC_PROVIDER_ARN, hint(`must be the ARN of the account's existing OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .refine((arn) => arn.endsWith(`:oidc-provider/${issuerHost}`), hint(`must be an OIDC provider for ${issuerHost}`, `"arn:aws:iam::<account id>:oidc-provider/${issuerHost}"`))
        .optional();

const githubId = (of: string) =>
    z
        .number(hint(`must be the numeric id GitHub gives the ${of}`, "123456"))
        .int(hint(`must be the numeric id GitHub gives the ${of}`, "123456"))
        .positive(hint(`must be the numeric id GitHub gives the ${of}`, "123456"));

/** GitHub's subject prefix of `owner/name`: the immutable form when the ids are known. */
export function subjectPrefixOf(repository: string, ids?: { owner: number; repository: number }): string {
    if (!ids) return `repo:${repository}`;
    const [owner, name] = repository.split("/");
    return `repo:${owner}@${ids.owner}/${name}@${ids.repository}`;
}

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
            previewerPolicyArns: policyArns(VIEW_ONLY_ACCESS).default([VIEW_ONLY_ACCESS]),
            /** `owner/repo` whose GitHub Actions workflows may also assume the roles, and which Pulumi Deployments deploys from. Default none. */
            githubRepository: matching(GITHUB_REPOSITORY, "must be a GitHub repository as owner/name", "acme/refarch").optional(),
            /**
             * The numeric ids of githubRepository's owner and of the repository (`gh api repos/<owner>/<repo> --jq
             * '{owner: .owner.id, repository: .id}'`). With them the roles trust the immutable subject
             * `repo:<owner>@<owner id>/<repo>@<repo id>`, which a renamed or re-created owner or repository cannot
             * mint (https://docs.github.com/en/actions/reference/security/oidc#immutable-subject-claims). Default none: `repo:<owner>/<repo>`.
             */
            githubRepositoryIds: z
                .strictObject(
                    { owner: githubId("owner"), repository: githubId("repository") },
                    hint("must be { owner, repository }: the numeric ids GitHub gives the owner and the repository", "{ owner: 123456, repository: 456789 }"),
                )
                .optional(),
            /**
             * The start of the repository's GitHub OIDC `sub`, when it must be given as is. Default from githubRepository
             * and githubRepositoryIds; a repository with immutable subject claims (new, renamed or transferred repositories
             * since GitHub's 2026 rollout, or opted in) needs `repo:<owner>@<owner id>/<repo>@<repo id>`.
             */
            githubSubjectPrefix: matching(
                GITHUB_SUBJECT_PREFIX,
                "must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id> for immutable subject claims",
                '"repo:acme@123456/refarch@456789"',
            ).optional(),
            /** Per stage: ARNs of OIDC providers that account already has (AWS allows one per URL), reused instead of created. */
            existingOidcProviders: z
                .record(
                    z.string(),
                    z.strictObject({ pulumi: oidcProviderArnField("api.pulumi.com/oidc"), github: oidcProviderArnField("token.actions.githubusercontent.com") }, hint("must be { pulumi?, github? }: ARNs of existing OIDC providers", '{ pulumi: "arn:aws:iam::<account id>:oidc-provider/api.pulumi.com/oidc" }')),
                    hint("must map stages to { pulumi?, github? }", '{ dev: { pulumi: "arn:aws:iam::<account id>:oidc-provider/api.pulumi.com/oidc" } }'),
                )
                .default({}),
            /** Name pattern (`*` wildcard) of the review stacks: testing's review role (never its deployer) admits their Pulumi Deployments. */
            reviewStacks: matching(STACK_PATTERN, "must be a stack-name pattern of letters, digits, . _ - and the * wildcard", '"pr-*"').default("pr-*"),
        },
        hint("must be { enabled?, policyArns?, previewerPolicyArns?, githubRepository?, githubRepositoryIds?, githubSubjectPrefix?, existingOidcProviders?, reviewStacks? }", "{ enabled: true }"),
    )
        .superRefine((settings, context) => {
            const repository = settings.githubRepository;
            // Ids or a prefix say which repository's jobs are trusted: they must be githubRepository's, or the trust names another one.
            if (!repository && (settings.githubRepositoryIds || settings.githubSubjectPrefix)) {
                const key = settings.githubRepositoryIds ? "githubRepositoryIds" : "githubSubjectPrefix";
                context.addIssue({ code: "custom", path: [key], message: hint("needs githubRepository, the repository it belongs to", '{ githubRepository: "acme/refarch" }').error() });
            }
            const prefix = settings.githubSubjectPrefix;
            if (repository && prefix && GITHUB_SUBJECT_PREFIX.test(prefix) && prefix.replace(/@\d+/g, "").toLowerCase() !== `repo:${repository}`.toLowerCase()) {
                context.addIssue({ code: "custom", path: ["githubSubjectPrefix"], message: hint(`must name githubRepository ${repository}`, `"${subjectPrefixOf(repository, settings.githubRepositoryIds)}"`).error() });
            }
        })
        .prefault({}),
);
export type DeployerSettings = z.infer<typeof deployerSettings.schema>;
