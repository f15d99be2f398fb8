// Tool directories for tests that start a process with a PATH of their own: the PATH holds only what the test puts
// there, wherever Node is installed (/usr/bin, nvm, volta, a registry package), so no test leans on tools that merely
// happen to sit beside node.
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "../scratch";

/**
 * A new directory holding `node` (the one running the tests) and, for each entry of `scripts`, an executable of that
 * name running the given JavaScript. Each starts through `#!/usr/bin/env node`, so it needs nothing but the node
 * beside it; a PATH of this directory alone holds nothing else. `npm: true` adds the npm that runs the tests.
 */
export function toolDirectory(scripts: Record<string, string> = {}, options: { npm?: boolean } = {}): string {
    const dir = scratchDir("refarch-tools-");
    fs.symlinkSync(process.execPath, path.join(dir, "node"));
    if (options.npm) fs.symlinkSync(npmCli(), path.join(dir, "npm"));
    for (const [name, source] of Object.entries(scripts)) fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env node\n${source}\n`, { mode: 0o755 });
    return dir;
}

/**
 * npm's own entry script (npm-cli.js, plain JavaScript that runs on whichever node is first on PATH): the one npm
 * named when it started the tests (npm_execpath), else the `npm` on the tests' own PATH.
 */
function npmCli(): string {
    const started = process.env.npm_execpath;
    if (started && path.basename(started) === "npm-cli.js") return started;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, "npm");
        if (fs.existsSync(candidate)) return fs.realpathSync(candidate);
    }
    throw new Error("no npm on the PATH the tests run with: run them through npm (npm test) or put npm on PATH");
}
