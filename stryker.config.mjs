// @ts-check
// Mutation testing of the security core: `npm run mutate` (tools/mutation/run.ts runs Stryker with this file, then
// fails on any file under its FILE_BREAK). Options as Stryker 9.5.1 documents them (docs/configuration.md).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
    // The mocha runner reads .mocharc.json: the same tests and TypeScript loader as `npm test`. The fast config and
    // policy tests come first, so a mutant covered while test files load is usually killed in the first seconds.
    testRunner: "mocha",
    mochaOptions: {
        spec: ["test/config.test.ts", "test/config.limits.roles.test.ts", "test/config.limits.people.test.ts", "test/config.limits.audit.test.ts", "test/config.problems.test.ts", "test/teamPolicies.test.ts", "test/config.property.test.ts", "test/wiring.test.ts", "test/**/*.test.ts"],
    },
    // Mutants tsc rejects could never ship: they count as CompileError and never run.
    checkers: ["typescript"],
    tsconfigFile: "tsconfig.json",
    // Each mutant runs only the tests that reached it; test/oncePerMutant.ts keeps shared evaluations per mutant.
    coverageAnalysis: "perTest",
    mutate: [
        "src/policies/**/*.ts",
        "src/config/**/*.ts",
        "src/stages.ts",
        "src/project/stackGraph.ts",
        "src/components/**/*.ts",
        "src/security/**/*.ts",
        // A developer's printout of policy sizes; test/scale.test.ts checks the sizes the program produces.
        "!src/security/policySizes.ts",
    ],
    // Reuses the last run's results from reports/stryker-incremental.json (Stryker's default incrementalFile, not
    // versioned): without it the run is a full one that writes it. After a change to test/harness/ or anything else
    // the tests use but Stryker does not diff, run `npm run mutate -- --force` (docs/incremental.md, "Limitations").
    incremental: true,
    // break: Stryker exits non-zero under 90 overall; no file under 80 is tools/mutation/run.ts's check.
    thresholds: { high: 90, low: 80, break: 90 },
    reporters: ["clear-text", "progress", "html", "json"],
    clearTextReporter: { logTests: false, reportTests: false },
    // A timed-out mutant counts as detected: on a busy shared machine only one 30 s over its tests' time counts as one.
    timeoutMS: 30000,
    // Build output and reports are no input of any test.
    ignorePatterns: ["out", "reports", "policy/node_modules"],
};
export default config;
