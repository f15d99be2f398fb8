// The names of roles, groups, trails and buckets, computed here for both sides of a trust (the account that
// creates a role and the root group that assumes it), so the two cannot drift.

export const roleName = (namePrefix: string, role: string): string => `${namePrefix}-${role}`;
export const roleArn = (partition: string, accountId: string, name: string): string => `arn:${partition}:iam::${accountId}:role/${name}`;
/** The ARN a stage's own stack gives a role (`<namespace>-<stage>-<role>`, no path). */
export const stageRoleArn = (partition: string, accountId: string, namespace: string, stage: string, role: string): string =>
    roleArn(partition, accountId, roleName(`${namespace}-${stage}`, role));
export const deployerRoleName = (namePrefix: string): string => `${namePrefix}-deployer`;
export const previewerRoleName = (namePrefix: string): string => `${namePrefix}-previewer`;
/** Review stacks' role in testing: named unlike `*-deployer`, so no guardrail exemption of the deployers can cover it. */
export const reviewerRoleName = (namePrefix: string): string => `${namePrefix}-reviewer`;
/** The permissions boundary of the review role and of every role it creates. */
export const reviewBoundaryName = (namePrefix: string): string => `${namePrefix}-review-boundary`;
/** Its ARN, in testing's account: review stacks' roles carry it. */
export const reviewBoundaryArn = (partition: string, accountId: string, namespace: string): string => `arn:${partition}:iam::${accountId}:policy/${reviewBoundaryName(`${namespace}-testing`)}`;
/** The previewer's own policy (metadata reads, data reads denied). */
export const previewerPolicyName = (namePrefix: string): string => `${namePrefix}-previewer-reads`;
/**
 * The audit account's built-in role for reading the trail (`<namespace>-audit-logs-reader`), created by the audit sink
 * and granted to teams in refarch:teams as `audit: logs-reader` like any role.
 */
export const LOGS_READER_ROLE = "logs-reader";
/**
 * The role AWS Organizations creates in every account it creates, trusting the management account; `CreateAccount`'s
 * RoleName defaults to it. https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html
 */
export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";
export const groupName = (namePrefix: string, team: string): string => `${namePrefix}-${team}`;

export const trailName = (namespace: string, stage: string): string => `${namespace}-${stage}-cloudtrail`;
/** Matches the trail of `stage` in `accountId` in any region: a trail's home region is its own stack's choice. */
export const trailArnPattern = (partition: string, namespace: string, stage: string, accountId: string): string =>
    `arn:${partition}:cloudtrail:*:${accountId}:trail/${trailName(namespace, stage)}`;
export const cloudtrailBucketName = (namespace: string): string => `${namespace}-audit-cloudtrail`;
/** The audit bucket that receives S3's server access logs of the CloudTrail bucket. */
export const accessLogBucketName = (namespace: string): string => `${cloudtrailBucketName(namespace)}-access-logs`;

/** The console sign-in URL of an account, by its alias or, without one, its id. */
export const signinUrl = (accountAliasOrId: string): string => `https://${accountAliasOrId}.signin.aws.amazon.com/console`;
/** The name part of a managed policy ARN: `.../policy/job-function/ViewOnlyAccess` -> `ViewOnlyAccess`. */
export const policyName = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);
