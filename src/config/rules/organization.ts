// refarch:awsOrganization: the organization's units and guardrails, checked against the stages and AWS's SCP limits.
import { DEFAULT_GUARDRAILS, GuardrailSettings, guardrailLimitProblems } from "../../policies";
import { AUDIT_STAGE, ROOT_STAGE } from "../organization";
import { notOneOf, Problems } from "../problems";
import { NAME_PART } from "../schema";
import type { AwsOrganizationConfig } from "../settings/awsOrganization";

/**
 * The AWS Organization is managed (an `org` stack exists) when refarch:awsOrganization is set or any account
 * is to be created. Every stage but root sits in exactly one unit; the guardrails fit AWS's SCP limits; a
 * member stack's region is one the region guardrail allows.
 */
export function organizationRules(
    given: boolean,
    parsed: Map<string, unknown>,
    accountEmails: Record<string, string>,
    stages: string[],
    ctx: { stage: string; region: string; namespace: string; partition: string },
    problems: Problems,
): AwsOrganizationConfig | undefined {
    if (!given && Object.keys(accountEmails).length === 0) return undefined;
    const value = (parsed.get("refarch:awsOrganization") ?? {}) as { units?: Record<string, string[]>; guardrails?: GuardrailSettings };
    const guardrails = value.guardrails ?? DEFAULT_GUARDRAILS;
    const members = stages.filter((s) => s !== ROOT_STAGE);
    const units = value.units ?? defaultUnits(members);
    const placed = new Map<string, string>();
    for (const [unit, unitStages] of Object.entries(units)) {
        for (const stage of unitStages) {
            const key = `refarch:awsOrganization.units.${unit}`;
            if (!members.includes(stage)) {
                problems.add(key, stage, notOneOf(stage, "a stage of refarch:accounts other than root (the management account, in no unit)", members), { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${unit}:, remove ${stage}` });
            } else if (placed.has(stage)) {
                problems.add(key, stage, `is also in unit "${placed.get(stage)}": an account sits in one unit`, { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${unit}:, remove ${stage}` });
            } else {
                placed.set(stage, unit);
            }
        }
    }
    for (const stage of members.filter((s) => !placed.has(s))) {
        const first = Object.keys(units)[0] ?? "workloads";
        problems.add("refarch:awsOrganization.units", stage, "is a stage in no unit: its account would get no guardrails", { text: `in Pulumi.yaml, under config: refarch:awsOrganization: value: units: ${first}:, add ${stage}` });
    }
    if (NAME_PART.test(ctx.namespace)) {
        // Every member account as the guardrails will name it; the ids are placeholders of the same length (an SCP's size does not depend on which).
        const accounts = members.map((stage) => ({ stage, accountId: "000000000000", auditAccountId: "000000000000", exempt: "deployer" as const }));
        for (const why of guardrailLimitProblems({ partition: ctx.partition, namespace: ctx.namespace }, accounts, { ...DEFAULT_GUARDRAILS, ...guardrails })) {
            problems.add("refarch:awsOrganization.guardrails", "(as set)", why, { text: "in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails:, merge or remove custom policies" });
        }
    }
    const regions = guardrails.allowedRegions;
    if (regions && members.includes(ctx.stage) && ctx.region && !regions.includes(ctx.region)) {
        problems.add("refarch:awsOrganization.guardrails.allowedRegions", regions, `leaves out ${ctx.region}, where stage "${ctx.stage}" deploys: its own stack would be denied`, {
            set: JSON.stringify([...regions, ctx.region]),
        });
    }
    return { units, guardrails };
}

/** The audit account in a `security` unit, every other member in `workloads`, as AWS's recommended OU layout does. */
export function defaultUnits(members: string[]): Record<string, string[]> {
    const workloads = members.filter((s) => s !== AUDIT_STAGE);
    return { ...(members.includes(AUDIT_STAGE) ? { security: [AUDIT_STAGE] } : {}), ...(workloads.length > 0 ? { workloads } : {}) };
}
