// The permissions of the deployment roles that are not admin: the previewer (reads metadata, never data) and the
// review role (review stacks' admin in testing, held inside a permissions boundary).
import { PolicyDocument } from "./document";

/** AWS's job-function policy that lists and describes resources without reading their contents. */
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ViewOnlyAccess.html
export const VIEW_ONLY_ACCESS = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

/**
 * Data-plane reads: an object, an item, a parameter, a secret, a log event, a message, a function's code and
 * environment, a decrypted ciphertext. Denied to the previewer explicitly, so no attached policy can grant them.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const DATA_PLANE_READS = [
    "s3:GetObject*",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:GetRecords",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "lambda:GetFunction",
    "lambda:InvokeFunction",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:StartLiveTail",
    "logs:GetLogRecord",
    "sqs:ReceiveMessage",
    "kinesis:GetRecords",
    "kms:Decrypt",
    "ec2:GetPasswordData",
    "ec2:GetConsoleOutput",
    "rds-data:ExecuteStatement",
    "athena:GetQueryResults",
];

/**
 * What `pulumi preview --refresh` reads for the resource types this program manages, beyond ViewOnlyAccess: each
 * provider's Get/Describe/List of resource metadata (an IAM role and its policies, a bucket's settings, a key's policy,
 * a trail's status), plus the program's invokes (iam:ListRoles for getRoles, organizations:DescribeOrganization and ListOrganizationalUnitsForParent for
 * getOrganization and getOrganizationalUnits; sts:GetCallerIdentity needs no permission,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). A plain preview reads only the invokes:
 * the resources' state comes from Pulumi Cloud.
 */
const REFRESH_READS = [
    "iam:Get*",
    "iam:List*",
    "s3:GetBucket*",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:ListAllMyBuckets",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrail",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetInsightSelectors",
    "cloudtrail:ListTags",
    "ec2:Describe*",
    "ec2:GetEbsEncryptionByDefault",
    "ec2:GetEbsDefaultKmsKeyId",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "acm:DescribeCertificate",
    "acm:ListTagsForCertificate",
    "route53:GetHostedZone",
    "route53:ListResourceRecordSets",
    "route53:GetChange",
    "organizations:Describe*",
    "organizations:List*",
    "budgets:ViewBudget",
    "budgets:ListTagsForResource",
    "access-analyzer:GetAnalyzer",
    "access-analyzer:ListAnalyzers",
    "access-analyzer:ListTagsForResource",
    "secretsmanager:DescribeSecret",
];


/**
 * The review role's policies: everything but IAM, the organization and the account (PowerUserAccess), and IAM
 * (IAMFullAccess), both held inside its boundary. Not AdministratorAccess, which only admin roles hold (policy pack).
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html
 */
export const reviewPolicyArns = (partition: string): string[] => [`arn:${partition}:iam::aws:policy/PowerUserAccess`, `arn:${partition}:iam::aws:policy/IAMFullAccess`];

/** What the review boundary needs to name: where it lives and what it protects. */
export interface ReviewBoundaryScope {
    partition: string;
    accountId: string;
    /** The boundary policy's own ARN: roles the review role creates must carry it. */
    boundaryArn: string;
    /** The names of the account's deployment roles (deployer, previewer, review role): never changed from a review stack. */
    protectedRoles: string[];
    /** `<namespace>-<review stack pattern>-*`: the IAM names a review stack's resources get (namePrefix `<namespace>-<stack>`). */
    reviewNamePattern: string;
}

// Actions that take iam:PermissionsBoundary, the boundary of the role or user they create or change.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys
const BOUNDED_WRITES = [
    "iam:CreateRole",
    "iam:PutRolePermissionsBoundary",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:CreateUser",
    "iam:PutUserPermissionsBoundary",
    "iam:AttachUserPolicy",
    "iam:DetachUserPolicy",
    "iam:PutUserPolicy",
    "iam:DeleteUserPolicy",
];
// Role and policy changes without that key: allowed only on a review stack's own names.
const ROLE_WRITES = ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:PassRole"];
const POLICY_WRITES = ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"];
/** The account's audit trail, its organization, its identity providers and account-wide settings: never a review stack's to change. */
const ACCOUNT_GUARDS = [
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:CreateTrail",
    "organizations:*",
    "account:*",
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:CreateSAMLProvider",
    "iam:UpdateSAMLProvider",
    "iam:DeleteSAMLProvider",
    "iam:UpdateAccountPasswordPolicy",
    "iam:DeleteAccountPasswordPolicy",
    "iam:CreateAccountAlias",
    "iam:DeleteAccountAlias",
    "s3:PutAccountPublicAccessBlock",
    "ec2:DisableEbsEncryptionByDefault",
    "access-analyzer:DeleteAnalyzer",
];

/**
 * The services a review stack's program uses (the components in src/components: IAM, S3, KMS, EC2 and the VPC, RDS
 * and its managed secret, ACM, Route 53, logs and metrics): the boundary's ceiling. A component using another
 * service adds it here.
 */
const REVIEW_SERVICES = ["iam:*", "sts:*", "s3:*", "kms:*", "ec2:*", "elasticloadbalancing:*", "rds:*", "secretsmanager:*", "acm:*", "route53:*", "logs:*", "cloudwatch:*", "tag:*"];

/**
 * The previewer's own policy: the refresh reads, the explicit denial of every data-plane read and, whatever else is
 * attached to it (refarch:deployer.previewerPolicyArns), of changing IAM, the trail, the organization or the account.
 */
export function previewerPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadResourceMetadataForPreviewAndRefresh", Effect: "Allow", Action: REFRESH_READS, Resource: "*" },
            { Sid: "NeverReadData", Effect: "Deny", Action: DATA_PLANE_READS, Resource: "*" },
            // Not ACCOUNT_GUARDS' organizations:* and account:*: a preview reads the organization (getOrganization).
            { Sid: "NeverChangeIdentitiesOrTheTrail", Effect: "Deny", Action: [...BOUNDED_WRITES, ...ROLE_WRITES, ...POLICY_WRITES, "iam:DeleteRolePermissionsBoundary", ...ACCOUNT_GUARDS.filter((a) => !a.endsWith(":*"))], Resource: "*" },
        ],
    };
}

/**
 * The review role's permissions boundary: the services review stacks use, except changing IAM roles and policies
 * other than those inside this same boundary (so no role it makes can exceed it), removing a boundary, touching the
 * deployment roles or the boundary itself, and changing the trail, the organization or the account's identity settings.
 */
export function reviewBoundaryPolicy(scope: ReviewBoundaryScope): PolicyDocument {
    const iam = (kind: string, name: string) => `arn:${scope.partition}:iam::${scope.accountId}:${kind}/${name}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "CeilingOfTheServicesReviewStacksUse", Effect: "Allow", Action: REVIEW_SERVICES, Resource: "*" },
            { Sid: "OnlyRolesAndUsersInThisBoundary", Effect: "Deny", Action: BOUNDED_WRITES, Resource: "*", Condition: { StringNotEquals: { "iam:PermissionsBoundary": scope.boundaryArn } } },
            { Sid: "NeverRemoveABoundary", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], Resource: "*" },
            { Sid: "RolesOfReviewStacksOnly", Effect: "Deny", Action: ROLE_WRITES, NotResource: iam("role", scope.reviewNamePattern) },
            { Sid: "PoliciesOfReviewStacksOnly", Effect: "Deny", Action: POLICY_WRITES, NotResource: iam("policy", scope.reviewNamePattern) },
            {
                Sid: "NeverTheDeploymentRolesOrThisBoundary",
                Effect: "Deny",
                Action: [...BOUNDED_WRITES, ...ROLE_WRITES, ...POLICY_WRITES, "iam:DeleteRolePermissionsBoundary"],
                Resource: [...scope.protectedRoles.map((name) => iam("role", name)), scope.boundaryArn],
            },
            { Sid: "NeverTheTrailOrganizationOrAccount", Effect: "Deny", Action: ACCOUNT_GUARDS, Resource: "*" },
        ],
    };
}
