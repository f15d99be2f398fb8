// AWS's size limits on IAM, S3 and KMS policy documents, and the packing of a team's grants into managed policies that fit them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
import { PolicyDocument } from "./document";
import { assumeRolesPolicy } from "./identity";

/**
 * The limits in characters (IAM counts them without whitespace; every document here is compact JSON). A group's inline
 * policies share 5,120, so team grants go into managed policies instead.
 */
export const POLICY_LIMITS = {
    groupInlinePolicies: 5120,
    /** The aggregate of a role's inline policies. */
    roleInlinePolicies: 10240,
    managedPolicy: 6144,
    roleTrustPolicy: 2048,
    bucketPolicy: 20 * 1024,
    keyPolicy: 32 * 1024,
} as const;
/** IAM's default quota is 10 managed policies per group: the self-service policy and up to 9 of a team's grants. */
export const MAX_TEAM_POLICIES = 9;
/** IAM's default quota of groups a user may belong to. */
export const MAX_GROUPS_PER_USER = 10;
/** The size a team's managed policy is packed to: a tenth of IAM's limit is left for ARNs longer than predicted (a role path set outside this program). */
export const CHUNK_BUDGET = Math.floor(POLICY_LIMITS.managedPolicy * 0.9);

export const policySize = (document: PolicyDocument): number => JSON.stringify(document).length;

/**
 * Splits a team's grants into as few managed policies as fit, packed in the order given and judged by each grant's
 * predicted ARN. A chunk is keyed by its first grant, so renaming or reordering teams never renames a chunk.
 * Sized with the default MFA age limit: refarch:mfaMaxAgeSeconds (900 to 43200) changes a policy by at most one character, well inside the budget's margin.
 */
export function chunkGrants<T extends { key: string; predictedArn: string }>(grants: T[]): T[][] {
    const chunks: T[][] = [];
    let current: T[] = [];
    for (const grant of grants) {
        const candidate = [...current, grant];
        if (current.length > 0 && policySize(assumeRolesPolicy(candidate.map((g) => g.predictedArn))) > CHUNK_BUDGET) {
            chunks.push(current);
            current = [grant];
        } else {
            current = candidate;
        }
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
}
