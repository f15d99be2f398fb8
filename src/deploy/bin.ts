// Entry of `npm run deploy`: refuses at once when the Pulumi CLI is missing, before loading the Pulumi SDK
// and the Automation API (which would try to find or download a CLI and fail obscurely).
import { execFileSync } from "child_process";
import * as path from "path";
import { HELP, wantsHelp } from "./args";
import { findPulumiCli, INSTALL_GUIDANCE, LocalDeployWorkspace } from "./workspace";

// Help needs no CLI: it prints whether or not Pulumi is installed.
if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
}

const projectDir = path.resolve(__dirname, "..", "..");

// `stacks --json` reads the project's files, and the Pulumi CLI only when an account is given as `{ email }`.
if (process.argv[2] === "stacks") {
    const { stacksCommand } = require("./stacks") as typeof import("./stacks");
    const code = stacksCommand(process.argv.slice(3), {
        projectDir,
        out: (t) => process.stdout.write(`${t}\n`),
        err: (t) => process.stderr.write(`${t}\n`),
        pulumi: (args, cwd) => {
            const cli = findPulumiCli();
            if (!cli) throw new Error(`the Pulumi CLI is needed to read them.\n${INSTALL_GUIDANCE}`);
            return execFileSync(cli, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        },
    });
    process.exit(code);
}

if (!findPulumiCli()) {
    process.stderr.write(`${INSTALL_GUIDANCE}\n`);
    process.exit(2);
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
