// The offline engine: runs the real program and the real Pulumi SDK for each stack with Pulumi's mock
// runtime in place of the Pulumi engine and AWS. It is what `npm start` plans with and what every test
// evaluates with. Stacks run in deploy order, each with its own Pulumi.<stack>.yaml, and each
// StackReference is fed the outputs the referenced stack actually produced.
import * as pulumi from "@pulumi/pulumi";
import { format } from "util";
import { ORGANIZATION_STAGE, ROOT_STAGE } from "../config";
import { asList } from "../policies";
import { configJson, isRecord, ProjectFiles, stackConfig, stacksInDeployOrder, stacksWithDependencies, stageOfStack } from "../project";
import { AwsMocks } from "./awsMocks";
import type { MockOrganization } from "./mocks/context";
import { mockAccountId } from "./mocks/organizations";
import { RecordedResource, recordRegistrations } from "./recorder";

// What the engine's callers read from it besides evaluations: the records, and how the mocks form accounts.
export { mockAccountId };
export type { MockOrganization, RecordedResource };

export interface StackEvaluation {
    stack: string;
    stage: string;
    /** Every resource the stack registered, in registration order, its own Stack resource excluded. */
    resources: RecordedResource[];
    /** The stack outputs, fully resolved, as other stacks read them. */
    outputs: Record<string, unknown>;
    /** Paths of the outputs Pulumi keeps as secrets (`a.b`, `list[0]`): encrypted in state, masked in `pulumi stack output`. */
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

/** The Pulumi organization the mock runtime reports when neither the caller nor refarch:organization names one. */
export const DEFAULT_ORGANIZATION = "acme-org";
const STACK_TYPE = "pulumi:pulumi:Stack";
/** With no engine to log to, the SDK writes a warning to console.warn with this prefix (@pulumi/pulumi log/index.js warn). */
const SDK_WARNING = "warning: [runtime] ";

/** The account a stack deploys into, as the mocks see it: the id given, or the one the org stack's mock creates. */
function mockAccountOf(config: Record<string, string>, stage: string): string {
    const accounts = (configJson(config["refarch:accounts"]) ?? {}) as Record<string, unknown>;
    const account = accounts[stage === ORGANIZATION_STAGE ? ROOT_STAGE : stage];
    if (typeof account === "string") return account;
    if (isRecord(account) && typeof account.email === "string") return mockAccountId(account.email);
    return "000000000000";
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
    const disabledDefaults = asList(configJson(config["pulumi:disable-default-providers"]) ?? []);
    const created = isRecord((configJson(config["refarch:accounts"]) as Record<string, unknown> | undefined)?.[stage]) && stage !== ROOT_STAGE;
    const mocks = new AwsMocks({
        accountId,
        stackRegion: config["aws:region"] ?? "us-east-1",
        deployedOutputs: options.deployedOutputs ?? {},
        explicitAwsProvider: disabledDefaults.includes("aws") || disabledDefaults.includes("*"),
        accountRoles: options.accountRoles ?? [],
        credentialsAccount: options.credentialsAccount ?? (created ? mockAccountOf(config, ROOT_STAGE) : accountId),
        existingOrganization: options.existingOrganization,
        organizationReadError: options.organizationReadError,
    });

    pulumi.runtime.setAllConfig(config, []);
    const recorded = await recordRegistrations(mocks, projectName, stack, organization);

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
        // Waits for every registration to settle, as Pulumi's own inline-program host does (@pulumi/pulumi automation/server.js).
        await pulumi.runtime.disconnect();
        outputs = (await resolveDeep(exported ?? {}, "", secretOutputs)) as Record<string, unknown>;
    };
    // The SDK's warnings, kept for the evaluation as the engine would keep them for the CLI; the SDK has no other
    // channel for them without an engine.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => {
        const text = format(...args);
        if (text.startsWith(SDK_WARNING)) warnings.push(text.slice(SDK_WARNING.length));
        else consoleWarn(...args);
    };
    try {
        await Promise.race([run(), stopped]);
    } catch (err) {
        if (!failures.includes(err as Error)) failures.push(asError(err));
    } finally {
        // Rejections of the last registrations surface a few promise turns later and belong to this stack. Under the
        // mocks every registration settles through promises alone, and Node drains them and reports the unhandled
        // ones before it runs an immediate.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
        console.warn = consoleWarn;
    }
    // A failed program leaves promises that never settle, as a real run does when it exits. A fresh mock runtime
    // (setMocks resets the SDK's runtime state) keeps the SDK from reporting them as leaks when the process exits.
    if (failures.length > 0) await pulumi.runtime.setMocks(mocks, projectName, stack, false, organization);
    const resources = recorded.filter((r) => r.type !== STACK_TYPE);
    const error = failures.length > 0 ? firstCause(failures) : undefined;
    return { stack, stage, resources, outputs: error ? {} : outputs, secretOutputs: error ? [] : secretOutputs, error, warnings };
}

/**
 * Evaluates stacks in deploy order, each one's outputs fed to the StackReferences of those after it.
 * `stacks` limits it to those stacks and every stack they read before them.
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
        const referenceOrg = config[`${project.name}:organization`] ?? organization;
        const own = `${referenceOrg}/${project.name}/${stack}`;
        // A stack that runs again (stackGraph.ts laterReads) is evaluated again with what was deployed since, but not
        // its own first run's outputs, which the plan shows as one run; that evaluation replaces the first.
        const earlier = evaluations.findIndex((e) => e.stack === stack);
        const { [own]: _ownOutputs, ...others } = deployedOutputs;
        const evaluation = await evaluateStack(program, project.name, stack, config, { deployedOutputs: earlier === -1 ? deployedOutputs : others, organization });
        if (earlier === -1) evaluations.push(evaluation);
        else evaluations[earlier] = evaluation;
        if (!evaluation.error) deployedOutputs[own] = evaluation.outputs;
    }
    return evaluations;
}

async function resolveDeep(value: unknown, path = "", secrets: string[] = []): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value as pulumi.Output<unknown>)) secrets.push(path);
        return resolveDeep(await valueOf(value as pulumi.Output<unknown>), path, secrets);
    }
    if (value instanceof Promise) return resolveDeep(await value, path, secrets);
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolveDeep(v, `${path}[${i}]`, secrets)));
    if (isRecord(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(v, path ? `${path}.${k}` : k, secrets)] as const));
        return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    }
    return value;
}

/**
 * An Output's value through its public `apply`, as Pulumi's unit-testing guide reads outputs under mocks
 * (https://www.pulumi.com/docs/iac/concepts/testing/unit/); always known, as the mocks run no preview.
 */
function valueOf(output: pulumi.Output<unknown>): Promise<unknown> {
    return new Promise((resolve) => output.apply(resolve));
}

/** The error a run stops on, without the SDK's "error serializing property" wrapping around the program's own message. */
function firstCause(failures: Error[]): Error {
    const first = failures[0];
    const message = first.message.replace(/^(error serializing property "[^"]*": )+/, "");
    return message === first.message ? first : new Error(message);
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
