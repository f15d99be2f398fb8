// `npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes]`. Exit codes: 0 every stack
// succeeded; 1 a stack failed; 2 nothing was run (no Pulumi CLI on PATH, bad arguments, a refused destroy).
import { readProject, stacksInDeployOrder } from "../project";
import { HELP, parseDeployArgs, UsageError, wantsHelp } from "./args";
import { planDeploy, runDeploy, StackProgress } from "./orchestrator";
import { renderProgress, renderSummary } from "./progress";
import { DeployWorkspace, INSTALL_GUIDANCE } from "./workspace";

export interface CliIo {
    out: (text: string) => void;
    err: (text: string) => void;
    /** True when `out` is a terminal whose lines can be redrawn in place. */
    tty: boolean;
    now: () => number;
}

export interface CliDeps {
    projectDir: string;
    /** The Pulumi CLI's path, or undefined when it is not installed. */
    pulumiCli: () => string | undefined;
    workspace: (projectDir: string) => DeployWorkspace;
}

export async function main(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
    if (wantsHelp(argv)) {
        io.out(HELP);
        return 0;
    }
    if (!deps.pulumiCli()) {
        io.err(INSTALL_GUIDANCE);
        return 2;
    }
    const project = readProject(deps.projectDir);
    let plan;
    try {
        plan = planDeploy(project, parseDeployArgs(argv, stacksInDeployOrder(project).flat()));
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        io.err(err.message);
        return 2;
    }
    io.out(`${plan.operation} in waves: ${plan.waves.map((w) => w.join(" + ")).join(", then ")}`);

    // On a terminal the block of stack lines is redrawn in place; otherwise a line is printed when a stack's status changes.
    let drawn = 0;
    const seen = new Map<string, string>();
    const draw = (stacks: StackProgress[]) => {
        const lines = renderProgress(stacks, io.now());
        if (io.tty) {
            io.out(`${drawn > 0 ? `\x1b[${drawn}F` : ""}${lines.map((l) => `\x1b[2K${l}`).join("\n")}`);
            drawn = lines.length;
        } else {
            stacks.forEach((p, i) => {
                if (seen.get(p.stack) !== p.status) {
                    seen.set(p.stack, p.status);
                    if (p.status !== "waiting") io.out(lines[i]);
                }
            });
        }
    };
    let latest: StackProgress[] = [];
    const timer = io.tty ? setInterval(() => latest.length > 0 && draw(latest), 500) : undefined;
    try {
        const result = await runDeploy(project, plan, deps.workspace(deps.projectDir), {
            now: io.now,
            onProgress: (stacks) => {
                latest = stacks;
                draw(stacks);
            },
        });
        io.out("");
        io.out(renderSummary(result.stacks));
        return result.ok ? 0 : 1;
    } finally {
        if (timer) clearInterval(timer);
    }
}
