// validateConfig is pure: it turns the raw key/value strings a stack was given into a typed RefarchConfig, or throws
// one ConfigError listing every problem, each with the file and key, the bad value and a fix. Each area is parsed by
// its schema (./areas.ts); the rules that span areas are small named functions in ./rules, all reporting into one list.
import { z } from "zod";
import { AREAS, CATALOG_AREAS, CatalogConfig } from "./areas";
import { AUDIT_STAGE, DEFAULT_ROLES, ORGANIZATION_STAGE, partitionOf, RoleSpec, ROOT_STAGE } from "./organization";
import { ConfigError, Problems } from "./problems";
import { accountRules } from "./rules/accounts";
import { catalogRules } from "./rules/catalog";
import { existingOidcProviderRules } from "./rules/deployer";
import { quotaRules, roleRules, teamRules, userRules } from "./rules/identity";
import { organizationStackRules, stageOnlyRules, unknownKeys } from "./rules/keys";
import { auditPolicySizeRule, cloudtrailLogsRule } from "./rules/logs";
import { nameLengthRules } from "./rules/names";
import { exemptRoleNameRule } from "./rules/roleNames";
import { organizationRules } from "./rules/organization";
import { deployerInPartition, partitionRules, rolesInPartition } from "./rules/partition";
import { accessRoleRule, protectRule, stageRules } from "./rules/stage";
import { NAME_PART } from "./schema";
import { CloudtrailLogs, cloudtrailLogsSettings } from "./settings/cloudtrailLogs";
import { DeployerSettings, deployerSettings } from "./settings/deployer";
import { DeploymentsSettings, deploymentsSettings } from "./settings/deployments";
import { PulumiCloudSettings, pulumiCloudSettings } from "./settings/pulumiCloud";
import { mfaMaxAgeSettings } from "./settings/mfa";
import type { RawConfig, RefarchConfig } from "./types";
import { isMap, parseValue } from "./values";

/** The name a StackReference reads a stack of this project by: `<organization>/<project>/<stack>`. */
export function stackReferenceName(config: Pick<RefarchConfig, "organization" | "project">, stack: string): string {
    return `${config.organization}/${config.project}/${stack}`;
}

/** The stage a stack deploys: `refarch:stage`, or the stack's own name. */
export function stageOf(raw: RawConfig): string {
    return raw.values["refarch:stage"] ?? raw.stack;
}

export function validateConfig(raw: RawConfig): RefarchConfig {
    const { stack } = raw;
    const stage = stageOf(raw);
    const stackFile = `Pulumi.${stack}.yaml`;
    const homeOf = new Map(AREAS.map((a) => [a.key, a.home]));
    const problems = new Problems((key) => (homeOf.get(key.split(".")[0]) === "project" ? "Pulumi.yaml" : stackFile));

    // Structure: each area through its schema. A value Pulumi gave as text that is not JSON is that text.
    const parsed = new Map<string, unknown>();
    const given = new Map<string, unknown>();
    for (const { key, schema, text: isText } of AREAS) {
        const text = raw.values[key];
        const value = text === undefined || isText ? text : parseValue(text);
        given.set(key, value);
        const result = z.safeParse(schema, value);
        if (result.success) parsed.set(key, result.data);
        else problems.addSchemaIssues(key, value, schema, result.error.issues);
    }
    const get = <T>(key: string, fallback: T): T => (parsed.has(key) ? (parsed.get(key) as T) ?? fallback : fallback);

    unknownKeys(raw, problems);
    const namespace = get<string>("refarch:namespace", "");
    const region = get<string>("aws:region", "");
    const partition = partitionOf(region);
    const { accounts, accountEmails, stages } = accountRules(given.get("refarch:accounts"), problems);
    const awsOrganization = organizationRules(given.get("refarch:awsOrganization") !== undefined, parsed, accountEmails, stages, { stage, region, namespace, partition }, problems);
    // The defaults name AWS managed policies of the aws partition; a stack in another partition gets its own's.
    const roles = given.get("refarch:roles") === undefined ? rolesInPartition(DEFAULT_ROLES, partition) : get<Record<string, RoleSpec>>("refarch:roles", {});
    /** Role names as written, valid spec or not, so a role with a bad setting is not also reported as missing. */
    const roleNamesGiven = Object.keys(isMap(given.get("refarch:roles")) ? (given.get("refarch:roles") as object) : roles);
    const deployer = deployerInPartition(get<DeployerSettings>("refarch:deployer", deployerSettings.schema.parse(undefined)), given.get("refarch:deployer"), partition);

    stageRules(raw, stage, awsOrganization ? [...stages, ORGANIZATION_STAGE] : stages, problems);
    stageOnlyRules(raw, stage, problems);
    organizationStackRules(raw, stage, problems);
    roleRules(roleNamesGiven, deployer, problems);
    exemptRoleNameRule(roleNamesGiven, { partition, namespace, stages }, deployer, problems);
    existingOidcProviderRules(deployer, stages, accounts, problems);
    partitionRules(partition, region, roles, deployer, problems);
    nameLengthRules(namespace, stack, stage, stages, roleNamesGiven, problems);

    const isRoot = stage === ROOT_STAGE;
    const teams = isRoot ? teamRules(get("refarch:teams", {}), stages, roleNamesGiven, problems) : {};
    const users = isRoot ? userRules(get("refarch:users", {}), Object.keys(isMap(given.get("refarch:teams")) ? (given.get("refarch:teams") as object) : {}), problems) : {};
    quotaRules(teams, users, partition, accounts, namespace, problems);
    // Policies list every account: sized with a stand-in id for each account not created yet.
    const sizedAccounts = { ...Object.fromEntries(Object.keys(accountEmails).map((s) => [s, "000000000000"])), ...accounts };
    if (stage === AUDIT_STAGE && NAME_PART.test(namespace)) auditPolicySizeRule(partition, namespace, sizedAccounts, accounts[stage], problems);

    const protect = protectRule(stage, get<boolean | undefined>("refarch:protect", undefined), problems);
    const cloudtrailLogs = get<CloudtrailLogs>("refarch:cloudtrailLogs", cloudtrailLogsSettings.schema.parse(undefined));
    cloudtrailLogsRule(cloudtrailLogs, awsOrganization !== undefined, problems);
    catalogRules(parsed, given, { stack, partition }, problems);
    const created = stage in accountEmails && stage !== ROOT_STAGE;
    accessRoleRule(raw, stage, created, problems);

    if (problems.list.length > 0) throw new ConfigError(stack, problems.list);
    // The org stack deploys into the management account, root's.
    const accountId = accounts[stage === ORGANIZATION_STAGE ? ROOT_STAGE : stage] ?? "";
    return {
        organization: get<string | undefined>("refarch:organization", undefined) ?? raw.organization,
        project: raw.project,
        stack,
        stage,
        namespace,
        region,
        partition,
        namePrefix: `${namespace}-${stack === stage ? stage : stack}`,
        accounts,
        accountEmails,
        stages,
        ...(awsOrganization ? { awsOrganization } : {}),
        ...(created && raw.values["aws:assumeRoles"] === undefined ? { enterThroughAccessRole: get<boolean | undefined>("refarch:accessRole", undefined) ?? "auto" } : {}),
        accountId,
        roles,
        mfaMaxAgeSeconds: get<number>("refarch:mfaMaxAgeSeconds", mfaMaxAgeSettings.schema.parse(undefined)),
        teams,
        users,
        protect,
        cloudtrailLogs,
        deployer,
        deployments: get<DeploymentsSettings>("refarch:deployments", deploymentsSettings.schema.parse(undefined)),
        pulumiCloud: get<PulumiCloudSettings>("refarch:pulumiCloud", pulumiCloudSettings.schema.parse(undefined)),
        ...catalogOf(parsed),
        awsProvider: {
            ...(accountId ? { allowedAccountIds: [accountId] } : {}),
            ...(raw.values["aws:assumeRoles"] !== undefined ? { assumeRoles: parseValue(raw.values["aws:assumeRoles"]) as Record<string, unknown>[] } : {}),
            ...(raw.values["aws:profile"] !== undefined ? { profile: raw.values["aws:profile"] } : {}),
        },
    };
}

/** Each catalog component's settings as parsed; its component applies the defaults. */
function catalogOf(parsed: Map<string, unknown>): CatalogConfig {
    return Object.fromEntries(Object.entries(CATALOG_AREAS).map(([field, { key }]) => [field, parsed.get(key)])) as CatalogConfig;
}
