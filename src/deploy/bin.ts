// Entry of `npm run deploy`: refuses at once when the Pulumi CLI is missing, before loading the Pulumi SDK
// and the Automation API (which would try to find or download a CLI and fail obscurely).
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
 * Pulumi CLI is on `pathVariable` (the PATH it runs with). Undefined: on to the CLI.
 */
export function answerWithoutSdk(argv: string[], projectDir: string, pathVariable = process.env.PATH ?? ""): Answer | undefined {
    // Help needs no CLI: it prints whether or not Pulumi is installed.
    if (wantsHelp(argv)) return { code: 0, stdout: `${HELP}\n`, stderr: "" };
    // `stacks --json` reads only the project's files: the workflows run it before any Pulumi CLI is installed.
    if (argv[0] === "stacks") {
        if (argv.slice(1).join(" ") !== "--json") return { code: 2, stdout: "", stderr: "usage: npm run -s deploy -- stacks --json\n" };
        const { readProject } = require("../offline/engine") as typeof import("../offline/engine");
        const { describeStacks } = require("./stacks") as typeof import("./stacks");
        return { code: 0, stdout: `${JSON.stringify(describeStacks(readProject(projectDir)))}\n`, stderr: "" };
    }
    if (!findPulumiCli(pathVariable)) return { code: 2, stdout: "", stderr: `${INSTALL_GUIDANCE}\n` };
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
