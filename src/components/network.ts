// Any stage whose config sets `refarch:network`: the stage's VPC, built by awsx (public and private
// subnets per availability zone, NAT for the private ones). Off unless the stack's config turns it on.
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { NatGatewayStrategy } from "../config";

export interface NetworkArgs {
    /** The VPC's Name tag: `<namespace>-<stage>`. */
    vpcName: string;
    /** The VPC's IPv4 range, a /16 to /24. */
    cidrBlock: string;
    /** How many of the region's availability zones get a public and a private subnet. Default 3 (awsx's). */
    numberOfAvailabilityZones?: number;
    /** NAT for the private subnets. Default OnePerAz (awsx's); the stage table passes Single outside prod. */
    natGateways?: { strategy: NatGatewayStrategy };
}

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidrBlock: string;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:network:Network", name, {}, opts);
        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                numberOfAvailabilityZones: args.numberOfAvailabilityZones ?? 3,
                natGateways: args.natGateways ?? { strategy: "OnePerAz" },
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
        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
    }
}
