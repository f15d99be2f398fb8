// `pulumi up` starts the program transpile-only: the Pulumi language host's own ts-node registration
// (replayed by src/plan/bench/languageHost.js) resolves to no type-check, while `npm test` still runs tsc.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { repoRoot } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const npmTest = require("./npmTest") as {
    COMMANDS: Record<string, string[]>;
    runTogether(commands: Record<string, string[]>, live: string, cwd: string, write: (text: string) => void): Promise<number>;
};

describe("deploy-time program start", () => {
    it("the language host's ts-node registration loads Pulumi.yaml's main transpile-only", () => {
        const { main } = load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main: string };
        const env = { ...process.env };
        delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
        // With npm start's compile cache, as every process the tests start: it keeps V8's code of the TypeScript compiler
        // and the SDK (0.4 of this process's 2.3 CPU-seconds) and leaves ts-node's registration, the subject, alone.
        const compileCache = path.join(repoRoot, "src/plan/compileCache.js");
        const child = spawnSync(process.execPath, ["-r", compileCache, path.join(repoRoot, "src/plan/bench/languageHost.js"), main], { cwd: repoRoot, env, encoding: "utf8" });
        expect(child.status, child.stderr).to.equal(0);
        expect(JSON.parse(child.stdout.trim()).typeChecked).to.equal(false);
    });

    it("npm test type-checks everything tsc sees (tsc --noEmit, no file narrowing it) beside the suite, and fails when either fails", async () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(pkg.scripts.test).to.equal("node test/npmTest.js");
        // No file narrowing it; its incremental state lives under node_modules, which `npm ci` starts afresh.
        const buildInfo = path.join("node_modules", ".cache", "refarch-tsc", "tsconfig.tsbuildinfo");
        expect(npmTest.COMMANDS["tsc --noEmit"]).to.deep.equal([require.resolve("typescript/bin/tsc"), "--noEmit", "--incremental", "--tsBuildInfoFile", buildInfo]);
        expect(Object.keys(npmTest.COMMANDS)).to.deep.equal(["tsc --noEmit", "mocha"]);
        // The check prints, to show its output comes after; the suite's would go to this run's own stdout.
        const exits = (code: number, say = "") => ["-e", `${say && `console.log("${say}"); `}process.exitCode = ${code}`];
        const printed: string[] = [];
        const run = (check: number, suite: number) => npmTest.runTogether({ check: exits(check, `exit ${check}`), suite: exits(suite) }, "suite", repoRoot, (t) => printed.push(t));
        expect(await run(0, 0)).to.equal(0);
        expect(await run(2, 0)).to.equal(1);
        expect(printed.join("")).to.include("check: failed (exit 2)\nexit 2\n");
        expect(await run(0, 1)).to.equal(1);
    });
});
