// Pure builders of every IAM, S3 and KMS policy document this program creates, and the names both
// sides of a trust share (a role's name is computed here for the account that creates it and for
// the root group that assumes it, so the two cannot drift).

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/** A policy field that may be one value or a list (Action, Resource, Principal.AWS, ...), as a list. */
export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const CLOUDTRAIL = "cloudtrail.amazonaws.com";
/** The service principal that delivers S3 server access logs. */
const S3_LOGGING = "logging.s3.amazonaws.com";
const MFA_PRESENT = { Bool: { "aws:MultiFactorAuthPresent": "true" } };

export const roleName = (namePrefix: string, role: string): string => `${namePrefix}-${role}`;
export const roleArn = (partition: string, accountId: string, name: string): string => `arn:${partition}:iam::${accountId}:role/${name}`;
/** The ARN a stage's own stack gives a role (`<namespace>-<stage>-<role>`, no path). */
export const stageRoleArn = (partition: string, accountId: string, namespace: string, stage: string, role: string): string =>
    roleArn(partition, accountId, roleName(`${namespace}-${stage}`, role));
export const trailName = (namespace: string, stage: string): string => `${namespace}-${stage}-cloudtrail`;
/** Matches the trail of `stage` in `accountId` in any region: a trail's home region is its own stack's choice. */
export const trailArnPattern = (partition: string, namespace: string, stage: string, accountId: string): string =>
    `arn:${partition}:cloudtrail:*:${accountId}:trail/${trailName(namespace, stage)}`;
export const cloudtrailBucketName = (namespace: string): string => `${namespace}-audit-cloudtrail`;
/** The audit bucket that receives S3's server access logs of the CloudTrail bucket. */
export const accessLogBucketName = (namespace: string): string => `${cloudtrailBucketName(namespace)}-access-logs`;
/**
 * The audit account's built-in role for reading the trail, `<namespace>-audit-logs-reader`: created by the audit sink
 * beside the bucket and key it reads, and granted to teams in refarch:teams as `audit: logs-reader` like any role.
 */
export const LOGS_READER_ROLE = "logs-reader";
export const groupName = (namePrefix: string, team: string): string => `${namePrefix}-${team}`;
/** The console sign-in URL of an account, by its alias or, without one, its id. */
export const signinUrl = (accountAliasOrId: string): string => `https://${accountAliasOrId}.signin.aws.amazon.com/console`;

/** Pulumi Cloud's OIDC issuer: the `iss` of every Pulumi Deployments token; its `aud` is the Pulumi organization. */
export const PULUMI_OIDC_ISSUER = "https://api.pulumi.com/oidc";
/** GitHub Actions' OIDC issuer; tokens requested for AWS carry `aud` sts.amazonaws.com. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
export const deployerRoleName = (namePrefix: string): string => `${namePrefix}-deployer`;
/**
 * How IAM names an OIDC issuer, in its provider's ARN and its condition keys (`<host/path>:aud`): the URL without
 * https:// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 */
// Stryker disable next-line Regex: the issuers begin with https:// and hold it once, so the anchor changes nothing.
export const issuerName = (issuer: string): string => issuer.replace(/^https:\/\//, "");
/** The ARN IAM gives an account's OIDC provider for an issuer. */
export const oidcProviderArn = (partition: string, accountId: string, issuer: string): string => `arn:${partition}:iam::${accountId}:oidc-provider/${issuerName(issuer)}`;
export const previewerRoleName = (namePrefix: string): string => `${namePrefix}-previewer`;

/**
 * The `sub` of a Pulumi Deployments token for one operation on one stack, as Pulumi documents it
 * (https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/): `pulumi:deploy:org:<organization name>:project:<project
 * name>:stack:<stack name>:operation:<operation kind>:scope:write`, operation one of preview, update, refresh, destroy.
 */
export const pulumiDeploySubject = (organization: string, project: string, stack: string, operation: PulumiOperation): string =>
    `pulumi:deploy:org:${organization}:project:${project}:stack:${stack}:operation:${operation}:scope:write`;
export type PulumiOperation = "preview" | "update" | "refresh" | "destroy";
/** The operations that change (or re-read) an account: only the deployer runs them. */
export const CHANGING_OPERATIONS: PulumiOperation[] = ["update", "refresh", "destroy"];

/**
 * GitHub's `sub` for a job: `<prefix>:pull_request` for a pull_request event, `<prefix>:environment:<name>` for a job
 * in an environment (https://docs.github.com/en/actions/reference/security/oidc). The prefix is `repo:<owner>/<repo>`,
 * or, for repositories with immutable subject claims, `repo:<owner>@<owner id>/<repo>@<repo id>` (GitHub changelog
 * 2026-04-23 "Immutable subject claims for GitHub Actions OIDC tokens"; github/docs#45221).
 */
export const githubPullRequestSubject = (prefix: string): string => `${prefix}:pull_request`;
export const githubEnvironmentSubject = (prefix: string, environment: string): string => `${prefix}:environment:${environment}`;

/** Where OIDC tokens come from, for one account's trust policies. */
export interface OidcTrust {
    /** ARN of the account's OIDC provider for Pulumi Cloud. */
    pulumiProviderArn: string;
    organization: string;
    project: string;
    /** The stacks (names or `*` patterns) whose deployments may assume the role. */
    stacks: string[];
    /** When set: GitHub Actions of one repository, by its subject prefix (`repo:owner/name`, or the immutable form). */
    github?: { providerArn: string; subjectPrefix: string };
}

const PULUMI_CLAIM = issuerName(PULUMI_OIDC_ISSUER);
const GITHUB_CLAIM = issuerName(GITHUB_OIDC_ISSUER);

function webIdentityTrust(sid: string, providerArn: string, audienceClaim: string, audience: string, subjectClaim: string, subjects: string[]): Statement {
    // StringLike, not StringEquals, for the subjects: review-stack patterns (`pr-*`) are wildcards.
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [audienceClaim]: audience }, StringLike: { [subjectClaim]: subjects } },
    };
}

/**
 * Trust policy of the admin deployer role: only web identities, never the root account, and never a pull-request
 * trigger. Pulumi Deployments of exactly the listed stacks, for update, refresh and destroy (not preview), and
 * GitHub Actions jobs of one repository running in the GitHub environment named after one of the stacks.
 */
export function deployerTrustPolicy(trust: OidcTrust): PolicyDocument {
    const statements: Statement[] = [
        webIdentityTrust(
            "PulumiDeploymentsOfThisStack",
            trust.pulumiProviderArn,
            `${PULUMI_CLAIM}:aud`,
            trust.organization,
            `${PULUMI_CLAIM}:sub`,
            trust.stacks.flatMap((stack) => CHANGING_OPERATIONS.map((op) => pulumiDeploySubject(trust.organization, trust.project, stack, op))),
        ),
    ];
    // A GitHub environment is named after one stack: patterns (review stacks) have none. The stage's own stack is always listed.
    const environments = trust.stacks.filter((s) => !s.includes("*"));
    if (trust.github) {
        const prefix = trust.github.subjectPrefix;
        statements.push(
            webIdentityTrust("GitHubEnvironmentOfThisStack", trust.github.providerArn, `${GITHUB_CLAIM}:aud`, GITHUB_OIDC_AUDIENCE, `${GITHUB_CLAIM}:sub`, environments.map((env) => githubEnvironmentSubject(prefix, env))),
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Trust policy of the read-only previewer role: what pull requests reach. Pulumi Deployments' preview operation
 * of the listed stacks, and GitHub Actions jobs of one repository triggered by pull_request.
 */
export function previewerTrustPolicy(trust: OidcTrust): PolicyDocument {
    const statements: Statement[] = [
        webIdentityTrust(
            "PulumiPreviewsOfThisStack",
            trust.pulumiProviderArn,
            `${PULUMI_CLAIM}:aud`,
            trust.organization,
            `${PULUMI_CLAIM}:sub`,
            trust.stacks.map((stack) => pulumiDeploySubject(trust.organization, trust.project, stack, "preview")),
        ),
    ];
    if (trust.github) {
        statements.push(
            webIdentityTrust("GitHubPullRequestsOfThisRepository", trust.github.providerArn, `${GITHUB_CLAIM}:aud`, GITHUB_OIDC_AUDIENCE, `${GITHUB_CLAIM}:sub`, [githubPullRequestSubject(trust.github.subjectPrefix)]),
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy of a human role: only principals of the root account, and only with MFA where required. */
export function roleTrustPolicy(partition: string, rootAccountId: string, requireMfa: boolean): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "TrustRootAccount",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${rootAccountId}:root` },
                Action: "sts:AssumeRole",
                ...(requireMfa ? { Condition: MFA_PRESENT } : {}),
            },
        ],
    };
}

/** A team's policy in root: assume exactly these role ARNs (all or one chunk of the team's grants), and only with MFA. */
export function assumeRolesPolicy(roleArns: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeGrantedRolesWithMfa",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: [...roleArns].sort(),
                Condition: MFA_PRESENT,
            },
        ],
    };
}

/**
 * AWS's size limits on policy documents, in characters (IAM counts them without whitespace; every
 * document here is compact JSON). Group inline policies share 5,120 across the group, so team grants
 * go into managed policies instead, at most MAX_TEAM_POLICIES of them beside the self-service policy
 * (IAM's default quota is 10 managed policies per group).
 */
export const POLICY_LIMITS = {
    groupInlinePolicies: 5120,
    // The aggregate of a role's inline policies, in non-whitespace characters (IAM and AWS STS quotas:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "Role policy size cannot exceed 10,240 characters").
    roleInlinePolicies: 10240,
    managedPolicy: 6144,
    roleTrustPolicy: 2048,
    bucketPolicy: 20 * 1024,
    keyPolicy: 32 * 1024,
} as const;
export const MAX_TEAM_POLICIES = 9;
/** IAM's default quota of groups a user may belong to. */
export const MAX_GROUPS_PER_USER = 10;
/** The size a team's managed policy is packed to: a tenth of IAM's limit is left for ARNs longer than predicted (a role path set outside this program). */
export const CHUNK_BUDGET = Math.floor(POLICY_LIMITS.managedPolicy * 0.9);

export const policySize = (document: PolicyDocument): number => JSON.stringify(document).length;

/**
 * Splits a team's grants into as few managed policies as fit IAM's size limit, packed in the order
 * given, judged by the ARNs each grant is predicted to have. Each chunk is keyed by its first grant,
 * so renaming or reordering teams never renames a chunk.
 */
export function chunkGrants<T extends { key: string; predictedArn: string }>(grants: T[]): T[][] {
    const chunks: T[][] = [];
    let current: T[] = [];
    for (const grant of grants) {
        const candidate = [...current, grant];
        if (current.length > 0 && policySize(assumeRolesPolicy(candidate.map((g) => g.predictedArn))) > CHUNK_BUDGET) {
            chunks.push(current);
            current = [grant];
        } else {
            current = candidate;
        }
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
}

/**
 * The actions a user signed in without MFA may still take, all on their own user: enrol an MFA device
 * (create one of any name, enable it, list and resync it), change their own password and read the rules it
 * must meet. Everything else is denied until they sign in again with MFA.
 */
export const MFA_ENROLMENT_ACTIONS = [
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "iam:ChangePassword",
    "iam:GetUser",
    "iam:GetAccountPasswordPolicy",
    "sts:GetSessionToken",
];

/**
 * Every root user's own-credentials policy: manage your password, MFA device and access keys; without
 * MFA, nothing but MFA_ENROLMENT_ACTIONS. It follows AWS's documented examples, "IAM: Allows IAM users to
 * self-manage an MFA device" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html)
 * and the tutorial "Permit users to manage their credentials and MFA settings"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html): the console
 * asks the user to name the device, so it may be created under any name (`mfa/*`), and it can only be
 * enabled, resynced or deactivated on the signed-in user (`user/${aws:username}`); deactivating needs MFA.
 * No one may delete a virtual device: its ARN does not say whose it is.
 */
export function selfServicePolicy(partition: string, rootAccountId: string): PolicyDocument {
    const self = `arn:${partition}:iam::${rootAccountId}:user/\${aws:username}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ViewAccountPasswordPolicyAndMfaDevices", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
            { Sid: "ManageOwnPassword", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser", "iam:GetLoginProfile", "iam:UpdateLoginProfile"], Resource: self },
            { Sid: "ManageOwnAccessKeys", Effect: "Allow", Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:GetAccessKeyLastUsed"], Resource: self },
            { Sid: "CreateVirtualMfaDeviceOfAnyName", Effect: "Allow", Action: "iam:CreateVirtualMFADevice", Resource: `arn:${partition}:iam::${rootAccountId}:mfa/*` },
            { Sid: "EnrolOwnMfaDevice", Effect: "Allow", Action: ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], Resource: self },
            { Sid: "DeactivateOwnMfaOnlyWithMfa", Effect: "Allow", Action: "iam:DeactivateMFADevice", Resource: self, Condition: MFA_PRESENT },
            {
                Sid: "DenyAllExceptMfaSetupWithoutMfa",
                Effect: "Deny",
                NotAction: MFA_ENROLMENT_ACTIONS,
                Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
        ],
    };
}

/** The accounts whose CloudTrail writes to the audit sink: stage -> account id. */
export interface TrailWriters {
    partition: string;
    namespace: string;
    accounts: Record<string, string>;
}

const writerPatterns = (w: TrailWriters): string[] =>
    Object.entries(w.accounts).map(([stage, id]) => trailArnPattern(w.partition, w.namespace, stage, id));

/** The encryption context CloudTrail writes each log under (its trail's ARN), for any trail of a listed account. */
const writerContexts = (w: TrailWriters): string[] => Object.values(w.accounts).map((id) => `arn:${w.partition}:cloudtrail:*:${id}:trail/*`);
const CLOUDTRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn";

/** Every request to the bucket over plain HTTP is refused, whoever makes it. */
const denyInsecureTransport = (bucketArn: string): Statement => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/**
 * The audit bucket's policy: TLS only; CloudTrail may check the bucket ACL for the listed trails, and a
 * listed trail may write only under `AWSLogs/<its own account>/`: the folder is the request's
 * `aws:SourceAccount`, which must also be the account in the trail's ARN. One statement for every
 * account keeps the policy far below S3's 20 KB at a hundred accounts. No other principal is granted
 * anything, so reading is left to the audit account's own IAM roles.
 */
export function cloudtrailBucketPolicy(bucketArn: string, writers: TrailWriters): PolicyDocument {
    const partition = writers.partition;
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(bucketArn),
            {
                Sid: "CloudTrailAclCheck",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL },
                Action: "s3:GetBucketAcl",
                Resource: bucketArn,
                Condition: { ArnLike: { "aws:SourceArn": writerPatterns(writers) } },
            },
            {
                Sid: "CloudTrailWritesOwnAccountFolder",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/AWSLogs/\${aws:SourceAccount}/*`,
                Condition: {
                    StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },
                    ArnLike: { "aws:SourceArn": writerPatterns(writers) },
                    StringLike: { "aws:SourceArn": `arn:${partition}:cloudtrail:*:\${aws:SourceAccount}:trail/*` },
                },
            },
        ],
    };
}

/**
 * The audit KMS key's policy: the audit account administers and decrypts through its own IAM; CloudTrail
 * of the listed accounts' trails may encrypt with it; nobody outside the audit account may decrypt.
 * The statements are the "Required KMS key policy elements for trails" of
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 * (encrypt, with aws:SourceArn, and describe). CloudTrail gets no kms:Decrypt: the docs require it only for a
 * bucket with an S3 Bucket Key, and the sink has none (src/components/auditLogSink.ts), so the encryption
 * context is the trail ARN that the kms:EncryptionContext:aws:cloudtrail:arn condition names. The IAM
 * simulator ignores that condition; test/security.sink.test.ts checks it on the document.
 *
 * The logs reader role may decrypt, only what CloudTrail encrypted: the "Granting decrypt permissions for trails"
 * statement of the same page ("Enable CloudTrail log decrypt permissions", a principal per reader, kms:Decrypt),
 * whose `Null` test on the context is narrowed here to the listed accounts' trails. KMS refuses a key policy naming a
 * principal that does not exist, so the role is created before the key (src/components/auditLogSink.ts).
 */
export function cloudtrailKeyPolicy(auditAccountId: string, writers: TrailWriters, logsReaderRoleArn: string): PolicyDocument {
    const fromListedTrails = { ArnLike: { "aws:SourceArn": writerPatterns(writers) } };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AuditAccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${writers.partition}:iam::${auditAccountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudTrailEncryptsListedAccounts",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: { ...fromListedTrails, StringLike: { [CLOUDTRAIL_CONTEXT]: writerContexts(writers) } },
            },
            {
                Sid: "CloudTrailDescribesKey",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: fromListedTrails,
            },
            {
                Sid: "LogsReaderDecryptsTrailLogs",
                Effect: "Allow",
                Principal: { AWS: logsReaderRoleArn },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { StringLike: { [CLOUDTRAIL_CONTEXT]: writerContexts(writers) } },
            },
        ],
    };
}

/**
 * The logs reader role's own policy: list the audit bucket, read every account's logs under AWSLogs/, and decrypt
 * them with the audit key, only under CloudTrail's encryption context (as the key policy's statement for it).
 */
export function logsReaderPolicy(bucketArn: string, keyArn: string, writers: TrailWriters): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListTrailBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
            { Sid: "ReadEveryAccountsLogs", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/AWSLogs/*` },
            { Sid: "DecryptTrailLogs", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn, Condition: { StringLike: { [CLOUDTRAIL_CONTEXT]: writerContexts(writers) } } },
        ],
    };
}

/**
 * The access-log bucket's policy: TLS only, and S3's log delivery may write the CloudTrail bucket's server access
 * logs under `prefix`, for that source bucket in the audit account only. This is the bucket policy of "Grant
 * permissions to the logging service principal by using a bucket policy" in
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 * (s3:PutObject for logging.s3.amazonaws.com, ArnLike aws:SourceArn on the source bucket, StringEquals
 * aws:SourceAccount on its owner); a bucket-owner-enforced destination takes no ACL grants, only this policy.
 */
export function accessLogBucketPolicy(accessLogBucketArn: string, sourceBucketArn: string, auditAccountId: string, prefix: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(accessLogBucketArn),
            {
                Sid: "S3ServerAccessLogsOfTrailBucket",
                Effect: "Allow",
                Principal: { Service: S3_LOGGING },
                Action: "s3:PutObject",
                Resource: `${accessLogBucketArn}/${prefix}*`,
                Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": auditAccountId } },
            },
        ],
    };
}

/** The name part of a managed policy ARN: `.../policy/job-function/ViewOnlyAccess` -> `ViewOnlyAccess`. */
export function policyName(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1);
}
