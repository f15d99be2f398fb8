// Two modules @pulumi/pulumi loads with its runtime but reads only to serialize a JavaScript function into a
// deployment (runtime/closure: pulumi.runtime.serializeFunction, for dynamic providers and callback functions), which
// this program never does: the TypeScript compiler (9 MB, through runtime/closure/parseFunction.js's
// typescript-shim) and npm's @npmcli/arborist (785 modules, through runtime/closure/codePaths.js). Loading them was
// 0.6 of the 0.86 CPU-seconds @pulumi/pulumi takes to load, in every process that loads the program. Here each is
// loaded when its SDK file first reads it instead. The SDK defers runtime/closure the same way where it can
// (dynamic/index.ts: "Load runtime/closure on demand, as its dependencies are slow to load", pulumi/pulumi#10185),
// but runtime/index.ts re-exports it, so `import * as pulumi` loads it; still so in pulumi/pulumi at 1b59498 (2026-08).
// Required by register.js, so `npm start`, `npm run bench` and mocha; `pulumi up` loads the SDK as it is.
// Plain JavaScript: it runs before anything can load TypeScript.
"use strict";
const Module = require("module");
const path = require("path");

/**
 * [the SDK file that requires it, the request]: each file reads the module's properties only inside its functions
 * (`ts.createSourceFile(...)`, `new arborist.Arborist(...)`), so a stand-in read later is the module read later.
 * test/deferredModules.test.ts checks both files still require them so.
 */
const DEFERRED = [
    [path.join("@pulumi", "pulumi", "runtime", "closure", "parseFunction.js"), "../../typescript-shim"],
    [path.join("@pulumi", "pulumi", "runtime", "closure", "codePaths.js"), "@npmcli/arborist"],
];

/**
 * A stand-in for a module, loaded by `load` when first read, called or constructed. It reads as `__importStar` (the
 * helper TypeScript's CommonJS output wraps `import * as` in) makes a module that is not an ES module: its own
 * properties, `default` the module itself, `__esModule` true, so __importStar hands the stand-in on unread.
 */
function deferred(load) {
    let loaded;
    const real = () => (loaded ??= { module: load() }).module;
    return new Proxy(function () {}, {
        get: (_, key) => (key === "__esModule" ? true : key === "default" && !Reflect.has(real(), "default") ? real() : Reflect.get(real(), key)),
        has: (_, key) => key === "__esModule" || key === "default" || Reflect.has(real(), key),
        apply: (_, self, args) => Reflect.apply(real(), self, args),
        construct: (_, args) => Reflect.construct(real(), args),
    });
}

const load = Module._load;
Module._load = function loadOrDefer(request, parent, isMain) {
    if (parent?.filename && DEFERRED.some(([file, deferredRequest]) => request === deferredRequest && parent.filename.endsWith(path.sep + file))) {
        return deferred(() => load.call(this, request, parent, isMain));
    }
    return load.call(this, request, parent, isMain);
};

module.exports = { DEFERRED, deferred };
