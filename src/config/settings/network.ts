// refarch:network: the settings of the Network component (src/components/network.ts), which applies their defaults.
import { Address4 } from "ip-address";
import { z } from "zod";
import { area, hint, wholeNumber } from "../schema";

export const NAT_STRATEGIES = ["None", "Single", "OnePerAz"] as const;
export type NatGatewayStrategy = (typeof NAT_STRATEGIES)[number];

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

const networkSchema = z.strictObject(
    {
        cidrBlock,
        numberOfAvailabilityZones: wholeNumber(1, MAX_AVAILABILITY_ZONES, "", 3).optional(),
        natGateways: z
            .strictObject({ strategy: z.enum(NAT_STRATEGIES, hint(`must be one of ${NAT_STRATEGIES.join(", ")}`, "Single")) }, hint(`must be { strategy: ${NAT_STRATEGIES.join(" | ")} }`, "{ strategy: Single }"))
            .optional(),
    },
    hint("must be { cidrBlock, numberOfAvailabilityZones?, natGateways? }", "{ cidrBlock: 10.0.0.0/16 }"),
);
export type NetworkSettings = z.infer<typeof networkSchema>;

export const networkSettings = area("refarch:network", "stack", networkSchema.optional());
