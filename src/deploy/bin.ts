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
if (!findPulumiCli()) {
    process.stderr.write(`${INSTALL_GUIDANCE}\n`);
    process.exit(2);
}

import("./cli")
    .then(({ main }) =>
        main(
            process.argv.slice(2),
            { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), tty: process.stdout.isTTY === true, now: Date.now },
            { projectDir: path.resolve(__dirname, "..", ".."), pulumiCli: () => findPulumiCli(), workspace: (dir) => new LocalDeployWorkspace(dir) },
        ),
    )
    .then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
            process.exit(1);
        },
    );
