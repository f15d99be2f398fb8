// @ts-check
// Mutation testing of the security core: `npm run mutate` (test/mutation/run.ts runs Stryker with this file, then
// fails on any file under FILE_BREAK there). Too slow for .ci/run; README "Mutation testing" has the score.
// Options as Stryker 9.5.1 documents them: docs/configuration.md, docs/mocha-runner.md, docs/incremental.md and
// docs/typescript-checker.md of stryker-mutator/stryker-js at tag v9.5.1. Stryker 10 needs Node 22; this project runs on 20.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
    // The mocha runner reads .mocharc.json itself: the same test files and TypeScript loading as `npm test`, with the
    // fast tests of config and policies first. A mutant covered while the test files load (a zod schema, a constant)
    // runs against every test, in this order, until one fails: most are killed in the first seconds. (A file listed
    // twice loads once: mocha requires it, and the second require is Node's cached module.)
    testRunner: "mocha",
    mochaOptions: {
        spec: ["test/config.test.ts", "test/config.limits.test.ts", "test/teamPolicies.test.ts", "test/config.property.test.ts", "test/wiring.test.ts", "test/**/*.test.ts"],
    },
    // tsc rejects a third of the mutants of a typed file (a removed block that no longer returns, a comparison of
    // disjoint literal types): they could never ship, so they are CompileError, out of the score, and never run. On
    // src/project/stackGraph.ts, 19 of 61; the checker costs ~30 s to start, 2.5 GB and an in-memory type-check per mutant,
    // less than the test run each of those mutants would otherwise get (most of them load-time ones: the whole suite).
    checkers: ["typescript"],
    tsconfigFile: "tsconfig.json",
    // Each mutant runs only the tests that reached it in the dry run. Tests must not share an evaluation across
    // mutants for this to hold (test/harness.ts evaluates once per mutant).
    coverageAnalysis: "perTest",
    mutate: [
        "src/policies.ts",
        "src/config/**/*.ts",
        "src/stages.ts",
        "src/project/stackGraph.ts",
        "src/components/**/*.ts",
        "src/security/**/*.ts",
        // A developer's printout of policy sizes (README "Scale"); the sizes of the documents the program really
        // produces at 100 accounts are checked by test/scale.test.ts.
        "!src/security/policySizes.ts",
    ],
    // Results are kept in this committed file, so a rerun tests only the mutants whose code or tests changed. Stryker
    // sees changes to mutated files and test files only: after a change to test/harness.ts or anything else they
    // use, run `npm run mutate -- --force` (docs/incremental.md, "Limitations").
    incremental: true,
    incrementalFile: "test/mutation/incremental.json",
    // break: Stryker exits non-zero under 90 overall; no file under 80 is test/mutation/run.ts's check.
    thresholds: { high: 90, low: 80, break: 90 },
    reporters: ["clear-text", "progress", "html", "json"],
    clearTextReporter: { logTests: false, reportTests: false },
    // Stryker times a mutant out at netTime * 1.5 + timeoutMS, and counts a timeout as detected: on a busy shared
    // machine 5 s (the default) let slow evaluations pass as timeouts, so a mutant must run 30 s over to count as one.
    timeoutMS: 30000,
    // Copied into each sandbox otherwise: build output and reports are no input of any test.
    ignorePatterns: ["out", "reports", "policy/node_modules"],
};
export default config;
