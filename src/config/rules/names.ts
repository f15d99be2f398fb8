// Names the program forms from the namespace, stages, roles and stack must fit AWS's length limits.
import { accessLogBucketName, LOGS_READER_ROLE } from "../../policies";
import { AUDIT_STAGE } from "../organization";
import { Problems } from "../problems";
import { NAME_PART } from "../schema";

// AWS limits on the names this program forms.
const MAX_BUCKET_NAME = 63;
const MAX_ROLE_NAME = 64;

/** Names formed from the namespace, stages, roles and the stack must fit AWS's limits. */
export function nameLengthRules(namespace: string, stack: string, stage: string, stages: string[], roleNames: string[], problems: Problems): void {
    if (!NAME_PART.test(namespace)) return;
    // Every account's roles: refarch:roles, the deployment roles, and in audit the logs reader.
    const rolesOf = (s: string) => [...roleNames, "deployer", "previewer", ...(s === AUDIT_STAGE ? [LOGS_READER_ROLE] : [])];
    const tooLongWith = (ns: string) => stages.flatMap((s) => rolesOf(s).map((role) => ({ stage: s, role, name: `${ns}-${s}-${role}` }))).filter((r) => r.name.length > MAX_ROLE_NAME);
    const tooLong = tooLongWith(namespace);
    if (tooLong.length > 0) {
        const [first] = tooLong;
        const why = `makes the role name "${first.name}"${tooLong.length > 1 ? ` (and ${tooLong.length - 1} more)` : ""} longer than IAM's ${MAX_ROLE_NAME} characters`;
        // The fix shortens what is long: the namespace if a shorter one makes every name fit, else the role, else the stage.
        const longestStage = Math.max(...stages.map((s) => s.length));
        const roleRoom = MAX_ROLE_NAME - namespace.length - 2 - longestStage;
        if (shorter(namespace) !== namespace && tooLongWith(shorter(namespace)).length === 0) {
            problems.add("refarch:namespace", namespace, why, { set: shorter(namespace) });
        } else if (roleNames.includes(first.role) && roleRoom > 0) {
            problems.add(`refarch:roles.${first.role}`, first.role, why, { text: `in Pulumi.yaml, under config: refarch:roles: value:, rename ${first.role} to at most ${roleRoom} characters` });
        } else {
            const stageRoom = MAX_ROLE_NAME - namespace.length - 2 - Math.max(...rolesOf(first.stage).map((r) => r.length));
            problems.add(`refarch:accounts.${first.stage}`, first.stage, why, { text: `in Pulumi.yaml, under config: refarch:accounts: value:, rename ${first.stage} to at most ${stageRoom} characters` });
        }
    }
    // The access-log bucket's name is the CloudTrail bucket's and a suffix: the longer of the two.
    const bucket = accessLogBucketName(namespace);
    if (stages.includes(AUDIT_STAGE) && bucket.length > MAX_BUCKET_NAME) {
        problems.add("refarch:namespace", namespace, `makes the bucket name "${bucket}" longer than S3's ${MAX_BUCKET_NAME} characters`, { set: shorter(namespace) });
    }
    if (stack !== stage) {
        const name = [...roleNames, "deployer", "previewer"].map((role) => `${namespace}-${stack}-${role}`).find((n) => n.length > MAX_ROLE_NAME);
        if (name) problems.list.push({ file: `Pulumi.${stack}.yaml`, key: "", value: stack, why: `(the stack's name) makes the role name "${name}" longer than IAM's ${MAX_ROLE_NAME} characters`, fix: { text: "use a shorter stack name" } });
    }
}

/** A namespace to suggest when the current one is too long. */
export function shorter(namespace: string): string {
    return namespace.slice(0, 8).replace(/-+$/, "") || "acme";
}
