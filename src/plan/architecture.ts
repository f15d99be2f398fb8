// out/plan/architecture.md: the plan as pictures that GitHub renders (Mermaid): which stack reads which,
// in deploy waves, and which root user may assume which role in which account. Deterministic, so it can
// be committed and reviewed next to the code.
import { accessTable, counts, Plan } from "./model";
import { organizationMarkdown } from "./organization";
import { plural } from "./text";

export function architectureMarkdown(plan: Plan): string {
    const lines = [
        `# ${plan.project}: architecture from the offline plan`,
        "",
        "Written by `npm start` from the program and the `Pulumi.<stack>.yaml` files; do not edit, run it again.",
        plan.notice,
        "",
        "## Stacks and the order they deploy in",
        "",
        "An arrow `A --> B` means B reads A's outputs through a StackReference, so A deploys first. Stacks in one wave can deploy in parallel.",
        "",
        "```mermaid",
        "flowchart LR",
    ];
    plan.waves.forEach((wave, i) => {
        lines.push(`  subgraph wave${i + 1}["wave ${i + 1}"]`, "    direction TB");
        for (const name of wave) {
            const stack = plan.stacks.find((s) => s.stack === name);
            if (!stack) continue;
            const detail = [stack.accountId && `account ${stack.accountId}`, plural(counts(stack).resource, "resource")].filter(Boolean);
            lines.push(`    ${id("stack", name)}["${label([name, ...detail as string[]])}"]`);
        }
        lines.push("  end");
    });
    for (const stack of plan.stacks) {
        for (const read of stack.reads) lines.push(`  ${id("stack", read)} --> ${id("stack", stack.stack)}`);
    }
    lines.push("```", "", "| stack | wave | account | region | reads | resources | components |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const stack of plan.stacks) {
        const n = counts(stack);
        lines.push(`| \`${stack.stack}\` | ${stack.wave} | ${stack.accountId ?? ""} | ${stack.region ?? ""} | ${stack.reads.join(", ")} | ${n.resource} | ${n.component} |`);
    }

    lines.push(...organizationMarkdown(plan.organization, plan.guardrails ?? []));

    lines.push("", "## Who can assume what", "");
    const table = accessTable(plan);
    if (plan.access.length === 0) {
        lines.push("Nobody can assume any role.");
        return lines.join("\n") + "\n";
    }
    lines.push("Root-account users and the roles they may assume in each account; a dashed arrow is a grant that does not require MFA.", "", "```mermaid", "flowchart LR");
    lines.push(`  subgraph users["users in root"]`);
    for (const user of table.users) lines.push(`    ${id("user", user)}(["${label([user])}"])`);
    lines.push("  end");
    for (const stage of table.stages) {
        const stack = plan.stacks.find((s) => s.stage === stage);
        lines.push(`  subgraph ${id("account", stage)}["${label([stack?.accountId ? `${stage} (${stack.accountId})` : stage])}"]`);
        for (const role of [...new Set(plan.access.filter((e) => e.stage === stage).map((e) => e.role))]) {
            lines.push(`    ${id("role", `${stage}-${role}`)}["${label([role])}"]`);
        }
        lines.push("  end");
    }
    for (const e of plan.access) {
        lines.push(`  ${id("user", e.user)} ${e.mfaRequired ? "-->|MFA|" : "-.->|no MFA|"} ${id("role", `${e.stage}-${e.role}`)}`);
    }
    lines.push("```", "", `| user | ${table.stages.join(" | ")} |`, `| --- |${" --- |".repeat(table.stages.length)}`);
    for (const user of table.users) {
        const cells = table.stages.map((stage) => table.cell(user, stage).map((e) => (e.mfaRequired ? `${e.role} (MFA)` : `**${e.role} (no MFA)**`)).join(", ") || "-");
        lines.push(`| ${user} | ${cells.join(" | ")} |`);
    }
    return lines.join("\n") + "\n";
}

/** A Mermaid node id: letters, digits and underscores only, so no name can clash with Mermaid's keywords. */
function id(kind: string, name: string): string {
    return `${kind}_${name.replace(/[^A-Za-z0-9]/g, (ch) => `_${ch.charCodeAt(0).toString(16)}_`)}`;
}

/** A quoted Mermaid label of several lines. */
function label(parts: string[]): string {
    return parts.map((p) => p.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")).join("<br/>");
}
