// The AWS regions aws:region may name: the provider's own list, @pulumi/aws's Region enum (exported as aws.Region,
// "any valid Amazon region that may be targeted with deployments"), so a provider upgrade brings new regions.
// Imported from its module (types/enums) rather than "@pulumi/aws": the package index costs 0.4 s to load.
import { Region } from "@pulumi/aws/types/enums";
import didYouMean, { ReturnTypeEnums, ThresholdTypeEnums } from "didyoumean2";
import { z } from "zod";
import { hint } from "./schema";

/** Every region the provider knows, in every partition. */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/**
 * The partitions whose ARNs the program does not form, by their regions' names: partitionOf knows only aws, aws-cn and
 * aws-us-gov (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); aws-eusc is the European Sovereign
 * Cloud's (the AWS SDK's partitions.json, https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json).
 */
export function unsupportedPartitionOf(region: string): string | undefined {
    if (/^[a-z]{2}-iso/.test(region)) return "an isolated AWS partition (aws-iso, aws-iso-b...)";
    if (region.startsWith("eusc-")) return "the AWS European Sovereign Cloud (aws-eusc)";
    return undefined;
}

/** The partition a region's ARNs are in, for the partitions the program forms ARNs of. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** The regions a stack may deploy to: every region of aws, aws-cn and aws-us-gov. */
export const SUPPORTED_REGIONS: readonly string[] = AWS_REGIONS.filter((region) => unsupportedPartitionOf(region) === undefined);

/**
 * The real regions nearest to `written` by edit distance, in the partition its name says (a misspelt `cn-nort-1` is
 * cn-north-1, never a region of aws): every one at the least distance, so a tie is told, not decided silently.
 */
export function nearestRegions(written: string, withinEdits = Infinity): string[] {
    const partition = partitionOf(written.toLowerCase());
    const candidates = SUPPORTED_REGIONS.filter((region) => partitionOf(region) === partition);
    return didYouMean(written, candidates, { returnType: ReturnTypeEnums.ALL_CLOSEST_MATCHES, thresholdType: ThresholdTypeEnums.EDIT_DISTANCE, threshold: withinEdits });
}

/** Edits within which a name reads as a typo of a region (a missing hyphen, a wrong digit, two letters swapped). */
const TYPO_EDITS = 2;

/** The fix for a region not written at all: only the user knows where the stack deploys. */
const REGION_TO_WRITE = "<the region this stack deploys to, such as us-east-1>";

/** Why `region` is refused and the region the fix sets, or undefined for a region a stack may deploy to. */
export function regionProblem(region: string): { why: string; fix: string } | undefined {
    if (SUPPORTED_REGIONS.includes(region)) return undefined;
    // Nothing written is near every region alike: no name is nearer than another.
    if (region.trim() === "") return { why: "is empty: it must name the region this stack deploys to", fix: REGION_TO_WRITE };
    const typos = nearestRegions(region, TYPO_EDITS);
    const [nearest] = typos.length > 0 ? typos : nearestRegions(region);
    const partition = AWS_REGIONS.includes(region) ? unsupportedPartitionOf(region) : undefined;
    if (partition) return { why: `is a region of ${partition}, whose ARNs this program does not form`, fix: nearest };
    // "did you mean" only for a typo, every region as near named; otherwise the nearest name is still the fix, said as such.
    if (typos.length > 0) return { why: `is not an AWS region; did you mean ${typos.map((r) => `"${r}"`).join(" or ")}?`, fix: nearest };
    return { why: `is not an AWS region (the nearest name is "${nearest}")`, fix: nearest };
}

/** A region of a partition the program forms ARNs of, or refused with the nearest real region name; `toWrite` is the
 * fix for a value that is not text at all. */
export const regionOf = (toWrite: string) =>
    z.string(hint("is not an AWS region", toWrite)).superRefine((region, context) => {
        const problem = regionProblem(region);
        if (problem) context.addIssue({ code: "custom", message: hint(problem.why, problem.fix).error() });
    });

/** aws:region. */
export const regionSchema = regionOf(REGION_TO_WRITE);
