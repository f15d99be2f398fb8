import type { StackValidationPolicy } from "@pulumi/policy";
import { asList, BUCKET_TYPES, bucketSettings } from "./support";

const ALGORITHMS = ["aws:kms", "aws:kms:dsse", "AES256"];
const encrypts = (rules: unknown): boolean => asList(rules as any[]).some((r) => ALGORITHMS.includes(r?.applyServerSideEncryptionByDefault?.sseAlgorithm));

export const s3BucketEncrypted: StackValidationPolicy = {
    name: "s3-bucket-encrypted",
    description: "Every S3 bucket declares default server-side encryption, so what lands in it is encrypted at rest by a choice the code states.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            const inline = encrypts(bucket.props.serverSideEncryptionConfiguration?.rule ?? bucket.props.serverSideEncryptionConfigurations?.[0]?.rules);
            const configs = bucketSettings(args.resources, bucket, [
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            ]);
            if (!inline && !configs.some((c) => encrypts(c.props.rules))) {
                reportViolation(`Bucket ${bucket.name} declares no default encryption (${ALGORITHMS.join(", ")}). Add a BucketServerSideEncryptionConfiguration for it.`, bucket.urn);
            }
        }
    },
};
