// `npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes] [--policy-pack dir]`: the command line, parsed and
// checked against the project's stacks before anything runs. Mistakes are UsageErrors (exit 2).
import { parseArgs } from "util";

export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface DeployArgs {
    operation: Operation;
    /** The stacks named with --stacks, in the order given; undefined means every stack of the project. */
    stacks?: string[];
    /** The user confirmed changes: required for up and destroy, which change accounts. */
    yes: boolean;
    /** Policy pack directories (--policy-pack, repeatable) every stack's up or preview runs; set only when given. */
    policyPacks?: string[];
}

/** The operations Pulumi runs policy packs on (`pulumi up` and `pulumi preview` take --policy-pack). */
export const POLICY_OPERATIONS: readonly Operation[] = ["up", "preview"];

export const USAGE =
    "usage: npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes] [--policy-pack dir]   (npm run deploy -- --help for more)\n" +
    "       npm run -s deploy -- stacks --json   (the stacks, waves and roles the workflows use)";

/** `npm run deploy -- --help`: needs neither the Pulumi CLI nor the project, so it prints anywhere. */
export const HELP = [
    "usage: npm run deploy -- <up|preview|refresh|destroy> [--stacks a,b] [--yes] [--policy-pack dir]",
    "",
    "Runs one Pulumi operation over this project's stacks, in waves from their StackReferences: audit, then the",
    "workload stages in parallel, then root (destroy: the reverse). A failed stack stops the waves after its own.",
    "",
    "operations:",
    "  preview   show what up would change",
    "  up        deploy (needs --yes)",
    "  refresh   read each account's real state into its stack",
    "  destroy   delete each stack's resources (needs --yes; protected stacks only when named with --stacks)",
    "",
    "options:",
    "  -s, --stacks a,b   only these stacks, still in wave order (default: every stack with a Pulumi.<stack>.yaml)",
    "  -y, --yes          confirm up or destroy",
    "  --policy-pack dir  run the CrossGuard policy pack in dir (with its node_modules installed) on up or preview;",
    "                     a mandatory violation fails the stack, as in the pull-request previews (repeatable)",
    "  -h, --help         this help",
    "",
    "npm run -s deploy -- stacks --json   prints each stack's wave, region and deployer and previewer role ARNs as JSON,",
    "                                     from the project's files (the GitHub workflows' matrices read it); for accounts",
    "                                     given as { email }, also the org stack's accountIds output, through the CLI",
    "",
    "Needs the Pulumi CLI on PATH (https://www.pulumi.com/docs/install/), pulumi login, each stack created",
    "(pulumi stack init <stack>) and AWS credentials for each stack's account. A failed stack's line in the summary",
    "quotes the CLI's error and, where the fix is known, the command to run next.",
    "Exit codes: 0 every stack succeeded; 1 a stack failed; 2 nothing was run (no CLI, bad arguments, a refused destroy).",
].join("\n");

/** True when the command line asks for help: then nothing else is checked or run. */
export function wantsHelp(argv: string[]): boolean {
    const beforeSeparator = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    return beforeSeparator.some((a) => a === "--help" || a === "-h") || beforeSeparator[0] === "help";
}

export class UsageError extends Error {
    constructor(message: string) {
        super(`${message}\n${USAGE}`);
        this.name = "UsageError";
    }
}

/** Parses argv (without node and the script); `known` are the project's stacks, for --stacks. */
export function parseDeployArgs(argv: string[], known: string[]): DeployArgs {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: { stacks: { type: "string", short: "s" }, yes: { type: "boolean", short: "y", default: false }, "policy-pack": { type: "string", multiple: true } },
        });
    } catch (err) {
        throw new UsageError(parserMessage(err as Error & { code?: string }));
    }
    const [operation, ...extra] = parsed.positionals;
    if (operation === undefined) throw new UsageError("no operation given");
    if (!(OPERATIONS as readonly string[]).includes(operation)) throw new UsageError(`"${operation}" is not an operation (valid: ${OPERATIONS.join(", ")})`);
    if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(" ")}; name stacks with --stacks ${extra.join(",")}`);

    let stacks: string[] | undefined;
    if (parsed.values.stacks !== undefined) {
        stacks = [...new Set(parsed.values.stacks.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
        if (stacks.length === 0) throw new UsageError("--stacks names no stack");
        const unknown = stacks.filter((s) => !known.includes(s));
        if (unknown.length > 0) throw new UsageError(`--stacks: ${unknown.join(", ")} ${unknown.length === 1 ? "is not a stack" : "are not stacks"} of this project (valid: ${known.join(", ")}; each has a Pulumi.<stack>.yaml)`);
    }
    const policyPacks = parsed.values["policy-pack"]?.map((p) => p.trim());
    if (policyPacks !== undefined) {
        if (!POLICY_OPERATIONS.includes(operation as Operation)) throw new UsageError(`--policy-pack applies to ${POLICY_OPERATIONS.join(" and ")}, not ${operation}: Pulumi runs policy packs only there`);
        if (policyPacks.some((p) => p === "")) throw new UsageError("--policy-pack needs the policy pack's directory, as --policy-pack policy");
    }
    return { operation: operation as Operation, stacks, yes: parsed.values.yes === true, ...(policyPacks ? { policyPacks } : {}) };
}

/** util.parseArgs's errors, restated without its advice about `--` (which does not apply here). */
function parserMessage(err: Error & { code?: string }): string {
    switch (err.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown option ${/'([^']+)'/.exec(err.message)?.[1] ?? "given"} (valid: --stacks a,b, --yes, --policy-pack dir, --help)`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            // --stacks and --policy-pack take a value; --yes=... is the other way to get here.
            if (/policy-pack/.test(err.message)) return "--policy-pack needs the policy pack's directory, as --policy-pack policy";
            return /stacks/.test(err.message) ? "--stacks needs the stacks to run, as --stacks a,b" : "--yes takes no value";
        default:
            return err.message;
    }
}
