// One program start as `pulumi up` starts it: ts-node registered with the options of @pulumi/pulumi's cmd/run/run.js
// (non-ESM branch), transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY, else compilerOptions.noCheck, else ts-node's own
// setting (tsconfig.json's "ts-node" block). Plain JavaScript; prints one JSON line.
const path = require("path");
const { performance } = require("perf_hooks");

const started = performance.now();
const tsutils = require("@pulumi/pulumi/tsutils");
const tsConfigPath = "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const fromEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = fromEnv ? fromEnv === "true" : compilerOptions.noCheck;
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const service = require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly,
    project: tsConfigPath,
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});
// Pulumi.yaml's main; loading it compiles (and, unless transpile-only, type-checks) every module of the program.
require(path.resolve(process.argv[2]));
const usage = process.resourceUsage();
process.stdout.write(
    `${JSON.stringify({
        typeChecked: !service.options.transpileOnly,
        wallMs: performance.now() - started,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssKb: usage.maxRSS,
    })}\n`,
);
