// One program start the way `pulumi up` starts it: @pulumi/pulumi 3.248's language host runs
// node_modules/@pulumi/pulumi/cmd/run with PULUMI_NODEJS_TYPESCRIPT=true, which registers ts-node with the
// options below (cmd/run/run.js, the non-ESM branch) and then requires the program. transpileOnly comes from
// PULUMI_NODEJS_TRANSPILE_ONLY, else the tsconfig's compilerOptions.noCheck, else undefined, which leaves it to
// ts-node: its default (type-check) unless tsconfig.json's "ts-node" block says otherwise.
// Plain JavaScript: it must not need ts-node before it registers ts-node. Prints one JSON line.
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
