// Entry of `npm run deploy`: refuses at once when the Pulumi CLI is missing, before loading the Pulumi SDK
// and the Automation API (which would try to find or download a CLI and fail obscurely).
import * as path from "path";
import { HELP, wantsHelp } from "./args";
import { findPulumiCli, INSTALL_GUIDANCE, LocalDeployWorkspace } from "./workspace";

// Help needs no CLI: it prints whether or not Pulumi is installed.
if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
}

const projectDir = path.resolve(__dirname, "..", "..");

// `stacks --json` reads only the project's files: the workflows run it before any Pulumi CLI is installed.
if (process.argv[2] === "stacks") {
    if (process.argv.slice(3).join(" ") !== "--json") {
        process.stderr.write("usage: npm run -s deploy -- stacks --json\n");
        process.exit(2);
    }
    const { readProject } = require("../offline/engine") as typeof import("../offline/engine");
    const { describeStacks } = require("./stacks") as typeof import("./stacks");
    process.stdout.write(`${JSON.stringify(describeStacks(readProject(projectDir)))}\n`);
    process.exit(0);
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
