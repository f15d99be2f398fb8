// Config that cannot crash the program: whatever a stack file holds, validateConfig returns a valid config or
// throws one ConfigError listing the problems, never another exception, and the program registers nothing
// from a config that failed. fast-check generates the values; the seed is fixed so a failure reproduces
// (fast-check prints the seed and path of a failing case; rerun with them to replay it).
import { expect } from "chai";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CONFIG_KEYS, ConfigError, validateConfig } from "../src/config";
import { stackConfig } from "../src/project";
import { org } from "./harness";

const project = org.project;

/** Cases per property. */
export const RUNS = 3000;
const SEED = 20261128;
const STACKS = Object.keys(project.stackConfigs);
/** Every key the program reads, every key the stacks set, and two it refuses (one it never reads, one misspelt). */
const KEYS = [...new Set([...CONFIG_KEYS, ...STACKS.flatMap((s) => Object.keys(stackConfig(project, s))), "aws:allowedAccountIds", "refarch:netwrok"])];

/** Any value as Pulumi hands it to a program: text, or JSON of anything (wrong types, nulls, unicode, deep and wide maps). */
const configText = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom("true", "false", "null", "0", "-1", "1e309", "123456789012", "{}", "[]", '""', "__proto__", '{"__proto__":{"x":1}}', '{"constructor":1}'),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 60 }).map((v) => JSON.stringify(v)),
);

/** A stack's real config with some keys replaced by arbitrary values or removed. */
const mutatedConfig = fc.record({
    // Pulumi stack names: letters, digits, -, _ and . (a stack of no stage is a config problem like any other).
    stack: fc.oneof(fc.constantFrom(...STACKS), fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/)),
    changes: fc.dictionary(fc.constantFrom(...KEYS), fc.option(configText, { nil: undefined }), { minKeys: 1, maxKeys: 4 }),
});

function valuesOf(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
    const values: Record<string, string> = { ...stackConfig(project, STACKS.includes(stack) ? stack : STACKS[0]) };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete values[key];
        else values[key] = value;
    }
    return values;
}

/** Only a ConfigError, whose every problem names a file, a key and a fix. */
function holdsTheContract(stack: string, values: Record<string, string>): boolean {
    try {
        validateConfig({ organization: "acme-org", project: project.name, stack, values });
        return true;
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // node:assert, not chai: this runs 6,000 times, and chai's chained assertions were a fifth of the file's time.
        assert.ok(err.problems.length > 0, "a ConfigError with no problem");
        for (const problem of err.problems) {
            assert.match(problem, /^Pulumi(\.[^ ]+)?\.yaml: .* Fix: \S/s);
            // A reason and a value to set, both said: no empty "why" before the fix, no fix that ends before its value.
            assert.doesNotMatch(problem, / \. Fix: /);
            assert.doesNotMatch(problem, /[:\s]$/);
            // Every schema message carries the example its fix sets (hint() in src/config/schema.ts).
            assert.doesNotMatch(problem, /(: |with )undefined$/);
        }
        return false;
    }
}

describe("config that cannot crash the program (property-based)", () => {
    it(`any value for any key: a valid config or one ConfigError, never another exception (${RUNS} cases)`, () => {
        fc.assert(
            fc.property(mutatedConfig, ({ stack, changes }) => {
                holdsTheContract(stack, valuesOf(stack, changes));
            }),
            { numRuns: RUNS, seed: SEED },
        );
    });

    it(`arbitrary maps for the structured keys, from nothing (${RUNS} cases)`, () => {
        fc.assert(
            fc.property(fc.constantFrom(...STACKS), fc.dictionary(fc.constantFrom(...KEYS), configText, { maxKeys: KEYS.length }), (stack, values) => {
                holdsTheContract(stack, values);
            }),
            { numRuns: RUNS, seed: SEED + 1 },
        );
    });

    it("the program registers nothing from a config that failed (evaluated for real, 25 failing cases)", async () => {
        const failing = fc
            .sample(mutatedConfig, { numRuns: 400, seed: SEED + 2 })
            .filter(({ stack, changes }) => STACKS.includes(stack) && !holdsTheContract(stack, valuesOf(stack, changes)))
            .slice(0, 25);
        expect(failing).to.have.length(25);
        for (const { stack, changes } of failing) {
            const evaluation = await org.evaluateWith(stack, changes);
            expect(evaluation.error, JSON.stringify(changes)).to.be.instanceOf(ConfigError);
            expect(evaluation.resources, JSON.stringify(changes)).to.deep.equal([]);
        }
    });
});
