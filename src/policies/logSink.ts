// The audit account's log sink: the policies of the CloudTrail bucket, its KMS key, its access-log bucket and the logs
// reader role (src/components/auditLogSink.ts creates them).
import { PolicyDocument, Statement } from "./document";
import { trailArnPattern } from "./names";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";
/** The service principal that delivers S3 server access logs. */
const S3_LOGGING = "logging.s3.amazonaws.com";
const CLOUDTRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn";

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
 * The audit bucket's policy: TLS only; a listed trail may check the ACL and write only under `AWSLogs/<its own account>/`
 * (aws:SourceAccount, which must be its ARN's account): one statement for every account stays far below S3's 20 KB.
 * Nothing else is granted: reading is left to the audit account's IAM roles.
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
 * The audit key's policy: AWS's required elements for trails, and decrypt for the logs reader only under CloudTrail's
 * context. No kms:Decrypt for CloudTrail: the bucket has no S3 Bucket Key. The simulator ignores the context condition;
 * test/security.sink.test.ts checks it on the document.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
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
 * The access-log bucket's policy: TLS only, and S3's log delivery may write the CloudTrail bucket's access logs under
 * `prefix`, for that source bucket in the audit account only; a bucket-owner-enforced destination takes no ACL grants.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
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
