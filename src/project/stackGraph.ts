// Which stage reads which over StackReferences, and the deploy order that follows. One graph serves the
// program's error messages, the offline plan and the deploy tool, so they cannot disagree.
import { AUDIT_STAGE, ORGANIZATION_STAGE, ROOT_STAGE } from "../config";

/**
 * stage -> the stages whose outputs it reads. The org stack, when there is one, comes before all: it creates
 * the accounts and every other stack reads its account ids. Every stage's trail reads the audit sink; root
 * reads the role ARNs of every other stage (a superset of what its teams grant, so the order holds for any team change).
 */
export function stageDependencies(stages: string[]): Record<string, string[]> {
    const hasAudit = stages.includes(AUDIT_STAGE);
    const organization = stages.includes(ORGANIZATION_STAGE) ? [ORGANIZATION_STAGE] : [];
    return Object.fromEntries(
        stages.map((stage) => {
            if (stage === ORGANIZATION_STAGE) return [stage, []];
            if (stage === ROOT_STAGE) return [stage, stages.filter((s) => s !== ROOT_STAGE)];
            if (stage === AUDIT_STAGE || !hasAudit) return [stage, organization];
            return [stage, [...organization, AUDIT_STAGE]];
        }),
    );
}

/**
 * stage -> the stages it reads only once they are deployed, and so runs again after: the org stack creates the
 * organization trail into the audit sink, which the audit stack (reading org's account ids) creates after org's first
 * run. Its first run skips the trail; the run after audit, before any member stack, creates it.
 */
export function laterReads(stages: string[]): Record<string, string[]> {
    return stages.includes(ORGANIZATION_STAGE) && stages.includes(AUDIT_STAGE) ? { [ORGANIZATION_STAGE]: [AUDIT_STAGE] } : {};
}

/**
 * The stages that have a stack, from the project's refarch:accounts and refarch:awsOrganization as given
 * (JSON text or parsed): every stage, and `org` first when the program manages the AWS Organization.
 */
export function projectStages(accounts: unknown, awsOrganization: unknown): string[] {
    const stages = typeof accounts === "object" && accounts !== null ? Object.keys(accounts) : [];
    const creates = stages.some((s) => typeof (accounts as Record<string, unknown>)[s] === "object");
    return awsOrganization !== undefined || creates ? [ORGANIZATION_STAGE, ...stages] : stages;
}

/**
 * Deploy waves: every stage comes after all it reads; stages in one wave can deploy in parallel. A stage's wave is one
 * after the latest of the stages it reads. The graph is layered by construction (org, audit, the workloads, root), so
 * no stage reads itself through others and the recursion ends. A stage with later reads runs again, alone, in a wave
 * right after the last of them (org, audit, org, the workloads, root).
 */
export function deployWaves(stages: string[]): string[][] {
    const dependencies = stageDependencies(stages);
    const waveOf = (stage: string): number => Math.max(-1, ...dependencies[stage].map(waveOf)) + 1;
    const waves: string[][] = [];
    for (const stage of stages) (waves[waveOf(stage)] ??= []).push(stage);
    for (const [stage, reads] of Object.entries(laterReads(stages))) waves.splice(Math.max(...reads.map(waveOf)) + 1, 0, [stage]);
    return waves;
}

/** "audit, then prod + staging + dev + testing, then root" */
export function describeDeployOrder(stages: string[]): string {
    return deployWaves(stages)
        .map((wave) => wave.join(" + "))
        .join(", then ");
}
