// The organization's guardrails: the service control policies (SCPs) attached to each member account, one set per
// account, once that account's deployer exists. An SCP only limits, and never applies to the management account or to
// service-linked roles. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
import { PolicyDocument, Statement } from "./document";
import { policySize } from "./limits";
import { accessLogBucketName, cloudtrailBucketName, deployerRoleName, ORGANIZATION_ACCESS_ROLE, roleArn, trailName } from "./names";
import { GITHUB_OIDC_ISSUER, oidcProviderArn, PULUMI_OIDC_ISSUER } from "./oidc";

/**
 * AWS Organizations quotas: an SCP is at most 5,120 characters; a root, OU or account holds at most 5 SCPs,
 * one of which is AWS's FullAWSAccess, attached by default and needed for anything to be allowed; an organization
 * holds at most 10,000 SCPs. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_LIMITS = { characters: 5120, perTarget: 5, perOrganization: 10_000 };
/** The SCPs of ours a target can hold beside FullAWSAccess. */
export const MAX_GUARDRAIL_POLICIES = SCP_LIMITS.perTarget - 1;

/** AWS's FullAWSAccess SCP, as AWS attaches it to the root, every OU and every account. */
export const FULL_AWS_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** What OrganizationAccountAccessRole may still do in a member account once its deployer exists. */
export type AccessRoleAfterBootstrap = "mfa" | "denied";

export interface GuardrailSettings {
    /** Deny `organizations:LeaveOrganization` to everyone in a member account. Default true. */
    leaveOrganization: boolean;
    /** Deny stopping, deleting or changing this program's trails, the audit buckets, their logs, key and the deployers' OIDC providers. Default true. */
    auditTrail: boolean;
    /** Deny every action to a member account's root user. Default true. */
    rootUser: boolean;
    /** When set, deny every regional action outside these regions (global services keep working). Default unset: no region limit. */
    allowedRegions?: string[];
    /**
     * OrganizationAccountAccessRole once the account's deployer exists: "mfa" acts only in a session assumed with MFA,
     * "denied" does nothing. Never exempt either way. Default "mfa".
     */
    accessRole: AccessRoleAfterBootstrap;
    /** More SCPs, attached beside the built-in ones: name -> policy document. Default none. */
    custom: Record<string, PolicyDocument>;
}

export const DEFAULT_GUARDRAILS: GuardrailSettings = { leaveOrganization: true, auditTrail: true, rootUser: true, accessRole: "mfa", custom: {} };

export interface GuardrailScope {
    partition: string;
    namespace: string;
}

/** One member account as its guardrails name it. */
export interface GuardedAccount {
    stage: string;
    accountId: string;
    /** The audit account's id: there, and only there, the account's own deployer may change the audit sink. */
    auditAccountId?: string;
    /**
     * Whom the guardrails leave alone in this account: its deployer (the default), or, with the deployer switched off,
     * OrganizationAccountAccessRole, then the only way the program deploys there.
     */
    exempt: "deployer" | "accessRole";
}

/**
 * The one principal the guardrails of an account leave alone, by its exact ARN (matched on aws:PrincipalArn, which for a
 * role session is the role's ARN): `<namespace>-<stage>-deployer` in that account and no other, so no look-alike
 * (`<ns>-<stage>-release-deployer`, a review stack's role, another account's deployer) is exempt.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * Not an IAM path: a role's path is immutable, so moving the deployers under one would replace every live deployer,
 * the role each deploy runs as (https://www.pulumi.com/docs/reference/pkg/aws/iam/role: changing `name` or `path`).
 */
export function exemptPrincipalArn({ partition, namespace }: GuardrailScope, account: GuardedAccount): string {
    const name = account.exempt === "deployer" ? deployerRoleName(`${namespace}-${account.stage}`) : ORGANIZATION_ACCESS_ROLE;
    return roleArn(partition, account.accountId, name);
}

const unless = (arn: string) => ({ ArnNotEquals: { "aws:PrincipalArn": arn } });

/** The IAM actions that make, remove or change a role, its trust or its policies. */
export const ROLE_CHANGING_ACTIONS = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
];

/** The actions each audit guardrail denies; tests prove each is in the SCPs and denied to an account's administrator. */
export const GUARDED_ACTIONS = {
    trail: ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"],
    /** On the CloudTrail bucket and the bucket of its access logs. */
    bucket: [
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:PutBucketAcl",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketLogging",
        "s3:PutReplicationConfiguration",
        "s3:PutBucketObjectLockConfiguration",
    ],
    /** On every object of both buckets: logs are written only by the services (CloudTrail, S3 logging), never by a principal of an account. */
    logs: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention"],
    key: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy"],
    keyAlias: ["kms:DeleteAlias", "kms:UpdateAlias"],
    /** On the account's GitHub and Pulumi OIDC providers, which the deployer and previewer trust. */
    oidcProvider: [
        "iam:DeleteOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
    ],
    /** On the exempt role itself: only it may change itself, or an admin could rewrite its trust and walk through. */
    exemptRole: ROLE_CHANGING_ACTIONS,
};

/** The built-in guardrails of one member account that are on, as one SCP. Undefined when all are off. */
export function protectionPolicy(scope: GuardrailScope, account: GuardedAccount, settings: GuardrailSettings): PolicyDocument | undefined {
    const { partition, namespace } = scope;
    const exempt = exemptPrincipalArn(scope, account);
    const statements: Statement[] = [];
    if (settings.leaveOrganization) {
        // No principal needs to leave: none is exempt.
        statements.push({ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" });
    }
    if (settings.rootUser) {
        // AWS's example SCP "Deny root user access": the root user's ARN is arn:aws:iam::<account>:root.
        // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
        statements.push({ Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": `arn:${partition}:iam::*:root` } } });
    }
    if (settings.auditTrail) {
        const buckets = [cloudtrailBucketName(namespace), accessLogBucketName(namespace)];
        const alias = `alias/${buckets[0]}`;
        // The audit sink is the audit account's: there its deployer keeps it up to date; from any other account no one touches it.
        const sinkExempt = account.auditAccountId === account.accountId ? { Condition: unless(exempt) } : {};
        statements.push(
            { Sid: "ProtectTrails", Effect: "Deny", Action: GUARDED_ACTIONS.trail, Resource: `arn:${partition}:cloudtrail:*:*:trail/${trailName(namespace, "*")}`, Condition: unless(exempt) },
            { Sid: "ProtectAuditBuckets", Effect: "Deny", Action: GUARDED_ACTIONS.bucket, Resource: buckets.map((b) => `arn:${partition}:s3:::${b}`), ...sinkExempt },
            // Log files are never written, overwritten or deleted by hand: the services write them, the lifecycle rule expires them. No one is exempt.
            { Sid: "ProtectAuditLogs", Effect: "Deny", Action: GUARDED_ACTIONS.logs, Resource: buckets.map((b) => `arn:${partition}:s3:::${b}/*`) },
            // The key's ARN is random; its alias is the program's. kms:ResourceAliases names the aliases of the key a request acts on.
            // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
            { Sid: "ProtectAuditKey", Effect: "Deny", Action: GUARDED_ACTIONS.key, Resource: "*", Condition: { ...sinkExempt.Condition, "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias } } },
            { Sid: "ProtectAuditKeyAlias", Effect: "Deny", Action: GUARDED_ACTIONS.keyAlias, Resource: `arn:${partition}:kms:*:*:${alias}`, ...sinkExempt },
            {
                Sid: "ProtectOidcProviders",
                Effect: "Deny",
                Action: GUARDED_ACTIONS.oidcProvider,
                Resource: [GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER].map((issuer) => oidcProviderArn(partition, account.accountId, issuer)),
                Condition: unless(exempt),
            },
        );
    }
    if (settings.auditTrail || settings.allowedRegions) {
        // Who may make, remove or change the exempt role: only itself. Deleting and re-creating it would otherwise hand its ARN to anyone.
        statements.push({ Sid: "ProtectExemptRole", Effect: "Deny", Action: GUARDED_ACTIONS.exemptRole, Resource: exempt, Condition: unless(exempt) });
    }
    if (account.exempt === "deployer") {
        // After bootstrap the access role is an ordinary principal of the account, held to the settings' choice. A session
        // assumed with MFA carries aws:MultiFactorAuthPresent true; IfExists also denies a session that carries no such key.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/MFAProtectedAPI.html
        const accessRole = { ArnEquals: { "aws:PrincipalArn": roleArn(partition, account.accountId, ORGANIZATION_ACCESS_ROLE) } };
        const condition: Statement["Condition"] = settings.accessRole === "mfa" ? { ...accessRole, BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } : accessRole;
        statements.push({ Sid: "LimitAccessRole", Effect: "Deny", Action: "*", Resource: "*", Condition: condition });
    }
    return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
}

/**
 * Global services, whose requests go to us-east-1 whatever region is chosen, and so are never region-limited.
 * The list of AWS's example SCP "Deny access to AWS based on the requested AWS Region":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
 */
export const GLOBAL_SERVICE_ACTIONS = [
    "a4b:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*", "budgets:*", "ce:*", "chime:*", "cloudfront:*", "config:*", "cur:*",
    "directconnect:*", "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*", "globalaccelerator:*", "health:*", "iam:*",
    "importexport:*", "kms:*", "mobileanalytics:*", "networkmanager:*", "organizations:*", "pricing:*", "route53:*", "route53domains:*",
    "route53-recovery-cluster:*", "route53-recovery-control-config:*", "route53-recovery-readiness:*", "s3:GetAccountPublic*", "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*", "shield:*", "sts:*", "support:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*", "wellarchitected:*",
]; // prettier-ignore

/** Deny every regional action outside `regions`, as AWS's example does, with the account's exempt principal left alone. */
export function regionPolicy(scope: GuardrailScope, account: GuardedAccount, regions: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyOutsideAllowedRegions",
                Effect: "Deny",
                NotAction: GLOBAL_SERVICE_ACTIONS,
                Resource: "*",
                Condition: { StringNotEquals: { "aws:RequestedRegion": regions }, ...unless(exemptPrincipalArn(scope, account)) },
            },
        ],
    };
}

/** The SCPs of one member account, each attached to the account itself: policy key -> document. Keys name the resources. */
export function accountGuardrailPolicies(scope: GuardrailScope, account: GuardedAccount, settings: GuardrailSettings): Record<string, PolicyDocument> {
    const policies: Record<string, PolicyDocument> = {};
    const protection = protectionPolicy(scope, account, settings);
    if (protection) policies.protect = protection;
    if (settings.allowedRegions) policies.regions = regionPolicy(scope, account, settings.allowedRegions);
    return policies;
}

/** The custom SCPs, made once and attached to every guarded account beside its own: `custom-<name>` -> document. */
export function sharedGuardrailPolicies(settings: GuardrailSettings): Record<string, PolicyDocument> {
    return Object.fromEntries(Object.entries(settings.custom).map(([name, document]) => [`custom-${name}`, document]));
}

/** Every SCP one member account holds beside FullAWSAccess: its own and the shared custom ones. */
export function guardrailPolicies(scope: GuardrailScope, account: GuardedAccount, settings: GuardrailSettings): Record<string, PolicyDocument> {
    return { ...accountGuardrailPolicies(scope, account, settings), ...sharedGuardrailPolicies(settings) };
}

/**
 * Each problem with the guardrails as AWS would refuse them, for every member account: too many SCPs on one account,
 * one SCP too large, or more SCPs than an organization holds.
 */
export function guardrailLimitProblems(scope: GuardrailScope, accounts: GuardedAccount[], settings: GuardrailSettings): string[] {
    const problems = new Set<string>();
    for (const account of accounts) {
        const policies = guardrailPolicies(scope, account, settings);
        const count = Object.keys(policies).length;
        if (count > MAX_GUARDRAIL_POLICIES) {
            problems.add(`makes ${count} SCPs for every member account; AWS allows ${SCP_LIMITS.perTarget} per target, one of them FullAWSAccess, so at most ${MAX_GUARDRAIL_POLICIES}`);
        }
        for (const [name, document] of Object.entries(policies)) {
            const size = policySize(document);
            if (size > SCP_LIMITS.characters) problems.add(`makes the SCP "${name}" of stage ${account.stage} ${size} characters; AWS allows ${SCP_LIMITS.characters}`);
        }
    }
    const total = accounts.reduce((sum, account) => sum + Object.keys(accountGuardrailPolicies(scope, account, settings)).length, 0) + Object.keys(settings.custom).length;
    if (total > SCP_LIMITS.perOrganization) problems.add(`makes ${total} SCPs; AWS allows ${SCP_LIMITS.perOrganization} in an organization`);
    return [...problems];
}
