// refarch:network: the settings of the Network component (src/components/network.ts), which applies their defaults.
import { Address4 } from "ip-address";
import { z } from "zod";
import { area, hint, wholeNumber } from "../schema";

export const NAT_STRATEGIES = ["None", "Single", "OnePerAz"] as const;
export type NatGatewayStrategy = (typeof NAT_STRATEGIES)[number];

const VPC_PREFIXES = { min: 16, max: 24 };
const MAX_AVAILABILITY_ZONES = 6;

/** Why `value` cannot be a VPC's CIDR block and the block the fix sets, or undefined if it can. */
export function vpcCidrProblem(value: string): { why: string; fix: string } | undefined {
    let block: Address4;
    try {
        // A bare address is the start of the block the user meant: the fix gives it the largest size a VPC may have.
        if (!value.includes("/")) return { why: "is not an IPv4 CIDR block (no /prefix)", fix: networkOf(new Address4(`${value}/${VPC_PREFIXES.min}`)) };
        block = new Address4(value);
    } catch {
        return { why: "is not an IPv4 CIDR block", fix: EXAMPLE_CIDR };
    }
    if (block.subnetMask < VPC_PREFIXES.min || block.subnetMask > VPC_PREFIXES.max) {
        // The block of the nearest allowed size around the address written, so the fix keeps the address the user chose.
        const prefix = Math.min(Math.max(block.subnetMask, VPC_PREFIXES.min), VPC_PREFIXES.max);
        return {
            why: `must be a /${VPC_PREFIXES.min} to /${VPC_PREFIXES.max}: AWS allows no VPC larger than /16, and awsx needs room for a public and a private subnet in each availability zone`,
            fix: networkOf(new Address4(`${block.addressMinusSuffix}/${prefix}`)),
        };
    }
    const start = networkOf(block);
    if (start !== `${block.correctForm()}${block.subnet}`) return { why: `has host bits set: the block starting there is ${start}`, fix: start };
    return undefined;
}

/** A block as `<network address>/<prefix>`: its host bits cleared (`10.30.1.0/16` -> 10.30.0.0/16). */
const networkOf = (block: Address4): string => `${block.startAddress().correctForm()}${block.subnet}`;

/** Only for a value that is no address at all: nothing in it to derive a block from. */
const EXAMPLE_CIDR = "10.0.0.0/16";

const cidrBlock = z.string(hint("is not an IPv4 CIDR block", EXAMPLE_CIDR)).superRefine((value, ctx) => {
    const problem = vpcCidrProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: hint(problem.why, problem.fix).error() });
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
