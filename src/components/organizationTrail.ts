// Only in the org stack (the management account), where the organization is managed: the one organization trail.
// It logs every account of the organization, new ones from their first minute, into the audit sink under
// AWSLogs/<organization id>/<account id>/; member accounts see it but cannot stop, change or delete it
// (https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-ct.html), so no member
// stack has a trail of its own. An organization trail is created in the management account
// (https://www.pulumi.com/registry/packages/aws/api-docs/cloudtrail/trail/), and needs CloudTrail's trusted access
// to the organization, which the Organization component enables.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountTrailArgs, sinkTrailArgs } from "./accountTrail";

/** The trail's name (`<namespace>-org-cloudtrail`, which the audit bucket and key policies admit) and the audit sink. */
export type OrganizationTrailArgs = AccountTrailArgs;

export class OrganizationTrail extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;

    constructor(name: string, args: OrganizationTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:audit:OrganizationTrail", name, {}, opts);
        const trail = new aws.cloudtrail.Trail(`${name}-trail`, { ...sinkTrailArgs(args), isOrganizationTrail: true }, { parent: this });
        this.trailArn = trail.arn;
        this.registerOutputs({ trailArn: this.trailArn });
    }
}
