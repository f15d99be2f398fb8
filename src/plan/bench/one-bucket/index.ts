// One S3 bucket: the tiny program `npm run bench` measures the full plan against.
import * as aws from "@pulumi/aws";

export = () => {
    const bucket = new aws.s3.Bucket("bucket", { bucket: "one-bucket-bench" });
    return { bucketName: bucket.bucket };
};
