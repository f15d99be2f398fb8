// The people and their access: role names, teams' grants, users' teams and console keys, and IAM's quotas on them.
import { chunkGrants, LOGS_READER_ROLE, MAX_GROUPS_PER_USER, MAX_TEAM_POLICIES, POLICY_LIMITS, stageRoleArn } from "../../policies";
import type { UserSettings } from "../identity";
import { AUDIT_STAGE } from "../organization";
import { closest, notOneOf, Problems, renameToUsable } from "../problems";
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
                const guess = closest(target, stages);
                const under = `in Pulumi.root.yaml, under config: refarch:teams: ${team}: access:,`;
                problems.add(accessKey, target, notOneOf(target, "a stage", ["*", ...stages]), { text: guess ? `${under} rename ${target} to ${guess}` : `${under} grant one of: "*", ${stages.join(", ")}; or add ${target} under refarch:accounts in Pulumi.yaml` });
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
                    const guess = closest(role, roleNames);
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
            problems.add(key, user, "is not a valid IAM user name (letters, digits and +=,.@_- up to 64)", { text: `in Pulumi.root.yaml, under config: refarch:users:, rename ${user}` });
            continue;
        }
        for (const team of settings.teams.filter((t) => !teamNames.includes(t))) {
            const guess = closest(team, teamNames);
            const list = listForm ? `in the list ${user}` : `in ${user}: teams:`;
            problems.add(listForm ? key : `${key}.teams`, team, notOneOf(team, "a team of refarch:teams", teamNames), {
                text: guess ? `in Pulumi.root.yaml, under config: refarch:users:, ${list}, replace ${team} with ${guess}` : `in Pulumi.root.yaml, under config: refarch:users:, list only teams defined under refarch:teams for ${user}${teamNames.length ? ` (${teamNames.join(", ")})` : ""}, or define ${team} under refarch:teams`,
            });
        }
        if (settings.console === true && settings.pgpKey === undefined) {
            problems.add(`${key}.console`, true, "needs a pgpKey: the initial console password is created encrypted to the user's PGP key, and no plaintext password may exist", {
                text: `in Pulumi.root.yaml, under config: refarch:users: ${user}:, add pgpKey: keybase:<their keybase user> (or their base64 public key: gpg --export <key id> | base64 -w0)`,
            });
        } else if (settings.pgpKey !== undefined && settings.console !== true) {
            problems.add(`${key}.pgpKey`, settings.pgpKey, "is used only to encrypt a console password, and the user has no console access", { text: `in Pulumi.root.yaml, under config: refarch:users: ${user}:, add console: true, or remove pgpKey` });
        }
        const teams = [...new Set(settings.teams.filter((t) => teamNames.includes(t)))];
        users[user] = settings.console === true && settings.pgpKey !== undefined ? { teams, console: { pgpKey: settings.pgpKey } } : { teams };
    }
    return users;
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
