// The people and their access: role names, teams' grants, users' teams and console keys, and IAM's quotas on them.
import { chunkGrants, LOGS_READER_ROLE, MAX_GROUPS_PER_USER, MAX_TEAM_POLICIES, POLICY_LIMITS, stageRoleArn } from "../../policies";
import { armoredKeyBody, BASE64_KEY, KEYBASE_KEY, UserSettings } from "../identity";
import { AUDIT_STAGE, ROOT_STAGE } from "../organization";
import { clearTypoOf, notOneOf, Problems, renameToUsable, yamlKey } from "../problems";
import { NAME_PART } from "../schema";
import type { DeployerSettings } from "../settings/deployer";
import type { Grant, User } from "../types";

const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;

export function roleRules(roleNames: string[], deployer: DeployerSettings, problems: Problems): void {
    for (const role of roleNames) {
        if (!NAME_PART.test(role)) {
            problems.add(`refarch:roles.${role}`, role, "is not a usable role name: use lowercase letters, digits and single hyphens, starting with a letter", renameToUsable("in Pulumi.yaml, under config: refarch:roles: value:", role, "operator"));
        }
    }
    for (const [taken, instead] of [["deployer", "deploy-admin"], ["previewer", "preview-readonly"]]) {
        if (deployer.enabled && roleNames.includes(taken)) {
            problems.add(`refarch:roles.${taken}`, taken, `has the name of a deployment role every account gets (refarch:deployer)`, { renameTo: instead, remove: true });
        }
    }
    if (roleNames.includes(LOGS_READER_ROLE)) {
        problems.add(`refarch:roles.${LOGS_READER_ROLE}`, LOGS_READER_ROLE, `has the name of the audit account's built-in role for reading the CloudTrail logs (grant it to a team as ${AUDIT_STAGE}: ${LOGS_READER_ROLE})`, { renameTo: "logs-readonly", remove: true });
    }
}

/** Grants name real stages and roles; "*" expands to every stage. */
export function teamRules(teamsValue: Record<string, { access: Record<string, string | string[]> }>, stages: string[], roleNames: string[], problems: Problems): Record<string, Grant[]> {
    const teams: Record<string, Grant[]> = {};
    for (const [team, { access }] of Object.entries(teamsValue)) {
        const key = `refarch:teams.${team}`;
        if (!NAME_PART.test(team)) {
            problems.add(key, team, "is not a usable team name (it names an IAM group): use lowercase letters, digits and single hyphens", renameToUsable("in Pulumi.root.yaml, under config: refarch:teams:", team, "developers"));
            continue;
        }
        const grants: Grant[] = [];
        for (const [target, granted] of Object.entries(access)) {
            const accessKey = `${key}.access.${target}`;
            if (target !== "*" && !stages.includes(target)) {
                problems.add(accessKey, target, `is not a stage of refarch:accounts (stages: ${stages.join(", ")}, or "*" for every one)`, { text: unknownStageFix(team, target, stages, Object.keys(access)) });
                continue;
            }
            for (const role of typeof granted === "string" ? [granted] : granted) {
                if (role === LOGS_READER_ROLE && !roleNames.includes(role)) {
                    if (!stages.includes(AUDIT_STAGE)) {
                        problems.add(accessKey, role, `is the ${AUDIT_STAGE} account's role for reading the CloudTrail logs, and refarch:accounts has no ${AUDIT_STAGE} stage`, { text: `in Pulumi.root.yaml, under config: refarch:teams: ${team}: access:, remove ${role}; or add ${AUDIT_STAGE} under refarch:accounts in Pulumi.yaml` });
                    } else if (target !== AUDIT_STAGE) {
                        problems.add(accessKey, role, `exists only in the ${AUDIT_STAGE} account, where the CloudTrail logs are`, { text: `in Pulumi.root.yaml, under config: refarch:teams: ${team}: access:, grant ${role} under ${AUDIT_STAGE}: instead of ${target}:` });
                    } else if (!grants.some((g) => g.stage === AUDIT_STAGE && g.role === role)) {
                        grants.push({ stage: AUDIT_STAGE, role });
                    }
                    continue;
                }
                if (!roleNames.includes(role)) {
                    // Only a clear typo is a rename: a loose match could name a role stronger than the one meant.
                    const guess = clearTypoOf(role, roleNames);
                    const under = `in Pulumi.root.yaml, under config: refarch:teams: ${team}: access:,`;
                    problems.add(accessKey, role, notOneOf(role, "a role of refarch:roles", roleNames), {
                        text: guess ? `${under} for ${target}, write ${guess} instead of ${role}` : `${under} grant ${target} one of: ${roleNames.join(", ")}; or define ${role} under refarch:roles in Pulumi.yaml`,
                    });
                    continue;
                }
                for (const s of target === "*" ? stages : [target]) if (!grants.some((g) => g.stage === s && g.role === role)) grants.push({ stage: s, role });
            }
        }
        teams[team] = grants;
    }
    return teams;
}

/**
 * The fix for a grant in a stage refarch:accounts lacks: first, add that stage, which grants nothing anywhere else; a
 * rename only for a clear typo of a stage the team has no grant of its own in (renaming onto one would merge two
 * grants), and never to root or audit, whose admin reaches every person or every log.
 */
function unknownStageFix(team: string, stage: string, stages: string[], granted: string[]): string {
    const add = `in Pulumi.yaml, under config: refarch:accounts: value:, add ${yamlKey(stage)}: "<its 12-digit account id>" (or { email: <its address> } for the org stack to create it), and create Pulumi.${stage}.yaml with its aws:region`;
    const typo = clearTypoOf(stage, stages.filter((s) => s !== ROOT_STAGE && s !== AUDIT_STAGE && !granted.includes(s)));
    const under = `in Pulumi.root.yaml, under config: refarch:teams: ${team}: access:,`;
    return typo ? `${add}; or, if you meant ${typo}, ${under} rename ${yamlKey(stage)} to ${typo}` : `${add}; or ${under} remove ${yamlKey(stage)}`;
}

/**
 * Users are IAM user names in teams that exist. A console user needs a PGP key: the initial password is
 * created encrypted to it, so no plaintext password exists in state, outputs or plans; a key without
 * console access would be silently unused.
 */
export function userRules(usersValue: Record<string, string[] | UserSettings>, teamNames: string[], problems: Problems): Record<string, User> {
    const users: Record<string, User> = {};
    for (const [user, value] of Object.entries(usersValue)) {
        const key = `refarch:users.${user}`;
        const listForm = Array.isArray(value);
        const settings: UserSettings = listForm ? { teams: value } : value;
        if (!IAM_USER_NAME.test(user)) {
            const name = iamUserNameLike(user, Object.keys(usersValue));
            problems.add(key, user, "is not a valid IAM user name (letters, digits and +=,.@_- up to 64)", {
                text: `in Pulumi.root.yaml, under config: refarch:users:, rename ${yamlKey(user)} to ${name ?? "a name of letters, digits and +=,.@_- (up to 64) that no other user has"}`,
            });
            continue;
        }
        for (const team of settings.teams.filter((t) => !teamNames.includes(t))) {
            const guess = clearTypoOf(team, teamNames);
            const list = listForm ? `in the list ${user}` : `in ${user}: teams:`;
            problems.add(listForm ? key : `${key}.teams`, team, notOneOf(team, "a team of refarch:teams", teamNames), {
                text: guess ? `in Pulumi.root.yaml, under config: refarch:users:, ${list}, replace ${team} with ${guess}` : `in Pulumi.root.yaml, under config: refarch:users:, list only teams defined under refarch:teams for ${user}${teamNames.length ? ` (${teamNames.join(", ")})` : ""}, or define ${team} under refarch:teams`,
            });
        }
        if (settings.console === true && settings.pgpKey === undefined) {
            problems.add(`${key}.console`, true, "needs a pgpKey: the initial console password is created encrypted to the user's PGP key, and no plaintext password may exist", {
                text: `in Pulumi.root.yaml, under config: refarch:users: ${yamlKey(user)}:, add pgpKey: ${ownKeyToWrite(user)}`,
            });
        } else if (settings.pgpKey !== undefined && !KEYBASE_KEY.test(settings.pgpKey) && !BASE64_KEY.test(settings.pgpKey)) {
            pgpKeyRule(key, user, settings.pgpKey, problems);
        } else if (settings.pgpKey !== undefined && settings.console !== true) {
            problems.add(`${key}.pgpKey`, settings.pgpKey, "is used only to encrypt a console password, and the user has no console access", { text: `in Pulumi.root.yaml, under config: refarch:users: ${user}:, add console: true, or remove pgpKey` });
        }
        const teams = [...new Set(settings.teams.filter((t) => teamNames.includes(t)))];
        users[user] = settings.console === true && settings.pgpKey !== undefined ? { teams, console: { pgpKey: settings.pgpKey } } : { teams };
    }
    return users;
}

/**
 * The IAM user name nearest to `user` (`frank smith` -> frank-smith: each run of what IAM refuses made one hyphen, cut
 * to 64), if it is one no other user has: renaming onto another user would merge two people into one.
 */
function iamUserNameLike(user: string, taken: string[]): string | undefined {
    const name = user.trim().replace(/[^\w+=,.@-]+/g, "-").slice(0, 64);
    return IAM_USER_NAME.test(name) && !taken.includes(name) ? name : undefined;
}

/** What to write for a user's own key, when only they have it: their Keybase name or their key's one-line base64. */
const ownKeyToWrite = (user: string) => `keybase:<${user}'s Keybase user name>, or ${user}'s public key on one line as \`gpg --export <${user}'s key id or email> | base64 -w0\` prints it`;

/**
 * A pgpKey IAM would not take. The fix is derived from what was written: an armored key's own base64 body (exact, its
 * checksum verified), or the gpg command for the key id or email written; never another user's key or a sample's.
 */
function pgpKeyRule(key: string, user: string, written: string, problems: Problems): void {
    const body = armoredKeyBody(written);
    if (body) {
        problems.add(`${key}.pgpKey`, written, "is an ASCII-armored key: IAM takes the key's base64 body on one line (its armor lines and checksum removed, as gpg --export <key id> | base64 -w0 prints it)", { set: JSON.stringify(body) });
        return;
    }
    const under = `in Pulumi.root.yaml, under config: refarch:users: ${yamlKey(user)}:, set pgpKey to`;
    // An email, a key id or a fingerprint names the key: the command that prints it is the fix.
    const names = /^[^\s@]+@[^\s@]+$/.test(written) || /^(0x)?([0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$/.test(written.replace(/\s+/g, ""));
    const why = written.startsWith("keybase:")
        ? "is not keybase:<Keybase user name> (2 to 16 letters, digits or _)"
        : written.includes("BEGIN PGP")
          ? "is an ASCII-armored key, incomplete or damaged: no body between its armor lines, or a checksum that does not hold"
          : "is neither keybase:<Keybase user name> nor a base64 PGP public key";
    problems.add(`${key}.pgpKey`, written, why, {
        text: names ? `${under} the one line \`gpg --export ${written.replace(/\s+/g, "")} | base64 -w0\` prints, or keybase:<${user}'s Keybase user name>` : `${under} ${ownKeyToWrite(user)}`,
    });
}

/** AWS's policy size limits and IAM quotas, for the groups and users this stack will create. */
export function quotaRules(teams: Record<string, Grant[]>, users: Record<string, User>, partition: string, accounts: Record<string, string>, namespace: string, problems: Problems): void {
    for (const [team, grants] of Object.entries(teams)) {
        const chunks = chunkGrants(grants.map((g) => ({ key: `${g.stage}-${g.role}`, predictedArn: stageRoleArn(partition, accounts[g.stage] ?? "000000000000", namespace, g.stage, g.role) })));
        if (chunks.length > MAX_TEAM_POLICIES) {
            problems.add(`refarch:teams.${team}`, `${grants.length} roles`, `needs ${chunks.length} managed policies of ${POLICY_LIMITS.managedPolicy} characters, more than the ${MAX_TEAM_POLICIES} IAM lets a group hold beside the self-service policy`, {
                text: "in Pulumi.root.yaml, split the team into teams that each reach fewer roles",
            });
        }
    }
    for (const [user, { teams: memberOf }] of Object.entries(users)) {
        if (memberOf.length > MAX_GROUPS_PER_USER) {
            problems.add(`refarch:users.${user}`, memberOf, `puts the user in ${memberOf.length} teams, more than the ${MAX_GROUPS_PER_USER} groups IAM allows a user`, { text: "in Pulumi.root.yaml, merge some of the user's teams" });
        }
    }
}
