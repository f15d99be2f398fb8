// `pulumi up` starts the program transpile-only: the Pulumi language host's own ts-node registration
// (replayed by tools/bench/languageHost.js) resolves to no type-check, while `npm test` still runs tsc.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { repoRoot } from "./harness";
import { scratchDir } from "./scratch";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const npmTest = require("../tools/npm-test") as {
    COMMANDS: Record<string, string[]>;
    mochaNodeArgs(config: Record<string, unknown>): string[];
    runTogether(commands: Record<string, string[]>, live: string, cwd: string, write: (text: string) => void): Promise<number>;
};

describe("deploy-time program start", () => {
    it("the language host's ts-node registration loads Pulumi.yaml's main transpile-only", () => {
        const { main } = load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main: string };
        const env = { ...process.env };
        delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
        const child = spawnSync(process.execPath, [path.join(repoRoot, "tools/bench/languageHost.js"), main], { cwd: repoRoot, env, encoding: "utf8" });
        expect(child.status, child.stderr).to.equal(0);
        expect(JSON.parse(child.stdout.trim()).typeChecked).to.equal(false);
    });

    it("npm test's type-check is TypeScript 7's tsc on tsconfig.json, and it fails on a type error in src/ or test/", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(pkg.scripts.test).to.equal("node tools/npm-test.js");
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

    it("npm test's mocha is mocha's public _mocha bin, under the Node flags .mocharc.json's node-option names", () => {
        const config = JSON.parse(fs.readFileSync(path.join(repoRoot, ".mocharc.json"), "utf8")) as { "node-option": string[] };
        expect(config["node-option"]).to.include("max-semi-space-size=64");
        expect(npmTest.mochaNodeArgs({ "node-option": ["enable-source-maps", "max-semi-space-size=64"] })).to.deep.equal(["--enable-source-maps", "--max-semi-space-size=64"]);
        const mocha = npmTest.COMMANDS.mocha;
        const manifest = require.resolve("mocha/package.json");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(mocha.at(-1)).to.equal(path.join(path.dirname(manifest), (require(manifest) as { bin: Record<string, string> }).bin._mocha));
        // The command runs a spec in one process that has the flags: a spec that reads them, without the project's config.
        const dir = scratchDir();
        fs.writeFileSync(path.join(dir, "flags.spec.js"), 'it("reads its flags", () => console.log(JSON.stringify(process.execArgv)));\n');
        const child = spawnSync(process.execPath, [...mocha, "--no-config", "--reporter", "dot", "flags.spec.js"], { cwd: dir, encoding: "utf8" });
        expect(child.status, child.stderr).to.equal(0);
        expect(JSON.parse(child.stdout.split("\n").find((line) => line.startsWith("["))!)).to.deep.equal(npmTest.mochaNodeArgs(config));
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
