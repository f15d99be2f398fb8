// Any stage whose config sets `refarch:network`: the stage's VPC, built by awsx (public and private
// subnets per availability zone, NAT for the private ones). Off unless the stack's config turns it on.
// The ec2 module alone: the package index loads every awsx module (classic, ecs with the AWS ECS client, lb...).
import * as awsxEc2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkSettings } from "../config";

/** refarch:network as written, plus what the stage decides. */
export interface NetworkArgs extends NetworkSettings {
    /** The VPC's Name tag: `<namespace>-<stage>`. */
    vpcName: string;
    /** How many of the region's availability zones get a public and a private subnet. Defaults to 3. */
    numberOfAvailabilityZones?: NetworkSettings["numberOfAvailabilityZones"];
    /** NAT for the private subnets. Defaults to OnePerAz with `highAvailability`, else Single. */
    natGateways?: NetworkSettings["natGateways"];
    /** Production-grade defaults: a NAT gateway in every availability zone, so one zone's outage leaves the others reachable. Defaults to false. */
    highAvailability?: boolean;
}

export const DEFAULT_AVAILABILITY_ZONES = 3;

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidrBlock: string;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:network:Network", name, {}, opts);
        const vpc = new awsxEc2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                numberOfAvailabilityZones: args.numberOfAvailabilityZones ?? DEFAULT_AVAILABILITY_ZONES,
                natGateways: args.natGateways ?? { strategy: args.highAvailability ? "OnePerAz" : "Single" },
                // Auto lays subnets out in the order given, without the Legacy strategy's deprecation warning.
                subnetStrategy: "Auto",
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: args.vpcName },
            },
            { parent: this },
        );
        this.vpcId = vpc.vpcId;
        this.cidrBlock = args.cidrBlock;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.registerOutputs({ vpcId: this.vpcId, cidrBlock: this.cidrBlock, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
    }
}
