// The audit account's log sink: the policies of the CloudTrail bucket, its KMS key, its access-log bucket and the logs
// reader role (src/components/auditLogSink.ts creates them).
import { PolicyDocument, Statement } from "./document";
import { deployerRoleName, roleArn, trailArnPattern, trailName } from "./names";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";
/** The service the organization gives trusted access to, so an organization trail can log every account. */
export const ORGANIZATION_TRAIL_SERVICE = CLOUDTRAIL;
/** The service principal that delivers S3 server access logs. */
const S3_LOGGING = "logging.s3.amazonaws.com";
const CLOUDTRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn";

/** The accounts whose CloudTrail writes to the audit sink: stage -> account id. */
export interface TrailWriters {
    partition: string;
    namespace: string;
    accounts: Record<string, string>;
    /**
     * Where the organization is managed: its id and management account. Then the one organization trail (created by
     * the org stack in the management account) writes every account's logs, and no per-account trail is admitted.
     */
    organization?: OrganizationTrailWriter;
    /** With an organization: admit each listed account's own trail too, while a live organization switches trails. */
    alsoAccountTrails?: boolean;
}

export interface OrganizationTrailWriter {
    id: string;
    managementAccountId: string;
}

/** The audit stack's deployer, the one principal the sink's denies exempt: `arn:<partition>:iam::<audit>:role/<namespace>-audit-deployer`. */
export const auditDeployerArn = (partition: string, namespace: string, auditAccountId: string): string => roleArn(partition, auditAccountId, deployerRoleName(`${namespace}-audit`));

/** The stack that owns the organization trail, whose name the trail takes like a stage's: `<namespace>-org-cloudtrail`. */
export const ORGANIZATION_TRAIL_STACK = "org";

/** The organization trail, in any region of the management account: its home region is the org stack's choice. */
export const organizationTrailArnPattern = (partition: string, namespace: string, managementAccountId: string): string =>
    trailArnPattern(partition, namespace, ORGANIZATION_TRAIL_STACK, managementAccountId);
export const organizationTrailName = (namespace: string): string => trailName(namespace, ORGANIZATION_TRAIL_STACK);

/** Whether each listed account's own trail is admitted: without an organization, or while switching to its trail. */
const admitsAccountTrails = (w: TrailWriters): boolean => !w.organization || w.alsoAccountTrails === true;
const accountTrailPatterns = (w: TrailWriters): string[] => Object.entries(w.accounts).map(([stage, id]) => trailArnPattern(w.partition, w.namespace, stage, id));
const organizationTrailPatterns = (w: TrailWriters): string[] => (w.organization ? [organizationTrailArnPattern(w.partition, w.namespace, w.organization.managementAccountId)] : []);

/** The trails the sink admits: the organization trail, and/or each listed account's own trail. */
const writerPatterns = (w: TrailWriters): string[] => [...organizationTrailPatterns(w), ...(admitsAccountTrails(w) ? accountTrailPatterns(w) : [])];

/**
 * The encryption context CloudTrail writes each log under (its trail's ARN): the organization trail's, and/or any trail
 * of a listed account. https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export const writerContexts = (w: TrailWriters): string[] => [
    ...organizationTrailPatterns(w),
    ...(admitsAccountTrails(w) ? Object.values(w.accounts).map((id) => `arn:${w.partition}:cloudtrail:*:${id}:trail/*`) : []),
];

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
 * Actions on a sink bucket that could weaken it: every change of its settings (policy, versioning, logging, lifecycle,
 * replication, Object Lock, encryption, ownership, public access block...: `s3:PutBucket*` and `s3:Put*Configuration`)
 * and its deletion. Only the audit deployer (`exceptPrincipal`) may take them. Explicit
 * denies in the bucket policy bind the audit account's own principals too, which its IAM policies alone would not.
 * The account root user keeps Get/Put/DeleteBucketPolicy whatever the policy says, so a policy that locks everyone
 * out stays recoverable (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html).
 */
export const SINK_BUCKET_CHANGES = ["s3:PutBucket*", "s3:Put*Configuration", "s3:DeleteBucket*"];
/** Actions that delete or unlock a log version: nobody takes them, the audit deployer included (it never needs to). */
export const SINK_OBJECT_DELETES = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:BypassGovernanceRetention", "s3:ReplicateDelete"];
/** Writes into a sink bucket: only the AWS service that delivers its logs (which never overwrites a key) makes them. */
export const SINK_OBJECT_WRITES = ["s3:PutObject", "s3:ReplicateObject"];

/**
 * The denies every sink bucket carries. Writes by anyone but an AWS service are refused, so no principal can overwrite
 * a log object with a new version. aws:PrincipalIsAWSService is true only for a service principal's own request, and
 * absent for others, hence ...IfExists (https://aws.amazon.com/about-aws/whats-new/2021/05/aws-identity-and-access-management-now-makes-it-easier-for-you-to-manage-permissions-for-aws-services-accessing-your-resources).
 * The allow statements decide which service, and for which source.
 */
function tamperDenies(bucketArn: string, exceptPrincipal: string): Statement[] {
    return [
        {
            Sid: "OnlyAuditDeployerChangesBucket",
            Effect: "Deny",
            Principal: "*",
            Action: SINK_BUCKET_CHANGES,
            Resource: bucketArn,
            Condition: { ArnNotEquals: { "aws:PrincipalArn": exceptPrincipal } },
        },
        { Sid: "NobodyDeletesLogs", Effect: "Deny", Principal: "*", Action: SINK_OBJECT_DELETES, Resource: `${bucketArn}/*` },
        {
            Sid: "OnlyTheServiceWritesLogs",
            Effect: "Deny",
            Principal: "*",
            Action: SINK_OBJECT_WRITES,
            Resource: `${bucketArn}/*`,
            Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
        },
    ];
}

/**
 * The audit bucket's policy: TLS only; the tamper denies; and the admitted trails' writes. Per-account trails: each
 * listed trail checks the ACL and writes only under `AWSLogs/<its own account>/` (aws:SourceAccount, which must be its
 * ARN's account). The organization trail: CloudTrail's documented shape, `AWSLogs/<org id>/*` (a folder per account
 * beneath it) and the management account's own folder, for that trail's aws:SourceArn only
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html, "organization trail" example).
 * Nothing else is granted: reading is left to the audit account's IAM roles.
 */
export function cloudtrailBucketPolicy(bucketArn: string, writers: TrailWriters, auditDeployerArn: string): PolicyDocument {
    const partition = writers.partition;
    const org = writers.organization;
    const organizationWrite: Statement[] = org
        ? [
              {
                  Sid: "OrganizationTrailWritesEveryAccountsFolder",
                  Effect: "Allow",
                  Principal: { Service: CLOUDTRAIL },
                  Action: "s3:PutObject",
                  Resource: [`${bucketArn}/AWSLogs/${org.id}/*`, `${bucketArn}/AWSLogs/${org.managementAccountId}/*`],
                  Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: { "aws:SourceArn": organizationTrailPatterns(writers) } },
              },
          ]
        : [];
    const accountWrites: Statement[] = admitsAccountTrails(writers)
        ? [
              {
                  Sid: "CloudTrailWritesOwnAccountFolder",
                  Effect: "Allow",
                  Principal: { Service: CLOUDTRAIL },
                  Action: "s3:PutObject",
                  Resource: `${bucketArn}/AWSLogs/\${aws:SourceAccount}/*`,
                  Condition: {
                      StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },
                      ArnLike: { "aws:SourceArn": accountTrailPatterns(writers) },
                      StringLike: { "aws:SourceArn": `arn:${partition}:cloudtrail:*:\${aws:SourceAccount}:trail/*` },
                  },
              },
          ]
        : [];
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(bucketArn),
            ...tamperDenies(bucketArn, auditDeployerArn),
            {
                Sid: "CloudTrailAclCheck",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL },
                Action: "s3:GetBucketAcl",
                Resource: bucketArn,
                Condition: { ArnLike: { "aws:SourceArn": writerPatterns(writers) } },
            },
            ...organizationWrite,
            ...accountWrites,
        ],
    };
}

/** Key actions that would end or take over the logs' encryption: only the audit deployer takes them. */
export const SINK_KEY_CHANGES = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"];

/**
 * The audit key's policy: AWS's required elements for trails, and decrypt for the logs reader only under CloudTrail's
 * context. No kms:Decrypt for CloudTrail: the bucket has no S3 Bucket Key. The simulator ignores the context condition;
 * test/security.sink.test.ts checks it on the document.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function cloudtrailKeyPolicy(auditAccountId: string, writers: TrailWriters, logsReaderRoleArn: string, auditDeployerArn: string): PolicyDocument {
    const fromListedTrails = { ArnLike: { "aws:SourceArn": writerPatterns(writers) } };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                // Binds the audit account's principals, which the statement below otherwise leaves to IAM.
                Sid: "OnlyAuditDeployerDeletesOrReplacesKey",
                Effect: "Deny",
                Principal: "*",
                Action: SINK_KEY_CHANGES,
                Resource: "*",
                Condition: { ArnNotEquals: { "aws:PrincipalArn": auditDeployerArn } },
            },
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

/** The logs reader role's own policy: list the bucket, read every account's logs, decrypt them only under CloudTrail's context. */
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
 * The access-log bucket's policy: TLS only, the same tamper denies as the trail bucket, and S3's log delivery may write the CloudTrail bucket's access logs under
 * `prefix`, for that source bucket in the audit account only; a bucket-owner-enforced destination takes no ACL grants.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
export function accessLogBucketPolicy(accessLogBucketArn: string, sourceBucketArn: string, auditAccountId: string, prefix: string, auditDeployerArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(accessLogBucketArn),
            ...tamperDenies(accessLogBucketArn, auditDeployerArn),
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
