// Every account, when the audit stage exists and the organization is not managed: one multi-region CloudTrail trail
// writing to the audit account's bucket, encrypted with the audit key. CloudTrail files it under AWSLogs/<this account
// id>/. Where the organization is managed, the org stack's OrganizationTrail stands in for all of them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountTrailArgs {
    /** The trail's name; the audit bucket and key policies allow exactly this name. */
    trailName: string;
    /** The audit sink: its bucket and the KMS key the logs are encrypted with. */
    bucketName: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

/** What every trail the program makes shares: multi-region with global events, validated, encrypted with the audit key. */
export function sinkTrailArgs(args: AccountTrailArgs): aws.cloudtrail.TrailArgs {
    return {
        name: args.trailName,
        s3BucketName: args.bucketName,
        kmsKeyId: args.kmsKeyArn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
    };
}

export class AccountTrail extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;

    constructor(name: string, args: AccountTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:audit:AccountTrail", name, {}, opts);
        const trail = new aws.cloudtrail.Trail(`${name}-trail`, sinkTrailArgs(args), { parent: this });
        this.trailArn = trail.arn;
        this.registerOutputs({ trailArn: this.trailArn });
    }
}
