// S3 as the mocks answer for it: buckets are global names, so their ARNs carry no account or region.
import type { ResourceMock } from "./context";

export const s3Resources: Record<string, ResourceMock> = {
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": (inputs, r) => ({ id: r.accountId, state: { ...inputs, accountId: r.accountId } }),
    "aws:s3/bucket:Bucket": (inputs, r) => ({
        id: inputs.bucket,
        state: {
            ...inputs,
            arn: `arn:${r.partition}:s3:::${inputs.bucket}`,
            region: r.region,
            bucketDomainName: `${inputs.bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${inputs.bucket}.s3.${r.region}.amazonaws.com`,
        },
    }),
    // aws_s3_bucket_logging's id is the source bucket; S3 reports an empty prefix when none was set.
    "aws:s3/bucketLogging:BucketLogging": (inputs, r) => ({ id: inputs.bucket, state: { ...inputs, targetPrefix: inputs.targetPrefix ?? "", region: r.region } }),
};
