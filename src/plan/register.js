// How `npm start` (and `npm run bench`) load the program's TypeScript: each .ts file is transpiled by esbuild's
// transform API (https://esbuild.github.io/api/#transform; options as node_modules/esbuild/lib/main.d.ts types
// them) into CommonJS as it is required. Only syntax is removed, as ts-node's transpile-only does: the type-check
// is `tsc --noEmit` in `npm test`. ts-node loads the whole TypeScript compiler first (about 2 s of a 3 s plan).
// Source maps are written inline but not applied: Pulumi formats a stack trace for every promise it makes
// (@pulumi/pulumi runtime/debuggable.js), and mapping each one cost a tenth of the plan. To see .ts lines in a
// crash's stack, run with NODE_OPTIONS=--enable-source-maps.
// Plain JavaScript: it is what makes .ts loadable.
"use strict";
const { transformSync } = require("esbuild");
const fs = require("fs");
const path = require("path");

// esbuild reads from it what changes emitted code (strict mode, class fields from its target), comments allowed.
const tsconfig = fs.readFileSync(path.join(__dirname, "..", "..", "tsconfig.json"), "utf8");

require.extensions[".ts"] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
        loader: "ts",
        format: "cjs",
        // The Node this project runs on (package.json engines); tsconfig.json's ES2022 is for tsc.
        target: `node${process.versions.node}`,
        sourcefile: filename,
        sourcemap: "inline",
        tsconfigRaw: tsconfig,
    });
    module._compile(code, filename);
};
