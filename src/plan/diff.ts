// `--diff <dir>`: the plan compared with an earlier plan directory, per stack: resources added, removed,
// and changed (inputs and options, down to the field; policy documents held as JSON strings are compared
// as documents). Equal plans exit 0 and different ones 1, like diff(1).
import * as fs from "fs";
import { diff as jsonDiff } from "just-diff";
import * as path from "path";
import { compare, displayType, PlannedResource, StackPlan } from "./model";
import type { Colors } from "./render";
import { plural } from "./render";

export interface FieldChange {
    /** e.g. `inputs.maxSessionDuration`, `inputs.policy.Statement[0].Resource`, `options.protect`. */
    path: string;
    op: "add" | "remove" | "replace";
    before?: unknown;
    after?: unknown;
}

export interface ResourceChange {
    urn: string;
    type: string;
    name: string;
    changes: FieldChange[];
}

export interface StackDiff {
    stack: string;
    /** added: no such stack in the earlier plan; removed: only in the earlier plan. */
    status: "added" | "removed" | "changed" | "same";
    added: Array<Pick<PlannedResource, "urn" | "type" | "name">>;
    removed: Array<Pick<PlannedResource, "urn" | "type" | "name">>;
    changed: ResourceChange[];
    outputs: FieldChange[];
}

export interface PlanDiff {
    against: string;
    equal: boolean;
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
    return { against, equal: stacks.every((s) => s.status === "same"), stacks };
}

function diffStack(stack: string, before: StackPlan | undefined, after: StackPlan | undefined): StackDiff {
    const ref = (r: PlannedResource) => ({ urn: r.urn, type: r.type, name: r.name });
    const old = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
    const now = new Map((after?.resources ?? []).map((r) => [r.urn, r]));
    const added = [...now.values()].filter((r) => !old.has(r.urn)).map(ref);
    const removed = [...old.values()].filter((r) => !now.has(r.urn)).map(ref);
    const changed = [...now.values()]
        .filter((r) => old.has(r.urn))
        .map((r) => ({ ...ref(r), changes: fieldChanges(comparable(old.get(r.urn)!), comparable(r)) }))
        .filter((c) => c.changes.length > 0);
    const outputs = fieldChanges(before?.outputs ?? {}, after?.outputs ?? {});
    const status = !before ? "added" : !after ? "removed" : added.length + removed.length + changed.length + outputs.length > 0 ? "changed" : "same";
    return { stack, status, added, removed, changed, outputs };
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
    for (const s of d.stacks.filter((s) => s.status !== "same")) {
        if (s.status === "added") lines.push(c.green(`  + stack ${s.stack}: not in the earlier plan (${plural(s.added.length, "resource")})`));
        else if (s.status === "removed") lines.push(c.red(`  - stack ${s.stack}: only in the earlier plan (${plural(s.removed.length, "resource")})`));
        else lines.push(`  ${c.bold(s.stack)}: ${s.added.length} added, ${s.removed.length} removed, ${s.changed.length} changed${s.outputs.length ? ", outputs changed" : ""}`);
        if (s.status !== "changed") continue;
        for (const r of s.added) lines.push(c.green(`    + ${displayType(r.type)} ${r.name}`));
        for (const r of s.removed) lines.push(c.red(`    - ${displayType(r.type)} ${r.name}`));
        for (const r of s.changed) {
            lines.push(c.yellow(`    ~ ${displayType(r.type)} ${r.name}`));
            for (const f of r.changes) lines.push(`        ${fieldLine(f, show, c)}`);
        }
        if (s.outputs.length) lines.push(c.yellow("    ~ outputs"), ...s.outputs.map((f) => `        ${fieldLine(f, show, c)}`));
    }
    if (same.length) lines.push(c.dim(`  unchanged: ${same.join(", ")}`));
    lines.push(d.equal ? "The plans are equal." : "The plans differ.");
    return lines.join("\n");
}

function fieldLine(f: FieldChange, show: (v: unknown) => string, c: Colors): string {
    if (f.op === "add") return c.green(`+ ${f.path}: ${show(f.after)}`);
    if (f.op === "remove") return c.red(`- ${f.path}: ${show(f.before)}`);
    return `${f.path}: ${c.red(show(f.before))} -> ${c.green(show(f.after))}`;
}
