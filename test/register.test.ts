// How npm start, the bench and mocha load TypeScript (tools/register.js): each case is a small program in a fresh
// process with caches of its own, so these hold on Node 20 (no compile cache) and 22.1+ (Node's own) alike.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { repoRoot } from "./harness";
import { scratchDir } from "./scratch";

const register = path.join(repoRoot, "tools", "register.js");
const nodeHasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === "function";

/** Every file under `dir`, however deep. */
const filesUnder = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];

/** A TypeScript program: a default import of a CommonJS module, an import() without extension, types, and __dirname. */
function program(value: string): { dir: string; caches: NodeJS.ProcessEnv } {
    const dir = scratchDir("refarch-register-");
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src", "lib.ts"), `export const value: string = ${JSON.stringify(value)};\nexport const where = require("path").basename(__dirname);\n`);
    fs.writeFileSync(
        path.join(dir, "src", "main.ts"),
        'import pathModule from "path";\n' +
            "interface Printed { value: string; where: string; joined: string }\n" +
            'import("./lib").then((lib) => { const printed: Printed = { value: lib.value, where: lib.where, joined: pathModule.join("a", "b") }; console.log(JSON.stringify(printed)); });\n',
    );
    return { dir, caches: { NODE_COMPILE_CACHE: path.join(dir, "node-cache"), SWC_NODE_CACHE_DIR: path.join(dir, "swc-cache") } };
}

function run(dir: string, env: NodeJS.ProcessEnv, script = "src/main.ts", nodeArgs: string[] = []) {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!env.NODE_DISABLE_COMPILE_CACHE) delete environment.NODE_DISABLE_COMPILE_CACHE;
    return spawnSync(process.execPath, [...nodeArgs, "-r", register, script], { cwd: dir, env: environment, encoding: "utf8" });
}

describe("TypeScript loading (tools/register.js)", () => {
    it(`runs a TypeScript program, the same from its caches, and a changed file's new text; Node's compile cache is kept where Node has one (${nodeHasCompileCache ? "this one does" : "not this one"})`, () => {
        const { dir, caches } = program("first");
        const expected = { value: "first", where: "src", joined: path.join("a", "b") };
        for (const attempt of ["first run", "from the caches"]) {
            const child = run(dir, caches);
            expect(child.status, `${attempt}: ${child.stderr}`).to.equal(0);
            expect(JSON.parse(child.stdout), attempt).to.deep.equal(expected);
        }
        expect(filesUnder(caches.SWC_NODE_CACHE_DIR!), "the transform cache is written").to.not.be.empty;
        expect(filesUnder(caches.NODE_COMPILE_CACHE!).length > 0, "the compile cache is written").to.equal(nodeHasCompileCache);
        // Of the same length: a cache that checked only sizes would serve the old text.
        fs.writeFileSync(path.join(dir, "src", "lib.ts"), fs.readFileSync(path.join(dir, "src", "lib.ts"), "utf8").replace('"first"', '"later"'));
        const changed = run(dir, caches);
        expect(JSON.parse(changed.stdout)).to.deep.equal({ ...expected, value: "later" });
    });

    it("under --enable-source-maps (mocha's workers) a crash's stack names the .ts line, first run and from the caches", () => {
        const { dir, caches } = program("unused");
        // Line 3 throws, after a type-only line that transpiling removes.
        fs.writeFileSync(path.join(dir, "src", "thrower.ts"), "type Reason = string;\nconst reason: Reason = 'boom';\nthrow new Error(reason);\n");
        for (const attempt of ["first run", "from the caches"]) {
            const child = run(dir, caches, "src/thrower.ts", ["--enable-source-maps"]);
            expect(child.status, attempt).to.equal(1);
            expect(child.stderr, attempt).to.include(`${path.join(dir, "src", "thrower.ts")}:3`);
        }
    });
});
