// How `npm start`, `npm run bench` and mocha (.mocharc.json) load the project's TypeScript: each .ts file is
// transpiled by esbuild's transform API (https://esbuild.github.io/api/#transform; options as
// node_modules/esbuild/lib/main.d.ts types them) into CommonJS as it is required. Only syntax is removed, as
// ts-node's transpile-only does: the type-check is `tsc --noEmit` in `npm test`. ts-node loads the whole
// TypeScript compiler first (about 2 s of a 3 s plan).
// The output is kept in node_modules/.cache/refarch-ts under a hash of the source, the options and esbuild's
// version, so a file is transpiled again only after it changed, and a run with nothing changed starts no esbuild.
// Source maps are written inline but not applied: Pulumi formats a stack trace for every promise it makes
// (@pulumi/pulumi runtime/debuggable.js), and mapping each one cost a tenth of the plan. To see .ts lines in a
// crash's stack, run with NODE_OPTIONS=--enable-source-maps, as .mocharc.json does for the tests' failures.
// Every module's compiled code is cached too (compileCache.js, required first), and two modules the SDK loads but
// this program never reads are loaded only if read (deferredModules.js).
// Plain JavaScript: it is what makes .ts loadable.
"use strict";
require("./compileCache");
require("./deferredModules");
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const repoRoot = path.join(__dirname, "..", "..");
const cacheDir = path.join(repoRoot, "node_modules", ".cache", "refarch-ts");
// esbuild reads from it what changes emitted code (strict mode, class fields from its target), comments allowed.
const tsconfig = fs.readFileSync(path.join(repoRoot, "tsconfig.json"), "utf8");
const esbuildVersion = require("esbuild/package.json").version;

function transpile(source, filename) {
    const options = {
        loader: "ts",
        format: "cjs",
        // The Node this runs on (package.json engines); tsconfig.json's ES2022 is for tsc.
        target: `node${process.versions.node}`,
        sourcefile: filename,
        sourcemap: "inline",
        // import() becomes require(), as tsc emits it for tsconfig.json's "module": "commonjs": Node's own import()
        // would resolve "../src/x" without the .ts extension hook and fail (https://esbuild.github.io/api/#supported).
        supported: { "dynamic-import": false },
        tsconfigRaw: tsconfig,
    };
    const key = createHash("sha256").update(JSON.stringify([esbuildVersion, options, source])).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not transpiled yet: esbuild is loaded only now.
    }
    const esbuild = require("esbuild");
    const { code } = esbuild.transformSync(source, options);
    stopEsbuildAfterThisLoad(esbuild);
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        // Written aside and renamed, so a process running beside this one never reads half a file.
        const partial = `${cached}.${process.pid}`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, cached);
    } catch {
        // A cache that cannot be written costs speed, not correctness.
    }
    return code;
}

let stopTimer;
/**
 * transformSync runs esbuild in a worker thread that talks to an esbuild child process; both stay up until stop() or
 * until Node exits (esbuild's lib/main.d.ts, stop()), some 30 MB held while the program runs on. Files come in
 * bursts (the entry and everything it imports; mocha's test files one after another), so 50 ms after the last
 * transpile they are stopped; a file transpiled later starts them again.
 */
function stopEsbuildAfterThisLoad(esbuild) {
    clearTimeout(stopTimer);
    stopTimer = setTimeout(() => esbuild.stop(), 50).unref();
}

require.extensions[".ts"] = (module, filename) => module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
