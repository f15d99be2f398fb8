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
    previewerPolicyName,
    previewerRoleName,
    reviewBoundaryArn,
    reviewBoundaryName,
    reviewerRoleName,
    roleArn,
    roleName,
    signinUrl,
    stageRoleArn,
    trailArnPattern,
    trailName,
} from "./names";
export {
    ALL_OPERATIONS,
    CHANGING_OPERATIONS,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_ISSUER,
    GITHUB_SUBJECT_CLAIM_KEYS,
    githubBranchJobSubject,
    githubDeploySubject,
    githubJobSubject,
    githubPullRequestSubject,
    githubReviewedPreviewSubject,
    issuerName,
    oidcProviderArn,
    PULUMI_OIDC_ISSUER,
    pulumiDeploySubject,
} from "./oidc";
export type { PulumiOperation } from "./oidc";
export { deployTeam, exchangeGranted, githubIssuerPolicies, pipelineTeams, previewEnvironment, pulumiAudience, pulumiPatternMatches } from "./pulumiCloud";
export type { IssuerPolicy, PipelineTeams, PulumiTokenType, TokenRequest } from "./pulumiCloud";
export { deployerTrustPolicy, previewerTrustPolicy, reviewerTrustPolicy, roleTrustPolicy } from "./trust";
export { DATA_PLANE_READS, previewerPolicy, reviewBoundaryPolicy, reviewPolicyArns, VIEW_ONLY_ACCESS } from "./deploymentRoles";
export type { ReviewBoundaryScope } from "./deploymentRoles";
export type { OidcTrust, PullRequestPreviews } from "./trust";
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
    accountGuardrailPolicies,
    DEFAULT_GUARDRAILS,
    exemptPrincipalArn,
    FULL_AWS_ACCESS,
    GLOBAL_SERVICE_ACTIONS,
    GUARDED_ACTIONS,
    guardrailLimitProblems,
    guardrailPolicies,
    MAX_GUARDRAIL_POLICIES,
    protectionPolicy,
    regionPolicy,
    ROLE_CHANGING_ACTIONS,
    SCP_LIMITS,
    sharedGuardrailPolicies,
} from "./serviceControlPolicies";
export type { AccessRoleAfterBootstrap, GuardedAccount, GuardrailScope, GuardrailSettings } from "./serviceControlPolicies";
export { GUARDRAIL_WEAKENING_ACTIONS, rootRolesDenyPolicy } from "./rootProtection";
export type { RootScope } from "./rootProtection";
