// Only in the audit account: the one CloudTrail log sink. A KMS key and an S3 bucket that every listed
// account's trail writes to, each under AWSLogs/<its account id>/, and that only the audit account reads.
// Every resource here is retained if this stack is destroyed (bucket, key, alias, policy, encryption, versioning,
// lifecycle, public access block, ownership): the trails of every account keep delivering, so losing the audit
// trail is never a side effect of a destroy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { area, hint } from "../config/schema";
import { cloudtrailBucketName, cloudtrailBucketPolicy, cloudtrailKeyPolicy, TrailWriters } from "../policies";

export interface AuditLogSinkArgs {
    namespace: string;
    auditAccountId: string;
    /** The accounts whose trails may write here (stage -> account id), and how their trails are named. */
    writers: TrailWriters;
    /** When logs move to Glacier Instant Retrieval and when they expire. */
    lifecycle: CloudtrailLogs;
}

export class AuditLogSink extends pulumi.ComponentResource {
    /** The bucket's name, known only once its policy is in place, so a trail that uses it waits for the policy. */
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: AuditLogSinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:audit:AuditLogSink", name, {}, opts);
        const retained = { parent: this, retainOnDelete: true };

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the CloudTrail logs of every account; decryptable only in the audit account",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(cloudtrailKeyPolicy(args.auditAccountId, args.writers)),
            },
            retained,
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${cloudtrailBucketName(args.namespace)}`, targetKeyId: key.keyId }, retained);

        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: cloudtrailBucketName(args.namespace), forceDestroy: false }, retained);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            retained,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, retained);
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, retained);
        // No S3 Bucket Key. With one, S3 encrypts under the bucket ARN as encryption context, not the trail's
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html, "Changes to note before enabling an
        // S3 Bucket Key"), which the key policy's kms:EncryptionContext:aws:cloudtrail:arn condition would not match,
        // and CloudTrail would also need kms:Decrypt on the key to create or update a trail
        // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html,
        // "Required KMS key policy elements for trails"). Without it, CloudTrail's own SSE-KMS writes carry the trail
        // ARN as context, the condition holds, and the key stays encrypt-only for CloudTrail.
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: false }] },
            retained,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: {},
                        transitions: [{ days: args.lifecycle.glacierAfterDays, storageClass: "GLACIER_IR" }],
                        expiration: { days: args.lifecycle.expireAfterDays },
                        // Versioning keeps overwritten or deleted logs; they go after the same retention.
                        noncurrentVersionExpiration: { noncurrentDays: args.lifecycle.expireAfterDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            retained,
        );
        // The policy waits for the public access block, which S3 otherwise races against a new policy.
        const policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(cloudtrailBucketPolicy(arn, args.writers))) },
            { ...retained, dependsOn: [publicAccess] },
        );

        this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn });
    }
}

// ---- refarch:cloudtrailLogs: this component's config (audit stack only) ----

const days = (example: number) => {
    const why = hint("must be a whole number of days, at least 1", String(example));
    return z.number(why).int(why).min(1, why);
};

export const cloudtrailLogsSettings = area(
    "refarch:cloudtrailLogs",
    "stack",
    z.strictObject(
        {
            /** Days before log objects move to Glacier Instant Retrieval. */
            glacierAfterDays: days(90).default(90),
            /** Days before log objects expire. */
            expireAfterDays: days(365).default(365),
        },
        hint("must be { glacierAfterDays?, expireAfterDays? }", "{ glacierAfterDays: 90, expireAfterDays: 365 }"),
    ).prefault({}),
    "audit",
);
export type CloudtrailLogs = z.infer<typeof cloudtrailLogsSettings.schema>;
