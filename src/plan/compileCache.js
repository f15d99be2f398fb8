// A compile cache for every CommonJS module a process loads (the SDK's ~1,700 files, the TypeScript compiler that
// @pulumi/pulumi's closure serializer requires, our transpiled .ts): V8's code for each is kept on disk, so a run
// after the first deserializes it instead of parsing and compiling again. `npm start` is faster for it on every run
// but the first, which writes a file per module and is slower (README "Speed" has both, from `npm run bench`).
// Required first by src/plan/register.js. Plain JavaScript: it runs before anything can load TypeScript.
//
// Node 22.1+ has this built in: module.enableCompileCache (doc/api/module.md, "Module compile cache"). On Node 20
// it is done here, through the hook the v8-compile-cache package uses (Module.prototype._compile with vm.Script's
// cachedData, doc/api/vm.md), not with that package: it asks V8 to serialize every module again on every run and
// rewrites its whole 8 MB file at exit, which made `npm start` slower than no cache at all. Here a module's code
// is written once, after its first run (so the functions it ran are in it), and only read afterwards; a cache V8
// rejects (another Node, other flags) is written again.
//
// Under source maps (mocha's --enable-source-maps, so a failing test shows .ts lines) only the files under
// node_modules are cached: this hook skips where Node records a module's map, and a test's stack needs the maps of
// our .ts, not the SDK's. Left off, Node compiling as usual, with NODE_DISABLE_COMPILE_CACHE set, as for Node's own
// cache. NODE_COMPILE_CACHE names another directory, as for Node's own.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const cacheDir = process.env.NODE_COMPILE_CACHE || path.join(__dirname, "..", "..", "node_modules", ".cache", "refarch-v8");

function enableCompileCache() {
    if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
    if (typeof Module.enableCompileCache === "function") {
        Module.enableCompileCache(cacheDir);
        return;
    }
    const mapped = process.sourceMapsEnabled;
    const toWrite = [];
    const compile = Module.prototype._compile;
    Module.prototype._compile = function compileWithCache(content, filename, format) {
        // An ES module required from CommonJS (Node 20.19+) comes with format "module" (Node's lib/internal/modules/cjs/
        // loader.js, Module._extensions[".js"]): Node loads it as one; only CommonJS is wrapped and cached here.
        if (format !== undefined && format !== "commonjs") return compile.call(this, content, filename, format);
        if (mapped && !filename.includes(`${path.sep}node_modules${path.sep}`)) return compile.call(this, content, filename, format);
        const key = crypto.createHash("sha256").update(`${process.version}\0${filename}\0${content}`).digest("hex");
        const cached = path.join(cacheDir, `${key}.bin`);
        let cachedData;
        try {
            cachedData = fs.readFileSync(cached);
        } catch {
            // First run of this module's text.
        }
        // Node's own CommonJS wrapper (Module.wrap); a shebang line becomes a comment, as Node strips it.
        const script = new vm.Script(Module.wrap(content.startsWith("#!") ? `//${content}` : content), {
            filename,
            cachedData,
            importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
        });
        if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ script, cached });
        const wrapper = script.runInThisContext({ displayErrors: true });
        return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
    };
    process.once("exit", () => {
        if (toWrite.length === 0) return;
        try {
            fs.mkdirSync(cacheDir, { recursive: true });
        } catch {
            return; // A cache that cannot be written costs speed, not correctness.
        }
        for (const { script, cached } of toWrite) {
            try {
                // Written aside and renamed, so a process starting beside this one never reads half a file.
                const partial = `${cached}.${process.pid}`;
                fs.writeFileSync(partial, script.createCachedData());
                fs.renameSync(partial, cached);
            } catch {
                // A cache that cannot be written costs speed, not correctness.
            }
        }
    });
}

/** The `require` a module gets, with the properties Node's own has (doc/api/modules.md, "The module scope"). */
function requireFor(mod) {
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return require;
}

enableCompileCache();
