// Every account, when the audit stage exists: one multi-region CloudTrail trail writing to the audit
// account's bucket, encrypted with the audit key. CloudTrail files it under AWSLogs/<this account id>/.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountTrailArgs {
    /** The trail's name; the audit bucket and key policies allow exactly this name. */
    trailName: string;
    /** The audit sink: its bucket and the KMS key the logs are encrypted with. */
    bucketName: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

export class AccountTrail extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;

    constructor(name: string, args: AccountTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:audit:AccountTrail", name, {}, opts);
        const trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: args.trailName,
                s3BucketName: args.bucketName,
                kmsKeyId: args.kmsKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            },
            { parent: this },
        );
        this.trailArn = trail.arn;
        this.registerOutputs({ trailArn: this.trailArn });
    }
}
