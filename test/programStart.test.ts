// `pulumi up` starts the program transpile-only: the Pulumi language host's own ts-node registration
// (replayed by src/plan/bench/languageHost.js) resolves to no type-check, while `npm test` still runs tsc.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { repoRoot } from "./harness";

describe("deploy-time program start", () => {
    it("the language host's ts-node registration loads Pulumi.yaml's main transpile-only", () => {
        const { main } = load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { main: string };
        const env = { ...process.env };
        delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
        const child = spawnSync(process.execPath, [path.join(repoRoot, "src/plan/bench/languageHost.js"), main], { cwd: repoRoot, env, encoding: "utf8" });
        expect(child.status, child.stderr).to.equal(0);
        expect(JSON.parse(child.stdout.trim()).typeChecked).to.equal(false);
    });

    it("npm test type-checks everything tsc sees before mocha runs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(pkg.scripts.test).to.match(/^tsc --noEmit && /);
    });
});
