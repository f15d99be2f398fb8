// The stage a stack deploys, and the per-stack switches that depend on it (protection, the access role).
import { PROTECTED_BY_DEFAULT, TESTING_STAGE } from "../organization";
import { notOneOf, Problems } from "../problems";
import type { RawConfig } from "../types";

/** The stage this stack deploys must be a stage; only testing hosts stacks named other than their stage (review stacks). */
export function stageRules(raw: RawConfig, stage: string, stages: string[], problems: Problems): void {
    const stackFile = `Pulumi.${raw.stack}.yaml`;
    if (stages.length > 0 && !stages.includes(stage)) {
        const why = notOneOf(stage, "a stage of refarch:accounts", stages);
        if (raw.values["refarch:stage"] !== undefined) {
            problems.add("refarch:stage", stage, why, { text: `in ${stackFile}, set refarch:stage to one of ${stages.join(", ")}, or add ${stage} with its account id under refarch:accounts in Pulumi.yaml` });
        } else {
            problems.list.push({
                file: stackFile,
                key: "",
                value: raw.stack,
                why: `(the stack's name, which is its stage unless refarch:stage says otherwise) ${why}`,
                fix: { text: `in Pulumi.yaml, under config: refarch:accounts: value:, add ${stage}: "<its 12-digit account id>"; or use the stack of an existing stage (pulumi stack select ${stages[0]})` },
            });
        }
    }
    // Whether its account is given by id or created from { email }: a stage's account holds one of each of its resources.
    if (raw.stack !== stage && stages.includes(stage) && stage !== TESTING_STAGE) {
        problems.add("refarch:stage", stage, `on stack "${raw.stack}": only the ${TESTING_STAGE} account hosts stacks named other than their stage (review stacks)`, {
            text: `name the stack "${stage}", or remove refarch:stage from ${stackFile}`,
        });
    }
}

/** Protected by default in the long-lived stages; testing, destroyed often, may not be protected at all. */
export function protectRule(stage: string, protectValue: boolean | undefined, problems: Problems): boolean {
    if (protectValue === true && stage === TESTING_STAGE) {
        problems.add("refarch:protect", true, "cannot be true in testing: testing is destroyed often and must destroy with no manual step", { set: "false" });
        return PROTECTED_BY_DEFAULT.includes(stage);
    }
    return protectValue ?? PROTECTED_BY_DEFAULT.includes(stage);
}

/** refarch:accessRole decides how a stack first enters an account the org stack creates; anywhere else it would be ignored. */
export function accessRoleRule(raw: RawConfig, stage: string, created: boolean, problems: Problems): void {
    if (!created && raw.values["refarch:accessRole"] !== undefined) {
        problems.add("refarch:accessRole", raw.values["refarch:accessRole"], `is read only for an account the org stack creates, and stage "${stage}" is not one (its account is given by id, or is the management account)`, { remove: true });
    }
}
