// The organization under test, read from a Pulumi project's files: its stacks, stages, accounts, teams and users,
// and its evaluations through the offline engine (the module `npm start` plans with).
//
// The project under test is this repository, or the directory REFARCH_PROJECT names (a fixture under
// test/fixtures/, or a customized copy), so one suite runs on any organization. Tests never assume the
// sample's stages, ids, namespace, regions, teams or users: they read them from `org`, which derives
// everything from that project's files. The program is always this checkout's src/index.ts.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../src/config";
import { DEFAULT_ORGANIZATION, evaluateStack, mockAccountId, StackEvaluation } from "../../src/offline/engine";
import { ProjectFiles, readProject, stackConfig } from "../../src/project";
import type { AccessEntry } from "../../src/security/access";
import { oncePerMutant } from "../oncePerMutant";
import { lastingScratchDir } from "../scratch";
import { created } from "./resources";
import { PlanResult, planWith, program, repoRoot, sharedEvaluation, sharedProofs } from "./shared";

// Stage names the program itself gives a meaning to (README's stage table); every other stage is a workload.
export const ROOT = "root";
export const AUDIT = "audit";
/** Gets production-grade defaults (a NAT gateway per AZ, two Aurora instances on r-class). */
export const PROD = "prod";
/** Never protected; the only stage that hosts review stacks. */
export const TESTING = "testing";
/** The stack that manages the AWS Organization and creates the accounts given as `{ email }` (docs/organization.md). */
export const ORG = "org";
/** Protected unless refarch:protect says otherwise (docs/config.md, refarch:protect). */
const PROTECTED_BY_DEFAULT = [ORG, ROOT, PROD, AUDIT];

export type StageKind = "organization" | "root" | "audit" | "workload";

export interface RoleSpec {
    policyArns: string[];
    maxSessionDuration?: number;
    requireMfa?: boolean;
}
export type TeamSpec = { access: Record<string, string | string[]> };
export type Changes = Record<string, string | undefined>;

/** A Pulumi project read as an organization: its stacks, stages, accounts, teams and users, and its evaluations. */
export class Organization {
    readonly project: ProjectFiles;
    /** Every stack with a Pulumi.<stack>.yaml, in file-name order. */
    readonly stacks: string[];
    readonly namespace: string;
    /**
     * stage -> account id: as refarch:accounts writes it, or for an account given as `{ email }`, the id the
     * org stack reports for it (under the mocks, mockAccountId of the email, as src/accountIds.ts reads it).
     */
    readonly accounts: Record<string, string>;
    /** stage -> email, for the accounts refarch:accounts gives as `{ email }` (created by the org stack). */
    readonly accountEmails: Record<string, string>;
    /** The stages: the keys of refarch:accounts, in the order written (`org` is a stack, not a stage of refarch:accounts). */
    readonly stages: string[];
    /** The Pulumi organization StackReferences and the deployer's OIDC audience name: refarch:organization, else the engine's. */
    readonly organization: string;
    readonly roles: Record<string, RoleSpec>;
    readonly roleNames: string[];
    /** refarch:teams and refarch:users, from the root stack's file. */
    readonly teams: Record<string, TeamSpec>;
    readonly users: Record<string, string[]>;
    /** The users who sign in to the console: user -> the PGP key their first password is encrypted to. */
    readonly consoleUsers: Record<string, string>;
    /** refarch:deployer as written (an empty map when unset). */
    readonly deployer: { enabled?: boolean; policyArns?: string[]; githubRepository?: string; reviewStacks?: string };
    /** The GitHub repository whose workflows the deployer trusts, if any. */
    readonly repository?: string;
    /** Every stack, evaluated once in deploy order with references fed as a real deploy would; once per mutant under Stryker. */
    readonly evaluations: () => Promise<Map<string, StackEvaluation>> = oncePerMutant(() =>
        sharedEvaluation(program, this.project).then((all) => new Map(all.map((e) => [e.stack, e]))),
    );
    /** What the plan proves over those evaluations (planProofs: who can assume what, what the guardrails deny): shared with the plan runs. */
    readonly proofs = async (): ReturnType<typeof sharedProofs> => sharedProofs(await sharedEvaluation(program, this.project));
    /** Who can assume what (src/security/access.ts accessMatrix), as the plan shows it. */
    readonly accessMatrix = async (): Promise<AccessEntry[]> => (await this.proofs())[0];
    private planDir?: string;
    /**
     * `npm start --out <dir>` on the whole organization, through the real CLI entry in-process: once per run (per
     * mutant under Stryker), for the tests that only read a plan or start from a copy of one (copyOfPlan).
     */
    readonly plan: () => Promise<{ result: PlanResult; out: string }> = oncePerMutant(async () => {
        if (this.planDir) fs.rmSync(this.planDir, { recursive: true, force: true });
        this.planDir = lastingScratchDir("refarch-plan-");
        const out = path.join(this.planDir, "plan");
        return { result: await planWith(["--project", this.dir, "--out", out]), out };
    });

    constructor(readonly dir: string) {
        this.project = readProject(dir);
        this.stacks = Object.keys(this.project.stackConfigs);
        const project = (key: string) => parsed(this.project.projectConfig[key]);
        this.namespace = this.project.projectConfig["refarch:namespace"];
        const accounts = (project("refarch:accounts") ?? {}) as Record<string, string | { email: string }>;
        this.accountEmails = Object.fromEntries(Object.entries(accounts).flatMap(([stage, a]) => (typeof a === "object" ? [[stage, a.email]] : [])));
        this.accounts = Object.fromEntries(Object.entries(accounts).map(([stage, a]) => [stage, typeof a === "object" ? mockAccountId(a.email) : a]));
        this.stages = Object.keys(this.accounts);
        this.organization = this.project.projectConfig["refarch:organization"] ?? DEFAULT_ORGANIZATION;
        this.roles = (project("refarch:roles") ?? DEFAULT_ROLES) as Record<string, RoleSpec>;
        this.roleNames = Object.keys(this.roles);
        this.teams = this.value<Record<string, TeamSpec>>(ROOT, "refarch:teams") ?? {};
        // A user is a list of teams, or { teams, pgpKey?, console? } for one who signs in to the console.
        const users = this.value<Record<string, string[] | { teams: string[]; pgpKey?: string; console?: boolean }>>(ROOT, "refarch:users") ?? {};
        this.users = Object.fromEntries(Object.entries(users).map(([user, spec]) => [user, Array.isArray(spec) ? spec : spec.teams]));
        this.consoleUsers = Object.fromEntries(Object.entries(users).flatMap(([user, spec]) => (!Array.isArray(spec) && spec.console && spec.pgpKey ? [[user, spec.pgpKey]] : [])));
        this.deployer = (project("refarch:deployer") ?? {}) as Organization["deployer"];
        this.repository = this.deployer.githubRepository;
    }

    get name(): string {
        return this.project.name;
    }

    /** A stack's effective config, as the program receives it: key -> string. */
    config(stack: string): Record<string, string> {
        return stackConfig(this.project, stack);
    }

    /** A stack's config value, parsed; undefined when unset. */
    value<T>(stack: string, key: string): T | undefined {
        return parsed(this.config(stack)[key]) as T | undefined;
    }

    stageOf(stack: string): string {
        return this.config(stack)["refarch:stage"] ?? stack;
    }

    kindOf(stack: string): StageKind {
        const stage = this.stageOf(stack);
        return stage === ORG ? "organization" : stage === ROOT ? "root" : stage === AUDIT ? "audit" : "workload";
    }

    /** Whether the project has an org stack: it manages the AWS Organization and creates the `{ email }` accounts. */
    get managesOrganization(): boolean {
        return this.stacks.includes(ORG);
    }

    /** The account id of a stage, or of the stage a stack deploys; the org stack's is root's (the management account). */
    accountOf(stageOrStack: string): string {
        const stage = (s: string) => (s === ORG ? ROOT : s);
        const id = this.accounts[stage(stageOrStack)] ?? this.accounts[stage(this.stageOf(stageOrStack))];
        if (id === undefined) throw new Error(`${stageOrStack} is not a stage of refarch:accounts in ${this.dir}`);
        return id;
    }

    /** The account id refarch:accounts writes for a stack's stage (for org, root's); undefined for an account given as `{ email }`. */
    writtenAccountOf(stack: string): string | undefined {
        const stage = this.stageOf(stack) === ORG ? ROOT : this.stageOf(stack);
        return stage in this.accountEmails ? undefined : this.accounts[stage];
    }

    regionOf(stack: string): string {
        return this.config(stack)["aws:region"];
    }

    /**
     * The AWS partition of a stack's region, as ARNs name it: aws, aws-cn (China Regions, cn-*) or aws-us-gov
     * (GovCloud, us-gov-*); https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
     */
    partitionOf(stack: string): string {
        const region = this.regionOf(stack);
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** The prefix of a stack's physical names: `<namespace>-<stack>` (for a stage's own stack, its stage). */
    namePrefix(stack: string): string {
        return `${this.namespace}-${stack}`;
    }

    /** Whether the organization has this stage (in refarch:accounts and with its own stack file). */
    has(stage: string): boolean {
        return stage in this.accounts && this.stacks.includes(stage);
    }

    /** A stack that deploys its own stage (not a review stack borrowing another stage's account). */
    ownsAccount(stack: string): boolean {
        return this.stageOf(stack) === stack;
    }

    stacksOfKind(kind: StageKind): string[] {
        return this.stacks.filter((s) => this.kindOf(s) === kind);
    }

    /**
     * The stacks that deploy a stage of refarch:accounts: every stack but org, which manages the AWS Organization
     * from the management account and leaves that account's baseline, roles, trail and deployer to root's stack.
     */
    get stageStacks(): string[] {
        return this.stacks.filter((s) => this.kindOf(s) !== "organization");
    }

    /**
     * Config changes that take a stage out of the organization as a user would in Pulumi.yaml: out of
     * refarch:accounts (as written: ids stay ids, `{ email }` stays) and out of refarch:awsOrganization's units.
     */
    withoutStage(stage: string): Changes {
        const project = (key: string) => parsed(this.project.projectConfig[key]);
        const { [stage]: _removed, ...accounts } = project("refarch:accounts") as Record<string, unknown>;
        const changes: Changes = { "refarch:accounts": JSON.stringify(accounts) };
        const awsOrganization = project("refarch:awsOrganization") as { units?: Record<string, string[]> } | undefined;
        if (awsOrganization?.units) {
            const units = Object.fromEntries(Object.entries(awsOrganization.units).map(([unit, stages]) => [unit, stages.filter((s) => s !== stage)]));
            changes["refarch:awsOrganization"] = JSON.stringify({ ...awsOrganization, units });
        }
        return changes;
    }

    /** The regions refarch:awsOrganization's region guardrail lets member accounts use; undefined when it allows every region. */
    get allowedRegions(): string[] | undefined {
        return (parsed(this.project.projectConfig["refarch:awsOrganization"]) as { guardrails?: { allowedRegions?: string[] } } | undefined)?.guardrails?.allowedRegions;
    }

    /** A region other than those given that a member stack may deploy to: one the region guardrail allows, if it is on; undefined if none. */
    regionOtherThan(...regions: string[]): string | undefined {
        return (this.allowedRegions ?? ["eu-west-1", "ap-northeast-1", "sa-east-1"]).find((r) => !regions.includes(r));
    }

    /** The first stack that matches, or undefined (variants.ts `having` makes a variant where it is undefined). */
    find(matches: (stack: string) => boolean): string | undefined {
        return this.stacks.find(matches);
    }

    /**
     * A stack to try config changes on: a workload stack with no special stage name if there is one,
     * else any workload stack, else root.
     */
    get trialStack(): string {
        const workloads = this.stacksOfKind("workload").filter((s) => this.ownsAccount(s));
        return workloads.find((s) => s !== PROD && s !== TESTING) ?? workloads[0] ?? ROOT;
    }

    isProtected(stack: string): boolean {
        const set = this.config(stack)["refarch:protect"];
        return set === undefined ? PROTECTED_BY_DEFAULT.includes(this.stageOf(stack)) : set === "true";
    }

    /** The `<stage>/<role>` pairs a team is granted, "*" expanded to every stage. */
    grantsOfTeam(team: string): string[] {
        const entries = Object.entries(this.teams[team]?.access ?? {}).flatMap(([stage, roles]) =>
            (stage === "*" ? this.stages : [stage]).flatMap((s) => [roles].flat().map((role) => `${s}/${role}`)),
        );
        return [...new Set(entries)].sort();
    }

    /** The `<stage>/<role>` pairs a user may assume: the union of their teams' grants. */
    grantsOf(user: string): string[] {
        return [...new Set((this.users[user] ?? []).flatMap((team) => this.grantsOfTeam(team)))].sort();
    }

    /**
     * Deploy waves of stages, as README states the rule: org (if any), audit, org again when both exist (it creates the
     * organization trail into audit's sink), then every workload stage together, then root.
     */
    get stageWaves(): string[][] {
        const workloads = this.stages.filter((s) => s !== ROOT && s !== AUDIT);
        const audit = this.stages.filter((s) => s === AUDIT);
        const org = this.managesOrganization ? [ORG] : [];
        return [org, audit, audit.length > 0 ? org : [], workloads, [ROOT]].filter((w) => w.length > 0);
    }

    /** Whether the plan has the organization trail (in the org stack) instead of one trail per account: an org stack and an audit stage. */
    get hasOrganizationTrail(): boolean {
        return this.managesOrganization && this.has(AUDIT);
    }

    /** Deploy waves of stacks: each stack in its stage's wave. */
    get waves(): string[][] {
        return this.stageWaves.map((wave) => wave.flatMap((stage) => this.stacks.filter((s) => this.stageOf(s) === stage))).filter((w) => w.length > 0);
    }

    /**
     * The stacks whose outputs a stack reads: audit's (for the trail), for root every stage its teams are granted,
     * and org's for a stack that needs the id of an account it created.
     */
    readsOf(stack: string): string[] {
        const reads = new Set<string>();
        // The org stack reads the audit sink for the organization trail; audit reads the organization's id for its paths.
        if (this.stageOf(stack) === ORG) return this.has(AUDIT) ? [AUDIT] : [];
        // Every other stack reads the created accounts' ids from org before it registers anything (src/accountIds.ts).
        if (Object.keys(this.accountEmails).length > 0 || (this.managesOrganization && this.stageOf(stack) === AUDIT)) reads.add(ORG);
        if (AUDIT in this.accounts && this.ownsAccount(stack) && this.stageOf(stack) !== AUDIT && !this.managesOrganization) reads.add(AUDIT);
        if (this.stageOf(stack) === ROOT) {
            // With an organization, root attaches each member account's guardrails once that stage's deployer exists: it reads every stage.
            if (this.managesOrganization) for (const stage of this.stages) reads.add(stage);
            for (const team of Object.keys(this.teams)) {
                for (const grant of this.grantsOfTeam(team)) reads.add(grant.split("/")[0]);
            }
            reads.delete(ROOT);
        }
        return [...reads].sort();
    }

    /**
     * The stacks a stack deploys after, transitively: what it reads, and, with the organization trail, audit for every
     * member stack (their own trails go only once the organization trail, created after audit, logs them).
     */
    orderedAfter(stack: string): string[] {
        const after = new Set<string>();
        const visit = (s: string) => {
            const direct = this.stageOf(s) === ORG ? [] : this.readsOf(s);
            const ordered = this.hasOrganizationTrail && this.ownsAccount(s) && ![ORG, AUDIT, ROOT].includes(this.stageOf(s)) ? [AUDIT] : [];
            for (const d of [...direct, ...ordered].filter((d) => !after.has(d) && d !== stack)) {
                after.add(d);
                visit(d);
            }
        };
        visit(stack);
        return [...after].sort();
    }

    /** The stack whose deployment roles (deployer, previewer) run a stack's deployments: its own; the org stack's are root's, in the same management account. */
    identityOf(stack: string): string {
        return this.kindOf(stack) === "organization" ? ROOT : stack;
    }

    /** The org stack's accountIds output as the program produced it (empty without an org stack): what `stacks --json` reads for `{ email }` accounts. */
    async createdAccountIds(): Promise<Record<string, string>> {
        const orgStack = this.stacks.find((s) => this.kindOf(s) === "organization");
        return orgStack ? ((await this.evaluation(orgStack)).outputs.accountIds as Record<string, string>) : {};
    }

    /** The name other stacks' StackReferences give a stack: `<organization>/<project>/<stack>`. */
    referenceName(stack: string): string {
        return `${this.organization}/${this.name}/${stack}`;
    }

    /** One stack's evaluation; fails if it is not a stack of the organization or did not evaluate. */
    async evaluation(stack: string): Promise<StackEvaluation> {
        const evaluation = (await this.evaluations()).get(stack);
        if (!evaluation) throw new Error(`no stack ${stack} in ${this.dir}`);
        if (evaluation.error) throw evaluation.error;
        return evaluation;
    }

    /** The outputs of every stack, keyed as StackReferences name them. */
    async outputs(): Promise<Record<string, Record<string, unknown>>> {
        return Object.fromEntries([...(await this.evaluations()).values()].map((e) => [this.referenceName(e.stack), e.outputs]));
    }

    /**
     * One stack with its config changed: a key set to a string replaces the value, `undefined` removes the
     * key. Other stacks' outputs are the evaluated ones unless `deployed` says otherwise.
     */
    async evaluateWith(
        stack: string,
        changes: Changes = {},
        options: { deployed?: Record<string, Record<string, unknown>>; organization?: string; project?: ProjectFiles; accountRoles?: string[] } = {},
    ): Promise<StackEvaluation> {
        const config: Record<string, string> = { ...stackConfig(options.project ?? this.project, stack) };
        for (const [key, value] of Object.entries(changes)) {
            if (value === undefined) delete config[key];
            else config[key] = value;
        }
        return evaluateStack(program, this.name, stack, config, {
            deployedOutputs: options.deployed ?? (await this.outputs()),
            organization: options.organization,
            accountRoles: options.accountRoles,
        });
    }

    /** Evaluates a stack with bad config and returns the error's message; asserts it is a ConfigError and nothing was created or read. */
    async refused(stack: string, changes: Changes): Promise<string> {
        const evaluation = await this.evaluateWith(stack, changes);
        expect(evaluation.error, "the stack should have been refused").to.be.instanceOf(ConfigError);
        expect(created(evaluation), "resources registered despite bad config").to.deep.equal([]);
        expect(evaluation.resources, "StackReferences read despite bad config").to.deep.equal([]);
        return evaluation.error!.message;
    }
}

// What the program assumes when Pulumi.yaml sets no refarch:roles (docs/config.md).
const DEFAULT_ROLES: Record<string, RoleSpec> = {
    admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
    readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
};

const organizations = new Map<string, Organization>();
/** The organization of a project directory: one per directory, so every test file reading it shares its evaluations and plan. */
export function organizationAt(dir: string): Organization {
    const resolved = path.resolve(dir);
    let found = organizations.get(resolved);
    if (!found) organizations.set(resolved, (found = new Organization(resolved)));
    return found;
}

/** The organization under test: REFARCH_PROJECT (a directory with Pulumi.yaml), else this repository. */
export const org = organizationAt(process.env.REFARCH_PROJECT || repoRoot);

function parsed(text: string | undefined): unknown {
    if (text === undefined) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
