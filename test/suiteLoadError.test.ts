// A test file that fails to load fails `npm test` visibly: its tests would otherwise never run and the passing count
// silently drop (issue 24: plan.test.ts died while loading). Proved on mocha run exactly as `npm test` runs it
// (tools/npm-test.js, .mocharc.json's options, parallel workers), with a spec of two scratch files, one of which
// throws while loading.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, scratchDir } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { COMMANDS, runTogether } = require("../tools/npm-test.js") as {
    COMMANDS: Record<string, string[]>;
    runTogether: (commands: Record<string, string[]>, live: string | undefined, cwd: string, write: (text: string) => void) => Promise<number>;
};

/** `npm test`'s mocha, with .mocharc.json's options, on these test files (name -> source) only: its exit code and output. */
async function suiteOn(files: Record<string, string>): Promise<{ code: number; output: string }> {
    const dir = scratchDir("refarch-load-error-");
    for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
    const config = path.join(dir, "mocharc.json");
    const suite = JSON.parse(fs.readFileSync(path.join(repoRoot, ".mocharc.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(config, JSON.stringify({ ...suite, spec: Object.keys(files).map((name) => path.join(dir, name)) }));
    let output = "";
    const code = await runTogether({ mocha: [...COMMANDS.mocha, "--config", config] }, undefined, repoRoot, (text) => (output += text));
    return { code, output };
}

const PASSES = `it("a test that passes", () => undefined);\n`;

describe("npm test: a test file that fails to load", function () {
    this.timeout(60_000);

    it("fails the run, naming the error and the file, while the other files' tests still run", async () => {
        const { code, output } = await suiteOn({ "passes.test.ts": PASSES, "breaks.test.ts": `throw new Error("this file fails to load");\nit("a test that never runs", () => undefined);\n` });
        expect(code, output).to.equal(1);
        expect(output).to.match(/mocha: failed \(exit [1-9]/);
        expect(output).to.include("Uncaught error outside test suite");
        expect(output).to.include("this file fails to load");
        expect(output).to.include("breaks.test.ts");
        expect(output).to.include("1 passing");
        expect(output).not.to.include("a test that never runs");
    });

    it("and the same run with both files loading passes: the failure above is the load error's", async () => {
        const { code, output } = await suiteOn({ "passes.test.ts": PASSES, "also.test.ts": PASSES.replace("a test", "another test") });
        expect(code, output).to.equal(0);
        expect(output).to.include("2 passing");
    });
});
