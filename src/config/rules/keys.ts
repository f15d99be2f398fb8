// Which keys a stack may set: every refarch:* key is one the program reads, and each is set where it is read.
import { AREAS, AWS_KEYS, CATALOG_AREAS } from "../areas";
import { ORGANIZATION_STAGE, ROOT_STAGE } from "../organization";
import { closest, Problems } from "../problems";
import type { RawConfig } from "../types";

/** Unknown refarch:* keys are usually typos of a real key; other aws:* keys would be ignored by the stack's provider. */
export function unknownKeys(raw: RawConfig, problems: Problems): void {
    const known = AREAS.map((a) => a.key);
    // Compared without the prefix every key shares, which alone would make any refarch:* key look like a real one.
    const unprefixed = (key: string) => key.replace(/^refarch:/, "");
    for (const [key, value] of Object.entries(raw.values)) {
        if (key.startsWith("refarch:") && !known.includes(key)) {
            const similar = closest(unprefixed(key), known.map(unprefixed));
            const guess = similar === undefined ? undefined : known.find((k) => unprefixed(k) === similar);
            const why = guess ? `is not a key this program reads; did you mean "${guess}"?` : `is not a key this program reads (it reads ${known.join(", ")})`;
            problems.add(key, value, why, { remove: true, renameTo: guess });
        } else if (key === "aws:allowedAccountIds") {
            problems.add(key, value, "is no longer read: the stack's AWS provider takes its one allowed account from refarch:accounts in Pulumi.yaml", { remove: true });
        } else if (key.startsWith("aws:") && !AWS_KEYS.includes(key)) {
            problems.add(key, value, `would be ignored: the stack's AWS provider is built by the program from refarch:accounts and ${AWS_KEYS.join(", ")}`, { remove: true });
        }
    }
}

/** Keys read only in one stage; set anywhere else they would be silently ignored. */
export function stageOnlyRules(raw: RawConfig, stage: string, problems: Problems): void {
    for (const { key, onlyStage } of AREAS) {
        if (onlyStage && raw.values[key] !== undefined && stage !== onlyStage) {
            problems.add(key, "(set)", `is read only by the ${onlyStage} stack, and this stack deploys stage "${stage}"`, { text: `move ${key} from Pulumi.${raw.stack}.yaml to Pulumi.${onlyStage}.yaml` });
        }
    }
}

/**
 * The org stack only manages the AWS Organization: the management account's baseline and components are the root
 * stack's. Set in Pulumi.org.yaml, these keys would be silently ignored.
 */
export function organizationStackRules(raw: RawConfig, stage: string, problems: Problems): void {
    if (stage !== ORGANIZATION_STAGE) return;
    for (const { key } of Object.values(CATALOG_AREAS)) {
        if (raw.values[key] === undefined) continue;
        problems.add(key, "(set)", `is not read by the ${ORGANIZATION_STAGE} stack, which only manages the AWS Organization: the management account's baseline and components belong to the ${ROOT_STAGE} stack`, {
            text: `move ${key} from Pulumi.${raw.stack}.yaml to Pulumi.${ROOT_STAGE}.yaml`,
        });
    }
}
