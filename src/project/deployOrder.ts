// The project's stacks in the order they deploy: the stage graph (stackGraph.ts) applied to the stacks that exist.
import { ProjectFiles, stackConfig, stageOfStack, stagesOf } from "./files";
import { deployWaves, stageDependencies } from "./stackGraph";

/** Stacks in deploy waves (a wave after every wave it reads); stacks whose stage is unknown come last. */
export function stacksInDeployOrder(project: ProjectFiles, stacks = Object.keys(project.stackConfigs)): string[][] {
    const stages = stagesOf(project);
    const waves = runsAgainOnlyAfterOthers(deployWaves(stages).map((wave) => wave.flatMap((stage) => stacks.filter((s) => stageOfStack(stackConfig(project, s), s) === stage))));
    const placed = waves.flat();
    const rest = stacks.filter((s) => !placed.includes(s));
    return [...waves, rest].filter((w) => w.length > 0);
}

/**
 * The given stacks and every stack they read, transitively: a stack of stage S reads the stacks named after
 * the stages S depends on (StackReferences are `<org>/<project>/<stage>`). Unknown names are kept as given.
 */
export function stacksWithDependencies(project: ProjectFiles, stacks: string[]): string[] {
    const dependencies = stageDependencies(stagesOf(project));
    const needed = new Set<string>();
    const visit = (stack: string): void => {
        if (needed.has(stack)) return;
        needed.add(stack);
        const stage = stageOfStack(stackConfig(project, stack), stack);
        for (const read of dependencies[stage] ?? []) if (read in project.stackConfigs) visit(read);
    };
    stacks.forEach(visit);
    return Object.keys(project.stackConfigs).filter((s) => needed.has(s)).concat(stacks.filter((s) => !(s in project.stackConfigs)));
}

/**
 * A stack runs again (stackGraph.ts laterReads) only when some other stack deploys between its runs: `--stacks org,root`
 * runs org once, as nothing it reads later is deployed.
 */
function runsAgainOnlyAfterOthers(waves: string[][]): string[][] {
    const seen = new Map<string, number>();
    return waves.map((wave, i) =>
        wave.filter((stack) => {
            const first = seen.get(stack);
            if (first === undefined) {
                seen.set(stack, i);
                return true;
            }
            return waves.slice(first + 1, i).some((between) => between.length > 0);
        }),
    );
}
