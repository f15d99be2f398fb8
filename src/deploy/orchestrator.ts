// Runs one operation over the project's stacks in waves from the StackReference graph (src/project/stackGraph.ts via
// stacksInDeployOrder): audit, then the workload stages in parallel, then root; destroy runs the waves in
// reverse. A failed stack stops the waves after its own; what was never run is reported as such.
import * as fs from "fs";
import * as path from "path";
import { ORGANIZATION_STAGE, ROOT_STAGE, validateConfig } from "../config";
import { ProjectFiles, stackConfig, stacksInDeployOrder, stageOfStack } from "../project";
import { DeployArgs, Operation, UsageError } from "./args";
import type { DeployWorkspace, EngineEvent } from "./workspace";

export type StackStatus = "waiting" | "running" | "succeeded" | "failed" | "not run";

export interface StackProgress {
    stack: string;
    stage: string;
    /** The stage's account as refarch:accounts gives it: its id, or for an account the org stack creates, its email. */
    account: string;
    operation: Operation;
    status: StackStatus;
    /** Resource steps the engine has finished, and announced so far. */
    done: number;
    planned: number;
    /** Resources created, updated, replaced or deleted (or, in a preview, that would be), from the engine's summary. */
    changes?: number;
    startedAt?: number;
    finishedAt?: number;
    /** Why it failed, or why it was not run. */
    reason?: string;
    /** For a failure whose cause is known: the command to run next. */
    next?: string;
}

export interface DeployPlan {
    operation: Operation;
    waves: string[][];
    /** Absolute paths of the policy packs every stack's operation runs; set only when given. */
    policyPacks?: string[];
}

export interface DeployResult {
    stacks: StackProgress[];
    ok: boolean;
}

/** Stacks whose resources are protected, as the program decides it (refarch:protect, else root, prod and audit). */
export function protectedStacks(project: ProjectFiles, stacks: string[]): string[] {
    return stacks.filter((stack) => {
        const values = stackConfig(project, stack);
        try {
            return validateConfig({ organization: "", project: project.name, stack, values }).protect;
        } catch {
            // Invalid config fails in the run itself; until then, treat the stack as protected: destroy must name it.
            return true;
        }
    });
}

/** The waves to run, or a UsageError saying why the command is refused (nothing is run then). */
export function planDeploy(project: ProjectFiles, args: DeployArgs): DeployPlan {
    const all = Object.keys(project.stackConfigs);
    const selected = args.stacks ?? all;
    const forward = stacksInDeployOrder(project, selected);
    const waves = args.operation === "destroy" ? [...forward].reverse() : forward;
    if ((args.operation === "up" || args.operation === "destroy") && !args.yes) {
        throw new UsageError(`${args.operation} changes ${waves.flat().join(", ")}: pass --yes to go ahead (or run preview first to see what would change)`);
    }
    if (args.operation === "destroy") {
        const unnamed = protectedStacks(project, waves.flat()).filter((s) => !args.stacks?.includes(s));
        if (unnamed.length > 0) {
            const rest = waves.flat().filter((s) => !unnamed.includes(s));
            throw new UsageError(
                `destroy refuses the protected stack(s) ${unnamed.join(", ")} unless named: destroy ${rest.length > 0 ? `the others with --stacks ${rest.join(",")} --yes, or ` : ""}name them with --stacks ${unnamed.join(",")} --yes ` +
                    `(their resources are protected too: set refarch:protect to false and run up first)`,
            );
        }
    }
    const policyPacks = args.policyPacks?.map((pack) => path.resolve(project.dir, pack));
    // Checked before anything runs: the CLI would fail each stack on its own, after earlier waves had deployed.
    for (const pack of policyPacks ?? []) {
        if (!fs.existsSync(path.join(pack, "PulumiPolicy.yaml"))) {
            throw new UsageError(`--policy-pack ${path.relative(project.dir, pack) || "."}: no PulumiPolicy.yaml in ${pack}; name the policy pack's directory (this project's is policy) and install it first: (cd policy && npm ci)`);
        }
    }
    return { operation: args.operation, waves, ...(policyPacks ? { policyPacks } : {}) };
}

export interface RunOptions {
    /** Called whenever a stack's progress changes. */
    onProgress?: (stacks: StackProgress[]) => void;
    now?: () => number;
}

export async function runDeploy(project: ProjectFiles, plan: DeployPlan, workspace: DeployWorkspace, options: RunOptions = {}): Promise<DeployResult> {
    const now = options.now ?? Date.now;
    const accounts = safeAccounts(project);
    // One line per stack: a stack that runs twice (org, again after audit) shows its latest run.
    const progress: StackProgress[] = [...new Set(plan.waves.flat())].map((stack) => {
        const stage = stageOfStack(stackConfig(project, stack), stack);
        return { stack, stage, account: accountOf(accounts, stage), operation: plan.operation, status: "waiting", done: 0, planned: 0 };
    });
    const byStack = new Map(progress.map((p) => [p.stack, p]));
    const changed = () => options.onProgress?.(progress);

    let failed: string[] = [];
    for (const wave of plan.waves) {
        if (failed.length > 0) {
            for (const stack of wave) Object.assign(byStack.get(stack)!, { status: "not run", reason: `${failed.join(", ")} failed` });
            changed();
            continue;
        }
        await Promise.all(
            wave.map(async (stack) => {
                const entry = byStack.get(stack)!;
                Object.assign(entry, { status: "running", startedAt: now(), done: 0, planned: 0 });
                changed();
                try {
                    await workspace.run(
                        stack,
                        plan.operation,
                        (event) => {
                            if (applyEvent(entry, event)) changed();
                        },
                        { policyPacks: plan.policyPacks },
                    );
                    Object.assign(entry, { status: "succeeded", finishedAt: now() });
                } catch (err) {
                    Object.assign(entry, { status: "failed", finishedAt: now(), ...explainFailure(entry, err, plan.operation) });
                }
                changed();
            }),
        );
        failed = wave.filter((stack) => byStack.get(stack)!.status === "failed");
    }
    return { stacks: progress, ok: progress.every((p) => p.status === "succeeded") };
}

/** Folds one engine event into a stack's progress; true when something visible changed. */
export function applyEvent(entry: StackProgress, event: EngineEvent): boolean {
    if (event.resourcePreEvent) {
        entry.planned++;
        return true;
    }
    if (event.resOutputsEvent || event.resOpFailedEvent) {
        entry.done++;
        return true;
    }
    if (event.summaryEvent) {
        entry.changes = Object.entries(event.summaryEvent.resourceChanges ?? {})
            .filter(([op]) => op !== "same")
            .reduce((sum, [, count]) => sum + (count ?? 0), 0);
        return true;
    }
    if (event.diagnosticEvent?.severity === "error" && !entry.reason) {
        entry.reason = event.diagnosticEvent.message.trim();
    }
    return false;
}

const AWS_AUTH = /NoCredentialProviders|no valid credential sources|failed to refresh cached credentials|InvalidClientTokenId|ExpiredToken|UnrecognizedClientException|SignatureDoesNotMatch|AccessDenied.*sts:AssumeRole|not authorized to perform: sts:AssumeRole|allowed_account_ids|forbidden account ID|is not one of the allowed|account ID not allowed/i;
const PULUMI_AUTH = /PULUMI_ACCESS_TOKEN|pulumi login|not logged in|401 Unauthorized|invalid access token/i;

const NO_STACK = /no stack named '([^']+)' found/i;

/**
 * Why a stack failed, in the Pulumi CLI's own words, and for the failures a person fixes before running again
 * (no stack, no Pulumi login, no AWS credentials) the command to run next.
 */
export function explainFailure(entry: StackProgress, err: unknown, operation: Operation = entry.operation): { reason: string; next?: string } {
    const said = cliMessage(entry, err);
    const text = `${entry.reason ?? ""}\n${err instanceof Error ? err.message : String(err)}`;
    const rerun = `npm run deploy -- ${operation} --stacks ${entry.stack}${operation === "up" || operation === "destroy" ? " --yes" : ""}`;
    if (NO_STACK.test(text)) {
        return {
            reason: `stack ${entry.stack} does not exist in your Pulumi backend yet (${said})`,
            next: `pulumi stack init ${entry.stack} && ${rerun}`,
        };
    }
    if (AWS_AUTH.test(text)) {
        return {
            reason: `AWS authentication failed for stack ${entry.stack} in account ${entry.account} (stage ${entry.stage}): get credentials for that account (see "Running with MFA-backed credentials" in README.md). ${said}`,
            next: `aws sts get-caller-identity   # must show account ${entry.account}; then: ${rerun}`,
        };
    }
    if (PULUMI_AUTH.test(text)) {
        return {
            reason: `Pulumi Cloud authentication failed for stack ${entry.stack} (account ${entry.account}): run pulumi login, or set PULUMI_ACCESS_TOKEN. ${said}`,
            next: `pulumi login && ${rerun}`,
        };
    }
    return { reason: said };
}

/**
 * The CLI's own message: the engine's error diagnostic if the program reported one, else the `error:` lines of
 * the CLI's stderr. The Automation API's CommandError message is `code: <n>\n stdout: ...\n stderr: ...\n err?: ...`
 * (@pulumi/pulumi automation/cmd.js CommandResult.toString), whose first line alone says nothing.
 */
function cliMessage(entry: StackProgress, err: unknown): string {
    if (entry.reason) return firstLine(entry.reason);
    const stderr = (err as { commandResult?: { stderr?: string } } | undefined)?.commandResult?.stderr ?? stderrOf(err instanceof Error ? err.message : String(err));
    const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    const errors = lines.filter((l) => /^error:/i.test(l));
    if (errors.length > 0) return firstLine(errors.join("; "));
    if (lines.length > 0) return firstLine(lines[0]);
    return firstLine(err instanceof Error ? err.message : String(err));
}

/** The stderr section of a CommandResult's text, or the whole text when it has none. */
function stderrOf(message: string): string {
    const match = /(?:^|\n)\s*stderr:([\s\S]*?)(?:\n\s*err\?:|$)/.exec(message);
    return match ? match[1] : message.replace(/^code: -?\d+\s*$/m, "");
}

function firstLine(text: string): string {
    const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "failed";
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function safeAccounts(project: ProjectFiles): Record<string, unknown> {
    // The program reads its config under the `refarch` namespace whatever the project is named (src/config).
    try {
        return (JSON.parse(project.projectConfig["refarch:accounts"] ?? "{}") ?? {}) as Record<string, unknown>;
    } catch {
        return {};
    }
}

/**
 * How the summary names a stage's account: the id written in refarch:accounts; for an account the org stack
 * creates (`{ email }`), its id is known only to that stack, so the email names it. The org stack itself
 * runs in the management account, root's.
 */
function accountOf(accounts: Record<string, unknown>, stage: string): string {
    const account = accounts[stage === ORGANIZATION_STAGE ? ROOT_STAGE : stage];
    if (typeof account === "string") return account;
    if (typeof account === "object" && account !== null && typeof (account as { email?: unknown }).email === "string") {
        return `created for ${(account as { email: string }).email}`;
    }
    return "unknown";
}
