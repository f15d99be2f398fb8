// Entry of `npm run deploy`: refuses at once when the Pulumi CLI is missing, before loading the Pulumi SDK
// and the Automation API (which would try to find or download a CLI and fail obscurely).
import { execFileSync } from "child_process";
import * as path from "path";
import { HELP, wantsHelp } from "./args";
import { findPulumiCli, INSTALL_GUIDANCE, LocalDeployWorkspace } from "./workspace";

/** What the process prints and exits with. */
export interface Answer {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * What `npm run deploy` answers before it loads the Pulumi SDK: help, `stacks --json`, or the refusal when no
 * Pulumi CLI is on the PATH of `env` (the environment it runs with). Undefined: on to the CLI.
 */
export function answerWithoutSdk(argv: string[], projectDir: string, env: NodeJS.ProcessEnv = process.env): Answer | undefined {
    // Help needs no CLI: it prints whether or not Pulumi is installed.
    if (wantsHelp(argv)) return { code: 0, stdout: `${HELP}\n`, stderr: "" };
    // `stacks --json` reads the project's files, and the Pulumi CLI only when an account is given as `{ email }`.
    if (argv[0] === "stacks") {
        const { stacksCommand } = require("./stacks") as typeof import("./stacks");
        const stdout: string[] = [];
        const stderr: string[] = [];
        const code = stacksCommand(argv.slice(1), {
            projectDir,
            out: (t) => stdout.push(`${t}\n`),
            err: (t) => stderr.push(`${t}\n`),
            pulumi: (args, cwd) => {
                const cli = findPulumiCli(env.PATH ?? "");
                if (!cli) throw new Error(`the Pulumi CLI is needed to read them.\n${INSTALL_GUIDANCE}`);
                return execFileSync(cli, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            },
            env,
        });
        return { code, stdout: stdout.join(""), stderr: stderr.join("") };
    }
    if (!findPulumiCli(env.PATH ?? "")) return { code: 2, stdout: "", stderr: `${INSTALL_GUIDANCE}\n` };
    return undefined;
}

if (require.main === module) {
    const projectDir = path.resolve(__dirname, "..", "..");
    const answer = answerWithoutSdk(process.argv.slice(2), projectDir);
    if (answer) {
        process.stdout.write(answer.stdout);
        process.stderr.write(answer.stderr);
        process.exit(answer.code);
    }
    import("./cli")
        .then(({ main }) =>
            main(
                process.argv.slice(2),
                { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), tty: process.stdout.isTTY === true, now: Date.now },
                { projectDir, pulumiCli: () => findPulumiCli(), workspace: (dir) => new LocalDeployWorkspace(dir) },
            ),
        )
        .then(
            (code) => process.exit(code),
            (err) => {
                process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
                process.exit(1);
            },
        );
}
