// Which stage reads which over StackReferences, and the deploy order that follows. One graph serves the
// program's error messages, the offline plan and the deploy tool, so they cannot disagree.
import { AUDIT_STAGE, ROOT_STAGE } from "./config";

/**
 * stage -> the stages whose outputs it reads. Every stage's trail reads the audit sink; root reads the
 * role ARNs of every other stage (a superset of what its teams grant, so the order holds for any team change).
 */
export function stageDependencies(stages: string[]): Record<string, string[]> {
    const hasAudit = stages.includes(AUDIT_STAGE);
    return Object.fromEntries(
        stages.map((stage) => {
            if (stage === ROOT_STAGE) return [stage, stages.filter((s) => s !== ROOT_STAGE)];
            if (stage === AUDIT_STAGE || !hasAudit) return [stage, []];
            return [stage, [AUDIT_STAGE]];
        }),
    );
}

/** Deploy waves: every stage comes after all it reads; stages in one wave can deploy in parallel. */
export function deployWaves(stages: string[]): string[][] {
    const dependencies = stageDependencies(stages);
    const waves: string[][] = [];
    const placed = new Set<string>();
    while (placed.size < stages.length) {
        const wave = stages.filter((s) => !placed.has(s) && dependencies[s].every((d) => placed.has(d)));
        if (wave.length === 0) throw new Error(`Stack references form a cycle among: ${stages.filter((s) => !placed.has(s)).join(", ")}`);
        wave.forEach((s) => placed.add(s));
        waves.push(wave);
    }
    return waves;
}

/** "audit, then prod + staging + dev + testing, then root" */
export function describeDeployOrder(stages: string[]): string {
    return deployWaves(stages)
        .map((wave) => wave.join(" + "))
        .join(", then ");
}
