// `--diff <dir>`: the plan compared with an earlier plan directory, per stack: resources added, removed,
// and changed (inputs and options, down to the field; policy documents held as JSON strings are compared
// as documents). A change to an input the provider cannot change in place (forceNew.ts) is a replacement,
// marked `+-` as `pulumi preview` marks it; a resource whose logical name changed is deleted and created.
// Deleting or replacing a protected resource is flagged with the command that unblocks it, since
// `pulumi up` stops on it. Equal plans exit 0 and different ones 1, like diff(1); 3 when `pulumi up` would stop.
import * as fs from "fs";
import { diff as jsonDiff } from "just-diff";
import * as path from "path";
import { FORCE_NEW_INPUTS } from "./forceNew";
import { compare, displayType, PlannedResource, StackPlan } from "./model";
import { Colors, plural } from "./text";

export interface FieldChange {
    /** e.g. `inputs.maxSessionDuration`, `inputs.policy.Statement[0].Resource`, `options.protect`. */
    path: string;
    op: "add" | "remove" | "replace";
    before?: unknown;
    after?: unknown;
}

export type ResourceRef = Pick<PlannedResource, "urn" | "type" | "name">;

export interface RemovedResource extends ResourceRef {
    /** Protected in the earlier plan, so `pulumi up` refuses to delete it. */
    protect: boolean;
}

export interface ResourceChange extends ResourceRef {
    /** update: changed in place; replace: a new resource is created in AWS and the old one deleted. */
    action: "update" | "replace";
    /** The changed inputs that force the replacement (empty for an update). */
    replaceBecause: string[];
    /** Protected in the earlier plan and in this one, so `pulumi up` refuses to replace it. */
    protect: boolean;
    changes: FieldChange[];
}

/**
 * A resource that left under one logical name and came back under another with the same force-new inputs:
 * the same AWS object. Pulumi deletes the old and creates the new one (it does not move it), so the create
 * collides with the object that still exists or the delete removes what was just created.
 */
export interface Rename {
    from: ResourceRef;
    to: ResourceRef;
}

/** A deletion or replacement `pulumi up` stops on because the resource is protected, with what to run first. */
export interface ProtectedChange extends ResourceRef {
    stack: string;
    action: "delete" | "replace";
    fix: string;
}

export interface StackDiff {
    stack: string;
    /** added: no such stack in the earlier plan; removed: only in the earlier plan. */
    status: "added" | "removed" | "changed" | "same";
    added: ResourceRef[];
    removed: RemovedResource[];
    renamed: Rename[];
    changed: ResourceChange[];
    outputs: FieldChange[];
}

export interface PlanDiff {
    against: string;
    equal: boolean;
    /** What `pulumi up` would refuse to do: delete or replace a protected resource. */
    blocked: ProtectedChange[];
    stacks: StackDiff[];
}

/** Reads the stack plans (`<stack>.json`) of an earlier plan directory. */
export function readPlanDir(dir: string): StackPlan[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--diff ${dir}: no such plan directory. Fix: give a directory an earlier \`npm start\` wrote, e.g. a copy of out/plan`);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
    if (files.length === 0) throw new Error(`--diff ${dir}: holds no <stack>.json plan. Fix: give a directory an earlier \`npm start\` wrote, e.g. a copy of out/plan`);
    return files.map((file) => {
        const plan = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as StackPlan;
        if (typeof plan?.stack !== "string" || !Array.isArray(plan.resources)) throw new Error(`--diff ${dir}: ${file} is not a stack plan written by npm start`);
        return plan;
    });
}

/**
 * Compares plans stack by stack. With `complete` false (a `--stack` run) stacks the new plan did not
 * evaluate are left out instead of being reported removed.
 */
export function diffPlans(against: string, before: StackPlan[], after: StackPlan[], complete: boolean): PlanDiff {
    const names = [...after.map((s) => s.stack), ...before.map((s) => s.stack).filter((s) => complete && !after.some((a) => a.stack === s))];
    const stacks = [...new Set(names)].map((name) => diffStack(name, before.find((s) => s.stack === name), after.find((s) => s.stack === name)));
    // A stack only in the earlier plan is not updated but destroyed (or left alone): `pulumi up` never runs on it.
    const blocked = stacks.filter((s) => s.status === "changed").flatMap(protectedChanges);
    return { against, equal: stacks.every((s) => s.status === "same"), blocked, stacks };
}

function diffStack(stack: string, before: StackPlan | undefined, after: StackPlan | undefined): StackDiff {
    const ref = (r: PlannedResource): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });
    const old = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
    const now = new Map((after?.resources ?? []).map((r) => [r.urn, r]));
    const added = [...now.values()].filter((r) => !old.has(r.urn));
    const removed = [...old.values()].filter((r) => !now.has(r.urn));
    const changed = [...now.values()]
        .filter((r) => old.has(r.urn))
        .map((r) => resourceChange(old.get(r.urn)!, r))
        .filter((c) => c.changes.length > 0);
    const renamed = removed.flatMap((gone) => {
        const twin = added.find((r) => r.type === gone.type && sameObject(gone, r));
        return twin ? [{ from: ref(gone), to: ref(twin) }] : [];
    });
    const outputs = fieldChanges(before?.outputs ?? {}, after?.outputs ?? {});
    const status = !before ? "added" : !after ? "removed" : added.length + removed.length + changed.length + outputs.length > 0 ? "changed" : "same";
    return { stack, status, added: added.map(ref), removed: removed.map((r) => ({ ...ref(r), protect: r.options.protect })), renamed, changed, outputs };
}

function resourceChange(before: PlannedResource, after: PlannedResource): ResourceChange {
    const changes = fieldChanges(comparable(before), comparable(after));
    const touches = (input: string) => changes.some((c) => c.path === `inputs.${input}` || c.path.startsWith(`inputs.${input}.`) || c.path.startsWith(`inputs.${input}[`));
    const replaceBecause = (FORCE_NEW_INPUTS[after.type] ?? []).filter(touches);
    return {
        urn: after.urn,
        type: after.type,
        name: after.name,
        action: replaceBecause.length > 0 ? "replace" : "update",
        replaceBecause,
        // Pulumi lets a resource be unprotected and replaced in one update, so only one protected before and after stops it.
        protect: before.options.protect && after.options.protect,
        changes,
    };
}

/** Two resources of one type whose force-new inputs (their identity in AWS: a name, a bucket, a role and policy) are all equal. */
function sameObject(a: PlannedResource, b: PlannedResource): boolean {
    const identity = (FORCE_NEW_INPUTS[a.type] ?? []).filter((k) => k in a.inputs || k in b.inputs);
    return identity.length > 0 && identity.every((k) => JSON.stringify(a.inputs[k]) === JSON.stringify(b.inputs[k]));
}

/**
 * The protected resources a stack's diff deletes or replaces. Pulumi refuses both: "unable to delete resource
 * ... as it is currently marked for protection" / "unable to replace resource ..." (pulumi/pulumi
 * pkg/resource/deploy/step.go and step_generator.go); `pulumi state unprotect` clears the flag in the stack's
 * state (https://www.pulumi.com/docs/iac/cli/commands/pulumi_state_unprotect/).
 */
function protectedChanges(d: StackDiff): ProtectedChange[] {
    const unprotect = (urn: string) => `pulumi state unprotect --stack ${d.stack} '${urn}'`;
    return [
        ...d.removed
            .filter((r) => r.protect)
            .map((r) => ({
                stack: d.stack,
                urn: r.urn,
                type: r.type,
                name: r.name,
                action: "delete" as const,
                fix: `run \`${unprotect(r.urn)}\` before \`pulumi up\`, or set refarch:protect: false in Pulumi.${d.stack}.yaml and run \`pulumi up\` before removing it`,
            })),
        ...d.changed
            .filter((c) => c.action === "replace" && c.protect)
            .map((c) => ({
                stack: d.stack,
                urn: c.urn,
                type: c.type,
                name: c.name,
                action: "replace" as const,
                fix: `run \`${unprotect(c.urn)}\` before \`pulumi up\` (the program protects the new one again), or set refarch:protect: false in Pulumi.${d.stack}.yaml for that update`,
            })),
    ];
}

/** What a change to a resource is judged on: its inputs (JSON documents parsed) and its options. */
function comparable(r: PlannedResource): Record<string, unknown> {
    return { inputs: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, parseDocument(v)])), options: r.options };
}

function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
    return jsonDiff(before, after)
        .map((op) => ({
            path: formatPath(op.path),
            op: op.op,
            ...(op.op === "add" ? {} : { before: at(before, op.path) }),
            ...(op.op === "remove" ? {} : { after: op.value }),
        }))
        .sort((a, b) => compare(a.path, b.path));
}

function parseDocument(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function at(value: unknown, keys: Array<string | number>): unknown {
    return keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

function formatPath(keys: Array<string | number>): string {
    return keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

export function renderDiff(d: PlanDiff, c: Colors): string {
    const lines = [c.bold(`Diff against ${d.against}`)];
    const same = d.stacks.filter((s) => s.status === "same").map((s) => s.stack);
    const show = (v: unknown) => JSON.stringify(v);
    const tag = (text: string) => "  " + c.yellow(text);
    for (const s of d.stacks.filter((s) => s.status !== "same")) {
        if (s.status === "added") lines.push(c.green(`  + stack ${s.stack}: not in the earlier plan (${plural(s.added.length, "resource")})`));
        else if (s.status === "removed") lines.push(c.red(`  - stack ${s.stack}: only in the earlier plan (${plural(s.removed.length, "resource")})`));
        else {
            const replaced = s.changed.filter((r) => r.action === "replace").length;
            lines.push(`  ${c.bold(s.stack)}: ${s.added.length} added, ${s.removed.length} removed, ${s.changed.length} changed${replaced ? ` (${replaced} replaced)` : ""}${s.outputs.length ? ", outputs changed" : ""}`);
        }
        if (s.status !== "changed") continue;
        for (const r of s.added) {
            const rename = s.renamed.find((n) => n.to.urn === r.urn);
            lines.push(c.green(`    + ${displayType(r.type)} ${r.name}`) + (rename ? tag(`renamed from ${rename.from.name}: deleted and created, not moved`) : ""));
        }
        for (const r of s.removed) lines.push(c.red(`    - ${displayType(r.type)} ${r.name}`) + (r.protect ? tag("protected") : ""));
        for (const r of s.changed) {
            if (r.action === "replace") lines.push(c.magenta(`    +-${displayType(r.type)} ${r.name}`) + tag(`replace (${r.replaceBecause.join(", ")} cannot change in place)${r.protect ? " protected" : ""}`));
            else lines.push(c.yellow(`    ~ ${displayType(r.type)} ${r.name}`));
            for (const f of r.changes) lines.push(`        ${fieldLine(f, show, c)}`);
        }
        if (s.outputs.length) lines.push(c.yellow("    ~ outputs"), ...s.outputs.map((f) => `        ${fieldLine(f, show, c)}`));
        if (s.renamed.length) {
            lines.push(c.yellow(`    A renamed resource is the same AWS object under a new name: keep the old name, or add \`aliases: [{ name: "<old name>" }]\` to it so Pulumi moves it instead.`));
        }
    }
    if (same.length) lines.push(c.dim(`  unchanged: ${same.join(", ")}`));
    if (d.blocked.length) {
        lines.push(c.red(c.bold(`pulumi up would stop on ${plural(d.blocked.length, "protected resource")}:`)));
        for (const b of d.blocked) {
            lines.push(c.red(`  ${b.stack}: ${displayType(b.type)} ${b.name} would be ${b.action === "delete" ? "deleted" : "replaced"}.`) + ` Fix: ${b.fix}`);
        }
    }
    lines.push(d.equal ? "The plans are equal." : "The plans differ.");
    return lines.join("\n");
}

function fieldLine(f: FieldChange, show: (v: unknown) => string, c: Colors): string {
    if (f.op === "add") return c.green(`+ ${f.path}: ${show(f.after)}`);
    if (f.op === "remove") return c.red(`- ${f.path}: ${show(f.before)}`);
    return `${f.path}: ${c.red(show(f.before))} -> ${c.green(show(f.after))}`;
}
