// The organization's guardrails: the service control policies (SCPs) attached to every member account through its
// unit. An SCP only limits, and never applies to the management account or to service-linked roles.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
import { PolicyDocument, Statement } from "./document";
import { policySize } from "./limits";
import { cloudtrailBucketName, deployerRoleName, ORGANIZATION_ACCESS_ROLE, trailName } from "./names";

/**
 * AWS Organizations quotas: an SCP is at most 5,120 characters; a root, OU or account holds at most 5 SCPs,
 * one of which is AWS's FullAWSAccess, attached by default and needed for anything to be allowed.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_LIMITS = { characters: 5120, perTarget: 5 };
/** The SCPs of ours a target can hold beside FullAWSAccess. */
export const MAX_GUARDRAIL_POLICIES = SCP_LIMITS.perTarget - 1;

/** AWS's FullAWSAccess SCP, as AWS attaches it to the root, every OU and every account. */
export const FULL_AWS_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

export interface GuardrailSettings {
    /** Deny `organizations:LeaveOrganization` to everyone in a member account. Default true. */
    leaveOrganization: boolean;
    /** Deny stopping, deleting or changing this program's trails, and deleting or weakening the audit bucket, its key and policies. Default true. */
    auditTrail: boolean;
    /** Deny every action to a member account's root user. Default true. */
    rootUser: boolean;
    /** When set, deny every regional action outside these regions (global services keep working). Default unset: no region limit. */
    allowedRegions?: string[];
    /** More SCPs, attached beside the built-in ones: name -> policy document. Default none. */
    custom: Record<string, PolicyDocument>;
}

export const DEFAULT_GUARDRAILS: GuardrailSettings = { leaveOrganization: true, auditTrail: true, rootUser: true, custom: {} };

export interface GuardrailScope {
    partition: string;
    namespace: string;
}

/**
 * The principals the guardrails leave alone: each stage's deployer and the organization's access role, matched on
 * aws:PrincipalArn, which for a role session is the role's ARN, not the session's.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * By name in any account, not each deployer's ARN: at 100 accounts and an 18-character namespace that list alone is over
 * 6,000 characters, and every character of an SCP counts against its 5,120; an IAM path would replace every deployer in use.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 * Only the deployers bear such a name: exemptRoleStatement denies making or changing one to everyone else, and config
 * refuses a role of refarch:roles that would match (src/config/rules/roleNames.ts), so the program never makes one either.
 */
export function exemptRolePatterns({ partition, namespace }: GuardrailScope): string[] {
    return [`arn:${partition}:iam::*:role/${deployerRoleName(`${namespace}-*`)}`, `arn:${partition}:iam::*:role/${ORGANIZATION_ACCESS_ROLE}`];
}

const unlessExempt = (scope: GuardrailScope) => ({ ArnNotLike: { "aws:PrincipalArn": exemptRolePatterns(scope) } });

/** Who may change the exempt roles: only themselves. Without this an administrator could rewrite the deployer's trust and walk through. */
function exemptRoleStatement(scope: GuardrailScope): Statement {
    return {
        Sid: "ProtectExemptRoles",
        Effect: "Deny",
        Action: [
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
        ],
        Resource: exemptRolePatterns(scope),
        Condition: unlessExempt(scope),
    };
}

/** The actions each audit guardrail denies; tests prove each is denied to an account's administrator. */
export const GUARDED_ACTIONS = {
    trail: ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"],
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
    ],
    logs: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    key: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy"],
    keyAlias: ["kms:DeleteAlias", "kms:UpdateAlias"],
};

/** The built-in guardrails that are on, as one SCP (one of a target's five). Undefined when all are off. */
export function protectionPolicy(scope: GuardrailScope, settings: GuardrailSettings): PolicyDocument | undefined {
    const { partition, namespace } = scope;
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
        const bucket = cloudtrailBucketName(namespace);
        const alias = `alias/${bucket}`;
        statements.push(
            { Sid: "ProtectTrails", Effect: "Deny", Action: GUARDED_ACTIONS.trail, Resource: `arn:${partition}:cloudtrail:*:*:trail/${trailName(namespace, "*")}`, Condition: unlessExempt(scope) },
            { Sid: "ProtectAuditBucket", Effect: "Deny", Action: GUARDED_ACTIONS.bucket, Resource: `arn:${partition}:s3:::${bucket}`, Condition: unlessExempt(scope) },
            // Log files are never deleted by hand: the bucket's lifecycle rule expires them. No one is exempt.
            { Sid: "ProtectAuditLogs", Effect: "Deny", Action: GUARDED_ACTIONS.logs, Resource: `arn:${partition}:s3:::${bucket}/*` },
            // The key's ARN is random; its alias is the program's. kms:ResourceAliases names the aliases of the key a request acts on.
            // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
            {
                Sid: "ProtectAuditKey",
                Effect: "Deny",
                Action: GUARDED_ACTIONS.key,
                Resource: "*",
                Condition: { ...unlessExempt(scope), "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias } },
            },
            { Sid: "ProtectAuditKeyAlias", Effect: "Deny", Action: GUARDED_ACTIONS.keyAlias, Resource: `arn:${partition}:kms:*:*:${alias}`, Condition: unlessExempt(scope) },
        );
    }
    if (settings.auditTrail || settings.allowedRegions) statements.push(exemptRoleStatement(scope));
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

/** Deny every regional action outside `regions`, as AWS's example does, with the deployer and the access role exempt. */
export function regionPolicy(scope: GuardrailScope, regions: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyOutsideAllowedRegions",
                Effect: "Deny",
                NotAction: GLOBAL_SERVICE_ACTIONS,
                Resource: "*",
                Condition: { StringNotEquals: { "aws:RequestedRegion": regions }, ...unlessExempt(scope) },
            },
        ],
    };
}

/** Every SCP the organization attaches to its member accounts: policy key -> document. Keys name the resources. */
export function guardrailPolicies(scope: GuardrailScope, settings: GuardrailSettings): Record<string, PolicyDocument> {
    const policies: Record<string, PolicyDocument> = {};
    const protection = protectionPolicy(scope, settings);
    if (protection) policies.protect = protection;
    if (settings.allowedRegions) policies.regions = regionPolicy(scope, settings.allowedRegions);
    for (const [name, document] of Object.entries(settings.custom)) policies[`custom-${name}`] = document;
    return policies;
}

/** Each problem with the guardrails as AWS would refuse them: too many for a target, or one too large. */
export function guardrailLimitProblems(policies: Record<string, PolicyDocument>): string[] {
    const problems: string[] = [];
    const count = Object.keys(policies).length;
    if (count > MAX_GUARDRAIL_POLICIES) {
        problems.push(`makes ${count} SCPs for every organizational unit; AWS allows ${SCP_LIMITS.perTarget} per target, one of them FullAWSAccess, so at most ${MAX_GUARDRAIL_POLICIES}`);
    }
    for (const [name, document] of Object.entries(policies)) {
        const size = policySize(document);
        if (size > SCP_LIMITS.characters) problems.push(`makes the SCP "${name}" ${size} characters; AWS allows ${SCP_LIMITS.characters}`);
    }
    return problems;
}
