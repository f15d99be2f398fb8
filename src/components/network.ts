// Any stage whose config sets `refarch:network`: the stage's VPC, built by awsx (public and private
// subnets per availability zone, NAT for the private ones). Off unless the stack's config turns it on.
// The ec2 module alone: the package index loads every awsx module (classic, ecs with the AWS ECS client, lb...).
import * as awsxEc2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import { z } from "zod";
import { area, hint, wholeNumber } from "../config/schema";

export const NAT_STRATEGIES = ["None", "Single", "OnePerAz"] as const;
export type NatGatewayStrategy = (typeof NAT_STRATEGIES)[number];

export interface NetworkArgs {
    /** The VPC's Name tag: `<namespace>-<stage>`. */
    vpcName: string;
    /** The VPC's IPv4 range, a /16 to /24. */
    cidrBlock: string;
    /** How many of the region's availability zones get a public and a private subnet (refarch:network's default: 3). */
    numberOfAvailabilityZones: number;
    /** NAT for the private subnets (refarch:network's default: OnePerAz in prod, Single elsewhere). */
    natGateways: { strategy: NatGatewayStrategy };
}

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
                numberOfAvailabilityZones: args.numberOfAvailabilityZones,
                natGateways: args.natGateways,
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

// ---- refarch:network: this component's config, validated by src/config before anything is created ----

const VPC_PREFIXES = { min: 16, max: 24 };
const MAX_AVAILABILITY_ZONES = 6;

/** Why `value` cannot be a VPC's CIDR block, or undefined if it can. */
export function vpcCidrProblem(value: string): string | undefined {
    let block: Address4;
    try {
        if (!value.includes("/")) return "is not an IPv4 CIDR block";
        block = new Address4(value);
    } catch {
        return "is not an IPv4 CIDR block";
    }
    if (block.subnetMask < VPC_PREFIXES.min || block.subnetMask > VPC_PREFIXES.max) {
        return `must be a /${VPC_PREFIXES.min} to /${VPC_PREFIXES.max}: AWS allows no VPC larger than /16, and awsx needs room for a public and a private subnet in each availability zone`;
    }
    const start = block.startAddress().correctForm();
    if (start !== block.addressMinusSuffix) return `has host bits set: the block starting there is ${start}${block.subnet}`;
    return undefined;
}

const cidrBlock = z.string(hint("is not an IPv4 CIDR block", "10.0.0.0/16")).superRefine((value, ctx) => {
    const problem = vpcCidrProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: hint(problem, "10.0.0.0/16").error() });
});

export const networkSettings = area(
    "refarch:network",
    "stack",
    z.strictObject(
        {
            cidrBlock,
            numberOfAvailabilityZones: wholeNumber(1, MAX_AVAILABILITY_ZONES, "", 3).optional(),
            natGateways: z
                .strictObject({ strategy: z.enum(NAT_STRATEGIES, hint(`must be one of ${NAT_STRATEGIES.join(", ")}`, "Single")) }, hint(`must be { strategy: ${NAT_STRATEGIES.join(" | ")} }`, "{ strategy: Single }"))
                .optional(),
        },
        hint("must be { cidrBlock, numberOfAvailabilityZones?, natGateways? }", "{ cidrBlock: 10.0.0.0/16 }"),
    ).optional(),
);
export type NetworkSettings = z.infer<typeof networkSettings.schema>;
