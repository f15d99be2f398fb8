// The only reader of Pulumi config. `validateConfig` is pure: it turns the raw key/value strings a
// stack was given into a typed RefarchConfig, or throws one ConfigError that lists every problem,
// each with the key, the bad value and the fix. Nothing is registered before this has passed.
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import {
    chunkGrants,
    cloudtrailBucketName,
    cloudtrailBucketPolicy,
    cloudtrailKeyPolicy,
    MAX_GROUPS_PER_USER,
    MAX_TEAM_POLICIES,
    POLICY_LIMITS,
    policySize,
    stageRoleArn,
} from "./policies";

export const ROOT_STAGE = "root";
export const AUDIT_STAGE = "audit";
export const TESTING_STAGE = "testing";
/** The stage that gets production-grade defaults (a NAT gateway per AZ, two Aurora instances on r-class). */
export const PRODUCTION_STAGE = "prod";
/** Stages whose resources are protected unless `refarch:protect` says otherwise. */
export const PROTECTED_BY_DEFAULT = ["root", "prod", "audit"];

export interface RoleSpec {
    /** Managed policies attached to the role. */
    policyArns: string[];
    /** Longest session, in seconds (3600 to 43200). Default 3600. */
    maxSessionDuration: number;
    /** Whether assuming the role needs `aws:MultiFactorAuthPresent`. Default true. */
    requireMfa: boolean;
}

/** One role in one account that a team may assume. */
export interface Grant {
    stage: string;
    role: string;
}

export interface CloudtrailLogs {
    /** Days before log objects move to Glacier Instant Retrieval. Default 90. */
    glacierAfterDays: number;
    /** Days before log objects expire. Default 365. */
    expireAfterDays: number;
}

/** The deployment identity of each account: Pulumi Cloud's OIDC provider and the `<namePrefix>-deployer` role. */
export interface DeployerSettings {
    /** Whether the account gets the OIDC provider and the deployer role. Default true. */
    enabled: boolean;
    /** Managed policies of the deployer role. Default AdministratorAccess: the program manages IAM, CloudTrail, S3 and KMS. */
    policyArns: string[];
    /** `owner/repo` whose GitHub Actions workflows may also assume the role. Default none (Pulumi Deployments only). */
    githubRepository?: string;
    /** Name pattern (`*` wildcard) of the review stacks the testing stage's deployer also admits. Default "pr-*". */
    reviewStacks: string;
}

/** The account baseline: account-wide security defaults, each part on unless switched off. */
export interface BaselineConfig {
    /** IAM account alias `<namespace>-<stage>`. Default true. */
    accountAlias: boolean;
    /** Account password policy: 14+ characters, all classes, reuse prevention 24, max age 90. Default true. */
    passwordPolicy: boolean;
    /** EBS encryption by default in the stack's region. Default true. */
    ebsEncryption: boolean;
    /** S3 account-level public access block. Default true. */
    s3PublicAccessBlock: boolean;
    /** IAM Access Analyzer with the account as zone of trust. Default true. */
    accessAnalyzer: boolean;
    /** A monthly cost budget that emails `email` when spend (actual or forecast) passes `amount` USD. Default none. */
    budget?: { amount: number; email: string };
}

export type NatGatewayStrategy = "None" | "Single" | "OnePerAz";

/** `refarch:network`: a VPC from awsx, in awsx's own names. */
export interface NetworkConfig {
    cidrBlock: string;
    /** Default 3. */
    numberOfAvailabilityZones: number;
    /** Default OnePerAz in prod, Single elsewhere. */
    natGateways: { strategy: NatGatewayStrategy };
}

/** `refarch:auroraPostgres`: backing-services/aurora-postgres. */
export interface AuroraPostgresConfig {
    /** Default db.r6g.large in prod, db.t4g.medium elsewhere. */
    instanceClass: string;
    /** Default 2 in prod (a writer and a failover reader), 1 elsewhere. */
    instances: number;
    /** Default 16.6. */
    engineVersion: string;
}

/** `refarch:acmCloudfront`: a certificate in us-east-1 for CloudFront. */
export interface AcmCloudfrontConfig {
    domainName: string;
    /** Default none. */
    subjectAlternativeNames: string[];
    /** The Route 53 zone to write the validation records to; default none (records exported to create by hand). */
    hostedZoneId?: string;
}

/** What a provider made by a component needs so it acts in the same account with the same credentials as the stack's own. */
export interface AwsProviderSettings {
    allowedAccountIds: string[];
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
    /** stage -> 12-digit account id, for every stage that exists. */
    accounts: Record<string, string>;
    accountId: string;
    roles: Record<string, RoleSpec>;
    /** team -> grants, "*" expanded to every stage. Only the root stage reads these. */
    teams: Record<string, Grant[]>;
    /** user -> teams. Only the root stage reads these. */
    users: Record<string, string[]>;
    protect: boolean;
    /** Only the audit stage reads these. */
    cloudtrailLogs: CloudtrailLogs;
    deployer: DeployerSettings;
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

export const DEFAULT_ROLES: Record<string, RoleSpec> = {
    admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], maxSessionDuration: 3600, requireMfa: true },
    readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], maxSessionDuration: 3600, requireMfa: true },
};

export const DEFAULT_CLOUDTRAIL_LOGS: CloudtrailLogs = { glacierAfterDays: 90, expireAfterDays: 365 };

export const DEFAULT_DEPLOYER: DeployerSettings = { enabled: true, policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], reviewStacks: "pr-*" };

export class ConfigError extends Error {
    constructor(
        readonly stack: string,
        readonly problems: string[],
    ) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(
            `Config of stack "${stack}" (Pulumi.yaml + Pulumi.${stack}.yaml) has ${count}; nothing was created:\n` +
                problems.map((p, i) => `  ${i + 1}. ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
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

// Where each key lives decides how to fix it: project keys are edited in Pulumi.yaml, stack keys are set per stack.
const PROJECT_KEYS = ["refarch:namespace", "refarch:accounts", "refarch:roles", "refarch:organization", "refarch:deployer"];
/** The component catalog's keys, per stack: the baseline's switches and the optional components. */
const CATALOG_KEYS = ["refarch:baseline", "refarch:network", "refarch:auroraPostgres", "refarch:acmCloudfront"];
const STACK_KEYS = ["refarch:stage", "refarch:protect", "refarch:teams", "refarch:users", "refarch:cloudtrailLogs", ...CATALOG_KEYS];
/** Keys read only in one stage; set anywhere else they would be silently ignored, so they are refused. */
const STAGE_ONLY_KEYS: Record<string, string> = {
    "refarch:teams": ROOT_STAGE,
    "refarch:users": ROOT_STAGE,
    "refarch:cloudtrailLogs": AUDIT_STAGE,
};

const ACCOUNT_ID = /^\d{12}$/;
const NAME_PART = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@\/-]+$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const ROLE_FIELDS = ["policyArns", "maxSessionDuration", "requireMfa"];
const DEPLOYER_FIELDS = ["enabled", "policyArns", "githubRepository", "reviewStacks"];
const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const STACK_PATTERN = /^[A-Za-z0-9._*-]+$/;
// AWS limits on the names this program forms.
const MAX_BUCKET_NAME = 63;
const MAX_ROLE_NAME = 64;

export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** The stage a stack deploys: `refarch:stage`, or the stack's own name. */
export function stageOf(raw: RawConfig): string {
    return raw.values["refarch:stage"] ?? raw.stack;
}

export function validateConfig(raw: RawConfig): RefarchConfig {
    const problems: string[] = [];
    const stack = raw.stack;
    const stage = stageOf(raw);
    const fixHint = (key: string, example: string): string =>
        PROJECT_KEYS.includes(key.split(".")[0])
            ? `edit ${key} under config: in Pulumi.yaml, e.g. ${example}`
            : `pulumi config set --stack ${stack} ${key.includes(".") ? "--path " : ""}'${key}' '${example}'`;
    const report = (key: string, value: unknown, why: string, example: string): void => {
        problems.push(`${key}: ${show(value)} ${why}. Fix: ${fixHint(key, example)}`);
    };
    const json = <T>(key: string, fallback: T): T => {
        const text = raw.values[key];
        if (text === undefined) return fallback;
        try {
            return JSON.parse(text) as T;
        } catch {
            problems.push(`${key}: ${show(text)} is not valid structured config. Fix: give it as a YAML map or list in Pulumi.${stack}.yaml`);
            return fallback;
        }
    };

    // Unknown refarch:* keys are usually typos of a real key: refuse them rather than ignore them.
    const knownKeys = [...PROJECT_KEYS, ...STACK_KEYS];
    for (const key of Object.keys(raw.values).filter((k) => k.startsWith("refarch:"))) {
        if (!knownKeys.includes(key)) {
            problems.push(`${key}: unknown key (set to ${show(raw.values[key])}). Fix: remove it, or use one of ${knownKeys.join(", ")}`);
        }
    }

    // refarch:namespace
    const namespace = raw.values["refarch:namespace"] ?? "";
    if (!NAME_PART.test(namespace) || namespace.startsWith("xn--")) {
        report("refarch:namespace", namespace || undefined, "cannot prefix S3 bucket and IAM names: use lowercase letters, digits and single hyphens, starting with a letter", "namespace: acme");
    }

    // refarch:accounts
    const accounts: Record<string, string> = {};
    const accountsValue = json<unknown>("refarch:accounts", undefined);
    if (!isPlainObject(accountsValue)) {
        report("refarch:accounts", accountsValue, "must be a map of stage -> 12-digit account id that includes root", `accounts: { root: "111111111111", prod: "222222222222" }`);
    } else {
        const owners = new Map<string, string>();
        for (const [name, id] of Object.entries(accountsValue)) {
            if (!NAME_PART.test(name)) {
                report(`refarch:accounts.${name}`, name, "is not a usable stage name: use lowercase letters, digits and single hyphens", `accounts: { sandbox: "777777777777" }`);
                continue;
            }
            if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
                const quoted = typeof id === "number" ? " (quote it: YAML reads a bare number and drops leading zeros)" : "";
                report(`refarch:accounts.${name}`, id, `is not a 12-digit AWS account id${quoted}`, `accounts: { ${name}: "123456789012" }`);
                continue;
            }
            const other = owners.get(id);
            if (other !== undefined) {
                report(`refarch:accounts.${name}`, id, `is also the account of stage "${other}": every stage needs its own account`, `accounts: { ${name}: "<its own account id>" }`);
                continue;
            }
            owners.set(id, name);
            accounts[name] = id;
        }
        if (!(ROOT_STAGE in accountsValue)) {
            report("refarch:accounts", accountsValue, "has no root stage: root holds the users who reach every other account", `accounts: { root: "111111111111", ... }`);
        }
    }
    const stages = Object.keys(accounts);

    // The stage this stack deploys, and the account guard.
    const accountId = accounts[stage];
    if (isPlainObject(accountsValue) && !(stage in accountsValue)) {
        const key = raw.values["refarch:stage"] !== undefined ? "refarch:stage" : "stack name";
        problems.push(
            `${key}: ${show(stage)} is not a stage of refarch:accounts (valid: ${Object.keys(accountsValue).join(", ")}). ` +
                `Fix: pulumi stack select one of those, set refarch:stage to one, or add "${stage}" with its account id to refarch:accounts in Pulumi.yaml`,
        );
    }
    const allowedValue = json<unknown>("aws:allowedAccountIds", undefined);
    if (accountId !== undefined && !(Array.isArray(allowedValue) && allowedValue.length === 1 && allowedValue[0] === accountId)) {
        const why = allowedValue === undefined
            ? `is missing: it is the guard that stops stage "${stage}" ever running with another account's credentials`
            : `must be exactly ["${accountId}"], the account of stage "${stage}" in refarch:accounts`;
        report("aws:allowedAccountIds", allowedValue, why, `["${accountId}"]`);
    }

    // aws:region
    const region = raw.values["aws:region"] ?? "";
    if (!REGION.test(region)) {
        report("aws:region", region || undefined, "is not an AWS region", "us-east-1");
    }

    // refarch:roles
    const roles: Record<string, RoleSpec> = {};
    const rolesValue = json<unknown>("refarch:roles", DEFAULT_ROLES);
    if (!isPlainObject(rolesValue) || Object.keys(rolesValue).length === 0) {
        report("refarch:roles", rolesValue, "must be a map of role name -> { policyArns, maxSessionDuration?, requireMfa? }", `roles: { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } }`);
    } else {
        for (const [name, spec] of Object.entries(rolesValue)) {
            const key = `refarch:roles.${name}`;
            if (!NAME_PART.test(name)) {
                report(key, name, "is not a usable role name: use lowercase letters, digits and single hyphens", "roles: { admin: {...} }");
                continue;
            }
            if (!isPlainObject(spec)) {
                report(key, spec, "must be { policyArns, maxSessionDuration?, requireMfa? }", `{ policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }`);
                continue;
            }
            let valid = true;
            for (const field of Object.keys(spec).filter((f) => !ROLE_FIELDS.includes(f))) {
                report(`${key}.${field}`, spec[field], `is not a role setting (valid: ${ROLE_FIELDS.join(", ")})`, "remove it");
                valid = false;
            }
            const policyArns = spec.policyArns;
            if (!Array.isArray(policyArns) || policyArns.length === 0) {
                report(`${key}.policyArns`, policyArns, "must be a non-empty list of managed policy ARNs", `["arn:aws:iam::aws:policy/ReadOnlyAccess"]`);
                valid = false;
            } else {
                const policyNames = new Set<string>();
                for (const arn of policyArns) {
                    if (typeof arn !== "string" || !POLICY_ARN.test(arn)) {
                        report(`${key}.policyArns`, arn, "is not an IAM managed policy ARN", `"arn:aws:iam::aws:policy/ReadOnlyAccess"`);
                        valid = false;
                    } else if (policyNames.has(policyName(arn))) {
                        report(`${key}.policyArns`, arn, `repeats the policy name "${policyName(arn)}" of another ARN in this role`, "list each policy once");
                        valid = false;
                    } else {
                        policyNames.add(policyName(arn));
                    }
                }
            }
            const maxSessionDuration = spec.maxSessionDuration ?? 3600;
            if (!Number.isInteger(maxSessionDuration) || (maxSessionDuration as number) < 3600 || (maxSessionDuration as number) > 43200) {
                report(`${key}.maxSessionDuration`, maxSessionDuration, "must be a whole number of seconds from 3600 to 43200", "3600");
                valid = false;
            }
            const requireMfa = spec.requireMfa ?? true;
            if (typeof requireMfa !== "boolean") {
                report(`${key}.requireMfa`, requireMfa, "must be true or false", "true");
                valid = false;
            }
            if (valid) {
                roles[name] = { policyArns: policyArns as string[], maxSessionDuration: maxSessionDuration as number, requireMfa: requireMfa as boolean };
            }
        }
    }

    // Names formed from the namespace, stages and roles must fit AWS's limits.
    if (NAME_PART.test(namespace)) {
        for (const s of stages) {
            for (const role of [...Object.keys(roles), "deployer"]) {
                const name = `${namespace}-${s}-${role}`;
                if (name.length > MAX_ROLE_NAME) {
                    report("refarch:namespace", namespace, `makes the role name "${name}" longer than IAM's ${MAX_ROLE_NAME} characters`, "namespace: <shorter>");
                }
            }
        }
        const bucket = `${namespace}-${AUDIT_STAGE}-cloudtrail`;
        if (bucket.length > MAX_BUCKET_NAME) {
            report("refarch:namespace", namespace, `makes the bucket name "${bucket}" longer than S3's ${MAX_BUCKET_NAME} characters`, "namespace: <shorter>");
        }
    }

    // Stage-only keys.
    for (const [key, only] of Object.entries(STAGE_ONLY_KEYS)) {
        if (raw.values[key] !== undefined && stage !== only) {
            report(key, "(set)", `is read only by the ${only} stack, and this stack deploys stage "${stage}"`, `move it to Pulumi.${only}.yaml`);
        }
    }

    // refarch:teams and refarch:users (root only)
    const teams: Record<string, Grant[]> = {};
    const users: Record<string, string[]> = {};
    if (stage === ROOT_STAGE) {
        const teamsValue = json<unknown>("refarch:teams", {});
        if (!isPlainObject(teamsValue)) {
            report("refarch:teams", teamsValue, "must be a map of team -> { access: { <stage> | \"*\": <role> | [<roles>] } }", `teams: { developers: { access: { dev: admin, prod: readonly } } }`);
        } else {
            for (const [team, spec] of Object.entries(teamsValue)) {
                const key = `refarch:teams.${team}`;
                if (!NAME_PART.test(team)) {
                    report(key, team, "is not a usable team name (it names an IAM group): use lowercase letters, digits and single hyphens", "teams: { developers: {...} }");
                    continue;
                }
                if (!isPlainObject(spec) || !isPlainObject(spec.access) || Object.keys(spec).some((f) => f !== "access")) {
                    report(key, spec, "must be { access: { <stage> | \"*\": <role> | [<roles>] } }", `{ access: { dev: admin, prod: readonly } }`);
                    continue;
                }
                const grants: Grant[] = [];
                for (const [target, granted] of Object.entries(spec.access)) {
                    const accessKey = `${key}.access.${target}`;
                    if (target !== "*" && !(target in accounts)) {
                        report(accessKey, target, `is not a stage (valid: "*", ${stages.join(", ")})`, "grant a stage listed in refarch:accounts");
                        continue;
                    }
                    const roleNames = typeof granted === "string" ? [granted] : granted;
                    if (!Array.isArray(roleNames) || roleNames.length === 0) {
                        report(accessKey, granted, "must be a role name or a list of role names", "admin");
                        continue;
                    }
                    for (const role of roleNames) {
                        if (typeof role !== "string" || !(role in roles)) {
                            report(accessKey, role, `is not a role of refarch:roles (valid: ${Object.keys(roles).join(", ")})`, "grant a role listed in refarch:roles");
                            continue;
                        }
                        for (const s of target === "*" ? stages : [target]) {
                            if (!grants.some((g) => g.stage === s && g.role === role)) grants.push({ stage: s, role });
                        }
                    }
                }
                teams[team] = grants;
            }
        }
        const usersValue = json<unknown>("refarch:users", {});
        if (!isPlainObject(usersValue)) {
            report("refarch:users", usersValue, "must be a map of user name -> list of teams", `users: { alice: [developers] }`);
        } else {
            for (const [user, memberOf] of Object.entries(usersValue)) {
                const key = `refarch:users.${user}`;
                if (!IAM_USER_NAME.test(user)) {
                    report(key, user, "is not a valid IAM user name (letters, digits and +=,.@_- up to 64)", "users: { alice: [developers] }");
                    continue;
                }
                if (!Array.isArray(memberOf) || memberOf.length === 0) {
                    report(key, memberOf, "must list at least one team: a user in no team could not even set up MFA", "[developers]");
                    continue;
                }
                const known = memberOf.filter((team) => typeof team === "string" && team in teams);
                for (const team of memberOf.filter((t) => !known.includes(t))) {
                    report(key, team, `is not a team of refarch:teams (valid: ${Object.keys(teams).join(", ") || "none defined"})`, "name a team defined in refarch:teams");
                }
                users[user] = [...new Set(known as string[])];
            }
        }
    }

    // AWS's policy size limits and IAM quotas, for the documents this stack will create.
    const partition = partitionOf(region);
    for (const [team, grants] of Object.entries(teams)) {
        const chunks = chunkGrants(grants.map((g) => ({ key: `${g.stage}-${g.role}`, predictedArn: stageRoleArn(partition, accounts[g.stage], namespace, g.stage, g.role) })));
        if (chunks.length > MAX_TEAM_POLICIES) {
            report(`refarch:teams.${team}`, `${grants.length} roles`, `needs ${chunks.length} managed policies of ${POLICY_LIMITS.managedPolicy} characters, more than the ${MAX_TEAM_POLICIES} IAM lets a group hold beside the self-service policy`, "split the team into teams that each reach fewer roles");
        }
    }
    for (const [user, memberOf] of Object.entries(users)) {
        if (memberOf.length > MAX_GROUPS_PER_USER) {
            report(`refarch:users.${user}`, memberOf, `puts the user in ${memberOf.length} teams, more than the ${MAX_GROUPS_PER_USER} groups IAM allows a user`, "merge some of the user's teams");
        }
    }
    if (stage === AUDIT_STAGE && NAME_PART.test(namespace)) {
        const writers = { partition, namespace, accounts };
        const bucketPolicy = policySize(cloudtrailBucketPolicy(`arn:${partition}:s3:::${cloudtrailBucketName(namespace)}`, writers));
        const keyPolicy = policySize(cloudtrailKeyPolicy(accountId ?? "000000000000", writers));
        if (bucketPolicy > POLICY_LIMITS.bucketPolicy || keyPolicy > POLICY_LIMITS.keyPolicy) {
            report("refarch:accounts", `${stages.length} accounts`, `make the audit bucket policy ${bucketPolicy} bytes (S3 allows ${POLICY_LIMITS.bucketPolicy}) and the key policy ${keyPolicy} (KMS allows ${POLICY_LIMITS.keyPolicy})`, "use shorter stage names, or a second audit sink for some accounts");
        }
    }

    // refarch:protect
    let protect = PROTECTED_BY_DEFAULT.includes(stage);
    const protectValue = raw.values["refarch:protect"];
    if (protectValue !== undefined) {
        if (protectValue !== "true" && protectValue !== "false") {
            report("refarch:protect", protectValue, "must be true or false", "true");
        } else if (stage === TESTING_STAGE && protectValue === "true") {
            report("refarch:protect", true, "cannot be true in testing: testing is destroyed often and must destroy with no manual step", "false");
        } else {
            protect = protectValue === "true";
        }
    }

    // refarch:cloudtrailLogs (audit only)
    const logsValue = json<unknown>("refarch:cloudtrailLogs", {});
    const cloudtrailLogs = { ...DEFAULT_CLOUDTRAIL_LOGS };
    if (!isPlainObject(logsValue)) {
        report("refarch:cloudtrailLogs", logsValue, "must be { glacierAfterDays?, expireAfterDays? }", "{ glacierAfterDays: 90, expireAfterDays: 365 }");
    } else {
        for (const [field, value] of Object.entries(logsValue)) {
            if (!(field in cloudtrailLogs)) {
                report(`refarch:cloudtrailLogs.${field}`, value, "is not a setting (valid: glacierAfterDays, expireAfterDays)", "remove it");
            } else if (!Number.isInteger(value) || (value as number) < 1) {
                report(`refarch:cloudtrailLogs.${field}`, value, "must be a whole number of days, at least 1", String(cloudtrailLogs[field as keyof CloudtrailLogs]));
            } else {
                cloudtrailLogs[field as keyof CloudtrailLogs] = value as number;
            }
        }
        if (cloudtrailLogs.expireAfterDays <= cloudtrailLogs.glacierAfterDays) {
            report("refarch:cloudtrailLogs.expireAfterDays", cloudtrailLogs.expireAfterDays, `must be later than glacierAfterDays (${cloudtrailLogs.glacierAfterDays})`, String(cloudtrailLogs.glacierAfterDays + 275));
        }
    }

    // Review stacks: a stack named other than its stage borrows that stage's account. Only testing hosts them;
    // anywhere else one-per-account resources (the audit bucket, root's users, the trail) would collide.
    if (stack !== stage && accountId !== undefined) {
        if (stage !== TESTING_STAGE) {
            problems.push(
                `refarch:stage: ${show(stage)} on stack "${stack}": only the ${TESTING_STAGE} account hosts stacks named other than their stage (review stacks). ` +
                    `Fix: name the stack "${stage}", or remove refarch:stage from Pulumi.${stack}.yaml`,
            );
        }
        for (const role of [...Object.keys(roles), "deployer"]) {
            const name = `${namespace}-${stack}-${role}`;
            if (NAME_PART.test(namespace) && name.length > MAX_ROLE_NAME) {
                problems.push(`stack name: "${stack}" makes the role name "${name}" longer than IAM's ${MAX_ROLE_NAME} characters. Fix: use a shorter stack name`);
            }
        }
    }

    // refarch:deployer
    const deployer: DeployerSettings = { ...DEFAULT_DEPLOYER };
    const deployerValue = json<unknown>("refarch:deployer", {});
    if (!isPlainObject(deployerValue)) {
        report("refarch:deployer", deployerValue, "must be { enabled?, policyArns?, githubRepository?, reviewStacks? }", "deployer: { enabled: true }");
    } else {
        for (const [field, value] of Object.entries(deployerValue)) {
            const key = `refarch:deployer.${field}`;
            if (!DEPLOYER_FIELDS.includes(field)) {
                report(key, value, `is not a deployer setting (valid: ${DEPLOYER_FIELDS.join(", ")})`, "remove it");
            } else if (field === "enabled" && typeof value !== "boolean") {
                report(key, value, "must be true or false", "deployer: { enabled: false }");
            } else if (field === "policyArns" && (!Array.isArray(value) || value.length === 0 || value.some((arn) => typeof arn !== "string" || !POLICY_ARN.test(arn)))) {
                report(key, value, "must be a non-empty list of IAM managed policy ARNs", `deployer: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }`);
            } else if (field === "githubRepository" && (typeof value !== "string" || !GITHUB_REPOSITORY.test(value))) {
                report(key, value, "must be a GitHub repository as owner/name", "deployer: { githubRepository: acme/refarch }");
            } else if (field === "reviewStacks" && (typeof value !== "string" || !STACK_PATTERN.test(value))) {
                report(key, value, "must be a stack-name pattern of letters, digits, . _ - and the * wildcard", `deployer: { reviewStacks: "pr-*" }`);
            } else {
                (deployer as unknown as Record<string, unknown>)[field] = value;
            }
        }
    }

    if (deployer.enabled && "deployer" in roles) {
        report("refarch:roles.deployer", "deployer", "has the name of the deployment role every account gets (refarch:deployer)", "roles: { deploy-admin: {...} }, or deployer: { enabled: false }");
    }

    // The component catalog: the account baseline and the optional components.
    const catalog = validateCatalog({ stack, stage, namespace, partition: partitionOf(region), report, json });

    if (problems.length > 0) throw new ConfigError(stack, problems);
    return {
        organization: raw.values["refarch:organization"] ?? raw.organization,
        project: raw.project,
        stack,
        stage,
        namespace,
        region,
        partition: partitionOf(region),
        namePrefix: `${namespace}-${stack === stage ? stage : stack}`,
        accounts,
        accountId,
        roles,
        teams,
        users,
        protect,
        cloudtrailLogs,
        deployer,
        ...catalog,
        awsProvider: {
            allowedAccountIds: [accountId],
            ...(raw.values["aws:assumeRoles"] !== undefined ? { assumeRoles: json<Record<string, unknown>[]>("aws:assumeRoles", []) } : {}),
            ...(raw.values["aws:profile"] !== undefined ? { profile: raw.values["aws:profile"] } : {}),
        },
    };
}

/** The name part of a managed policy ARN: `.../policy/job-function/ViewOnlyAccess` -> `ViewOnlyAccess`. */
export function policyName(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}

// ---- The component catalog ----

const BASELINE_SWITCHES = ["accountAlias", "passwordPolicy", "ebsEncryption", "s3PublicAccessBlock", "accessAnalyzer"] as const;
const NAT_STRATEGIES: NatGatewayStrategy[] = ["None", "Single", "OnePerAz"];
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^\d+(\.\d+)?$/;
// AWS limits: an account alias is 3-63 characters; a VPC is /16 to /28, and awsx needs room for a public and a private subnet per AZ.
const MAX_ACCOUNT_ALIAS = 63;
const VPC_PREFIXES = { min: 16, max: 24 };
const MAX_AURORA_INSTANCES = 16;
const MAX_AVAILABILITY_ZONES = 6;

interface CatalogContext {
    stack: string;
    stage: string;
    namespace: string;
    partition: string;
    report(key: string, value: unknown, why: string, example: string): void;
    json<T>(key: string, fallback: T): T;
}

type CatalogConfig = Pick<RefarchConfig, "baseline" | "network" | "auroraPostgres" | "acmCloudfront">;

/** Validates `refarch:baseline` and the optional components, reporting into validateConfig's one list of problems. */
function validateCatalog(ctx: CatalogContext): CatalogConfig {
    const { report, stage } = ctx;
    const production = stage === PRODUCTION_STAGE;
    /** Reports every field of `value` not in `allowed`; true when there were none. */
    const onlyFields = (key: string, value: Record<string, unknown>, allowed: readonly string[]): boolean => {
        const unknown = Object.keys(value).filter((f) => !allowed.includes(f));
        for (const field of unknown) report(`${key}.${field}`, value[field], `is not a setting of ${key} (valid: ${allowed.join(", ")})`, "remove it");
        return unknown.length === 0;
    };

    // refarch:baseline. Its parts are account-wide singletons: a stack that borrows another stage's account
    // (refarch:stage names another stage) leaves them to that stage's own stack, which would otherwise lose them when this one is destroyed.
    const ownsAccount = ctx.stack === stage;
    const baseline: BaselineConfig = {
        accountAlias: ownsAccount,
        passwordPolicy: ownsAccount,
        ebsEncryption: ownsAccount,
        s3PublicAccessBlock: ownsAccount,
        accessAnalyzer: ownsAccount,
    };
    const baselineValue = ctx.json<unknown>("refarch:baseline", {});
    if (!isPlainObject(baselineValue)) {
        report("refarch:baseline", baselineValue, `must be a map of { ${BASELINE_SWITCHES.join("?, ")}?, budget? }`, "{ accessAnalyzer: false }");
    } else {
        onlyFields("refarch:baseline", baselineValue, [...BASELINE_SWITCHES, "budget"]);
        for (const part of BASELINE_SWITCHES) {
            const value = baselineValue[part];
            if (value === undefined) continue;
            if (typeof value !== "boolean") report(`refarch:baseline.${part}`, value, "must be true or false", "false");
            else baseline[part] = value;
        }
        const budget = baselineValue.budget;
        if (budget !== undefined) {
            if (!isPlainObject(budget)) {
                report("refarch:baseline.budget", budget, "must be { amount, email }: a monthly limit in USD and the address to alert", "{ amount: 500, email: finance@example.com }");
            } else if (onlyFields("refarch:baseline.budget", budget, ["amount", "email"])) {
                const { amount, email } = budget;
                const amountOk = typeof amount === "number" && Number.isFinite(amount) && amount > 0;
                const emailOk = typeof email === "string" && EMAIL.test(email);
                if (!amountOk) report("refarch:baseline.budget.amount", amount, "must be a positive number of US dollars per month", "500");
                if (!emailOk) report("refarch:baseline.budget.email", email, "must be an email address to send the budget alert to", "finance@example.com");
                if (amountOk && emailOk) baseline.budget = { amount: amount as number, email: email as string };
            }
        }
    }
    if (baseline.accountAlias && NAME_PART.test(ctx.namespace)) {
        const alias = `${ctx.namespace}-${stage}`;
        if (alias.length > MAX_ACCOUNT_ALIAS) {
            report("refarch:namespace", ctx.namespace, `makes the account alias "${alias}" longer than IAM's ${MAX_ACCOUNT_ALIAS} characters`, "namespace: <shorter>");
        }
    }

    // refarch:network
    let network: NetworkConfig | undefined;
    const networkValue = ctx.json<unknown>("refarch:network", undefined);
    if (networkValue !== undefined) {
        if (!isPlainObject(networkValue)) {
            report("refarch:network", networkValue, "must be { cidrBlock, numberOfAvailabilityZones?, natGateways? }", "{ cidrBlock: 10.0.0.0/16 }");
        } else {
            let valid = onlyFields("refarch:network", networkValue, ["cidrBlock", "numberOfAvailabilityZones", "natGateways"]);
            const { cidrBlock, numberOfAvailabilityZones = 3, natGateways = { strategy: production ? "OnePerAz" : "Single" } } = networkValue;
            const cidrProblem = vpcCidrProblem(cidrBlock);
            if (cidrProblem) {
                report("refarch:network.cidrBlock", cidrBlock, cidrProblem, "10.0.0.0/16");
                valid = false;
            }
            if (!Number.isInteger(numberOfAvailabilityZones) || (numberOfAvailabilityZones as number) < 1 || (numberOfAvailabilityZones as number) > MAX_AVAILABILITY_ZONES) {
                report("refarch:network.numberOfAvailabilityZones", numberOfAvailabilityZones, `must be a whole number from 1 to ${MAX_AVAILABILITY_ZONES}`, "3");
                valid = false;
            }
            if (!isPlainObject(natGateways) || !NAT_STRATEGIES.includes(natGateways.strategy as NatGatewayStrategy) || Object.keys(natGateways).length !== 1) {
                report("refarch:network.natGateways", natGateways, `must be { strategy: ${NAT_STRATEGIES.join(" | ")} }`, "Single");
                valid = false;
            }
            if (valid) {
                network = {
                    cidrBlock: cidrBlock as string,
                    numberOfAvailabilityZones: numberOfAvailabilityZones as number,
                    natGateways: { strategy: (natGateways as { strategy: NatGatewayStrategy }).strategy },
                };
            }
        }
    }

    // refarch:auroraPostgres
    let auroraPostgres: AuroraPostgresConfig | undefined;
    const auroraValue = ctx.json<unknown>("refarch:auroraPostgres", undefined);
    if (auroraValue !== undefined) {
        if (!isPlainObject(auroraValue)) {
            report("refarch:auroraPostgres", auroraValue, "must be { instanceClass?, instances?, engineVersion? } ({} takes the defaults)", "{}");
        } else {
            let valid = onlyFields("refarch:auroraPostgres", auroraValue, ["instanceClass", "instances", "engineVersion"]);
            const {
                instanceClass = production ? "db.r6g.large" : "db.t4g.medium",
                instances = production ? 2 : 1,
                engineVersion = "16.6",
            } = auroraValue;
            if (typeof instanceClass !== "string" || !DB_INSTANCE_CLASS.test(instanceClass)) {
                report("refarch:auroraPostgres.instanceClass", instanceClass, "is not an RDS instance class", "db.t4g.medium");
                valid = false;
            }
            if (!Number.isInteger(instances) || (instances as number) < 1 || (instances as number) > MAX_AURORA_INSTANCES) {
                report("refarch:auroraPostgres.instances", instances, `must be a whole number from 1 to ${MAX_AURORA_INSTANCES} (a writer and up to 15 readers)`, "2");
                valid = false;
            }
            if (typeof engineVersion !== "string" || !ENGINE_VERSION.test(engineVersion)) {
                report("refarch:auroraPostgres.engineVersion", engineVersion, "is not an Aurora PostgreSQL engine version (quote it, e.g. \"16.6\")", "16.6");
                valid = false;
            }
            if (networkValue === undefined) {
                report("refarch:network.cidrBlock", undefined, "is required by refarch:auroraPostgres: the cluster lives in the private subnets of this stack's VPC", "10.0.0.0/16");
                valid = false;
            } else if (network && network.numberOfAvailabilityZones < 2) {
                report("refarch:network.numberOfAvailabilityZones", network.numberOfAvailabilityZones, "must be at least 2 with refarch:auroraPostgres: an Aurora subnet group spans two or more availability zones", "2");
                valid = false;
            }
            if (valid) auroraPostgres = { instanceClass: instanceClass as string, instances: instances as number, engineVersion: engineVersion as string };
        }
    }

    // refarch:acmCloudfront
    let acmCloudfront: AcmCloudfrontConfig | undefined;
    const acmValue = ctx.json<unknown>("refarch:acmCloudfront", undefined);
    if (acmValue !== undefined) {
        if (!isPlainObject(acmValue)) {
            report("refarch:acmCloudfront", acmValue, "must be { domainName, subjectAlternativeNames?, hostedZoneId? }", "{ domainName: www.example.com }");
        } else {
            let valid = onlyFields("refarch:acmCloudfront", acmValue, ["domainName", "subjectAlternativeNames", "hostedZoneId"]);
            const { domainName, subjectAlternativeNames = [], hostedZoneId } = acmValue;
            if (!isDnsName(domainName)) {
                report("refarch:acmCloudfront.domainName", domainName, "is not a domain name a certificate can cover (lowercase labels, optionally *. first)", "www.example.com");
                valid = false;
            }
            if (!Array.isArray(subjectAlternativeNames)) {
                report("refarch:acmCloudfront.subjectAlternativeNames", subjectAlternativeNames, "must be a list of domain names", "[example.com]");
                valid = false;
            } else {
                for (const [i, san] of subjectAlternativeNames.entries()) {
                    if (!isDnsName(san)) {
                        report("refarch:acmCloudfront.subjectAlternativeNames", san, "is not a domain name a certificate can cover (lowercase labels, optionally *. first)", "[example.com]");
                        valid = false;
                    } else if (san === domainName || subjectAlternativeNames.indexOf(san) !== i) {
                        report("refarch:acmCloudfront.subjectAlternativeNames", san, "is listed twice (the domain name is already on the certificate)", "list each name once");
                        valid = false;
                    }
                }
            }
            if (hostedZoneId !== undefined && (typeof hostedZoneId !== "string" || !HOSTED_ZONE_ID.test(hostedZoneId))) {
                report("refarch:acmCloudfront.hostedZoneId", hostedZoneId, "is not a Route 53 hosted zone id", "Z0123456789ABCDEFGHIJ");
                valid = false;
            }
            if (ctx.partition !== "aws") {
                report("refarch:acmCloudfront", acmValue, `needs the aws partition: CloudFront takes ACM certificates only from us-east-1, and this stack is in ${ctx.partition}`, "remove it");
                valid = false;
            }
            if (valid) {
                acmCloudfront = {
                    domainName: domainName as string,
                    subjectAlternativeNames: [...new Set(subjectAlternativeNames as string[])],
                    ...(hostedZoneId !== undefined ? { hostedZoneId: hostedZoneId as string } : {}),
                };
            }
        }
    }

    return { baseline, network, auroraPostgres, acmCloudfront };
}

/** Why `value` cannot be a VPC's CIDR block, or undefined if it can. */
export function vpcCidrProblem(value: unknown): string | undefined {
    if (typeof value !== "string" || !value.includes("/")) return "is not an IPv4 CIDR block";
    let block: Address4;
    try {
        block = new Address4(value);
    } catch {
        return "is not an IPv4 CIDR block";
    }
    if (block.subnetMask < VPC_PREFIXES.min || block.subnetMask > VPC_PREFIXES.max) {
        return `must be a /${VPC_PREFIXES.min} to /${VPC_PREFIXES.max}: AWS allows no VPC larger than /16, and awsx needs room for a public and a private subnet in each availability zone`;
    }
    const start = block.startAddress().correctForm();
    if (start !== block.addressMinusSuffix) return `has host bits set: the block starting there is ${start}${block.subnet}`;
    return undefined;
}

function isDnsName(value: unknown): boolean {
    return typeof value === "string" && value.length <= 253 && DNS_NAME.test(value);
}
