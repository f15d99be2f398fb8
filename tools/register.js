// How `npm start`, `npm run bench`, `npm run mutate` and mocha (.mocharc.json) load the project's TypeScript.
// @swc-node/register: maintained, transforms only our .ts (pirates skips node_modules) and keeps the output on disk;
// of the loaders measured it added the least to `npm start` (tsx parses every .js of the SDK for ESM syntax).
// Plain JavaScript: it is what makes .ts loadable.
"use strict";
const { enableCompileCache } = require("module");

// Node 22.1+ keeps V8's compiled code of every module on disk (https://nodejs.org/api/module.html#module-compile-cache);
// Node 20 has no public equivalent, so it compiles as usual. NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE apply.
enableCompileCache?.();
// Inline maps only: Node applies them under --enable-source-maps (give it to see .ts lines); without it no map is
// applied, as Pulumi formats a stack for every promise (README of @swc-node/register, "Source map memory mode").
process.env.SWC_NODE_SOURCE_MAP_MODE ??= "inline";
require("@swc-node/register");
