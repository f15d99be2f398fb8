// The only reader of Pulumi config. `validateConfig` is pure: it turns the raw key/value strings a stack
// was given into a typed RefarchConfig, or throws one ConfigError listing every problem, each with the
// file and key, the bad value and a fix. Nothing is registered before this has passed.
//
// Each config area's shape is a zod schema declared once, beside what it configures (src/config/*.ts for
// the organization and its people, src/components/*.ts for each component); this file parses every area
// and applies the domain rules that span areas, as small named functions.
import * as pulumi from "@pulumi/pulumi";
import { acmCloudfrontSettings } from "../components/acmCloudfront";
import { BASELINE_SWITCHES, baselineSettings, BudgetSpec } from "../components/accountBaseline";
import { auroraPostgresSettings, DEFAULT_AURORA_POSTGRES_MAJOR } from "../components/auroraPostgres";
import { CloudtrailLogs, cloudtrailLogsSettings } from "../components/auditLogSink";
import { DeployerSettings, deployerSettings } from "../components/deployer";
import { DeploymentsSettings, deploymentsSettings } from "../components/deploymentSettings";
import { NatGatewayStrategy, networkSettings } from "../components/network";
import { accessRoleSettings, AwsOrganizationConfig, awsOrganizationSettings } from "../components/organization";
import {
    accessLogBucketName,
    chunkGrants,
    cloudtrailBucketName,
    cloudtrailBucketPolicy,
    cloudtrailKeyPolicy,
    DEFAULT_GUARDRAILS,
    GuardrailSettings,
    guardrailLimitProblems,
    guardrailPolicies,
    LOGS_READER_ROLE,
    MAX_GROUPS_PER_USER,
    MAX_TEAM_POLICIES,
    POLICY_LIMITS,
    policySize,
    stageRoleArn,
} from "../policies";
import { teamsSettings, UserSettings, usersSettings } from "./identity";
import {
    accountsSettings,
    AUDIT_STAGE,
    namespaceSettings,
    ORGANIZATION_STAGE,
    organizationSettings,
    partitionOf,
    PRODUCTION_STAGE,
    DEFAULT_ROLES,
    protectSettings,
    PROTECTED_BY_DEFAULT,
    regionSettings,
    RoleSpec,
    rolesSettings,
    ROOT_STAGE,
    stageSettings,
    TESTING_STAGE,
} from "./organization";
import { closest, ConfigError, notOneOf, Problems, renameToUsable } from "./problems";
import { areaList, NAME_PART } from "./schema";
import { z } from "zod";

export * from "./organization";
export { ConfigError, describeConfigErrors } from "./problems";
export type { AwsOrganizationConfig, CloudtrailLogs, DeployerSettings, DeploymentsSettings, NatGatewayStrategy };

/** One role in one account that a team may assume. */
export interface Grant {
    stage: string;
    role: string;
}

/** A root user: the teams they belong to and, for console sign-in, the PGP key their first password is encrypted to. */
export interface User {
    teams: string[];
    /** Set for a console user: the login profile's initial password is encrypted to this key, never stored in the clear. */
    console?: { pgpKey: string };
}

/** The account baseline: account-wide security defaults, each part on unless switched off. */
export interface BaselineConfig {
    accountAlias: boolean;
    passwordPolicy: boolean;
    ebsEncryption: boolean;
    s3PublicAccessBlock: boolean;
    accessAnalyzer: boolean;
    budget?: BudgetSpec;
}

/** `refarch:network`, with the stage's defaults applied. */
export interface NetworkConfig {
    cidrBlock: string;
    numberOfAvailabilityZones: number;
    natGateways: { strategy: NatGatewayStrategy };
}

export interface AuroraPostgresConfig {
    instanceClass: string;
    instances: number;
    engineVersion: string;
}

export interface AcmCloudfrontConfig {
    domainName: string;
    subjectAlternativeNames: string[];
    hostedZoneId?: string;
}

/** The settings of the stack's one AWS provider, and of any provider a component makes for another region. */
export interface AwsProviderSettings {
    /** The stage's account from refarch:accounts: the provider refuses any other account's credentials. Unset only
     * for the org stack when root is given as `{ email }`: the management account is then whichever runs it. */
    allowedAccountIds?: string[];
    assumeRoles?: Record<string, unknown>[];
    profile?: string;
}

export interface RefarchConfig {
    organization: string;
    project: string;
    stack: string;
    stage: string;
    namespace: string;
    region: string;
    partition: string;
    /** Prefix of this stack's physical names: `<namespace>-<stage>`, or `<namespace>-<stack>` for a stack
     * that borrows another stage's account (a review stack), so the two never collide. */
    namePrefix: string;
    /** stage -> 12-digit account id, for every stage whose id is known: given in refarch:accounts, or (once
     * resolveAccounts has run) read from the org stack for an account it created. */
    accounts: Record<string, string>;
    /** Stages whose account the org stack creates (root's: the management account, found by the organization): stage -> email. */
    accountEmails: Record<string, string>;
    /** Set when the program manages the AWS Organization (an `org` stack exists): its units and guardrails. */
    awsOrganization?: AwsOrganizationConfig;
    /**
     * Whether this stack's provider enters its created account through the organization's access role
     * (refarch:accessRole): "auto" (unset) decides by the credentials' account at deploy time. Undefined where
     * there is nothing to decide: an account given by id, the management account, or a stack with aws:assumeRoles.
     */
    enterThroughAccessRole?: boolean | "auto";
    /** The stage's account id; empty until resolveAccounts has read it, for an account the org stack creates. */
    accountId: string;
    roles: Record<string, RoleSpec>;
    /** team -> grants, "*" expanded to every stage. Only the root stage reads these. */
    teams: Record<string, Grant[]>;
    /** user -> teams and console access. Only the root stage reads these. */
    users: Record<string, User>;
    protect: boolean;
    /** Only the audit stage reads these. */
    cloudtrailLogs: CloudtrailLogs;
    deployer: DeployerSettings;
    deployments: DeploymentsSettings;
    baseline: BaselineConfig;
    /** Optional components: set only when the stack's config turns them on. */
    network?: NetworkConfig;
    auroraPostgres?: AuroraPostgresConfig;
    acmCloudfront?: AcmCloudfrontConfig;
    awsProvider: AwsProviderSettings;
}

/** What a stack was given: Pulumi hands every config value over as a string, objects as JSON. */
export interface RawConfig {
    organization: string;
    project: string;
    stack: string;
    values: Record<string, string>;
}

/** Reads this stack's config from the Pulumi runtime and validates it. */
export function loadConfig(): RefarchConfig {
    return validateConfig({
        organization: pulumi.getOrganization(),
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        values: pulumi.runtime.allConfig(),
    });
}

/** Every `refarch:*` key the program reads, and `aws:region`. */
const AREAS = areaList(
    namespaceSettings,
    accountsSettings,
    rolesSettings,
    organizationSettings,
    deployerSettings,
    deploymentsSettings,
    stageSettings,
    protectSettings,
    regionSettings,
    teamsSettings,
    usersSettings,
    cloudtrailLogsSettings,
    awsOrganizationSettings,
    accessRoleSettings,
    baselineSettings,
    networkSettings,
    auroraPostgresSettings,
    acmCloudfrontSettings,
);
/** The AWS provider settings the program passes on to the stack's provider; any other aws:* key would be ignored. */
const AWS_KEYS = ["aws:region", "aws:profile", "aws:assumeRoles"];
/** Every config key the program reads. */
export const CONFIG_KEYS: readonly string[] = [...new Set([...AREAS.map((a) => a.key), ...AWS_KEYS])];
const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
// AWS limits on the names this program forms.
const MAX_BUCKET_NAME = 63;
const MAX_ROLE_NAME = 64;

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

    let protect = PROTECTED_BY_DEFAULT.includes(stage);
    const protectValue = get<boolean | undefined>("refarch:protect", undefined);
    if (protectValue === true && stage === TESTING_STAGE) {
        problems.add("refarch:protect", true, "cannot be true in testing: testing is destroyed often and must destroy with no manual step", { set: "false" });
    } else if (protectValue !== undefined) {
        protect = protectValue;
    }

    const cloudtrailLogs = get<CloudtrailLogs>("refarch:cloudtrailLogs", cloudtrailLogsSettings.schema.parse(undefined));
    if (cloudtrailLogs.expireAfterDays <= cloudtrailLogs.glacierAfterDays) {
        problems.add("refarch:cloudtrailLogs.expireAfterDays", cloudtrailLogs.expireAfterDays, `must be later than glacierAfterDays (${cloudtrailLogs.glacierAfterDays})`, { set: String(cloudtrailLogs.glacierAfterDays + 275) });
    }

    const catalog = catalogRules(parsed, given, { stack, stage, partition }, problems);

    const created = stage in accountEmails && stage !== ROOT_STAGE;
    if (!created && raw.values["refarch:accessRole"] !== undefined) {
        problems.add("refarch:accessRole", raw.values["refarch:accessRole"], `is read only for an account the org stack creates, and stage "${stage}" is not one (its account is given by id, or is the management account)`, { remove: true });
    }

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
        ...(awsOrganization ? { awsOrganization } : {}),
        ...(created && raw.values["aws:assumeRoles"] === undefined ? { enterThroughAccessRole: get<boolean | undefined>("refarch:accessRole", undefined) ?? "auto" } : {}),
        accountId,
        roles,
        teams,
        users,
        protect,
        cloudtrailLogs,
        deployer,
        deployments: get<DeploymentsSettings>("refarch:deployments", deploymentsSettings.schema.parse(undefined)),
        ...catalog,
        awsProvider: {
            ...(accountId ? { allowedAccountIds: [accountId] } : {}),
            ...(raw.values["aws:assumeRoles"] !== undefined ? { assumeRoles: parseValue(raw.values["aws:assumeRoles"]) as Record<string, unknown>[] } : {}),
            ...(raw.values["aws:profile"] !== undefined ? { profile: raw.values["aws:profile"] } : {}),
        },
    };
}

// ---- Domain rules: each small and named, reporting into the one list ----

/** Unknown refarch:* keys are usually typos of a real key; other aws:* keys would be ignored by the stack's provider. */
function unknownKeys(raw: RawConfig, problems: Problems): void {
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

/**
 * Each stage's account: 12 digits, quoted, its own; or `{ email }`, an account the org stack creates, with an
 * email no other stage uses. A stage with a bad value is still a stage, so nothing else cascades from it.
 */
function accountRules(value: unknown, problems: Problems): { accounts: Record<string, string>; accountEmails: Record<string, string>; stages: string[] } {
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
            const example = `{ email: "aws+${stage}@example.com" }`;
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

/**
 * The AWS Organization is managed (an `org` stack exists) when refarch:awsOrganization is set or any account
 * is to be created. Every stage but root sits in exactly one unit; the guardrails fit AWS's SCP limits; a
 * member stack's region is one the region guardrail allows.
 */
function organizationRules(
    given: boolean,
    parsed: Map<string, unknown>,
    accountEmails: Record<string, string>,
    stages: string[],
    ctx: { stage: string; region: string; namespace: string; partition: string },
    problems: Problems,
): AwsOrganizationConfig | undefined {
    if (!given && Object.keys(accountEmails).length === 0) return undefined;
    const value = (parsed.get("refarch:awsOrganization") ?? {}) as { units?: Record<string, string[]>; guardrails?: GuardrailSettings };
    const guardrails = value.guardrails ?? DEFAULT_GUARDRAILS;
    const members = stages.filter((s) => s !== ROOT_STAGE);
    const units = value.units ?? defaultUnits(members);
    const placed = new Map<string, string>();
    for (const [unit, unitStages] of Object.entries(units)) {
        for (const stage of unitStages) {
            const key = `refarch:awsOrganization.units.${unit}`;
            if (!members.includes(stage)) {
                problems.add(key, stage, notOneOf(stage, "a stage of refarch:accounts other than root (the management account, in no unit)", members), { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${unit}:, remove ${stage}` });
            } else if (placed.has(stage)) {
                problems.add(key, stage, `is also in unit "${placed.get(stage)}": an account sits in one unit`, { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${unit}:, remove ${stage}` });
            } else {
                placed.set(stage, unit);
            }
        }
    }
    for (const stage of members.filter((s) => !placed.has(s))) {
        const first = Object.keys(units)[0] ?? "workloads";
        problems.add("refarch:awsOrganization.units", stage, "is a stage in no unit: its account would get no guardrails", { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${first}:, add ${stage}` });
    }
    if (NAME_PART.test(ctx.namespace)) {
        for (const why of guardrailLimitProblems(guardrailPolicies({ partition: ctx.partition, namespace: ctx.namespace }, guardrails))) {
            problems.add("refarch:awsOrganization.guardrails", "(as set)", why, { text: "in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails:, merge or remove custom policies" });
        }
    }
    const regions = guardrails.allowedRegions;
    if (regions && members.includes(ctx.stage) && ctx.region && !regions.includes(ctx.region)) {
        problems.add("refarch:awsOrganization.guardrails.allowedRegions", regions, `leaves out ${ctx.region}, where stage "${ctx.stage}" deploys: its own stack would be denied`, {
            set: JSON.stringify([...regions, ctx.region]),
        });
    }
    return { units, guardrails };
}

/** The audit account in a `security` unit, every other member in `workloads`, as AWS's recommended OU layout does. */
function defaultUnits(members: string[]): Record<string, string[]> {
    const workloads = members.filter((s) => s !== AUDIT_STAGE);
    return { ...(members.includes(AUDIT_STAGE) ? { security: [AUDIT_STAGE] } : {}), ...(workloads.length > 0 ? { workloads } : {}) };
}

/** The stage this stack deploys must be a stage; only testing hosts stacks named other than their stage (review stacks). */
function stageRules(raw: RawConfig, stage: string, stages: string[], problems: Problems): void {
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

/** Keys read only in one stage; set anywhere else they would be silently ignored. */
function stageOnlyRules(raw: RawConfig, stage: string, problems: Problems): void {
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
function organizationStackRules(raw: RawConfig, stage: string, problems: Problems): void {
    if (stage !== ORGANIZATION_STAGE) return;
    // The keys listed, not the areas: an array of the four areas makes tsc unify their zod types (0.8 s of its check).
    for (const key of [baselineSettings.key, networkSettings.key, auroraPostgresSettings.key, acmCloudfrontSettings.key]) {
        if (raw.values[key] === undefined) continue;
        problems.add(key, "(set)", `is not read by the ${ORGANIZATION_STAGE} stack, which only manages the AWS Organization: the management account's baseline and components belong to the ${ROOT_STAGE} stack`, {
            text: `move ${key} from Pulumi.${raw.stack}.yaml to Pulumi.${ROOT_STAGE}.yaml`,
        });
    }
}

function roleRules(roleNames: string[], deployer: DeployerSettings, problems: Problems): void {
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

/** An ARN with its partition (`arn:<partition>:...`) replaced. */
function inPartition(arn: string, partition: string): string {
    return arn.replace(/^arn:[^:]*:/, `arn:${partition}:`);
}

function rolesInPartition(roles: Record<string, RoleSpec>, partition: string): Record<string, RoleSpec> {
    return Object.fromEntries(Object.entries(roles).map(([role, spec]) => [role, { ...spec, policyArns: spec.policyArns.map((arn) => inPartition(arn, partition)) }]));
}

/** The deployer's and previewer's default policies, in the stack's partition; policies given stay as written. */
function deployerInPartition(deployer: DeployerSettings, given: unknown, partition: string): DeployerSettings {
    const defaulted = (key: string) => !isMap(given) || given[key] === undefined;
    return {
        ...deployer,
        policyArns: defaulted("policyArns") ? deployer.policyArns.map((arn) => inPartition(arn, partition)) : deployer.policyArns,
        previewerPolicyArns: defaulted("previewerPolicyArns") ? deployer.previewerPolicyArns.map((arn) => inPartition(arn, partition)) : deployer.previewerPolicyArns,
    };
}

/**
 * Every ARN the config names is in the stack's partition: the China Regions (aws-cn) and GovCloud (aws-us-gov) are
 * partitions of their own, whose accounts cannot attach or trust anything of another
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */
function partitionRules(partition: string, region: string, roles: Record<string, RoleSpec>, deployer: DeployerSettings, problems: Problems): void {
    const check = (key: string, arns: string[]) => {
        for (const arn of arns.filter((a) => a.split(":")[1] !== partition)) {
            problems.add(key, arn, `is in the ${arn.split(":")[1]} partition, and this stack deploys to ${region}, in ${partition}`, { replace: arn, with: `"${inPartition(arn, partition)}"` });
        }
    };
    if (!region) return;
    for (const [role, spec] of Object.entries(roles)) check(`refarch:roles.${role}.policyArns`, spec.policyArns);
    check("refarch:deployer.policyArns", deployer.policyArns);
    check("refarch:deployer.previewerPolicyArns", deployer.previewerPolicyArns);
}

/** An existing OIDC provider is named under a stage of refarch:accounts, and in that stage's account where its id is written. */
function existingOidcProviderRules(deployer: DeployerSettings, stages: string[], accounts: Record<string, string>, problems: Problems): void {
    for (const stage of Object.keys(deployer.existingOidcProviders).filter((s) => !stages.includes(s))) {
        problems.add(`refarch:deployer.existingOidcProviders.${stage}`, stage, `is not a stage of refarch:accounts (valid: ${stages.join(", ")})`, { remove: true, renameTo: closest(stage, stages) });
    }
    oidcProviderAccountRule(deployer, accounts, problems);
}

/** An existing OIDC provider named for a stage must be in that stage's account: IAM trusts only its own account's providers. */
function oidcProviderAccountRule(deployer: DeployerSettings, accounts: Record<string, string>, problems: Problems): void {
    for (const [stage, providers] of Object.entries(deployer.existingOidcProviders)) {
        for (const [issuer, arn] of Object.entries(providers)) {
            if (arn && accounts[stage] !== undefined && arn.split(":")[4] !== accounts[stage]) {
                problems.add(`refarch:deployer.existingOidcProviders.${stage}.${issuer}`, arn, `is in account ${arn.split(":")[4]}, not ${stage}'s account ${accounts[stage]}`, { set: `"${arn.replace(/iam::\d{12}:/, `iam::${accounts[stage]}:`)}"` });
            }
        }
    }
}

/**
 * The rules that need the id of an account the org stack creates, which validateConfig cannot know: run once
 * src/accountIds.ts has read every id. Throws a ConfigError before anything is created.
 */
export function validateResolvedAccounts(config: RefarchConfig, accounts: Record<string, string>): void {
    const problems = new Problems(() => "Pulumi.yaml");
    oidcProviderAccountRule(config.deployer, accounts, problems);
    if (problems.list.length > 0) throw new ConfigError(config.stack, problems.list);
}

/** Names formed from the namespace, stages, roles and the stack must fit AWS's limits. */
function nameLengthRules(namespace: string, stack: string, stage: string, stages: string[], roleNames: string[], problems: Problems): void {
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

/** Grants name real stages and roles; "*" expands to every stage. */
function teamRules(teamsValue: Record<string, { access: Record<string, string | string[]> }>, stages: string[], roleNames: string[], problems: Problems): Record<string, Grant[]> {
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
function userRules(usersValue: Record<string, string[] | UserSettings>, teamNames: string[], problems: Problems): Record<string, User> {
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
function quotaRules(teams: Record<string, Grant[]>, users: Record<string, User>, partition: string, accounts: Record<string, string>, namespace: string, problems: Problems): void {
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

function auditPolicySizeRule(partition: string, namespace: string, accounts: Record<string, string>, auditAccountId: string | undefined, problems: Problems): void {
    const writers = { partition, namespace, accounts };
    const bucketPolicy = policySize(cloudtrailBucketPolicy(`arn:${partition}:s3:::${cloudtrailBucketName(namespace)}`, writers));
    const keyPolicy = policySize(cloudtrailKeyPolicy(auditAccountId ?? "000000000000", writers, stageRoleArn(partition, auditAccountId ?? "000000000000", namespace, AUDIT_STAGE, LOGS_READER_ROLE)));
    if (bucketPolicy > POLICY_LIMITS.bucketPolicy || keyPolicy > POLICY_LIMITS.keyPolicy) {
        problems.add("refarch:accounts", `${Object.keys(accounts).length} accounts`, `make the audit bucket policy ${bucketPolicy} bytes (S3 allows ${POLICY_LIMITS.bucketPolicy}) and the key policy ${keyPolicy} (KMS allows ${POLICY_LIMITS.keyPolicy})`, {
            text: "use shorter stage names, or a second audit sink for some accounts",
        });
    }
}

type CatalogConfig = Pick<RefarchConfig, "baseline" | "network" | "auroraPostgres" | "acmCloudfront">;

/** The account baseline and the optional components, with the stage's defaults and the rules that span them. */
function catalogRules(parsed: Map<string, unknown>, given: Map<string, unknown>, ctx: { stack: string; stage: string; partition: string }, problems: Problems): CatalogConfig {
    const production = ctx.stage === PRODUCTION_STAGE;
    // The baseline's parts are account-wide singletons: a stack that borrows another stage's account (a review
    // stack) leaves them to that stage's own stack, which would otherwise lose them when this one is destroyed.
    const ownsAccount = ctx.stack === ctx.stage;
    const switches = (parsed.get("refarch:baseline") ?? {}) as Partial<BaselineConfig>;
    const baseline = Object.fromEntries(BASELINE_SWITCHES.map((s) => [s, switches[s] ?? ownsAccount])) as unknown as BaselineConfig;
    if (switches.budget) baseline.budget = switches.budget;
    // The account alias `<namespace>-<stage>` needs no check of its own: IAM allows it 63 characters, and the stage's
    // roles `<namespace>-<stage>-<role>` (64 at most, checked by nameLengthRules) are longer.

    const networkValue = parsed.get("refarch:network") as Partial<NetworkConfig> | undefined;
    const network: NetworkConfig | undefined = networkValue && {
        cidrBlock: networkValue.cidrBlock!,
        numberOfAvailabilityZones: networkValue.numberOfAvailabilityZones ?? 3,
        natGateways: networkValue.natGateways ?? { strategy: production ? "OnePerAz" : "Single" },
    };

    const auroraValue = parsed.get("refarch:auroraPostgres") as Partial<AuroraPostgresConfig> | undefined;
    let auroraPostgres: AuroraPostgresConfig | undefined;
    if (given.get("refarch:auroraPostgres") !== undefined) {
        if (given.get("refarch:network") === undefined) {
            problems.add("refarch:network.cidrBlock", undefined, "is required by refarch:auroraPostgres: the cluster lives in the private subnets of this stack's VPC", { set: "10.0.0.0/16" });
        } else if (network && network.numberOfAvailabilityZones < 2) {
            problems.add("refarch:network.numberOfAvailabilityZones", network.numberOfAvailabilityZones, "must be at least 2 with refarch:auroraPostgres: an Aurora subnet group spans two or more availability zones", { set: "2" });
        } else if (auroraValue) {
            auroraPostgres = {
                instanceClass: auroraValue.instanceClass ?? (production ? "db.r6g.large" : "db.t4g.medium"),
                instances: auroraValue.instances ?? (production ? 2 : 1),
                engineVersion: auroraValue.engineVersion ?? DEFAULT_AURORA_POSTGRES_MAJOR,
            };
        }
    }

    const acmValue = parsed.get("refarch:acmCloudfront") as (Partial<AcmCloudfrontConfig> & { domainName: string }) | undefined;
    let acmCloudfront: AcmCloudfrontConfig | undefined;
    if (given.get("refarch:acmCloudfront") !== undefined && ctx.partition !== "aws") {
        problems.add("refarch:acmCloudfront", given.get("refarch:acmCloudfront"), `needs the aws partition: CloudFront takes ACM certificates only from us-east-1, and this stack is in ${ctx.partition}`, { remove: true });
    } else {
        // Checked on the names as given, so a repeat is reported beside a malformed name, not after it is fixed.
        const asGiven = (given.get("refarch:acmCloudfront") ?? {}) as { domainName?: unknown; subjectAlternativeNames?: unknown };
        const names = Array.isArray(asGiven.subjectAlternativeNames) ? asGiven.subjectAlternativeNames : [];
        const repeated = names.filter((san, i) => typeof san === "string" && (san === asGiven.domainName || names.indexOf(san) !== i));
        for (const san of new Set(repeated)) {
            problems.add("refarch:acmCloudfront.subjectAlternativeNames", san, "is listed twice (the domain name is already on the certificate)", { text: `in Pulumi.${ctx.stack}.yaml, under config: refarch:acmCloudfront:, list ${san} once` });
        }
    }
    if (acmValue) {
        const names = acmValue.subjectAlternativeNames ?? [];
        acmCloudfront = { domainName: acmValue.domainName, subjectAlternativeNames: [...new Set(names)], ...(acmValue.hostedZoneId !== undefined ? { hostedZoneId: acmValue.hostedZoneId } : {}) };
    }
    return { baseline, network, auroraPostgres, acmCloudfront };
}

/** Pulumi hands structured values over as JSON; anything else is the text as written. */
function parseValue(text: string): unknown {
    // JSON text starts, after any whitespace, with one of these (https://www.rfc-editor.org/rfc/rfc8259#section-2):
    // anything else ("us-east-1") is plain text, known without the SyntaxError JSON.parse would build for it.
    if (!/^\s*[{["\-0-9tfn]/.test(text)) return text;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A namespace to suggest when the current one is too long. */
function shorter(namespace: string): string {
    return namespace.slice(0, 8).replace(/-+$/, "") || "acme";
}

