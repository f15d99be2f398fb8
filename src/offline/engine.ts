// The offline engine: runs the real program and the real Pulumi SDK for each stack with Pulumi's mock
// runtime in place of the Pulumi engine and AWS. It is what `npm start` plans with and what every test
// evaluates with: one piece of code. Stacks run in deploy order, each with its own Pulumi.<stack>.yaml,
// and each StackReference is fed the outputs the referenced stack actually produced.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { format } from "util";
import { ORGANIZATION_STAGE, partitionOf, ROOT_STAGE } from "../config";
import { asList } from "../policies";
import { deployWaves, projectStages, stageDependencies } from "../stackGraph";

export interface ProjectFiles {
    dir: string;
    name: string;
    /** The program's entry point as Pulumi.yaml's `main` names it, relative to `dir`; unset means the directory itself. */
    main?: string;
    /** Project-level config of Pulumi.yaml, as Pulumi hands it to a program: key -> string. */
    projectConfig: Record<string, string>;
    /** stack -> its own Pulumi.<stack>.yaml config, key -> string. */
    stackConfigs: Record<string, Record<string, string>>;
}

export interface RecordedResource {
    urn: string;
    /** The id the provider gave it; "" for components and reads. */
    id: string;
    type: string;
    name: string;
    /** True for a resource the provider manages; false for a component. */
    custom: boolean;
    /** The parent's URN, or "" for the stack's own children. */
    parent: string;
    inputs: Record<string, unknown>;
    /** What the mock provider returned: the inputs plus computed attributes such as `arn`. */
    state: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    /** The `ignoreChanges` option: input properties a deploy never updates once the resource exists (or is imported). */
    ignoreChanges: string[];
    /** The `deleteBeforeReplace` option: a replacement deletes the old resource before creating the new one. */
    deleteBeforeReplace: boolean;
    dependsOn: string[];
    /** True for a resource read rather than created (StackReferences). */
    read: boolean;
    /** The provider it is made through, `<provider urn>::<id>`; "" for components and default providers. */
    provider: string;
    /** The `import` option: the id of an existing cloud resource this registration adopts; "" when it creates one. */
    importId: string;
    /** Output properties the resource's SDK asks Pulumi to keep secret (RandomPassword's `result`), which the mocks return in the clear. */
    additionalSecretOutputs: string[];
    /** What a component registered as its outputs (`registerOutputs`), which Pulumi keeps in the state; {} until it does, and for custom resources. */
    outputs: Record<string, unknown>;
}

export interface StackEvaluation {
    stack: string;
    stage: string;
    /** Every resource the stack registered, in registration order, its own Stack resource excluded. */
    resources: RecordedResource[];
    /** The stack outputs, fully resolved, as other stacks read them. */
    outputs: Record<string, unknown>;
    /** Paths of the outputs Pulumi keeps as secrets (`auroraPostgres.masterPassword`): encrypted in state, masked in `pulumi stack output`. */
    secretOutputs?: string[];
    /** The error `pulumi up` would fail with; set means the stack produced nothing usable. */
    error?: Error;
    /** The warnings the SDK logged while the stack ran (`pulumi up` prints each), e.g. an output left undefined. */
    warnings: string[];
}

export interface EvaluateOptions {
    /** `<org>/<project>/<stack>` -> outputs, fed to StackReferences. Unlisted stacks read as not deployed. */
    deployedOutputs?: Record<string, Record<string, unknown>>;
    organization?: string;
    /** IAM roles the account already holds outside any state (left by a destroy that retained them). Default none. */
    accountRoles?: string[];
    /**
     * The account of the credentials the deploy runs with: what sts:GetCallerIdentity reports through a provider
     * that assumes no role. Default: for a stack into an account the org stack creates, the management account
     * (root's: its first deploy, by hand); otherwise the stack's own account (its deployer, or a person's role in it).
     */
    credentialsAccount?: string;
    /** The AWS Organization the management account is already in, as DescribeOrganization reports it. Default: none. */
    existingOrganization?: MockOrganization;
    /** The error DescribeOrganization fails with instead, as for credentials that may not read the organization (`AccessDeniedException: ...`). */
    organizationReadError?: string;
}

/** An organization that exists before the org stack manages it: what aws.organizations.getOrganization(alUnits) report. */
export interface MockOrganization {
    id: string;
    managementAccountId: string;
    featureSet?: "ALL" | "CONSOLIDATED_BILLING";
    enabledPolicyTypes?: string[];
    awsServiceAccessPrincipals?: string[];
    /** unit name -> id, directly under the root. */
    units?: Record<string, string>;
    accounts?: { id: string; email: string; name: string }[];
}

export const DEFAULT_ORGANIZATION = "acme-org";
const STACK_TYPE = "pulumi:pulumi:Stack";
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** Problems with the project's files themselves, found before any stack runs: each names the file and the fix. */
export class ProjectFilesError extends Error {
    constructor(readonly problems: string[]) {
        super(`The project's Pulumi files have ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was evaluated:\n` + problems.map((p, i) => `  ${i + 1}. ${p}`).join("\n"));
        this.name = "ProjectFilesError";
    }
}

/** Reads Pulumi.yaml and every Pulumi.<stack>.yaml beside it; throws one ProjectFilesError for syntax errors and stages with no stack file. */
export function readProject(dir: string): ProjectFiles {
    const problems: string[] = [];
    const load = (file: string): any => {
        try {
            return yaml.load(fs.readFileSync(path.join(dir, file), "utf8")) ?? {};
        } catch (err) {
            if (!(err instanceof yaml.YAMLException)) throw err;
            const { line, column } = err.mark ?? { line: 0, column: 0 };
            problems.push(`${file}: line ${line + 1}, column ${column + 1}: not valid YAML: ${err.reason}. Fix: correct ${file} at that place (an unclosed [ or {, or a tab used for indentation, are the usual causes)`);
            return {};
        }
    };
    const project = load("Pulumi.yaml") as { name: string; main?: string; config?: Record<string, unknown> };
    const projectConfig: Record<string, string> = {};
    for (const [key, declared] of Object.entries(project.config ?? {})) {
        // A project-level entry is either a bare value or { value } / { default } (with type, description).
        const value = isObject(declared) && ("value" in declared || "default" in declared) ? (declared.value ?? declared.default) : declared;
        projectConfig[qualify(project.name, key)] = configString(value);
    }
    const stackConfigs: Record<string, Record<string, string>> = {};
    for (const file of fs.readdirSync(dir).sort()) {
        const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
        if (!match) continue;
        if (match[1].endsWith(".deploy")) {
            // Pulumi CLI 3.251.0 removed these files and `pulumi deployment settings push` (pulumi/pulumi#23480): left in
            // place, one would look applied while Pulumi Cloud holds something else.
            problems.push(
                `${file}: the Pulumi CLI no longer reads deployment-settings files (removed in 3.251.0); each stage's stack now manages its Pulumi Deployments settings itself (refarch:deployments, README "Deploying"). Fix: delete ${file}`,
            );
            continue;
        }
        const parsed = load(file) as { config?: Record<string, unknown> };
        stackConfigs[match[1]] = Object.fromEntries(Object.entries(parsed.config ?? {}).map(([k, v]) => [qualify(project.name, k), configString(v)]));
    }
    const files: ProjectFiles = { dir, name: project.name, main: project.main, projectConfig, stackConfigs };
    problems.push(...stagesWithoutStack(files));
    if (problems.length > 0) throw new ProjectFilesError(problems);
    return files;
}

/** A stage of refarch:accounts needs its own stack: the other stages read its outputs through a StackReference named after it. */
function stagesWithoutStack(project: ProjectFiles): string[] {
    const accounts = safeJson(project.projectConfig["refarch:accounts"]);
    if (!isObject(accounts)) return [];
    const stacks = Object.keys(project.stackConfigs);
    const region = project.stackConfigs[stacks.find((s) => s === ROOT_STAGE) ?? stacks[0]]?.["aws:region"] ?? "us-east-1";
    const howTo = (stage: string) => `Fix: create Pulumi.${stage}.yaml with these two lines (any region you like):\n       config:\n         aws:region: ${region}\n    `;
    return stagesOf(project)
        .filter((stage) => !(stage in project.stackConfigs))
        .map((stage) =>
            stage in accounts
                ? `Pulumi.yaml: refarch:accounts.${stage}: stage "${stage}" has no stack file, so no stack deploys its account. ${howTo(stage)} or remove ${stage} from refarch:accounts in Pulumi.yaml`
                : `Pulumi.yaml: refarch:accounts: accounts to create, or refarch:awsOrganization, need the "${stage}" stack that manages the AWS Organization, and it has no stack file. ${howTo(stage)} in the management account's region`,
        );
}

/** The stages that have a stack: those of refarch:accounts, and `org` when the program manages the AWS Organization. */
function stagesOf(project: ProjectFiles): string[] {
    return projectStages(safeJson(project.projectConfig["refarch:accounts"]), safeJson(project.projectConfig["refarch:awsOrganization"]));
}

/**
 * The account id the mocks give an account the org stack creates: 12 digits from its email, so the org
 * stack's mock and the mocks of the stacks deploying into the account agree on it with no id written.
 */
export function mockAccountId(email: string): string {
    const digits = BigInt(`0x${createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 15)}`) % 900000000000n;
    return String(100000000000n + digits);
}

/** The account a stack deploys into, as the mocks see it: the id given, or the one the org stack's mock creates. */
function mockAccountOf(config: Record<string, string>, stage: string): string {
    const accounts = (safeJson(config["refarch:accounts"]) ?? {}) as Record<string, unknown>;
    const account = accounts[stage === ORGANIZATION_STAGE ? ROOT_STAGE : stage];
    if (typeof account === "string") return account;
    if (isObject(account) && typeof account.email === "string") return mockAccountId(account.email);
    return "000000000000";
}

/** A stack's effective config: project-level values overridden by the stack's own. */
export function stackConfig(project: ProjectFiles, stack: string): Record<string, string> {
    return { ...project.projectConfig, ...(project.stackConfigs[stack] ?? {}) };
}

/** The stage a stack deploys, as the program decides it. */
export function stageOfStack(config: Record<string, string>, stack: string): string {
    return config["refarch:stage"] ?? stack;
}

/** Stacks in deploy order (waves flattened); stacks whose stage is unknown come last. */
export function stacksInDeployOrder(project: ProjectFiles, stacks = Object.keys(project.stackConfigs)): string[][] {
    const stages = stagesOf(project);
    const waves = deployWaves(stages).map((wave) => wave.flatMap((stage) => stacks.filter((s) => stageOfStack(stackConfig(project, s), s) === stage)));
    const placed = waves.flat();
    const rest = stacks.filter((s) => !placed.includes(s));
    return [...waves, rest].filter((w) => w.length > 0);
}

/**
 * The given stacks and every stack they read, transitively: a stack of stage S reads the stacks named after
 * the stages S depends on (StackReferences are `<org>/<project>/<stage>`). Unknown names are kept as given.
 */
export function stacksWithDependencies(project: ProjectFiles, stacks: string[]): string[] {
    const dependencies = stageDependencies(stagesOf(project));
    const needed = new Set<string>();
    const visit = (stack: string): void => {
        if (needed.has(stack)) return;
        needed.add(stack);
        const stage = stageOfStack(stackConfig(project, stack), stack);
        for (const read of dependencies[stage] ?? []) if (read in project.stackConfigs) visit(read);
    };
    stacks.forEach(visit);
    return Object.keys(project.stackConfigs).filter((s) => needed.has(s)).concat(stacks.filter((s) => !(s in project.stackConfigs)));
}

/**
 * Evaluates one stack of the program: sets the stack's config, runs the program inside a Stack resource
 * under mocks, waits for every registration, and returns what was registered and exported.
 */
export async function evaluateStack(
    program: () => unknown,
    projectName: string,
    stack: string,
    config: Record<string, string>,
    options: EvaluateOptions = {},
): Promise<StackEvaluation> {
    const organization = options.organization ?? DEFAULT_ORGANIZATION;
    const stage = stageOfStack(config, stack);
    const accountId = mockAccountOf(config, stage);
    const region = config["aws:region"] ?? "us-east-1";
    const disabledDefaults = asList(safeJson(config["pulumi:disable-default-providers"]) ?? []);
    const created = isObject((safeJson(config["refarch:accounts"]) as Record<string, unknown> | undefined)?.[stage]) && stage !== ROOT_STAGE;
    const credentialsAccount = options.credentialsAccount ?? (created ? mockAccountOf(config, ROOT_STAGE) : accountId);
    const mocks = new AwsMocks(accountId, region, options.deployedOutputs ?? {}, disabledDefaults.includes("aws") || disabledDefaults.includes("*"), options.accountRoles ?? [], credentialsAccount, options.existingOrganization, options.organizationReadError);

    pulumi.runtime.setAllConfig(config, []);
    await pulumi.runtime.setMocks(mocks, projectName, stack, false, organization);
    const recorded = recordRegistrations(mocks);

    // As under `pulumi up`, the first unhandled rejection (an apply that threw, a failed registration)
    // ends the program: outputs that hang on a failed resource are never awaited.
    const failures: Error[] = [];
    let stop: (err: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const onRejection = (reason: unknown) => {
        failures.push(asError(reason));
        stop(asError(reason));
    };
    process.on("unhandledRejection", onRejection);
    let outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    const run = async () => {
        // The program's own return value, not the Stack's unwrapped copy of it, so which outputs are secret is still known.
        let exported: unknown;
        await pulumi.runtime.runInPulumiStack(async () => (exported = await program()));
        await waitForRegistrations();
        outputs = (await resolveDeep(exported ?? {}, "", secretOutputs)) as Record<string, unknown>;
    };
    // With no engine to log to (the mocks have none), the SDK writes a warning to console.warn with this prefix
    // (@pulumi/pulumi log/index.js warn): kept for the evaluation, as the engine would keep it for the CLI.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => {
        const text = format(...args);
        if (text.startsWith(SDK_WARNING)) warnings.push(text.slice(SDK_WARNING.length));
        else consoleWarn(...args);
    };
    try {
        await withoutStackTraces(() => Promise.race([run(), stopped]));
    } catch (err) {
        if (!failures.includes(err as Error)) failures.push(asError(err));
    } finally {
        // Rejections of the last registrations surface a few promise turns later; they belong to this stack, not the
        // next. Under the mocks every registration settles through promises alone (no timer, no I/O), so once the
        // microtask queue has drained, which Node does before it runs an immediate, and Node has reported the
        // rejections left unhandled, which it does at the same point, there are none to come. A timer waited for
        // nothing six times a plan.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
        console.warn = consoleWarn;
    }
    if (failures.length > 0) forgetAbandonedPromises();
    const resources = recorded.filter((r) => r.type !== STACK_TYPE);
    const error = failures.length > 0 ? firstCause(failures) : undefined;
    return { stack, stage, resources, outputs: error ? {} : outputs, secretOutputs: error ? [] : secretOutputs, error, warnings };
}

const SDK_WARNING = "warning: [runtime] ";

/**
 * Evaluates stacks in deploy order, each one's outputs fed to the StackReferences of those after it.
 * `only` limits it to those stacks and every stack they read before them.
 */
export async function evaluateProject(
    program: () => unknown,
    project: ProjectFiles,
    options: { stacks?: string[]; organization?: string } = {},
): Promise<StackEvaluation[]> {
    const organization = options.organization ?? DEFAULT_ORGANIZATION;
    const deployedOutputs: Record<string, Record<string, unknown>> = {};
    const evaluations: StackEvaluation[] = [];
    const stacks = options.stacks && stacksWithDependencies(project, options.stacks);
    for (const stack of stacksInDeployOrder(project, stacks).flat()) {
        const config = stackConfig(project, stack);
        const evaluation = await evaluateStack(program, project.name, stack, config, { deployedOutputs, organization });
        evaluations.push(evaluation);
        if (!evaluation.error) {
            const referenceOrg = config[`${project.name}:organization`] ?? organization;
            deployedOutputs[`${referenceOrg}/${project.name}/${stack}`] = evaluation.outputs;
        }
    }
    return evaluations;
}

/**
 * The mock provider: returns what AWS would for each resource type this program creates (ARNs in the
 * stack's own account and region, ids as AWS forms them) and the outputs of deployed stacks for
 * StackReferences. An invoke it does not know fails loudly instead of returning something made up.
 */
class AwsMocks implements pulumi.runtime.Mocks {
    /** Explicit providers' ids -> their region, so a resource made through one gets ARNs in that region. */
    private readonly providerRegions = new Map<string, string>();

    constructor(
        private readonly accountId: string,
        private readonly stackRegion: string,
        private readonly deployedOutputs: Record<string, Record<string, unknown>>,
        /** `pulumi:disable-default-providers` names aws: as the engine does, refuse an aws resource or invoke with no explicit provider. */
        private readonly explicitAwsProvider: boolean,
        private readonly accountRoles: string[],
        private readonly credentialsAccount: string,
        private readonly existingOrganization: MockOrganization | undefined,
        private readonly organizationReadError: string | undefined,
    ) {}

    /** Explicit providers that assume a role: through them the caller is the stack's account, not the credentials'. */
    private readonly assumingProviders = new Set<string>();

    private requireProvider(token: string, provider: string | undefined): void {
        if (this.explicitAwsProvider && token.startsWith("aws:") && !provider) {
            throw new Error(`${token} has no explicit AWS provider, and Pulumi.yaml disables the default one (pulumi:disable-default-providers): pass the stack's provider through { parent } or { provider }`);
        }
    }

    /** The region of the provider a resource is made through (`<provider urn>::<provider id>`), else the stack's. */
    private regionOf(provider: string | undefined): string {
        const id = provider?.slice(provider.lastIndexOf("::") + 2);
        return (id && this.providerRegions.get(id)) || this.stackRegion;
    }

    /** The inputs of the registration being made, as the mock monitor deserialized them for newResource: recordRegistrations keeps them. */
    lastInputs: Record<string, unknown> | undefined;

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        this.lastInputs = args.inputs;
        const made = this.made(args);
        // An imported resource (the `import` option) keeps the id it was imported by.
        return args.id ? { ...made, id: args.id } : made;
    }

    private made(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        if (args.custom !== false) this.requireProvider(args.type, args.provider);
        const inputs = args.inputs as Record<string, any>;
        const region = this.regionOf(args.provider);
        const partition = partitionOf(region);
        const iamArn = (kind: string, name: string, pathPrefix = "/") => `arn:${partition}:iam::${this.accountId}:${kind}${pathPrefix}${name}`;
        const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${this.accountId}:${resource}`;
        const digest = createHash("sha256").update(`${this.accountId}/${args.type}/${args.name}`).digest("hex");
        const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");
        const uuid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
        const uniqueId = digest.slice(0, 17).toUpperCase();
        /** EC2-style ids: `vpc-0a1b2c...` (17 hex digits), stable per resource and `salt`. */
        const ec2Id = (prefix: string, salt = "") => `${prefix}-${hashOf(`${digest}/${salt}`).slice(0, 17)}`;
        switch (args.type) {
            case "pulumi:providers:aws": {
                const id = `${args.name}-${digest.slice(0, 12)}`;
                this.providerRegions.set(id, String(inputs.region ?? this.stackRegion));
                if (inputs.assumeRoles !== undefined) this.assumingProviders.add(id);
                return { id, state: inputs };
            }
            // The account baseline.
            case "aws:iam/accountAlias:AccountAlias":
                return { id: inputs.accountAlias, state: inputs };
            case "aws:iam/accountPasswordPolicy:AccountPasswordPolicy":
                return { id: "iam-account-password-policy", state: { ...inputs, expirePasswords: (inputs.maxPasswordAge ?? 0) > 0 } };
            case "aws:ebs/encryptionByDefault:EncryptionByDefault":
                return { id: region, state: inputs };
            case "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":
                return { id: this.accountId, state: { ...inputs, accountId: this.accountId } };
            case "aws:accessanalyzer/analyzer:Analyzer":
                return { id: inputs.analyzerName, state: { ...inputs, arn: arn("access-analyzer", `analyzer/${inputs.analyzerName}`) } };
            case "aws:budgets/budget:Budget":
                return { id: `${this.accountId}:${inputs.name}`, state: { ...inputs, accountId: this.accountId, arn: `arn:${partition}:budgets::${this.accountId}:budget/${inputs.name}` } };
            // awsx v3 components run out of process: under mocks a Vpc is one resource, so its outputs are made here.
            case "awsx:ec2:Vpc": {
                const zones = Number(inputs.numberOfAvailabilityZones ?? 3);
                const subnets = (kind: string) => Array.from({ length: zones }, (_, i) => ec2Id("subnet", `${kind}-${i}`));
                const natCount = { None: 0, Single: 1, OnePerAz: zones }[String(inputs.natGateways?.strategy ?? "OnePerAz")] ?? zones;
                return {
                    id: "",
                    state: {
                        vpcId: ec2Id("vpc"),
                        publicSubnetIds: subnets("public"),
                        privateSubnetIds: subnets("private"),
                        isolatedSubnetIds: [],
                        natGateways: Array.from({ length: natCount }, (_, i) => ({ id: ec2Id("nat", String(i)) })),
                    },
                };
            }
            // backing-services/aurora-postgres.
            case "random:index/randomPassword:RandomPassword": {
                const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789" + String(inputs.overrideSpecial ?? "");
                const bytes = createHash("sha512").update(digest).digest();
                const result = Array.from({ length: Number(inputs.length) }, (_, i) => alphabet[bytes[i % bytes.length] % alphabet.length]).join("");
                return { id: "none", state: { ...inputs, result } };
            }
            case "random:index/randomId:RandomId": {
                const hex = createHash("sha256").update(digest).digest("hex").slice(0, Number(inputs.byteLength) * 2);
                return { id: hex, state: { ...inputs, hex, dec: BigInt(`0x${hex}`).toString() } };
            }
            case "aws:ec2/securityGroup:SecurityGroup": {
                const id = ec2Id("sg");
                return { id, state: { ...inputs, arn: arn("ec2", `security-group/${id}`), ownerId: this.accountId } };
            }
            case "aws:rds/subnetGroup:SubnetGroup":
                return { id: inputs.name, state: { ...inputs, arn: arn("rds", `subgrp:${inputs.name}`) } };
            case "aws:rds/cluster:Cluster": {
                const host = `cluster-${digest.slice(0, 12)}.${region}.rds.amazonaws.com`;
                return {
                    id: inputs.clusterIdentifier,
                    state: {
                        ...inputs,
                        arn: arn("rds", `cluster:${inputs.clusterIdentifier}`),
                        endpoint: `${inputs.clusterIdentifier}.${host}`,
                        readerEndpoint: `${inputs.clusterIdentifier}.${host.replace("cluster-", "cluster-ro-")}`,
                        port: 5432,
                        clusterResourceId: `cluster-${uniqueId}`,
                    },
                };
            }
            case "aws:rds/clusterInstance:ClusterInstance":
                return { id: inputs.identifier, state: { ...inputs, arn: arn("rds", `db:${inputs.identifier}`), endpoint: `${inputs.identifier}.${digest.slice(0, 12)}.${region}.rds.amazonaws.com`, port: 5432 } };
            // acm-cloudfront: ACM gives one CNAME per distinct name; "*.x" and "x" share theirs.
            case "aws:acm/certificate:Certificate": {
                const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])];
                const domainValidationOptions = names.map((domainName) => {
                    const base = domainName.replace(/^\*\./, "");
                    const token = hashOf(`${this.accountId}/${base}`);
                    return {
                        domainName,
                        resourceRecordName: `_${token.slice(0, 32)}.${base}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${token.slice(32, 64)}.xlfgrmvvlj.acm-validations.aws.`,
                    };
                });
                return { id: arn("acm", `certificate/${uuid}`), state: { ...inputs, arn: arn("acm", `certificate/${uuid}`), domainValidationOptions, status: "PENDING_VALIDATION" } };
            }
            case "aws:route53/record:Record":
                return { id: `${inputs.zoneId}_${inputs.name}_${inputs.type}`, state: { ...inputs, fqdn: String(inputs.name).replace(/\.$/, "") } };
            case "aws:acm/certificateValidation:CertificateValidation":
                return { id: "2026-01-01 00:00:00 +0000 UTC", state: inputs };
            // AWS Organizations, in the id formats of its API reference: o-[a-z0-9]{10,32}, r-[0-9a-z]{4,32},
            // ou-<root part>-[a-z0-9]{8,32}, p-[0-9a-z_]{8,128}; ARNs arn:<partition>:organizations::<management account>:...
            // https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html (and API_Parent, API_Policy)
            case "aws:organizations/organization:Organization": {
                const { organizationId, rootId } = organizationIds(this.accountId);
                const orgArn = (kind: string, id: string) => `arn:${partition}:organizations::${this.accountId}:${kind}/${organizationId}/${id}`;
                return {
                    id: organizationId,
                    state: {
                        ...inputs,
                        arn: `arn:${partition}:organizations::${this.accountId}:organization/${organizationId}`,
                        masterAccountId: this.accountId,
                        masterAccountArn: orgArn("account", this.accountId),
                        roots: [{ id: rootId, arn: orgArn("root", rootId), name: "Root", policyTypes: asList(inputs.enabledPolicyTypes as string[]).map((type) => ({ type, status: "ENABLED" })) }],
                        accounts: [],
                        nonMasterAccounts: [],
                    },
                };
            }
            case "aws:organizations/organizationalUnit:OrganizationalUnit": {
                const { organizationId, rootId } = organizationIds(this.accountId);
                const id = `ou-${rootId.slice(2)}-${digest.slice(0, 8)}`;
                return { id, state: { ...inputs, arn: `arn:${partition}:organizations::${this.accountId}:ou/${organizationId}/${id}`, accounts: [] } };
            }
            case "aws:organizations/account:Account": {
                const { organizationId } = organizationIds(this.accountId);
                const id = mockAccountId(String(inputs.email));
                return { id, state: { ...inputs, arn: `arn:${partition}:organizations::${this.accountId}:account/${organizationId}/${id}`, status: "ACTIVE", joinedMethod: "CREATED" } };
            }
            case "aws:organizations/policy:Policy": {
                const { organizationId } = organizationIds(this.accountId);
                const id = `p-${digest.slice(0, 8)}`;
                return { id, state: { ...inputs, arn: `arn:${partition}:organizations::${this.accountId}:policy/${organizationId}/service_control_policy/${id}`, awsManaged: false } };
            }
            case "aws:organizations/policyAttachment:PolicyAttachment":
                return { id: `${inputs.targetId}:${inputs.policyId}`, state: inputs };
            case STACK_REFERENCE_TYPE: {
                const name = String(inputs.name ?? args.name);
                return { id: name, state: { name, outputs: this.deployedOutputs[name] ?? {}, secretOutputNames: [] } };
            }
            case "aws:iam/role:Role":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("role", inputs.name, inputs.path ?? "/"), uniqueId: `AROA${uniqueId}`, createDate: "2026-01-01T00:00:00Z" } };
            case "aws:iam/user:User":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("user", inputs.name, inputs.path ?? "/"), uniqueId: `AIDA${uniqueId}` } };
            case "aws:iam/userLoginProfile:UserLoginProfile":
                return { id: inputs.user, state: this.loginProfile(inputs, digest) };
            case "aws:iam/group:Group":
                return { id: inputs.name, state: { ...inputs, arn: iamArn("group", inputs.name, inputs.path ?? "/"), uniqueId: `AGPA${uniqueId}` } };
            case "aws:iam/policy:Policy": {
                const arn = iamArn("policy", inputs.name, inputs.path ?? "/");
                return { id: arn, state: { ...inputs, arn, policyId: `ANPA${uniqueId}` } };
            }
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return { id: `${inputs.role}-${digest.slice(0, 20)}`, state: inputs };
            case "aws:iam/groupPolicy:GroupPolicy":
                return { id: `${inputs.group}:${inputs.name}`, state: inputs };
            // aws_iam_role_policy's id is `<role>:<policy name>`, like a group's inline policy.
            case "aws:iam/rolePolicy:RolePolicy":
                return { id: `${inputs.role}:${inputs.name}`, state: inputs };
            // aws_s3_bucket_logging's id is the source bucket; S3 reports an empty prefix when none was set.
            case "aws:s3/bucketLogging:BucketLogging":
                return { id: inputs.bucket, state: { ...inputs, targetPrefix: inputs.targetPrefix ?? "", region } };
            case "aws:s3/bucket:Bucket":
                return {
                    id: inputs.bucket,
                    state: { ...inputs, arn: `arn:${partition}:s3:::${inputs.bucket}`, region, bucketDomainName: `${inputs.bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${inputs.bucket}.s3.${region}.amazonaws.com` },
                };
            case "aws:kms/key:Key":
                return { id: uuid, state: { ...inputs, keyId: uuid, arn: arn("kms", `key/${uuid}`) } };
            case "aws:kms/alias:Alias":
                return { id: inputs.name, state: { ...inputs, arn: arn("kms", inputs.name), targetKeyArn: arn("kms", `key/${inputs.targetKeyId}`) } };
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                // IAM's own naming, written here rather than taken from src/policies.ts: the mock stands for AWS, so
                // a wrong issuerName() there shows up as a trust naming a provider this ARN does not match.
                const providerArn = iamArn("oidc-provider", String(inputs.url).replace(/^https:\/\//, ""));
                return { id: providerArn, state: { ...inputs, arn: providerArn } };
            }
            // Pulumi Cloud's id of a stack's deployment settings is `<org>/<project>/<stack>` (the provider's import id).
            case "pulumiservice:index:DeploymentSettings":
                return { id: `${inputs.organization}/${inputs.project}/${inputs.stack}`, state: inputs };
            case "aws:cloudtrail/trail:Trail":
                return { id: inputs.name, state: { ...inputs, arn: arn("cloudtrail", `trail/${inputs.name}`), homeRegion: region } };
            default:
                // Resources with no computed attribute the program reads: their id is their bucket, name or logical name.
                return { id: String(inputs.bucket ?? inputs.name ?? `${args.name}-${digest.slice(0, 8)}`), state: inputs };
        }
    }

    /**
     * A login profile as the provider returns it (pulumi-aws UserLoginProfile): with `pgpKey`, the generated
     * password only as `encryptedPassword` (base64 of a PGP message) and the key's `keyFingerprint`; the
     * plaintext `password` output only when no key was given. The mock has no real key to encrypt to, so its
     * "ciphertext" is random-looking bytes that contain no password at all.
     */
    private loginProfile(inputs: Record<string, any>, digest: string): Record<string, unknown> {
        const state = { ...inputs, passwordResetRequired: Boolean(inputs.passwordResetRequired), passwordLength: inputs.passwordLength ?? 20 };
        if (inputs.pgpKey === undefined) {
            return { ...state, password: createHash("sha256").update(`password/${digest}`).digest("base64").slice(0, state.passwordLength) };
        }
        // An OpenPGP message: a public-key encrypted session key packet (tag 1, 0xc1) then encrypted data.
        const body = Buffer.concat([Buffer.from([0xc1, 0x4c, 0x03]), ...[0, 1, 2, 3, 4].map((i) => createHash("sha512").update(`message/${digest}/${i}`).digest())]);
        const keyFingerprint = createHash("sha1").update(`pgp-key/${inputs.pgpKey}`).digest("hex");
        return { ...state, encryptedPassword: body.toString("base64"), keyFingerprint };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        try {
            return this.answer(args);
        } catch (err) {
            // The SDK shows an invoke's failure by the gRPC error's `details`, as the engine reports a provider's error.
            throw Object.assign(err as Error, { details: `invocation of ${args.token} returned an error: ${(err as Error).message}` });
        }
    }

    private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.requireProvider(args.token, args.provider);
        const region = this.regionOf(args.provider);
        const partition = partitionOf(region);
        switch (args.token) {
            // Through a provider that assumes a role, the caller is that role's account (the stack's); else the credentials'.
            case "aws:index/getCallerIdentity:getCallerIdentity": {
                const providerId = args.provider?.slice(args.provider.lastIndexOf("::") + 2);
                const account = providerId && !this.assumingProviders.has(providerId) ? this.credentialsAccount : this.accountId;
                return { accountId: account, arn: `arn:${partition}:sts::${account}:assumed-role/deployer/pulumi`, userId: "AROAEXAMPLE:pulumi", id: account };
            }
            case "aws:index/getRegion:getRegion":
                return { name: region, region: region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
            // The roles an account holds before this stack runs, filtered as IAM's ListRoles is by the data source's nameRegex.
            case "aws:iam/getRoles:getRoles": {
                const names = this.accountRoles.filter((n) => new RegExp(String(args.inputs.nameRegex ?? ".*")).test(n));
                return { names, arns: names.map((n) => `arn:${partition}:iam::${this.accountId}:role/${n}`), id: region };
            }
            // DescribeOrganization and ListOrganizationalUnitsForParent, for an organization that exists already.
            case "aws:organizations/getOrganization:getOrganization": {
                if (this.organizationReadError) throw new Error(this.organizationReadError);
                const existing = this.existingOrganization;
                if (!existing) throw new Error("AWSOrganizationsNotInUseException: Your account is not a member of an organization.");
                const rootId = organizationIds(existing.managementAccountId).rootId;
                const types = existing.enabledPolicyTypes ?? [];
                const orgArn = (kind: string, id: string) => `arn:${partition}:organizations::${existing.managementAccountId}:${kind}/${existing.id}/${id}`;
                const accounts = (existing.accounts ?? []).map((a) => ({ ...a, arn: orgArn("account", a.id), status: "ACTIVE", state: "ACTIVE" }));
                return {
                    id: existing.id,
                    arn: `arn:${partition}:organizations::${existing.managementAccountId}:organization/${existing.id}`,
                    featureSet: existing.featureSet ?? "ALL",
                    enabledPolicyTypes: types,
                    awsServiceAccessPrincipals: existing.awsServiceAccessPrincipals ?? [],
                    masterAccountId: existing.managementAccountId,
                    masterAccountArn: orgArn("account", existing.managementAccountId),
                    masterAccountEmail: "",
                    masterAccountName: "",
                    accounts,
                    nonMasterAccounts: accounts.filter((a) => a.id !== existing.managementAccountId),
                    roots: [{ id: rootId, arn: orgArn("root", rootId), name: "Root", policyTypes: types.map((type) => ({ type, status: "ENABLED" })) }],
                };
            }
            case "aws:organizations/getOrganizationalUnits:getOrganizationalUnits": {
                const units = this.existingOrganization?.units ?? {};
                const arnOf = (id: string) => `arn:${partition}:organizations::${this.existingOrganization?.managementAccountId}:ou/${this.existingOrganization?.id}/${id}`;
                return { id: String(args.inputs.parentId), parentId: args.inputs.parentId, children: Object.entries(units).map(([name, id]) => ({ id, name, arn: arnOf(id) })) };
            }
            case "aws:index/getPartition:getPartition":
                return { partition, dnsSuffix: "amazonaws.com", id: partition };
            default:
                throw new Error(`The offline engine has no mock for invoke ${args.token}; add one to AwsMocks in src/offline/engine.ts`);
        }
    }
}

/** The one organization a management account has: its id and its root's, stable per account. */
function organizationIds(managementAccountId: string): { organizationId: string; rootId: string } {
    const hash = createHash("sha256").update(`organization/${managementAccountId}`).digest("hex");
    return { organizationId: `o-${hash.slice(0, 10)}`, rootId: `r-${hash.slice(10, 14)}` };
}

/** Records every registration the program makes, with the options the mock provider never sees. */
function recordRegistrations(mocks: AwsMocks): RecordedResource[] {
    const monitor = pulumi.runtime.getMonitor() as any;
    const recorded: RecordedResource[] = [];
    const wrap = (method: "registerResource" | "readResource", read: boolean) => {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, callback: (err: unknown, resp: any) => void) => {
            const entry: RecordedResource = {
                urn: "",
                id: "",
                type: req.getType(),
                name: req.getName(),
                custom: read || req.getCustom(),
                parent: req.getParent(),
                inputs: {},
                state: {},
                protect: read ? false : req.getProtect() === true,
                retainOnDelete: read ? false : req.getRetainondelete() === true,
                ignoreChanges: read ? [] : req.getIgnorechangesList(),
                deleteBeforeReplace: read ? false : req.getDeletebeforereplace() === true,
                dependsOn: read ? [] : req.getDependenciesList(),
                read,
                provider: req.getProvider() ?? "",
                importId: read ? "" : (req.getImportid() ?? ""),
                additionalSecretOutputs: read ? [] : req.getAdditionalsecretoutputsList(),
                outputs: {},
            };
            // The mock monitor deserializes the request's inputs and hands them to newResource before its first await
            // (@pulumi/pulumi runtime/mocks.js), so they are there as soon as it returns: kept rather than deserialized
            // a second time. Should a version of the SDK call the mocks later, they are deserialized here.
            mocks.lastInputs = undefined;
            const pending = original(req, (err: unknown, resp: any) => {
                if (!err) {
                    entry.urn = resp.getUrn();
                    entry.id = read ? "" : (resp.getId?.() ?? "");
                    entry.state = pulumi.runtime.deserializeProperties(read ? resp.getProperties() : resp.getObject());
                    recorded.push(entry);
                }
                callback(err, resp);
            });
            entry.inputs = mocks.lastInputs ?? pulumi.runtime.deserializeProperties(read ? req.getProperties() : req.getObject());
            mocks.lastInputs = undefined;
            return pending;
        };
    };
    wrap("registerResource", false);
    wrap("readResource", true);
    // A component's registerOutputs reaches the monitor once its URN is known, so its entry is recorded by then.
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: any) => void) => {
        const entry = recorded.find((r) => r.urn === req.getUrn());
        if (entry) entry.outputs = pulumi.runtime.deserializeProperties(req.getOutputs());
        return registerOutputs(req, callback);
    };
    return recorded;
}

/**
 * Runs `work` with V8 capturing no stack traces and Node mapping none through source maps. The Pulumi SDK takes one
 * for every promise it makes (@pulumi/pulumi runtime/debuggable.js; kept only for the report PULUMI_DEBUG_PROMISE_LEAKS
 * asks for) and one of unlimited depth for every resource (resource.js `callsites`); an evaluation reports an error
 * by its message, never its stack. Leaving them out saves about a seventh of `npm start`'s time, and under
 * --enable-source-maps (mocha's, so a failing test points at .ts lines) mapping each frame was half the suite's.
 * With PULUMI_DEBUG_PROMISE_LEAKS set, both are kept.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return work();
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const mapped = process.sourceMapsEnabled;
    Error.stackTraceLimit = 0;
    // What V8 calls to format a stack (https://v8.dev/docs/stack-trace-api), Node's own formatter skipped: a stack is
    // its first line alone, as with no frames. The SDK's source positions (resource.js callsites) raise the limit to
    // Infinity and parse the frames out of `.stack`; they are left empty, as the mocks read none. Half the cost of
    // each stack, and three quarters of each deep one under source maps, measured in a loop of `new Error().stack`.
    Error.prepareStackTrace = (error: Error) => Error.prototype.toString.call(error);
    if (mapped) process.setSourceMapsEnabled(false);
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
        if (mapped) process.setSourceMapsEnabled(true);
    }
}

/** A failed program leaves promises that will never settle, as a real run does when it exits; they are not leaks. */
function forgetAbandonedPromises(): void {
    (require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<unknown> } }).getStore().leakCandidates = new Set();
}

async function waitForRegistrations(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

async function resolveDeep(value: unknown, path = "", secrets: string[] = []): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value as pulumi.Output<unknown>)) secrets.push(path);
        return resolveDeep(await (value as any).promise(), path, secrets);
    }
    if (value instanceof Promise) return resolveDeep(await value, path, secrets);
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolveDeep(v, `${path}[${i}]`, secrets)));
    if (isObject(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(v, path ? `${path}.${k}` : k, secrets)] as const));
        return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    }
    return value;
}

/** The error a run stops on, without the SDK's "error serializing property" wrapping around the program's own message. */
function firstCause(failures: Error[]): Error {
    const first = failures[0];
    const message = first.message.replace(/^(error serializing property "[^"]*": )+/, "");
    return message === first.message ? first : new Error(message);
}

function qualify(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** Pulumi hands config to programs as strings: text as is, everything else as JSON. */
function configString(value: unknown): string {
    if (isObject(value) && "secure" in value) return "[secret]";
    return typeof value === "string" ? value : JSON.stringify(value);
}

function safeJson(text: string | undefined): any {
    try {
        return text === undefined ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

function isObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
