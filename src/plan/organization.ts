// The organization in the plan: the tree the org stack builds (management account, units, accounts and the
// guardrails attached to each), and what the guardrails leave each member account's people able to do, as
// the simulator decided it. Drawn in the terminal and in architecture.md.
import type { StackEvaluation } from "../offline/engine";
import { GuardrailResult, organizationOf } from "../security/guardrailProofs";
import type { Colors } from "./text";

export interface OrganizationTree {
    organizationId: string;
    managementAccount: string;
    units: { name: string; id: string; guardrails: string[]; accounts: { stage: string; accountId: string; guardrails: string[] }[] }[];
    /** Accounts given by id: left where they are, their guardrails attached to the account itself. */
    adopted: { stage: string; accountId: string; guardrails: string[] }[];
}

/**
 * The tree from the org stack's resources and outputs, with the guardrails root attaches to each member account;
 * undefined when the program manages no organization.
 */
export function organizationTree(evaluations: StackEvaluation[]): OrganizationTree | undefined {
    const org = organizationOf(evaluations);
    if (!org) return undefined;
    const accountIds = (org.outputs.accountIds ?? {}) as Record<string, string>;
    const stageOf = (id: string) => Object.keys(accountIds).find((s) => accountIds[s] === id) ?? id;
    const root = evaluations.find((e) => e.stack === "root" && !e.error);
    const policyKeys = new Map(Object.entries((root?.outputs.guardrails ?? {}) as Record<string, string>).map(([key, id]) => [id, key]));
    // An account's own SCPs are keyed `<stage>-<key>`: shown by their key.
    const guardrailsOf = (target: string) =>
        org.resources
            .filter((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment" && r.inputs.targetId === target)
            .map((r) => policyKeys.get(String(r.inputs.policyId)) ?? String(r.inputs.policyId))
            .map((key) => (key.startsWith(`${stageOf(target)}-`) ? key.slice(stageOf(target).length + 1) : key));
    const accounts = org.resources.filter((r) => r.type === "aws:organizations/account:Account");
    const units = org.resources
        .filter((r) => r.type === "aws:organizations/organizationalUnit:OrganizationalUnit")
        .map((u) => ({
            name: String(u.inputs.name),
            id: u.id,
            guardrails: guardrailsOf(u.id),
            accounts: accounts.filter((a) => a.inputs.parentId === u.id).map((a) => ({ stage: stageOf(a.id), accountId: a.id, guardrails: guardrailsOf(a.id) })),
        }));
    const created = new Set(accounts.map((a) => a.id));
    const adopted = Object.entries(accountIds)
        .filter(([stage, id]) => stage !== "root" && !created.has(id))
        .map(([stage, accountId]) => ({ stage, accountId, guardrails: guardrailsOf(accountId) }));
    return { organizationId: String(org.outputs.organizationId), managementAccount: accountIds.root ?? "", units, adopted };
}

/** An account's guardrails as the plan shows them: none before its deployer exists, which root waits for. */
const guardrailsText = (guardrails: string[]) => `guardrails: ${guardrails.join(", ") || "none yet (root attaches them once the account's deployer exists)"}`;

export function renderOrganization(tree: OrganizationTree, c: Colors): string[] {
    const lines = [c.bold("Organization") + c.dim(` ${tree.organizationId} · management account root ${tree.managementAccount} (no SCP applies to it: its human roles carry their own denies, docs/security.md)`)];
    const branches: { head: string; children: string[] }[] = [
        ...tree.units.map((u) => ({
            head: `${c.cyan(u.name)} ${c.dim(u.id)}${u.guardrails.length > 0 ? `  unit guardrails: ${u.guardrails.join(", ")}` : ""}`,
            children: u.accounts.map((a) => `${a.stage} ${c.dim(a.accountId)}  ${c.yellow("created, protected, retained on delete")}  ${guardrailsText(a.guardrails)}`),
        })),
        ...tree.adopted.map((a) => ({ head: `${a.stage} ${c.dim(a.accountId)}  adopted (given by id)  ${guardrailsText(a.guardrails)}`, children: [] })),
    ];
    branches.forEach((b, i) => {
        const last = i === branches.length - 1;
        lines.push(`  ${c.dim(last ? "└─ " : "├─ ")}${b.head}`);
        b.children.forEach((child, j) => lines.push(`  ${c.dim(last ? "   " : "│  ")}${c.dim(j === b.children.length - 1 ? "└─ " : "├─ ")}${child}`));
    });
    return lines;
}

/** Per member account: how many guarded actions its role is denied, whether its deployer's work and ordinary work pass, and the region limit. */
export function guardrailSummary(results: GuardrailResult[]): { stage: string; cells: Record<string, string> }[] {
    const stages = [...new Set(results.map((r) => r.stage))];
    return stages.map((stage) => {
        const mine = results.filter((r) => r.stage === stage);
        const roleWork = mine.filter((r) => r.who === "role" && r.action === "ec2:RunInstances");
        const guarded = mine.filter((r) => r.who === "role" && r.action !== "ec2:RunInstances");
        // A look-alike of the deployer's name and the access role after bootstrap are held like the role.
        const others = mine.filter((r) => (r.who === "look-alike" || r.who === "access role with MFA") && r.action !== "ec2:RunInstances");
        // Its work in its own account; leaving, writing a log file and (but in audit) the audit sink are denied it by design.
        const deployerWork = mine.filter((r) => r.who === "deployer" && r.resourceAccount === r.accountId && !["organizations:LeaveOrganization", "s3:PutObject"].includes(r.action));
        const verdict = (rs: GuardrailResult[]) => rs.map((r) => `${String(r.context["aws:RequestedRegion"])} ${r.decision === "Allowed" ? "allowed" : "denied"}`).join(", ");
        return {
            stage,
            cells: {
                "role: guarded actions": `${guarded.filter((r) => r.decision !== "Allowed").length}/${guarded.length} denied`,
                "look-alike, access role: guarded actions": `${others.filter((r) => r.decision !== "Allowed").length}/${others.length} denied`,
                "role: ec2:RunInstances": verdict(roleWork),
                "deployer: its work": `${deployerWork.filter((r) => r.decision === "Allowed").length}/${deployerWork.length} allowed`,
                "root user": mine.filter((r) => r.who === "root user").every((r) => r.decision !== "Allowed") ? "denied" : "ALLOWED",
            },
        };
    });
}

export function renderGuardrails(results: GuardrailResult[], c: Colors): string[] {
    if (results.length === 0) return [];
    const summary = guardrailSummary(results);
    const columns = Object.keys(summary[0].cells);
    const rows = [["account", ...columns], ...summary.map((s) => [s.stage, ...columns.map((col) => s.cells[col])])];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    const lines = [c.bold("Guardrails") + c.dim(" (SCPs, decided by the IAM simulator for each member account; the role is given full rights)")];
    rows.forEach((row, i) => lines.push("  " + (i === 0 ? c.dim : (s: string) => s)(row.map((v, col) => v.padEnd(widths[col])).join("  ").trimEnd())));
    const leaks = results.filter((r) => (r.who === "role" || r.who === "look-alike" || r.who === "access role with MFA") && r.action !== "ec2:RunInstances" && r.decision === "Allowed");
    lines.push(
        leaks.length === 0
            ? c.green("  every guarded action is denied to every member account's roles but its exact deployer")
            : c.red(`  ${leaks.length} guarded actions are allowed: ${leaks.map((l) => `${l.stage} ${l.who} ${l.action}`).join(", ")}`),
    );
    return lines;
}

/** The tree as a Mermaid flowchart and the guardrail summary as a table, for architecture.md. */
export function organizationMarkdown(tree: OrganizationTree | undefined, results: GuardrailResult[]): string[] {
    if (!tree) return [];
    const node = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
    const lines = ["", "## The organization", "", "The org stack's AWS Organization: its units and the accounts in them; the guardrails (SCPs) root attaches to each account once its deployer exists. SCPs never apply to the management account.", "", "```mermaid", "flowchart TD"];
    lines.push(`  org["organization ${tree.organizationId}<br/>management account: root ${tree.managementAccount}"]`);
    for (const unit of tree.units) {
        lines.push(`  org --> ${node("ou", unit.name)}["OU ${unit.name}<br/>${unit.id}"]`);
        for (const a of unit.accounts) lines.push(`  ${node("ou", unit.name)} --> ${node("account", a.stage)}["${a.stage}<br/>${a.accountId}<br/>${guardrailsText(a.guardrails)}"]`);
    }
    for (const a of tree.adopted) lines.push(`  org -.-> ${node("account", a.stage)}["${a.stage} (adopted)<br/>${a.accountId}<br/>${guardrailsText(a.guardrails)}"]`);
    lines.push("```");
    const summary = guardrailSummary(results);
    if (summary.length > 0) {
        const columns = Object.keys(summary[0].cells);
        lines.push("", "What the guardrails leave each member account's people able to do, as the IAM simulator decides it:", "", `| account | ${columns.join(" | ")} |`, `| --- |${" --- |".repeat(columns.length)}`);
        for (const s of summary) lines.push(`| ${s.stage} | ${columns.map((col) => s.cells[col]).join(" | ")} |`);
    }
    return lines;
}
