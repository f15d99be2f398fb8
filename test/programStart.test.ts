// `pulumi up` starts the program transpile-only: the Pulumi language host's own ts-node registration
// (replayed by src/plan/bench/languageHost.js) resolves to no type-check, while `npm test` still runs tsc.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { repoRoot } from "./harness";
import { scratchDir } from "./scratch";

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

    it("npm test's type-check is TypeScript 7's tsc on tsconfig.json, and it fails on a type error in src/ or test/", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(pkg.scripts.test).to.equal("node test/npmTest.js");
        expect(Object.keys(npmTest.COMMANDS)).to.deep.equal(["tsc --noEmit", "mocha"]);
        const [tsc, ...args] = npmTest.COMMANDS["tsc --noEmit"];
        const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(tsc)), "package.json"), "utf8")) as { version: string };
        expect(version).to.match(/^7\./);
        // The repo's tsconfig.json in a scratch project: no -p, no file list, so its include decides what is checked.
        const project = scratchDir();
        fs.copyFileSync(path.join(repoRoot, "tsconfig.json"), path.join(project, "tsconfig.json"));
        fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"), "dir");
        fs.mkdirSync(path.join(project, "src"));
        fs.mkdirSync(path.join(project, "test"));
        // A type error in each; that it passes clean code, npm test's own run over this repository shows every time.
        fs.writeFileSync(path.join(project, "src", "count.ts"), 'export const count: number = "1";\n');
        fs.writeFileSync(path.join(project, "test", "count.test.ts"), 'import { count } from "../src/count";\nexport const label: string = count;\n');
        // --pretty false: tsc colours its output when FORCE_COLOR is set at all, even to 0 (as `npm run bench` sets it).
        const failed = spawnSync(process.execPath, [tsc, ...args, "--pretty", "false"], { cwd: project, encoding: "utf8" });
        expect(failed.status).to.not.equal(0);
        expect(failed.stdout).to.include("src/count.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
        expect(failed.stdout).to.include("test/count.test.ts(2,14): error TS2322: Type 'number' is not assignable to type 'string'.");
    });

    it("npm test runs the type-check beside the suite, prints the check after it, and fails when either fails", async () => {
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
