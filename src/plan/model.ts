// The offline plan as data: what every stack would get, built from the engine's evaluations. Pure and
// deterministic (sorted, no timestamps, no absolute paths), so a plan can be committed, snapshotted and
// diffed. The terminal view, the JSON files, the Mermaid page and the diff are all read from this.
import * as pulumi from "@pulumi/pulumi";
import type { StackEvaluation } from "../offline/engine";
import type { ProjectFiles } from "../project";
import { stackConfig } from "../project";
import type { AccessEntry } from "../security/access";
import type { GuardrailResult } from "../security/guardrailProofs";
import { organizationTree, OrganizationTree } from "./organization";

export const OFFLINE_NOTICE =
    "Offline plan: evaluated under Pulumi's mock runtime with no Pulumi CLI, no AWS credentials and no network. " +
    "It is not a `pulumi preview`: ids and ARNs are made up by the mocks, and nothing in AWS was read or changed.";

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";
const SECRET = "[secret]";

export type ResourceKind = "component" | "resource" | "read";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** component: a ComponentResource; resource: created in AWS; read: read, not created (StackReferences). */
    kind: ResourceKind;
    /** The parent's URN; null for a direct child of the stack. */
    parent: string | null;
    inputs: Record<string, unknown>;
    /** Attributes the provider computes (ARNs, ids), as the mock provider made them up. */
    computed: Record<string, unknown>;
    options: { protect: boolean; retainOnDelete: boolean; dependsOn: string[] };
}

export interface StackPlan {
    stack: string;
    stage: string;
    /** The stage's account id from refarch:accounts, when there is one. */
    accountId: string | null;
    region: string | null;
    /** 1-based deploy wave: stacks of one wave can deploy in parallel. */
    wave: number;
    /** The stacks whose outputs this stack reads through StackReferences. */
    reads: string[];
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}

export interface Plan {
    notice: string;
    project: string;
    /** Deploy waves of stack names. */
    waves: string[][];
    stacks: StackPlan[];
    /** For every root user, the role they may assume in each account. */
    access: AccessEntry[];
    /** The org stack's organization, when the program manages one. */
    organization?: OrganizationTree;
    /** What the guardrails leave each member account's people able to do, when there is an organization. */
    guardrails?: GuardrailResult[];
}

/** The plan of successfully evaluated stacks, in deploy order, every secret masked. */
export function buildPlan(project: ProjectFiles, waves: string[][], evaluations: StackEvaluation[], access: AccessEntry[], guardrails: GuardrailResult[] = []): Plan {
    const secrets = secretValues(evaluations);
    // A stack that runs twice (the org stack, again after audit) is planned once, as its last run leaves it.
    const stacks = [...new Set(waves.flat())].flatMap((stack) => {
        const evaluation = evaluations.find((e) => e.stack === stack);
        return evaluation ? [maskValues(stackPlan(project, evaluation, waves.findIndex((w) => w.includes(stack)) + 1), secrets) as StackPlan] : [];
    });
    const sortedAccess = [...access].sort((a, b) => compare(a.user, b.user) || compare(a.stage, b.stage) || compare(a.role, b.role));
    const organization = organizationTree(evaluations);
    return {
        notice: OFFLINE_NOTICE,
        project: project.name,
        waves,
        stacks,
        access: sortedAccess.map((e) => ({ ...e })),
        ...(organization ? { organization } : {}),
        ...(guardrails.length > 0 ? { guardrails } : {}),
    };
}

function stackPlan(project: ProjectFiles, evaluation: StackEvaluation, wave: number): StackPlan {
    const config = stackConfig(project, evaluation.stack);
    const accounts = parseJson(config["refarch:accounts"]) as Record<string, unknown> | undefined;
    // An account given as { email } has the id the org stack created, which the stack's provider is bound to.
    const given = accounts?.[evaluation.stage === "org" ? "root" : evaluation.stage];
    const provider = evaluation.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws");
    const allowed = provider?.inputs.allowedAccountIds;
    const bound = (Array.isArray(allowed) ? allowed : parseJson(String(allowed ?? "[]"))) as string[] | undefined;
    const accountId = typeof given === "string" ? given : (bound?.[0] ?? ((evaluation.outputs.accountIds as Record<string, string> | undefined)?.root ?? null));
    const stackUrn = `urn:pulumi:${evaluation.stack}::${project.name}::pulumi:pulumi:Stack::${project.name}-${evaluation.stack}`;
    const resources = evaluation.resources
        .map((r): PlannedResource => {
            const inputs = canonical(r.inputs) as Record<string, unknown>;
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                kind: r.read ? "read" : r.custom ? "resource" : "component",
                parent: r.parent === stackUrn || r.parent === "" ? null : r.parent,
                inputs,
                computed: r.read ? {} : maskKeys(computedAttributes(inputs, canonical(r.state) as Record<string, unknown>), r.additionalSecretOutputs),
                options: { protect: r.protect, retainOnDelete: r.retainOnDelete, dependsOn: [...r.dependsOn].sort() },
            };
        })
        .sort((a, b) => compare(a.urn, b.urn));
    const reads = evaluation.resources
        .filter((r) => r.type === STACK_REFERENCE_TYPE)
        .map((r) => stackOfReference(String(r.inputs.name ?? r.name)))
        // A stack reading its own last outputs (to adopt what a destroy retained, or to pin its account) depends on no other.
        .filter((stack) => stack !== evaluation.stack)
        .sort();
    return {
        stack: evaluation.stack,
        stage: evaluation.stage,
        accountId,
        region: config["aws:region"] ?? null,
        wave,
        reads: [...new Set(reads)],
        resources,
        outputs: maskPaths(canonical(evaluation.outputs), evaluation.secretOutputs ?? []) as Record<string, unknown>,
    };
}

/** `<org>/<project>/<stack>` -> `<stack>`. */
export function stackOfReference(name: string): string {
    return name.slice(name.lastIndexOf("/") + 1);
}

/** A type token as the Pulumi CLI shows it: `aws:s3/bucketPolicy:BucketPolicy` -> `aws:s3:BucketPolicy`. */
export function displayType(type: string): string {
    return type.replace(/^([^:]+):([^:/]+)\/[^:]+:([^:]+)$/, "$1:$2:$3");
}

/** Counts of a stack's resources by kind. */
export function counts(stack: StackPlan): Record<ResourceKind, number> {
    const result: Record<ResourceKind, number> = { component: 0, resource: 0, read: 0 };
    for (const r of stack.resources) result[r.kind]++;
    return result;
}

export interface AccessTable {
    /** Stages, in deploy order, where anyone may assume a role. */
    stages: string[];
    users: string[];
    /** The grants of one user in one stage, MFA-less ones included. */
    cell(user: string, stage: string): AccessEntry[];
}

/** The access matrix as a table: users by stage. */
export function accessTable(plan: Plan): AccessTable {
    const stages = [...new Set(plan.stacks.map((s) => s.stage))].filter((s) => plan.access.some((e) => e.stage === s));
    return {
        stages,
        users: [...new Set(plan.access.map((e) => e.user))],
        cell: (user, stage) => plan.access.filter((e) => e.user === user && e.stage === stage),
    };
}

function computedAttributes(inputs: Record<string, unknown>, state: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(state).filter(([key, value]) => !(key in inputs) || JSON.stringify(inputs[key]) !== JSON.stringify(value)));
}

// Secrets: pulumi.secret inputs (masked by canonical), additionalSecretOutputs and secret stack outputs, which the
// mocks and StackReferences hand back in the clear; after masking those by name, every other copy of their values is masked too.

function maskKeys(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, keys.includes(k) ? SECRET : v]));
}

/** `value` with the values at `paths` (`network.cidrBlock`, `list[0]`, as the engine names them) masked. */
function maskPaths(value: unknown, paths: string[]): unknown {
    let masked = value;
    for (const path of paths) masked = maskAt(masked, pathKeys(path));
    return masked;
}

/** `a.b[0]` -> ["a", "b", 0]. */
function pathKeys(path: string): Array<string | number> {
    return path.split(/\.|(?=\[)/).map((k) => (/^\[\d+\]$/.test(k) ? Number(k.slice(1, -1)) : k));
}

function maskAt(value: unknown, keys: Array<string | number>): unknown {
    if (keys.length === 0) return SECRET;
    const [key, ...rest] = keys;
    if (Array.isArray(value) && typeof key === "number" && key < value.length) return value.map((v, i) => (i === key ? maskAt(v, rest) : v));
    if (typeof value === "object" && value !== null && !Array.isArray(value) && typeof key === "string" && key in value) {
        return { ...(value as Record<string, unknown>), [key]: maskAt((value as Record<string, unknown>)[key], rest) };
    }
    return value;
}

/** Every string value any stack holds as a secret, in the clear. */
function secretValues(evaluations: StackEvaluation[]): Set<string> {
    const found = new Set<string>();
    const collect = (value: unknown, secret: boolean): void => {
        if (typeof value === "string" && secret && value !== "") found.add(value);
        else if (Array.isArray(value)) value.forEach((v) => collect(v, secret));
        else if (typeof value === "object" && value !== null) {
            const record = value as Record<string, unknown>;
            if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) collect(record.value, true);
            else Object.values(record).forEach((v) => collect(v, secret));
        }
    };
    for (const e of evaluations) {
        for (const r of e.resources) {
            collect(r.inputs, false);
            collect(r.state, false);
            for (const key of r.additionalSecretOutputs) collect(r.state[key], true);
        }
        for (const path of e.secretOutputs ?? []) collect(pathKeys(path).reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], e.outputs), true);
    }
    return found;
}

/** `value` with every string that equals a secret masked. */
function maskValues(value: unknown, secrets: Set<string>): unknown {
    if (typeof value === "string") return secrets.has(value) ? SECRET : value;
    if (Array.isArray(value)) return value.map((v) => maskValues(v, secrets));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValues(v, secrets)]));
    return value;
}

/** A JSON-safe copy with object keys sorted and secret values masked. */
export function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return SECRET;
        return Object.fromEntries(
            Object.keys(record)
                .filter((k) => record[k] !== undefined)
                .sort()
                .map((k) => [k, canonical(record[k])]),
        );
    }
    return value;
}

function parseJson(text: string | undefined): unknown {
    try {
        return text === undefined ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
