// Reading what an evaluation recorded: resources by type, policy documents, and resources written out for a test.
import type { RecordedResource, StackEvaluation } from "../../src/offline/engine";
import type { PolicyDocument } from "../../src/policies";

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

/** The evaluation, when it succeeded; else its error is thrown, so no test reads the (missing) resources of a failed one. */
export function succeeded(evaluation: StackEvaluation): StackEvaluation {
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}

/**
 * A resource as an evaluation records it, written out for a test's own organization: created by `stack`'s default
 * provider with no options, its id its name, what the provider returned its inputs plus `state`.
 */
export function syntheticResource(stack: string, type: string, name: string, inputs: Record<string, unknown>, state: Record<string, unknown> = {}): RecordedResource {
    return {
        urn: `urn:pulumi:${stack}::refarch::${type}::${name}`,
        id: name,
        type,
        name,
        custom: true,
        parent: "",
        inputs,
        state: { ...inputs, ...state },
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        dependsOn: [],
        read: false,
        provider: "",
        importId: "",
        additionalSecretOutputs: [],
        outputs: {},
    };
}

/** The logical resources a failed evaluation registered: none but its own StackReferences is "nothing created". */
export function created(evaluation: StackEvaluation): RecordedResource[] {
    return evaluation.resources.filter((r) => !r.read);
}
