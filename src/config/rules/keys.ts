// Which keys a stack may set: every refarch:* key is one the program reads, and each is set where it is read.
import { AREAS, AWS_KEYS, CATALOG_AREAS } from "../areas";
import { ORGANIZATION_STAGE, ROOT_STAGE } from "../organization";
import { closest, Problems, show } from "../problems";
import type { RawConfig } from "../types";
import { parseValue } from "../values";

/** Unknown refarch:* keys are usually typos of a real key; other aws:* keys would be ignored by the stack's provider. */
export function unknownKeys(raw: RawConfig, problems: Problems): void {
    for (const [key, value] of Object.entries(raw.values)) {
        const unknown = unknownKey(key);
        if (unknown) problems.add(key, value, unknown.why, unknown.renameTo ? { remove: true, renameTo: unknown.renameTo } : { remove: true });
    }
}

/**
 * The unknown keys of Pulumi.yaml, each once and against Pulumi.yaml: checked on the project's files before any stack
 * runs, as every stack would otherwise report it against its own file, which does not hold it. One line each.
 */
export function unknownKeysInProject(projectConfig: Record<string, string>): string[] {
    return Object.entries(projectConfig).flatMap(([key, value]) => {
        const unknown = unknownKey(key);
        if (!unknown) return [];
        const fix = unknown.renameTo ? `rename ${key} to ${unknown.renameTo} (or remove it)` : `remove ${key}`;
        const why = /[.?!]$/.test(unknown.why) ? unknown.why : `${unknown.why}.`;
        return [`Pulumi.yaml: ${key}: ${show(parseValue(value))} ${why} Fix: in Pulumi.yaml, under config:, ${fix}`];
    });
}

/** Why a key is refused, and the key it is a typo of, if any; undefined for a key the program reads. */
function unknownKey(key: string): { why: string; renameTo?: string } | undefined {
    const known = AREAS.map((a) => a.key);
    // Compared without the prefix every key shares, which alone would make any refarch:* key look like a real one.
    const unprefixed = (k: string) => k.replace(/^refarch:/, "");
    if (key.startsWith("refarch:") && !known.includes(key)) {
        const similar = closest(unprefixed(key), known.map(unprefixed));
        const guess = similar === undefined ? undefined : known.find((k) => unprefixed(k) === similar);
        return guess ? { why: `is not a key this program reads; did you mean "${guess}"?`, renameTo: guess } : { why: `is not a key this program reads (it reads ${known.join(", ")})` };
    }
    if (key === "aws:allowedAccountIds") return { why: "is no longer read: the stack's AWS provider takes its one allowed account from refarch:accounts in Pulumi.yaml" };
    if (key.startsWith("aws:") && !AWS_KEYS.includes(key)) return { why: `would be ignored: the stack's AWS provider is built by the program from refarch:accounts and ${AWS_KEYS.join(", ")}` };
    return undefined;
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

/**
 * Keys read per stack, written in Pulumi.yaml: Pulumi hands a project value to every stack that does not set its own
 * (https://www.pulumi.com/docs/iac/concepts/projects/project-file/), so `refarch:network` there puts a VPC into every
 * account, root and audit included. Checked on the project's files, once, before any stack runs: one line each.
 * @param projectConfig Pulumi.yaml's config, key -> value as Pulumi hands it over.
 * @param stackConfigs stack -> its own Pulumi.<stack>.yaml config.
 */
export function stackKeysInProject(projectConfig: Record<string, string>, stackConfigs: Record<string, Record<string, string>>): string[] {
    const perStack = new Map<string, string | undefined>([...AREAS.filter((a) => a.home === "stack").map((a) => [a.key, a.onlyStage] as const), ...AWS_KEYS.map((key) => [key, undefined] as const)]);
    return Object.entries(projectConfig)
        .filter(([key]) => perStack.has(key))
        .map(([key, value]) => {
            const onlyStage = perStack.get(key);
            // The stacks it reaches: those that do not set their own (for a key one stage reads, that stage's stack).
            const reached = Object.keys(stackConfigs).filter((stack) => stackConfigs[stack][key] === undefined && (!onlyStage || stack === onlyStage));
            const where = reached.map((stack) => `Pulumi.${stack}.yaml`).join(", ");
            const fix =
                reached.length === 0
                    ? `in Pulumi.yaml, under config: remove ${key} (${onlyStage ? `Pulumi.${onlyStage}.yaml sets` : "every stack file sets"} its own)`
                    : onlyStage
                      ? `move ${key} from Pulumi.yaml to Pulumi.${onlyStage}.yaml`
                      : `move ${key} from Pulumi.yaml to the Pulumi.<stack>.yaml of each stage that needs it (it now applies to ${where})`;
            const why = onlyStage ? `is read only by the ${onlyStage} stack, from Pulumi.${onlyStage}.yaml` : `is set per stack, in Pulumi.<stack>.yaml: in Pulumi.yaml it applies to every stack that does not set its own`;
            return `Pulumi.yaml: ${key}: ${show(parseValue(value))} ${why}. Fix: ${fix}`;
        });
}
