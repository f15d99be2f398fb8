// The OIDC issuers whose tokens the deployer and previewer roles trust, and the subjects those tokens carry.

/** Pulumi Cloud's OIDC issuer: the `iss` of every Pulumi Deployments token; its `aud` is the Pulumi organization. */
export const PULUMI_OIDC_ISSUER = "https://api.pulumi.com/oidc";
/** GitHub Actions' OIDC issuer; tokens requested for AWS carry `aud` sts.amazonaws.com. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * How IAM names an OIDC issuer in its provider's ARN and its condition keys (`<host/path>:aud`): the URL without https://.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
// Stryker disable next-line Regex: the issuers begin with https:// and hold it once, so the anchor changes nothing.
export const issuerName = (issuer: string): string => issuer.replace(/^https:\/\//, "");
/** The ARN IAM gives an account's OIDC provider for an issuer. */
export const oidcProviderArn = (partition: string, accountId: string, issuer: string): string => `arn:${partition}:iam::${accountId}:oidc-provider/${issuerName(issuer)}`;

export type PulumiOperation = "preview" | "update" | "refresh" | "destroy";
/**
 * The operations that change (or re-read) an account: only a deployer runs them. A Pulumi Cloud drift run is a
 * preview of a refresh, and a token names one of preview, update, refresh or destroy only
 * (https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/, "operation"; https://www.pulumi.com/docs/deployments/concepts/drift/):
 * drift detection presents `refresh`.
 */
export const CHANGING_OPERATIONS: PulumiOperation[] = ["update", "refresh", "destroy"];
export const ALL_OPERATIONS: PulumiOperation[] = ["preview", ...CHANGING_OPERATIONS];
/**
 * The `sub` of a Pulumi Deployments token for one operation on one stack.
 * https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/
 */
export const pulumiDeploySubject = (organization: string, project: string, stack: string, operation: PulumiOperation): string =>
    `pulumi:deploy:org:${organization}:project:${project}:stack:${stack}:operation:${operation}:scope:write`;

/**
 * The claims the repository's customized GitHub subject carries, in order (set once per repository with
 * `PUT /repos/{owner}/{repo}/actions/oidc/customization/sub` and `{"use_default":false,"include_claim_keys":[...]}`,
 * https://docs.github.com/en/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository).
 * With them a job's `sub` is `<repo part>:<context>:ref:<ref>`, the documented shape of a customized subject
 * (`repo:octo-org/octo-repo:environment:prod:job_workflow_ref:...`, https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository).
 * Without the customization GitHub's default `sub` lacks `:ref:` after an environment, so no deployer admits it: fail closed.
 */
export const GITHUB_SUBJECT_CLAIM_KEYS = ["repo", "context", "ref"] as const;

/**
 * GitHub's customized `sub` for a job of one repository (its `prefix`, `repo:<owner>/<repo>` or the immutable
 * `repo:<owner>@<owner id>/<repo>@<repo id>`, https://docs.github.com/en/actions/reference/security/oidc#immutable-subject-claims;
 * customizing cannot remove the ids) in the environment `environment`, run from branch `branch`: what a deployer trusts.
 * The `ref` claim is the ref the run is for (`refs/heads/<branch>` for a push or dispatch on it, `refs/pull/<n>/merge`
 * for a pull request), so a workflow edited on another branch to name the environment does not match.
 */
export const githubDeploySubject = (prefix: string, environment: string, branch: string): string => githubJobSubject(prefix, `environment:${environment}`, `refs/heads/${branch}`);
/** A customized `sub`: the repository part, the job's context (`pull_request`, `environment:<name>`, or `ref:<ref>` outside an environment), then `ref:<ref>`. */
export const githubJobSubject = (prefix: string, context: string, ref: string): string => `${prefix}:${context}:ref:${ref}`;
/** A job on the deploy branch outside any environment (the stacks job on a push): its context is its ref, so the ref appears twice. */
export const githubBranchJobSubject = (prefix: string, branch: string): string => githubJobSubject(prefix, `ref:refs/heads/${branch}`, `refs/heads/${branch}`);
/** A pull_request job in the environment `environment` (a protected stage's reviewed preview), as a StringLike pattern. */
export const githubReviewedPreviewSubject = (prefix: string, environment: string): string => githubJobSubject(prefix, `environment:${environment}`, "refs/pull/*");
/**
 * A pull_request job's customized `sub`, as a StringLike pattern: the context of a pull_request job without an
 * environment is `pull_request`, and its ref `refs/pull/<number>/merge`. A job that names an environment has
 * `environment:<name>` as its context instead, and matches neither this nor a deployer's subject (wrong ref).
 */
export const githubPullRequestSubject = (prefix: string): string => githubJobSubject(prefix, "pull_request", "refs/pull/*");
