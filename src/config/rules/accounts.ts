// refarch:accounts: each stage's account, given by id or created by the org stack from an email.
import { NAME_PART } from "../schema";
import { ORGANIZATION_STAGE, ROOT_STAGE } from "../organization";
import { Problems, renameToUsable } from "../problems";
import { isMap } from "../values";

const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The `{ email }` to set for a stage: the address written, plus-addressed to the stage at the same mailbox
 * (`ops+prod@acme.com` for audit -> ops+audit@acme.com), when that is an address no earlier stage has. Otherwise only
 * the user knows one: an account's root user must receive its mail, so no sample domain is ever suggested.
 */
function emailFix(stage: string, written: unknown, taken: string[]): string {
    const address = typeof written === "string" ? /^([^@\s+]+)(\+[^@\s]*)?@([^@\s]+\.[^@\s]+)$/.exec(written.trim()) : null;
    const derived = address && `${address[1]}+${stage}@${address[3]}`;
    return derived && !taken.includes(derived.toLowerCase()) ? `{ email: "${derived}" }` : `{ email: "<an address of the ${stage} account's root user, its own>" }`;
}

/**
 * Each stage's account: 12 digits, quoted, its own; or `{ email }`, an account the org stack creates, with an
 * email no other stage uses. A stage with a bad value is still a stage, so nothing else cascades from it.
 */
export function accountRules(value: unknown, problems: Problems): { accounts: Record<string, string>; accountEmails: Record<string, string>; stages: string[] } {
    const accounts: Record<string, string> = {};
    const accountEmails: Record<string, string> = {};
    if (!isMap(value)) return { accounts, accountEmails, stages: [] };
    const owners = new Map<string, string>();
    const stages: string[] = [];
    for (const [stage, id] of Object.entries(value)) {
        const key = `refarch:accounts.${stage}`;
        if (!NAME_PART.test(stage)) {
            problems.add(key, stage, "is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter", renameToUsable("in Pulumi.yaml, under config: refarch:accounts: value:", stage, "sandbox"));
            continue;
        }
        if (stage === ORGANIZATION_STAGE) {
            problems.add(key, stage, `is the name of the stack that manages the AWS Organization`, { text: `in Pulumi.yaml, under config: refarch:accounts: value:, rename ${stage} to a name like ${stage}-main` });
            continue;
        }
        stages.push(stage);
        if (isMap(id) && "email" in id) {
            const email = id.email;
            const example = emailFix(stage, email, [...owners.keys()]);
            if (Object.keys(id).length !== 1 || typeof email !== "string" || !EMAIL.test(email)) {
                problems.add(key, id, "is not { email } with the email address of the account's root user", { set: example });
                continue;
            }
            const other = owners.get(email.toLowerCase());
            if (other !== undefined) {
                problems.add(key, email, `is also the email of stage "${other}": AWS gives every account its own email address`, { set: example });
                continue;
            }
            owners.set(email.toLowerCase(), stage);
            accountEmails[stage] = email;
            continue;
        }
        if (typeof id === "number" && Number.isInteger(id) && id >= 0 && String(id).length <= 12) {
            const digits = String(id).padStart(12, "0");
            const why = String(id).length === 12 ? "is a YAML number, not text: quote it so no tool reads it as a number" : `was read as the number ${id}: YAML dropped its leading zeros. Quote it`;
            problems.add(key, id, why, { set: `"${digits}"` });
            continue;
        }
        if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
            problems.add(key, id, "is not a 12-digit AWS account id", { set: `"<the 12-digit id of the ${stage} account>"` });
            continue;
        }
        const other = owners.get(id);
        if (other !== undefined) {
            problems.add(key, id, `is also the account of stage "${other}": every stage needs its own account`, { set: `"<the 12-digit id of the ${stage} account>"` });
            continue;
        }
        owners.set(id, stage);
        accounts[stage] = id;
    }
    if (!stages.includes(ROOT_STAGE)) {
        problems.add(`refarch:accounts.${ROOT_STAGE}`, undefined, "is missing: root holds the users who reach every other account", { set: `"<the 12-digit id of your management account>"` });
    }
    return { accounts, accountEmails, stages };
}
