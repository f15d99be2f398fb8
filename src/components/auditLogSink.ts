// Only in the audit account: the one CloudTrail log sink (a KMS key and a bucket every account's trail writes to, its
// access-log bucket, and the role that reads the logs). Buckets and key are retained on destroy: the logs outlive the stack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CloudtrailLogs } from "../config";
import {
    accessLogBucketName,
    accessLogBucketPolicy,
    cloudtrailBucketName,
    cloudtrailBucketPolicy,
    cloudtrailKeyPolicy,
    logsReaderPolicy,
    PolicyDocument,
    roleTrustPolicy,
    TrailWriters,
} from "../policies";

export interface AuditLogSinkArgs {
    namespace: string;
    auditAccountId: string;
    /** The accounts whose trails may write here (stage -> account id), and how their trails are named. */
    writers: TrailWriters;
    /** When logs move to Glacier Instant Retrieval and when they, and the access logs, expire. */
    lifecycle: CloudtrailLogs;
    /** The logs reader role: its IAM name (`<namespace>-audit-logs-reader`) and the root account that alone may assume it, with MFA. */
    logsReader: { roleName: string; rootAccountId: string };
    /** How recent, in seconds, the MFA sign-in behind assuming the logs reader must be. Defaults to 3600. */
    mfaMaxAgeSeconds?: number;
}

/** Where the CloudTrail bucket's server access logs go in the access-log bucket. */
export const ACCESS_LOG_PREFIX = "cloudtrail-bucket/";
/** S3 moves no object under 128 KB by default, and most CloudTrail files are smaller; a size filter overrides that
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html). */
export const TRANSITION_MIN_OBJECT_BYTES = 1;

export class AuditLogSink extends pulumi.ComponentResource {
    /** The bucket's name, known only once its policy is in place, so a trail that uses it waits for the policy. */
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly accessLogBucketName: pulumi.Output<string>;
    readonly logsReaderRoleArn: pulumi.Output<string>;

    constructor(name: string, args: AuditLogSinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:audit:AuditLogSink", name, {}, opts);
        const retained = { parent: this, retainOnDelete: true };
        const { writers, lifecycle } = args;

        // The reader comes first: the key policy names it, and KMS refuses a policy whose principal does not exist.
        const reader = new aws.iam.Role(
            `${name}-logs-reader`,
            {
                name: args.logsReader.roleName,
                description: "Reads every account's CloudTrail logs; assumed from the root account with MFA; managed by refarch",
                assumeRolePolicy: JSON.stringify(roleTrustPolicy(writers.partition, args.logsReader.rootAccountId, true, args.mfaMaxAgeSeconds)),
            },
            { parent: this },
        );

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the CloudTrail logs of every account; decryptable only in the audit account",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: reader.arn.apply((readerArn) => JSON.stringify(cloudtrailKeyPolicy(args.auditAccountId, writers, readerArn))),
            },
            retained,
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${cloudtrailBucketName(args.namespace)}`, targetKeyId: key.keyId }, retained);

        // No S3 Bucket Key: with one the encryption context is the bucket's, not the trail's, which the key policy's
        // condition would refuse (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
        const trailBucket = this.privateBucket(`${name}`, cloudtrailBucketName(args.namespace), { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, (arn) =>
            cloudtrailBucketPolicy(arn, writers),
        );
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: trailBucket.bucket.id, versioningConfiguration: { status: "Enabled" } }, retained);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: trailBucket.bucket.id,
                // Stated, not left to S3's default; the archive rule's size filter is what lets small files move.
                transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
                rules: [
                    {
                        id: "archive-small-files-too",
                        status: "Enabled",
                        filter: { objectSizeGreaterThan: TRANSITION_MIN_OBJECT_BYTES },
                        transitions: [{ days: lifecycle.glacierAfterDays, storageClass: "GLACIER_IR" }],
                    },
                    {
                        id: "expire",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: lifecycle.expireAfterDays },
                        // Versioning keeps overwritten or deleted logs; they go after the same retention.
                        noncurrentVersionExpiration: { noncurrentDays: lifecycle.expireAfterDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    {
                        // An expired log leaves a delete marker with no versions behind it once its noncurrent version
                        // expires; S3 allows ExpiredObjectDeleteMarker only in a rule without Days, hence its own rule.
                        id: "remove-expired-delete-markers",
                        status: "Enabled",
                        filter: {},
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                ],
            },
            retained,
        );

        // Server access logs cannot be delivered to a bucket whose default encryption is SSE-KMS: "You can use default
        // bucket encryption on the destination bucket only if you use server-side encryption with Amazon S3 managed keys
        // (SSE-S3)" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
        const accessLogs = this.privateBucket(`${name}-access-logs`, accessLogBucketName(args.namespace), { sseAlgorithm: "AES256" }, (arn) =>
            accessLogBucketPolicy(arn, `arn:${writers.partition}:s3:::${cloudtrailBucketName(args.namespace)}`, args.auditAccountId, ACCESS_LOG_PREFIX),
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-access-logs-lifecycle`,
            {
                bucket: accessLogs.bucket.id,
                rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: lifecycle.accessLogExpireAfterDays }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
            },
            retained,
        );
        // Logging starts once S3's log delivery is allowed to write.
        new aws.s3.BucketLogging(
            `${name}-access-logging`,
            { bucket: trailBucket.bucket.id, targetBucket: accessLogs.bucket.id, targetPrefix: ACCESS_LOG_PREFIX },
            { ...retained, dependsOn: [accessLogs.policy] },
        );

        new aws.iam.RolePolicy(
            `${name}-logs-reader-policy`,
            {
                role: reader.name,
                name: "read-cloudtrail-logs",
                policy: pulumi.all([trailBucket.bucket.arn, key.arn]).apply(([bucketArn, keyArn]) => JSON.stringify(logsReaderPolicy(bucketArn, keyArn, writers))),
            },
            { parent: this },
        );

        this.bucketName = pulumi.all([trailBucket.bucket.bucket, trailBucket.policy.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = trailBucket.bucket.arn;
        this.kmsKeyArn = key.arn;
        this.accessLogBucketName = accessLogs.bucket.bucket;
        this.logsReaderRoleArn = reader.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn, accessLogBucketName: this.accessLogBucketName, logsReaderRoleArn: this.logsReaderRoleArn });
    }

    /**
     * A retained bucket that nobody outside its policy reaches: public access blocked, ACLs disabled (bucket owner
     * enforced), default encryption, and its policy, which waits for the public access block S3 otherwise races.
     */
    private privateBucket(prefix: string, bucketName: string, encryption: { sseAlgorithm: string; kmsMasterKeyId?: pulumi.Input<string> }, policyOf: (arn: string) => PolicyDocument) {
        const retained = { parent: this, retainOnDelete: true };
        const bucket = new aws.s3.Bucket(`${prefix}-bucket`, { bucket: bucketName, forceDestroy: false }, retained);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${prefix}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            retained,
        );
        new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, retained);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${prefix}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: false }] },
            retained,
        );
        const policy = new aws.s3.BucketPolicy(
            `${prefix}-policy`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(policyOf(arn))) },
            { ...retained, dependsOn: [publicAccess] },
        );
        return { bucket, policy };
    }
}
