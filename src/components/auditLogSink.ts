// Only in the audit account: the one CloudTrail log sink (a KMS key and a bucket every account's trail, or the
// organization trail, writes to, its access-log bucket, and the role that reads the logs). Buckets and key are retained
// on destroy: the logs outlive the stack. Log versions are locked in COMPLIANCE mode, and the bucket and key policies
// deny every change that would weaken the sink to all but the audit deployer (src/policies/logSink.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CloudtrailLogs } from "../config";
import {
    accessLogBucketName,
    auditDeployerArn,
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
    /**
     * The managed organization: its id (the org stack's output) and management account. Then only the organization
     * trail writes here, under `AWSLogs/<organization id>/<account id>/`. Defaults to none: each listed account's own trail writes.
     */
    organization?: { id: pulumi.Input<string>; managementAccountId: string };
    /** When logs move to Glacier Instant Retrieval, how long each version is locked, and when they, and the access logs, expire. */
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
        const { lifecycle } = args;
        const deployer = auditDeployerArn(args.writers.partition, args.namespace, args.auditAccountId);
        // The writers, once the organization id (if any) is known: every policy below is built from them.
        const org = args.organization;
        const writers: pulumi.Output<TrailWriters> = org
            ? pulumi.output(org.id).apply((id) => ({ ...args.writers, organization: { id, managementAccountId: org.managementAccountId }, alsoAccountTrails: lifecycle.admitAccountTrails }))
            : pulumi.output(args.writers);

        // The reader comes first: the key policy names it, and KMS refuses a policy whose principal does not exist.
        const reader = new aws.iam.Role(
            `${name}-logs-reader`,
            {
                name: args.logsReader.roleName,
                description: "Reads every account's CloudTrail logs; assumed from the root account with MFA; managed by refarch",
                assumeRolePolicy: JSON.stringify(roleTrustPolicy(args.writers.partition, args.logsReader.rootAccountId, true, args.mfaMaxAgeSeconds)),
            },
            { parent: this },
        );

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the CloudTrail logs of every account; decryptable only in the audit account",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.all([reader.arn, writers]).apply(([readerArn, w]) => JSON.stringify(cloudtrailKeyPolicy(args.auditAccountId, w, readerArn, deployer))),
                // The policy denies PutKeyPolicy to all but the audit deployer, which a first deploy (by a person, before
                // that role exists) is not: KMS's lockout check would refuse it. The deployer's name stays admitted, so a
                // role of that name can always change the policy; https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/kms/aws.sdk.kotlin.services.kms.model/-create-key-request/bypass-policy-lockout-safety-check.html
                bypassPolicyLockoutSafetyCheck: true,
            },
            retained,
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${cloudtrailBucketName(args.namespace)}`, targetKeyId: key.keyId }, retained);

        // No S3 Bucket Key: with one the encryption context is the bucket's, not the trail's, which the key policy's
        // condition would refuse (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
        // Object Lock can only be turned on as the bucket is created, and then versioning can never be suspended
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html).
        const trailBucket = this.privateBucket(`${name}`, cloudtrailBucketName(args.namespace), { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, true);
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: trailBucket.bucket.id, versioningConfiguration: { status: "Enabled" } }, retained);
        // COMPLIANCE: no principal, the account root user included, deletes a locked version or shortens its retention.
        const objectLock = new aws.s3.BucketObjectLockConfiguration(
            `${name}-object-lock`,
            { bucket: trailBucket.bucket.id, rule: { defaultRetention: { mode: "COMPLIANCE", days: lifecycle.objectLockDays } } },
            { ...retained, dependsOn: [versioning] },
        );
        const trailLifecycle = new aws.s3.BucketLifecycleConfiguration(
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
        // (SSE-S3)" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html), nor to one
        // with Object Lock (object-lock-managing.html above): its policy's denies are what keep these logs.
        const accessLogs = this.privateBucket(`${name}-access-logs`, accessLogBucketName(args.namespace), { sseAlgorithm: "AES256" }, false);
        const accessLifecycle = new aws.s3.BucketLifecycleConfiguration(
            `${name}-access-logs-lifecycle`,
            {
                bucket: accessLogs.bucket.id,
                rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: lifecycle.accessLogExpireAfterDays }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
            },
            retained,
        );
        // The policies come last: once in place they deny these settings to everyone but the audit deployer, and a
        // first deploy runs before that role exists. Logging starts once S3's log delivery is allowed to write.
        const accessLogsPolicy = this.bucketPolicy(`${name}-access-logs`, accessLogs, [accessLifecycle], (arn) =>
            pulumi.output(accessLogBucketPolicy(arn, `arn:${args.writers.partition}:s3:::${cloudtrailBucketName(args.namespace)}`, args.auditAccountId, ACCESS_LOG_PREFIX, deployer)),
        );
        const logging = new aws.s3.BucketLogging(
            `${name}-access-logging`,
            { bucket: trailBucket.bucket.id, targetBucket: accessLogs.bucket.id, targetPrefix: ACCESS_LOG_PREFIX },
            { ...retained, dependsOn: [accessLogsPolicy] },
        );
        const trailPolicy = this.bucketPolicy(`${name}`, trailBucket, [versioning, objectLock, trailLifecycle, logging], (arn) => writers.apply((w) => cloudtrailBucketPolicy(arn, w, deployer)));

        new aws.iam.RolePolicy(
            `${name}-logs-reader-policy`,
            {
                role: reader.name,
                name: "read-cloudtrail-logs",
                policy: pulumi.all([trailBucket.bucket.arn, key.arn, writers]).apply(([bucketArn, keyArn, w]) => JSON.stringify(logsReaderPolicy(bucketArn, keyArn, w))),
            },
            { parent: this },
        );

        this.bucketName = pulumi.all([trailBucket.bucket.bucket, trailPolicy.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = trailBucket.bucket.arn;
        this.kmsKeyArn = key.arn;
        this.accessLogBucketName = accessLogs.bucket.bucket;
        this.logsReaderRoleArn = reader.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn, accessLogBucketName: this.accessLogBucketName, logsReaderRoleArn: this.logsReaderRoleArn });
    }

    /**
     * A retained bucket that nobody outside its policy reaches: public access blocked, ACLs disabled (bucket owner
     * enforced), default encryption; Object Lock when asked, which S3 allows only at creation.
     */
    private privateBucket(prefix: string, bucketName: string, encryption: { sseAlgorithm: string; kmsMasterKeyId?: pulumi.Input<string> }, objectLockEnabled: boolean) {
        const retained = { parent: this, retainOnDelete: true };
        const bucket = new aws.s3.Bucket(`${prefix}-bucket`, { bucket: bucketName, forceDestroy: false, ...(objectLockEnabled ? { objectLockEnabled } : {}) }, retained);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${prefix}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            retained,
        );
        const ownership = new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, retained);
        const encrypted = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${prefix}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: false }] },
            retained,
        );
        return { bucket, settings: [publicAccess, ownership, encrypted] };
    }

    /** The bucket's policy, after every setting it guards (and the public access block S3 otherwise races). */
    private bucketPolicy(prefix: string, target: { bucket: aws.s3.Bucket; settings: pulumi.Resource[] }, after: pulumi.Resource[], policyOf: (arn: string) => pulumi.Output<PolicyDocument>) {
        return new aws.s3.BucketPolicy(
            `${prefix}-policy`,
            { bucket: target.bucket.id, policy: target.bucket.arn.apply((arn) => policyOf(arn).apply((policy) => JSON.stringify(policy))) },
            { parent: this, retainOnDelete: true, dependsOn: [...target.settings, ...after] },
        );
    }
}
