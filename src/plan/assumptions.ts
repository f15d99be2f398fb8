// What the offline plan assumes rather than knows, said beside it so no one takes it for a fact: the Pulumi
// organization every StackReference and Pulumi OIDC trust names, and the output values the mocks make up.
import { DEFAULT_ORGANIZATION } from "../offline/engine";
import { ProjectFiles, stackConfig } from "../project";

const ORGANIZATION_KEY = "refarch:organization";

/**
 * Outputs whose values the mocks invent and a reader could take for real: field -> why it is not. With no real PGP
 * key to encrypt to, the mock login profile's ciphertext holds no password and its fingerprint is of no one's key
 * (src/offline/mocks/iam.ts).
 */
export const MOCK_OUTPUT_FIELDS: Record<string, string> = {
    encryptedPassword: "mock: encrypted to no key, holds no password; pulumi up gives the real one",
    keyFingerprint: "mock: not the fingerprint of the user's key; pulumi up gives the real one",
};

/** Which Pulumi organization the planned stacks' StackReferences and OIDC trusts name, and where that name came from. */
export function pulumiOrganizationLine(project: ProjectFiles, stacks: string[]): string {
    const set = new Map<string, string[]>();
    const unset: string[] = [];
    for (const stack of stacks) {
        const name = stackConfig(project, stack)[ORGANIZATION_KEY];
        if (name === undefined) unset.push(stack);
        else set.set(name, [...(set.get(name) ?? []), stack]);
    }
    const assumed = `${DEFAULT_ORGANIZATION} (assumed: ${ORGANIZATION_KEY} is not set in Pulumi.yaml; set it to your Pulumi Cloud organization, which every StackReference and Pulumi OIDC trust names)`;
    if (set.size === 0) return `Pulumi organization: ${assumed}`;
    if (set.size === 1 && unset.length === 0) return `Pulumi organization: ${[...set.keys()][0]} (${ORGANIZATION_KEY})`;
    // Stack files that set their own: each name with the stacks that use it.
    const named = [...set].map(([name, of]) => `${name} (${ORGANIZATION_KEY}) for ${of.join(", ")}`);
    if (unset.length > 0) named.push(`${assumed} for ${unset.join(", ")}`);
    return `Pulumi organizations: ${named.join("; ")}`;
}
