// The one test harness: every test evaluates the real program through the offline engine (the same
// module `npm start` plans with), with the repository's real Pulumi.yaml and Pulumi.<stack>.yaml files.
import { expect } from "chai";
import * as path from "path";
import { ConfigError } from "../src/config";
import {
    evaluateProject,
    evaluateStack,
    DEFAULT_ORGANIZATION,
    ProjectFiles,
    readProject,
    RecordedResource,
    stackConfig,
    StackEvaluation,
} from "../src/offline/engine";
import type { PolicyDocument } from "../src/policies";
export { asList } from "../src/policies";

export const repoRoot = path.resolve(__dirname, "..");
export const project: ProjectFiles = readProject(repoRoot);
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const program: () => unknown = require("../src/index");
export const SHIPPED_STACKS = ["root", "prod", "staging", "audit", "dev", "testing"];

let shipped: Promise<Map<string, StackEvaluation>> | undefined;

/** Every shipped stack, evaluated once in deploy order with references fed as a real deploy would. */
export function shippedStacks(): Promise<Map<string, StackEvaluation>> {
    shipped ??= evaluateProject(program, project).then((evaluations) => new Map(evaluations.map((e) => [e.stack, e])));
    return shipped;
}

export async function shippedStack(stack: string): Promise<StackEvaluation> {
    const evaluation = (await shippedStacks()).get(stack);
    if (!evaluation) throw new Error(`no shipped stack ${stack}`);
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}

/** The outputs of every shipped stack, keyed as StackReferences name them. */
export async function shippedOutputs(): Promise<Record<string, Record<string, unknown>>> {
    const all = await shippedStacks();
    return Object.fromEntries([...all.values()].map((e) => [`${DEFAULT_ORGANIZATION}/${project.name}/${e.stack}`, e.outputs]));
}

/**
 * One stack with its shipped config changed: a key set to a string replaces the value, `undefined`
 * removes the key. Other stacks' outputs are the shipped ones unless `deployed` says otherwise.
 */
export async function evaluateWith(
    stack: string,
    changes: Record<string, string | undefined> = {},
    options: { deployed?: Record<string, Record<string, unknown>>; organization?: string; project?: ProjectFiles } = {},
): Promise<StackEvaluation> {
    const config: Record<string, string> = { ...stackConfig(options.project ?? project, stack) };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return evaluateStack(program, project.name, stack, config, {
        deployedOutputs: options.deployed ?? (await shippedOutputs()),
        organization: options.organization,
    });
}

/** A stack's config value as the program receives it, parsed. */
export function configValue<T>(stack: string, key: string): T {
    return JSON.parse(stackConfig(project, stack)[key]) as T;
}

export function ofType(evaluation: StackEvaluation, type: string): RecordedResource[] {
    return evaluation.resources.filter((r) => r.type === type);
}

/** The single resource of a type (and logical name, when given); fails if there is not exactly one. */
export function single(evaluation: StackEvaluation, type: string, name?: string): RecordedResource {
    const found = ofType(evaluation, type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""} in ${evaluation.stack}, found ${found.length}`);
    return found[0];
}

/** A policy input (a JSON string) read as a document. */
export function policyDocument(resource: RecordedResource, field = "policy"): PolicyDocument {
    const text = resource.inputs[field];
    if (typeof text !== "string") throw new Error(`${resource.name}.${field} is not a policy document string`);
    return JSON.parse(text) as PolicyDocument;
}

export function statement(document: PolicyDocument, sid: string) {
    const found = document.Statement.find((s) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(document)}`);
    return found;
}


/** The logical resources a failed evaluation registered: none but its own StackReferences is "nothing created". */
export function created(evaluation: StackEvaluation): RecordedResource[] {
    return evaluation.resources.filter((r) => !r.read);
}

/** Evaluates a stack with bad config and returns the error's message; asserts it is a ConfigError and nothing was created or read. */
export async function refused(stack: string, changes: Record<string, string | undefined>): Promise<string> {
    const evaluation = await evaluateWith(stack, changes);
    expect(evaluation.error, "the stack should have been refused").to.be.instanceOf(ConfigError);
    expect(created(evaluation), "resources registered despite bad config").to.deep.equal([]);
    expect(evaluation.resources, "StackReferences read despite bad config").to.deep.equal([]);
    return evaluation.error!.message;
}
