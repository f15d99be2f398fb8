// `npm start`: plans every stack offline with the engine the tests use, in deploy order, each stack's
// outputs fed to the StackReferences of the stacks that read it, and shows and writes what each account
// would get. Exit codes follow diff(1): 0 planned (and equal, with --diff), 1 different, 2 trouble; 3 is
// different in a way `pulumi up` would stop on (a protected resource deleted or replaced).
import * as fs from "fs";
import * as path from "path";
import pc from "picocolors";
import { parseArgs } from "util";
import { ConfigError, describeConfigErrors } from "../config";
import { evaluateProject, StackEvaluation } from "../offline/engine";
import { ProjectFiles, readProject, stacksInDeployOrder, stacksWithDependencies } from "../project";
import { AccessEntry, accessMatrix } from "../security/access";
import { GuardrailResult, guardrailResults } from "../security/guardrailProofs";
import { architectureMarkdown } from "./architecture";
import { pulumiOrganizationLine } from "./assumptions";
import { diffPlans, PlanDiff, readPlanDir, renderDiff } from "./diff";
import { buildPlan, counts, OFFLINE_NOTICE, StackPlan } from "./model";
import { renderPlan } from "./render";
import { plural } from "./text";
import { ARCHITECTURE_FILE, writePlanDir } from "./writePlan";

export const USAGE = `Usage: npm start -- [options]

Plans every stack of the project offline (no Pulumi CLI, no AWS credentials, no network) and writes
out/plan/<stack>.json and out/plan/${ARCHITECTURE_FILE}. Output values marked secret are written as [secret].

Options:
  --stack <name>    plan this stack and the stacks it reads (repeatable); only their <stack>.json files
                    are rewritten, the other stacks' files and ${ARCHITECTURE_FILE} stay as they were
  --json            print the plan as JSON on stdout instead of text; npm prints its own banner on stdout
                    first, so for JSON alone run: npm start --silent -- --json
  --diff <dir>      compare with an earlier plan directory; a replaced resource is marked +-, and deleting
                    or replacing a protected resource is flagged with the command that allows it
  --out <dir>       where to write the plan (default: <project>/out/plan)
  --project <dir>   the Pulumi project to plan (default: the current directory)
  -h, --help        show this help

Exit codes: 0 planned (and equal to --diff), 1 different from --diff, 2 bad config or bad arguments,
3 different from --diff and pulumi up would stop on a protected resource.`;

/** npm's note for `--json` under npm without --silent, whose banner ("> refarch@x start") went to stdout first. */
export const NPM_BANNER_NOTE =
    "npm printed its own lines on stdout around this JSON (its `> refarch start` banner; with npm --json, an error object on a non-zero exit). " +
    "For JSON alone run: npm start --silent -- --json";

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Colour the text output (a terminal that wants it). */
    color: boolean;
    cwd: string;
    /** Run by npm without --silent: npm has written its banner to stdout before this process started. */
    underNpmBanner?: boolean;
    /**
     * How the stacks are evaluated (the offline engine's evaluateProject) and what the plan proves of them (who can
     * assume what, and what the guardrails deny: planProofs). The tests hand in ones that compute each for a distinct
     * input once and share it between their runs (test/harness/).
     */
    evaluate?: typeof evaluateProject;
    prove?: typeof planProofs;
}

/** Who can assume what, and what the guardrails deny, over a plan's evaluations. */
export async function planProofs(evaluations: StackEvaluation[]): Promise<readonly [AccessEntry[], GuardrailResult[]]> {
    return [await accessMatrix(evaluations), await guardrailResults(evaluations)] as const;
}

export async function run(argv: string[], io: Io): Promise<number> {
    let args: { stack?: string[]; json?: boolean; diff?: string; out?: string; project?: string; help?: boolean };
    try {
        args = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", multiple: true },
                json: { type: "boolean" },
                diff: { type: "string" },
                out: { type: "string" },
                project: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }).values;
    } catch (err) {
        io.stderr(`${(err as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        io.stdout(USAGE);
        return 0;
    }
    // The first lines say what this is and what it assumes, on stdout unless stdout is for JSON.
    const notice = args.json ? io.stderr : io.stdout;
    notice(OFFLINE_NOTICE);
    const c = pc.createColors(io.color && !args.json);
    const projectDir = path.resolve(io.cwd, args.project ?? ".");
    const outDir = path.resolve(io.cwd, args.out ?? path.join(projectDir, "out", "plan"));
    const shown = (dir: string) => (path.relative(io.cwd, dir).startsWith("..") ? dir : path.relative(io.cwd, dir) || ".");

    let project: ProjectFiles;
    let earlier: StackPlan[] | undefined;
    try {
        if (!fs.existsSync(path.join(projectDir, "Pulumi.yaml"))) {
            throw new Error(`--project ${shown(projectDir)}: no Pulumi.yaml there. Fix: run npm start in the project directory, or give --project <dir with Pulumi.yaml>`);
        }
        project = readProject(projectDir);
        const unknown = (args.stack ?? []).filter((s) => !(s in project.stackConfigs));
        if (unknown.length > 0) {
            throw new Error(`--stack ${unknown.join(", ")}: no such stack (no Pulumi.<stack>.yaml in ${shown(projectDir)}). Fix: use one of ${Object.keys(project.stackConfigs).join(", ")}`);
        }
        if (args.diff !== undefined) earlier = readPlanDir(path.resolve(io.cwd, args.diff));
    } catch (err) {
        io.stderr(`${(err as Error).message}\n\nNo plan written; ${shown(outDir)} is unchanged.`);
        return 2;
    }

    notice(pulumiOrganizationLine(project, args.stack ? stacksWithDependencies(project, args.stack) : Object.keys(project.stackConfigs)));
    const program = loadProgram(project);
    const selected = args.stack && stacksWithDependencies(project, args.stack);
    const evaluations = await (io.evaluate ?? evaluateProject)(program, project, { stacks: args.stack });
    // As `pulumi up` shows them: what the program logged as a warning (an output left undefined...), under its stack.
    for (const e of evaluations) for (const warning of e.warnings) io.stderr(`warning: ${e.stack}: ${warning}`);
    const failed = evaluations.filter((e) => e.error);
    if (failed.length > 0) {
        // As `pulumi up` would print them: config problems first, each root cause once (a problem in Pulumi.yaml
        // that every stack shares is listed once); then each stack's own error; a stack that only failed because a
        // stack it reads failed is named, not blamed.
        const configErrors = failed.map((e) => e.error).filter((error): error is ConfigError => error instanceof ConfigError);
        if (configErrors.length > 0) io.stderr(describeConfigErrors(configErrors));
        for (const e of failed.filter((f) => !(f.error instanceof ConfigError))) {
            const failedReads = failed.filter((f) => f !== e && stacksWithDependencies(project, [e.stack]).includes(f.stack)).map((f) => f.stack);
            io.stderr(failedReads.length === 0 ? e.error!.message : `Stack "${e.stack}" was not planned: it reads ${failedReads.join(", ")}, which failed above.`);
        }
        io.stderr(`\nNo plan written: ${plural(failed.length, "stack")} failed; ${shown(outDir)} is unchanged.`);
        return 2;
    }

    const waves = stacksInDeployOrder(project, selected);
    const [access, guardrails] = await (io.prove ?? planProofs)(evaluations);
    const plan = buildPlan(project, waves, evaluations, access, guardrails);
    // A --stack run that reaches every stack (it names the last to deploy) is a whole plan.
    const complete = !selected || Object.keys(project.stackConfigs).every((s) => selected.includes(s));
    const files: Record<string, string> = Object.fromEntries(plan.stacks.map((s) => [`${s.stack}.json`, JSON.stringify(s, null, 2) + "\n"]));
    // architecture.md draws every stack and who may assume what across all of them: only a whole plan can draw it.
    if (complete) files[ARCHITECTURE_FILE] = architectureMarkdown(plan);
    let diff: PlanDiff | undefined;
    if (earlier) diff = diffPlans(shown(path.resolve(io.cwd, args.diff!)), earlier, plan.stacks, complete);
    try {
        writePlanDir(outDir, files, { keepOthers: !complete });
    } catch (err) {
        io.stderr((err as Error).message);
        return 2;
    }

    if (args.json) {
        io.stdout(JSON.stringify(diff ? { ...plan, diff } : plan, null, 2));
        if (io.underNpmBanner) io.stderr(NPM_BANNER_NOTE);
    } else {
        const total = plan.stacks.reduce((sum, s) => sum + counts(s).resource, 0);
        io.stdout("\n" + renderPlan(plan, c));
        if (diff) io.stdout("\n" + renderDiff(diff, c));
        const kept = complete ? "" : ` (only the planned stacks' files: the others and ${ARCHITECTURE_FILE} are as an earlier run left them; run without --stack to redraw ${ARCHITECTURE_FILE})`;
        io.stdout(`\nPlanned ${plural(plan.stacks.length, "stack")} with ${plural(total, "resource")}. Wrote ${shown(outDir)}${path.sep}: ${Object.keys(files).join(", ")}${kept}`);
    }
    return !diff || diff.equal ? 0 : diff.blocked.length > 0 ? 3 : 1;
}

/** The program Pulumi.yaml's `main` names: a module exporting the program function, as Pulumi runs it. */
function loadProgram(project: ProjectFiles): () => unknown {
    const entry = path.resolve(project.dir, project.main ?? ".");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(entry);
    const program = typeof loaded === "function" ? loaded : loaded?.default;
    if (typeof program !== "function") throw new Error(`${entry} must export the program as a function (export = () => ...)`);
    return program;
}

if (require.main === module) {
    // A reader that stops early (`| head`) closes the pipe: that is not an error of the plan.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE") throw err;
        process.exit(process.exitCode ?? 0);
    });
    run(process.argv.slice(2), {
        stdout: (text) => process.stdout.write(text + "\n"),
        stderr: (text) => process.stderr.write(text + "\n"),
        color: pc.isColorSupported,
        cwd: process.cwd(),
        // npm exports its config to scripts as npm_config_*: --silent is npm_config_loglevel=silent, which hides the banner.
        underNpmBanner: process.env.npm_lifecycle_event !== undefined && process.env.npm_config_loglevel !== "silent",
    }).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`${(err as Error).stack ?? err}\n`);
            process.exitCode = 2;
        },
    );
}
