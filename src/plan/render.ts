// The plan for a person at a terminal: deploy waves, each stack's tree of components and resources with
// counts and its outputs, and who may assume which role where. Colour only when the caller says so.
import * as yaml from "js-yaml";
import { MOCK_OUTPUT_FIELDS } from "./assumptions";
import { accessTable, compare, counts, displayType, Plan, PlannedResource, StackPlan } from "./model";
import { renderGuardrails, renderOrganization } from "./organization";
import { Colors, plural } from "./text";

export function renderPlan(plan: Plan, c: Colors): string {
    const lines: string[] = [];
    lines.push(c.bold(`Deploy order: ${plural(plan.waves.length, "wave")}`) + c.dim(" (stacks in one wave can deploy in parallel)"));
    plan.waves.forEach((wave, i) => lines.push(`  ${i + 1}  ${wave.join(c.dim(" · "))}`));
    if (plan.organization) lines.push("", ...renderOrganization(plan.organization, c));
    for (const stack of plan.stacks) lines.push("", ...renderStack(stack, c));
    lines.push("", ...renderAccess(plan, c));
    if (plan.guardrails) lines.push("", ...renderGuardrails(plan.guardrails, c));
    return lines.join("\n");
}

export function renderStack(stack: StackPlan, c: Colors): string[] {
    const n = counts(stack);
    const created = stack.resources.filter((r) => r.kind === "resource");
    const protectedCount = created.filter((r) => r.options.protect).length;
    const protection = protectedCount === 0 ? "none protected" : protectedCount === created.length ? "all protected" : `${protectedCount} protected`;
    const where = [`wave ${stack.wave}`, stack.accountId && `account ${stack.accountId}`, stack.region, stack.reads.length ? `reads ${stack.reads.join(", ")}` : "reads no other stack"];
    const lines = [
        `${c.bold(c.cyan(stack.stack))}  ${c.dim(where.filter(Boolean).join(" · "))}`,
        `  ${plural(n.resource, "resource")} in ${plural(n.component, "component")}, ${protection}`,
    ];
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of stack.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const descendants = (urn: string): number => (children.get(urn) ?? []).reduce((sum, r) => sum + (r.kind === "resource" ? 1 : 0) + descendants(r.urn), 0);
    const walk = (parent: string | null, indent: string): void => {
        const list = (children.get(parent) ?? []).sort(treeOrder);
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const tags = [
                r.kind === "component" ? `(${descendants(r.urn)})` : "",
                r.kind === "read" ? c.dim("read") : "",
                r.kind === "resource" && r.options.protect && protectedCount !== created.length ? c.yellow("protected") : "",
                r.options.retainOnDelete ? c.yellow("retained on delete") : "",
            ].filter(Boolean);
            lines.push(`${indent}${c.dim(last ? "└─ " : "├─ ")}${c.dim(displayType(r.type))} ${r.name}${tags.length ? "  " + tags.join(" ") : ""}`);
            walk(r.urn, indent + c.dim(last ? "   " : "│  "));
        });
    };
    walk(null, "  ");
    lines.push("  " + c.bold("outputs"));
    const outputs = Object.keys(stack.outputs).length ? yaml.dump(stack.outputs, { lineWidth: -1, noRefs: true }).trimEnd() : "(none)";
    lines.push(...outputs.split("\n").map((l) => `    ${l}${mockNote(l, c)}`));
    return lines;
}

/** Users by account: the role(s) each may assume there; every cell not needing MFA is called out. */
export function renderAccess(plan: Plan, c: Colors): string[] {
    const lines = [c.bold("Access") + c.dim(" (root users -> the role they may assume in each account)")];
    if (plan.access.length === 0) return [...lines, "  nobody can assume any role"];
    const { stages, users, cell: grants } = accessTable(plan);
    const cell = (user: string, stage: string): string => grants(user, stage).map((e) => (e.mfaRequired ? e.role : `${e.role} (NO MFA)`)).join(", ") || "-";
    const rows = [["user", ...stages], ...users.map((u) => [u, ...stages.map((s) => cell(u, s))])];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    rows.forEach((row, i) => {
        const text = row.map((value, col) => value.padEnd(widths[col])).join("  ").trimEnd();
        lines.push("  " + (i === 0 ? c.dim(text) : text.replace(/\S+ \(NO MFA\)/g, (m) => c.red(m))));
    });
    const withoutMfa = plan.access.filter((e) => !e.mfaRequired).length;
    lines.push(withoutMfa === 0 ? c.green(`  every grant (${plan.access.length}) requires MFA`) : c.red(`  ${plural(withoutMfa, "grant")} of ${plan.access.length} do not require MFA`));
    return lines;
}

/** A YAML comment marking an output line whose value the mocks made up (MOCK_OUTPUT_FIELDS), or nothing. */
function mockNote(line: string, c: Colors): string {
    const field = /^\s*(?:- )?([A-Za-z]+): \S/.exec(line)?.[1];
    return field !== undefined && Object.hasOwn(MOCK_OUTPUT_FIELDS, field) ? c.yellow(`  # ${MOCK_OUTPUT_FIELDS[field]}`) : "";
}

const KIND_ORDER = { component: 0, resource: 1, read: 2 };

function treeOrder(a: PlannedResource, b: PlannedResource): number {
    return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.type, b.type) || compare(a.name, b.name);
}
