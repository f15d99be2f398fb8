// Variants of the organization under test, for a test that needs a stage or a feature the organization may lack: the
// test runs on the organization itself when it has what it needs, and otherwise on a copy of its Pulumi files with
// that added, as a user would add it. So every test runs and asserts in every organization; none skips itself.
import * as path from "path";
import { lastingScratchDir } from "../scratch";
import { AUDIT, org, Organization, organizationAt, PROD, ROOT, TESTING } from "./organization";
import { editedProject, ProjectFile } from "./projects";

/** What a test needs, found in an organization: a truthy value (a stack, a stage, a team), or nothing. */
export type Finder<T> = (o: Organization) => T | undefined | null | false;
/** An edit that gives an organization's files what a test needs. */
export type Addition = (files: Record<string, ProjectFile>, o: Organization) => void;

const variants = new Map<string, Organization>();

/**
 * The organization under test and what `find` finds in it; when it finds nothing, a variant of it made by `add` (one
 * per `need` and process, so files that need the same share its evaluations; its files outlive each test file), in
 * which `find` must then find it.
 */
export function having<T>(need: string, find: Finder<T>, add: Addition, from: Organization = org): { org: Organization; found: T } {
    const here = find(from);
    if (here) return { org: from, found: here };
    const key = JSON.stringify([from.dir, need]);
    let variant = variants.get(key);
    if (!variant) variants.set(key, (variant = organizationAt(editedProject((files) => add(files, from), from.dir, lastingScratchDir("refarch-variant-")))));
    const found = find(variant);
    if (!found) throw new Error(`the variant of ${from.dir} made to have ${need} does not have it: the harness's addition is wrong`);
    return { org: variant, found };
}

/** The organization under test if it has `stage` (in refarch:accounts, with a stack file), else a variant with it added. */
export function withStage(stage: string, from: Organization = org): Organization {
    return having(`stage ${stage}`, (o) => o.has(stage), addStage(stage), from).org;
}

/** A fixture organization under test/fixtures/, for what a variant cannot add as a user would in a few lines. */
export function fixture(name: string): Organization {
    return organizationAt(path.join(__dirname, "..", "fixtures", name));
}

// ---- Additions: each edits the files as a user would ----

/** Sets a project-level config key, in the `{ value }` form Pulumi.yaml uses when it does. */
export function setProjectConfig(files: Record<string, ProjectFile>, key: string, value: unknown): void {
    const config = (files["Pulumi.yaml"].config ??= {});
    config[key] = config[key] && typeof config[key] === "object" && "value" in config[key] ? { ...config[key], value } : { value };
}

/** A project-level config value as written (the `{ value }` form read through). */
export function projectConfig<T>(files: Record<string, ProjectFile>, key: string): T | undefined {
    const written = files["Pulumi.yaml"].config?.[key];
    return (written && typeof written === "object" && "value" in written ? written.value : written) as T | undefined;
}

/** Sets a config key in a stack's file (Pulumi.<stack>.yaml). */
export function setStackConfig(files: Record<string, ProjectFile>, stack: string, key: string, value: unknown): void {
    const file = (files[`Pulumi.${stack}.yaml`] ??= { config: {} });
    (file.config ??= {})[key] = value;
}

/**
 * Adds `stage` as its own account: a new id in refarch:accounts (unlike every id there) and a stack file in the region
 * of the organization's first stack, the file the user would write.
 */
export function addStage(stage: string): Addition {
    return (files, o) => {
        const accounts = { ...(projectConfig<Record<string, unknown>>(files, "refarch:accounts") ?? {}) };
        const taken = new Set([...Object.values(o.accounts), ...Object.values(accounts).map(String)]);
        let id = 900000000001;
        while (taken.has(String(id))) id += 1111;
        accounts[stage] = String(id);
        setProjectConfig(files, "refarch:accounts", accounts);
        placeInUnit(files, stage);
        // testing's file names its stage, so review stacks made from it deploy into testing (docs/config.md, refarch:stage).
        files[`Pulumi.${stage}.yaml`] = { config: { "aws:region": o.regionOf(o.stacks[0]), ...(stage === TESTING && { "refarch:stage": TESTING }) } };
    };
}

/**
 * Puts a new stage into an organizational unit of refarch:awsOrganization, if it has units (every stage must be in one,
 * for its guardrails): the unit of the first workload stage, else the first unit.
 */
function placeInUnit(files: Record<string, ProjectFile>, stage: string): void {
    const awsOrganization = projectConfig<{ units?: Record<string, string[]> }>(files, "refarch:awsOrganization");
    if (!awsOrganization?.units) return;
    const units = Object.entries(awsOrganization.units);
    const [unit] = units.find(([, stages]) => stages.some((s) => ![ROOT, AUDIT].includes(s))) ?? units[0];
    setProjectConfig(files, "refarch:awsOrganization", { ...awsOrganization, units: { ...awsOrganization.units, [unit]: [...awsOrganization.units[unit], stage] } });
}

/** Adds a team granted `role` in `stage` (a stage the organization has), with one member. */
export function addTeam(team: string, stage: string, role: string, user = `${team}.member`): Addition {
    return (files) => {
        const root = files["Pulumi.root.yaml"];
        const teams = { ...(root.config["refarch:teams"] ?? {}), [team]: { access: { [stage]: role } } };
        const users = { ...(root.config["refarch:users"] ?? {}), [user]: [team] };
        setStackConfig(files, "root", "refarch:teams", teams);
        setStackConfig(files, "root", "refarch:users", users);
    };
}

/** Sets refarch:protect in a stack's file. */
export function protect(stack: string, value: boolean): Addition {
    return (files) => setStackConfig(files, stack, "refarch:protect", value);
}

/** What a test can need of an organization, each with the addition that gives it as a user would. */
export interface Need<T> {
    need: string;
    find: Finder<T>;
    add: Addition;
}

/** The organization under test (or `from`) if it meets every need, else a variant that does: each added in turn. */
export function meeting(needs: Need<unknown>[], from: Organization = org): Organization {
    return needs.reduce((o, { need, find, add }) => having(need, find, add, o).org, from);
}

/** The needs tests share. A new plain workload stage ("extra") is unprotected and has its account id written. */
export const NEEDS = {
    audit: { need: "stage audit", find: (o: Organization) => o.has(AUDIT), add: addStage(AUDIT) },
    prod: { need: "stage prod", find: (o: Organization) => o.has(PROD), add: addStage(PROD) },
    testing: { need: "stage testing", find: (o: Organization) => o.has(TESTING), add: addStage(TESTING) },
    teamOutsideRoot: {
        need: "a team with a member granted a role in a stage besides root and audit (after plainStage)",
        find: (o: Organization) => Object.keys(o.users).find((u) => o.grantsOf(u).some((g) => ![ROOT, AUDIT].includes(g.split("/")[0]))),
        add: ((files, o) => addTeam("variant-team", required(o.stages.find((s) => s !== ROOT && s !== AUDIT), "a stage besides root and audit"), o.roleNames[0])(files, o)) as Addition,
    },
    plainWorkload: {
        need: "a workload stage of its own besides prod and testing",
        find: (o: Organization) => o.stacksOfKind("workload").find((s) => o.ownsAccount(s) && s !== PROD && s !== TESTING),
        add: addStage("extra"),
    },
    protectedStack: { need: "a protected stack", find: (o: Organization) => o.find((s) => o.isProtected(s)), add: ((files, o) => protect(o.trialStack, true)(files, o)) as Addition },
    unprotectedWorkload: {
        need: "an unprotected stack besides root and testing",
        find: (o: Organization) => o.find((s) => !o.isProtected(s) && o.stageOf(s) !== TESTING && o.stageOf(s) !== ROOT),
        add: addStage("extra"),
    },
    passwordPolicy: {
        need: "a stack of its own stage that keeps the password policy on",
        find: (o: Organization) => o.stageStacks.find((s) => o.ownsAccount(s) && o.value<{ passwordPolicy?: boolean }>(s, "refarch:baseline")?.passwordPolicy !== false),
        add: ((files, o) => setStackConfig(files, o.trialStack, "refarch:baseline", { ...o.value<object>(o.trialStack, "refarch:baseline"), passwordPolicy: true })) as Addition,
    },
    regionBesidesUsEast1: {
        need: "a region besides us-east-1 that member stacks may use",
        find: (o: Organization) => o.regionOtherThan("us-east-1"),
        add: ((files, o) => {
            const awsOrganization = projectConfig<{ guardrails: { allowedRegions: string[] } }>(files, "refarch:awsOrganization")!;
            const allowedRegions = [...awsOrganization.guardrails.allowedRegions, "eu-west-1"];
            setProjectConfig(files, "refarch:awsOrganization", { ...awsOrganization, guardrails: { ...awsOrganization.guardrails, allowedRegions } });
        }) as Addition,
    },
    orgStack: {
        need: "an org stack, managing the AWS Organization",
        find: (o: Organization) => o.find((s) => o.kindOf(s) === "organization"),
        add: ((files, o) => {
            // refarch:awsOrganization set, with its defaults, and the org stack's file (docs/organization.md).
            setProjectConfig(files, "refarch:awsOrganization", {});
            files["Pulumi.org.yaml"] = { config: { "aws:region": o.regionOf(ROOT) } };
        }) as Addition,
    },
    twoStackWave: {
        need: "a deploy wave of two stacks before the last",
        find: (o: Organization) => o.waves.some((wave, i) => wave.length > 1 && i < o.waves.length - 1),
        add: both(addStage("extra"), addStage("extra-two")),
    },
    createdAccount: {
        need: "an account the org stack creates from { email }",
        find: (o: Organization) => o.find((s) => o.kindOf(s) !== "organization" && o.writtenAccountOf(s) === undefined),
        add: ((files, o) => {
            // The account given as { email }, its stack file, and the org stack's file that creates it (docs/organization.md).
            setProjectConfig(files, "refarch:accounts", { ...projectConfig<object>(files, "refarch:accounts"), created: { email: "aws+created@example.com" } });
            files["Pulumi.created.yaml"] = { config: { "aws:region": o.regionOf(o.stacks[0]) } };
            files["Pulumi.org.yaml"] ??= { config: { "aws:region": o.regionOf(ROOT) } };
            placeInUnit(files, "created");
        }) as Addition,
    },
    plainStage: { need: "a stage besides root and audit", find: (o: Organization) => o.stages.find((s) => s !== AUDIT && s !== ROOT), add: addStage("extra") },
    writtenAccount: { need: "an account id written in refarch:accounts", find: (o: Organization) => o.find((s) => o.writtenAccountOf(s) !== undefined), add: addStage("extra") },
    deployerEnabled: {
        need: "the deployer enabled",
        find: (o: Organization) => o.deployer.enabled !== false,
        add: ((files, o) => setProjectConfig(files, "refarch:deployer", { ...o.deployer, enabled: true })) as Addition,
    },
    repository: {
        need: "a GitHub repository",
        find: (o: Organization) => o.repository,
        add: ((files, o) => setProjectConfig(files, "refarch:deployer", { ...o.deployer, githubRepository: "example-org/infrastructure" })) as Addition,
    },
} satisfies Record<string, Need<unknown>>;

/** `value` when the organization has it; else the test fails (the organization was to be made to meet the need). */
export function required<T>(value: T | undefined | null | false, need: string): T {
    if (value === undefined || value === null || value === false || (Array.isArray(value) && value.length === 0)) throw new Error(`the organization under test was to meet this need and does not: ${need}`);
    return value;
}

/** Several additions, in order. */
export function both(...additions: Addition[]): Addition {
    return (files, o) => additions.forEach((add) => add(files, o));
}

/** Manages the AWS Organization, as docs/organization.md's "An existing organization" does: refarch:awsOrganization set and an org stack file. */
export const manageOrganization: Addition = (files, o) => {
    if (projectConfig(files, "refarch:awsOrganization") === undefined) setProjectConfig(files, "refarch:awsOrganization", {});
    files["Pulumi.org.yaml"] ??= { config: { "aws:region": o.regionOf(o.stacks.find((s) => o.stageOf(s) === ROOT) ?? o.stacks[0]) } };
};
