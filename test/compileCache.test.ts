// npm start's compile cache (src/plan/compileCache.js): a module run from the cache behaves as Node runs it, a changed
// module runs its new text, a damaged cache costs nothing but speed, and under source maps the SDK is still cached
// while a stack trace still names the .ts line. Each case is a small program in a fresh process with its own cache directory (NODE_COMPILE_CACHE),
// so these hold on Node 20 (the hook) and on 22.1+ (Node's own cache) alike.
import { expect } from "chai";
import { spawnSync } from "child_process";
import { transformSync } from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./harness";
import { scratchDir } from "./scratch";

const compileCache = path.join(repoRoot, "src", "plan", "compileCache.js");

/** Every file under `dir` (Node's own cache keeps a subdirectory per Node version). */
const filesUnder = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];

/** A program of two modules: what it prints shows `require`, `require.resolve`, `module`, `__filename` and `__dirname` at work. */
function program(value: string): { dir: string; cache: string } {
    const dir = scratchDir("refarch-compile-cache-");
    fs.writeFileSync(path.join(dir, "lib.js"), `#!/usr/bin/env node\nexports.value = ${JSON.stringify(value)};\nexports.where = require("path").basename(__dirname) + "/" + require("path").basename(__filename);\n`);
    fs.writeFileSync(
        path.join(dir, "main.js"),
        'const lib = require("./lib");\n' +
            'console.log(JSON.stringify({ value: lib.value, where: lib.where, resolved: require.resolve("./lib") === require.cache[require.resolve("./lib")].filename, main: require.main === module }));\n',
    );
    return { dir, cache: path.join(dir, "cache") };
}

function run(dir: string, cache: string, extra: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; script?: string } = {}) {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: cache, ...extra.env };
    if (!extra.env?.NODE_DISABLE_COMPILE_CACHE) delete env.NODE_DISABLE_COMPILE_CACHE;
    return spawnSync(process.execPath, [...(extra.nodeArgs ?? []), "-r", compileCache, path.join(dir, extra.script ?? "main.js")], { cwd: dir, env, encoding: "utf8" });
}

describe("npm start's compile cache", () => {
    it("a program prints the same on its first run, which fills the cache, and on a run from it; a changed module runs its new text", () => {
        const { dir, cache } = program("first");
        const expected = { value: "first", where: `${path.basename(dir)}/lib.js`, resolved: true, main: true };
        const cold = run(dir, cache);
        expect(cold.status, cold.stderr).to.equal(0);
        expect(JSON.parse(cold.stdout)).to.deep.equal(expected);
        const written = filesUnder(cache);
        expect(written, "the first run writes the cache").to.not.be.empty;
        const warm = run(dir, cache);
        expect(JSON.parse(warm.stdout)).to.deep.equal(expected);

        // Of the same length: V8 itself checks only a cached script's length against the source.
        fs.writeFileSync(path.join(dir, "lib.js"), fs.readFileSync(path.join(dir, "lib.js"), "utf8").replace('"first"', '"later"'));
        const changed = run(dir, cache);
        expect(changed.status, changed.stderr).to.equal(0);
        expect(JSON.parse(changed.stdout)).to.deep.equal({ ...expected, value: "later" });
    });

    it("an ES module required from CommonJS loads as Node loads it, on a first run and on a run after it", () => {
        // A .js file in a "type": "module" package, as mutation-testing-metrics is: Node 20.19+ requires it as an ES module.
        const { dir, cache } = program("unused");
        fs.mkdirSync(path.join(dir, "esm"));
        fs.writeFileSync(path.join(dir, "esm", "package.json"), '{ "type": "module" }\n');
        fs.writeFileSync(path.join(dir, "esm", "index.js"), 'export const value = "from an ES module";\n');
        fs.writeFileSync(path.join(dir, "requires-esm.js"), 'console.log(require("./esm/index.js").value);\n');
        for (const attempt of ["first", "second"]) {
            const child = run(dir, cache, { script: "requires-esm.js" });
            expect(child.status, `${attempt}: ${child.stderr}`).to.equal(0);
            expect(child.stdout.trim(), attempt).to.equal("from an ES module");
        }
    });

    it("a damaged cache file is not used: the program runs as without one, and the file is written again", () => {
        const { dir, cache } = program("intact");
        expect(run(dir, cache).status).to.equal(0);
        const garbage = Buffer.alloc(64, 7);
        for (const file of filesUnder(cache)) fs.writeFileSync(path.join(cache, file), garbage);
        const damaged = run(dir, cache);
        expect(damaged.status, damaged.stderr).to.equal(0);
        expect(JSON.parse(damaged.stdout)).to.deep.include({ value: "intact" });
        expect(filesUnder(cache).filter((file) => fs.readFileSync(path.join(cache, file)).equals(garbage))).to.deep.equal([]);
    });

    it("NODE_DISABLE_COMPILE_CACHE turns it off: nothing is written", () => {
        const { dir, cache } = program("off");
        const child = run(dir, cache, { env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
        expect(JSON.parse(child.stdout)).to.deep.include({ value: "off" });
        expect(filesUnder(cache)).to.deep.equal([]);
    });

    it("under --enable-source-maps (mocha's workers) the modules under node_modules are still cached and run from the cache", () => {
        const { dir, cache } = program("unused");
        fs.mkdirSync(path.join(dir, "node_modules", "dep"), { recursive: true });
        fs.writeFileSync(path.join(dir, "node_modules", "dep", "index.js"), 'exports.value = "from node_modules";\n');
        fs.writeFileSync(path.join(dir, "uses-dep.js"), 'console.log(require("dep").value);\n');
        for (const attempt of ["first", "second"]) {
            const child = run(dir, cache, { nodeArgs: ["--enable-source-maps"], script: "uses-dep.js" });
            expect(child.status, `${attempt}: ${child.stderr}`).to.equal(0);
            expect(child.stdout.trim(), attempt).to.equal("from node_modules");
            expect(filesUnder(cache), attempt).to.not.be.empty;
        }
    });

    it("under --enable-source-maps a crash's stack names the .ts line, on a first run and on a run after it", () => {
        const { dir, cache } = program("unused");
        // Line 3 of thrower.ts throws; esbuild's inline source map is how register.js maps transpiled .ts back.
        const source = "const reason: string = 'boom';\n\nthrow new Error(reason);\n";
        fs.writeFileSync(path.join(dir, "thrower.js"), transformSync(source, { loader: "ts", format: "cjs", sourcemap: "inline", sourcefile: path.join(dir, "thrower.ts") }).code);
        for (const attempt of ["first", "second"]) {
            const child = run(dir, cache, { nodeArgs: ["--enable-source-maps"], script: "thrower.js" });
            expect(child.status, attempt).to.equal(1);
            expect(child.stderr, attempt).to.include(`${path.join(dir, "thrower.ts")}:3`);
        }
    });
});
