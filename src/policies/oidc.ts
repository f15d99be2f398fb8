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
/** The operations that change (or re-read) an account: only the deployer runs them. */
export const CHANGING_OPERATIONS: PulumiOperation[] = ["update", "refresh", "destroy"];
/**
 * The `sub` of a Pulumi Deployments token for one operation on one stack.
 * https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/
 */
export const pulumiDeploySubject = (organization: string, project: string, stack: string, operation: PulumiOperation): string =>
    `pulumi:deploy:org:${organization}:project:${project}:stack:${stack}:operation:${operation}:scope:write`;

/**
 * GitHub's `sub` for a pull_request job and for a job in an environment (https://docs.github.com/en/actions/reference/security/oidc).
 * The prefix is `repo:<owner>/<repo>`, or with immutable subject claims `repo:<owner>@<owner id>/<repo>@<repo id>`
 * (https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens).
 */
export const githubPullRequestSubject = (prefix: string): string => `${prefix}:pull_request`;
export const githubEnvironmentSubject = (prefix: string, environment: string): string => `${prefix}:environment:${environment}`;
