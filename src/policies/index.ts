// Pure builders of every IAM, S3, KMS and SCP policy document the program creates, and the names both sides of a trust share.
export { asList, DEFAULT_MFA_MAX_AGE_SECONDS } from "./document";
export type { PolicyDocument, Statement } from "./document";
export {
    accessLogBucketName,
    cloudtrailBucketName,
    deployerRoleName,
    groupName,
    LOGS_READER_ROLE,
    ORGANIZATION_ACCESS_ROLE,
    policyName,
    previewerRoleName,
    roleArn,
    roleName,
    signinUrl,
    stageRoleArn,
    trailArnPattern,
    trailName,
} from "./names";
export {
    CHANGING_OPERATIONS,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_ISSUER,
    githubEnvironmentSubject,
    githubPullRequestSubject,
    issuerName,
    oidcProviderArn,
    PULUMI_OIDC_ISSUER,
    pulumiDeploySubject,
} from "./oidc";
export type { PulumiOperation } from "./oidc";
export { deployerTrustPolicy, previewerTrustPolicy, roleTrustPolicy } from "./trust";
export type { OidcTrust } from "./trust";
export { assumeRolesPolicy, MFA_DEVICE_ADDING_ACTIONS, MFA_ENROLMENT_ACTIONS, selfServicePolicy } from "./identity";
export { CHUNK_BUDGET, chunkGrants, MAX_GROUPS_PER_USER, MAX_TEAM_POLICIES, POLICY_LIMITS, policySize } from "./limits";
export {
    accessLogBucketPolicy,
    auditDeployerArn,
    cloudtrailBucketPolicy,
    cloudtrailKeyPolicy,
    logsReaderPolicy,
    ORGANIZATION_TRAIL_SERVICE,
    ORGANIZATION_TRAIL_STACK,
    organizationTrailArnPattern,
    organizationTrailName,
    SINK_BUCKET_CHANGES,
    SINK_KEY_CHANGES,
    SINK_OBJECT_DELETES,
    SINK_OBJECT_WRITES,
    writerContexts,
} from "./logSink";
export type { OrganizationTrailWriter, TrailWriters } from "./logSink";
export {
    DEFAULT_GUARDRAILS,
    exemptRolePatterns,
    FULL_AWS_ACCESS,
    GLOBAL_SERVICE_ACTIONS,
    GUARDED_ACTIONS,
    guardrailLimitProblems,
    guardrailPolicies,
    MAX_GUARDRAIL_POLICIES,
    protectionPolicy,
    regionPolicy,
    SCP_LIMITS,
} from "./serviceControlPolicies";
export type { GuardrailScope, GuardrailSettings } from "./serviceControlPolicies";
