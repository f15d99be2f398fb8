import type { StackValidationPolicy } from "@pulumi/policy";
import { BUCKET_TYPES, bucketSettings } from "./support";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketBlocksPublicAccess: StackValidationPolicy = {
    name: "s3-bucket-blocks-public-access",
    description: "Every S3 bucket has a public access block with all four settings on: one public ACL or policy would publish whatever the bucket holds.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            const blocks = bucketSettings(args.resources, bucket, ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]);
            if (!blocks.some((b) => FLAGS.every((f) => b.props[f] === true))) {
                reportViolation(`Bucket ${bucket.name} has no BucketPublicAccessBlock with ${FLAGS.join(", ")} all true. Add one with { parent } on the bucket's component.`, bucket.urn);
            }
        }
    },
};
