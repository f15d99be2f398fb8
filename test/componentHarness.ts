// One component built alone under the mock engine, with fixed args: no stage table, no shipped stack files. The
// whole-program tests cover the wiring; these cover what a component makes of its args (as pulumi-eks's cluster.test.ts).
import { evaluateStack, RecordedResource, StackEvaluation } from "../src/offline/engine";

const REGION = "eu-west-1";

/** Evaluates `build` as the whole program of a one-off stack; what it returns becomes the stack's outputs. */
export function buildAlone(build: () => unknown): Promise<StackEvaluation> {
    return evaluateStack(async () => build() ?? {}, "components", "alone", { "aws:region": REGION });
}

/** The resources of one type, in registration order. */
export function resourcesOf(evaluation: StackEvaluation, type: string): RecordedResource[] {
    return evaluation.resources.filter((r) => r.type === type);
}

/** The one resource of a type (and name, when given); fails if there is none or more than one. */
export function only(evaluation: StackEvaluation, type: string, name?: string): RecordedResource {
    const found = resourcesOf(evaluation, type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${evaluation.error ?? ""}`);
    return found[0];
}
