// What the tests share within a run (and once per mutant under Stryker): each organization's evaluation, the plan's
// proofs over it, and every decision the IAM simulator makes; and the plan CLI run in-process on them.
import * as path from "path";
import { planProofs, run as runPlanCli } from "../../src/plan/cli";
import { evaluateProject, StackEvaluation } from "../../src/offline/engine";
import type { ProjectFiles } from "../../src/project";
import type { PolicyDocument } from "../../src/policies";
import { AccessRequest, Decision, decideThrough, Simulate } from "../../src/security/simulator";
import { oncePerMutant, strykerOfThisProcess } from "../oncePerMutant";

export const repoRoot = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const program: () => unknown = require("../../src/index");


/** What `npm start` printed and returned. */
export interface PlanResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * The value `map` keeps for `key`: computed through oncePerMutant the first time the key is asked, so once per run and
 * once per mutant, each reader credited with the mutants the computation covered.
 */
function sharedIn<K, T>(map: { get(key: K): (() => T) | undefined; set(key: K, value: () => T): unknown }, key: K, compute: () => T, stryker = strykerOfThisProcess): T {
    let shared = map.get(key);
    if (!shared) map.set(key, (shared = oncePerMutant(compute, stryker)));
    return shared();
}

const programIds = new WeakMap<() => unknown, number>();
let programsSeen = 0;
const evaluationsByInput = new Map<string, () => Promise<StackEvaluation[]>>();

/**
 * evaluateProject, each distinct input (the program, the project's files, the stacks asked for) evaluated once and
 * shared: by org.evaluations() and by every in-process plan run (runPlan), which would otherwise evaluate the same
 * organization again for each CLI option a test tries. Once per run, once per mutant (oncePerMutant). Frozen through,
 * so a consumer that changed a shared evaluation would fail instead of changing what the next test reads.
 */
export function sharedEvaluation(evaluatedProgram: () => unknown, project: ProjectFiles, options: { stacks?: string[]; organization?: string } = {}): Promise<StackEvaluation[]> {
    if (!programIds.has(evaluatedProgram)) programIds.set(evaluatedProgram, programsSeen++);
    const key = JSON.stringify([programIds.get(evaluatedProgram), project, options.stacks ?? null, options.organization ?? null]);
    return sharedIn(evaluationsByInput, key, () => evaluateProject(evaluatedProgram, project, options).then(deepFreeze));
}

const proofsOf = new WeakMap<StackEvaluation[], () => ReturnType<typeof planProofs>>();

/** The plan's proofs (access and guardrails) over a shared evaluation, computed once for it per run and per mutant. */
export function sharedProofs(evaluations: StackEvaluation[]): ReturnType<typeof planProofs> {
    return sharedIn(proofsOf, evaluations, () => planProofs(evaluations).then(deepFreeze));
}

const decisions = new Map<string, () => Promise<Decision>>();

/**
 * Every decision the simulator makes in the tests (src/security/simulator.ts decide), each distinct request simulated
 * once per run and once per mutant: many tests ask again what a plan's proofs or an earlier test asked. Through
 * oncePerMutant, so a test that reads a decision another made is credited with the mutants that simulation covered.
 * While a mutant is active the simulator is given the request with copies of its documents, one copy of each
 * document per mutant: the simulator keeps each document's validated form by the document object (simulator.ts
 * `prepared`), and the request's own objects were validated under an earlier mutant; within a mutant, a document
 * asked about twice is still one object, as in the program. `stryker` is for the harness's own test, as for
 * oncePerMutant.
 */
export function sharedDecision(request: AccessRequest, simulate: Simulate, stryker = strykerOfThisProcess): Promise<Decision> {
    return sharedIn(decisions, requestKey(request), () => simulate(stryker()?.activeMutant === undefined ? request : withCopies(request, documentCopies(stryker))), stryker);
}
decideThrough(sharedDecision);

const copiesByStryker = new Map<() => unknown, () => WeakMap<PolicyDocument, PolicyDocument>>();

/** A map from a document to its copy, new for each mutant. */
function documentCopies(stryker: typeof strykerOfThisProcess): WeakMap<PolicyDocument, PolicyDocument> {
    return sharedIn(copiesByStryker, stryker, () => new WeakMap<PolicyDocument, PolicyDocument>(), stryker);
}

/** The request with each of its documents replaced by the copy `copies` holds for it, made on first use. */
function withCopies(request: AccessRequest, copies: WeakMap<PolicyDocument, PolicyDocument>): AccessRequest {
    const copy = (document: PolicyDocument): PolicyDocument => {
        let copied = copies.get(document);
        if (!copied) copies.set(document, (copied = structuredClone(document)));
        return copied;
    };
    return {
        ...request,
        ...(request.identityPolicies && { identityPolicies: request.identityPolicies.map(copy) }),
        ...(request.resourcePolicy && { resourcePolicy: copy(request.resourcePolicy) }),
        ...(request.permissionBoundaries && { permissionBoundaries: request.permissionBoundaries.map(copy) }),
        ...(request.serviceControlPolicies && { serviceControlPolicies: request.serviceControlPolicies.map((level) => ({ ...level, policies: level.policies.map(copy) })) }),
    };
}

const documentIds = new WeakMap<object, string>();
const documentIdsByText = new Map<string, string>();

/**
 * A request as text, each policy document in it by an id of its text: a document parsed again (each guardrail proof
 * parses the SCPs anew) is the same key, and a large one is written out once, not per request. A document is never
 * changed once used, as the simulator's own cache of validated policies assumes.
 */
function requestKey(request: AccessRequest): string {
    const idOf = (document: object): string => {
        let id = documentIds.get(document);
        if (id === undefined) {
            const text = JSON.stringify(document);
            id = documentIdsByText.get(text);
            if (id === undefined) documentIdsByText.set(text, (id = `policy ${documentIdsByText.size + 1}`));
            documentIds.set(document, id);
        }
        return id;
    };
    return JSON.stringify(request, (key, value: unknown) => (key !== "" && typeof value === "object" && value !== null && "Statement" in value ? idOf(value) : value));
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    }
    return value;
}

/** `npm start` with exactly these arguments, through the real CLI entry, in-process, on the shared evaluations and proofs. */
export async function planWith(argv: string[]): Promise<PlanResult> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runPlanCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), color: false, cwd: repoRoot, evaluate: sharedEvaluation, prove: sharedProofs });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
