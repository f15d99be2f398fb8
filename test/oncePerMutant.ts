// A value several tests share (an organization's evaluation, a plan, the 100-account scale evaluation), computed
// by the first test that needs it: once per run, and under mutation testing once per mutant, never reused
// across mutants.
//
// Stryker's mocha runner loads the test files once per worker and runs each mutant by setting
// `__stryker__.activeMutant` before rerunning the tests (@stryker-mutator/mocha-runner 9.5, mocha-test-runner.ts
// `run`): a value cached for the whole process would test every mutant against the program as the first run
// evaluated it. So the value is computed again when the active mutant changes.
//
// With per-test coverage, Stryker runs a mutant only against the tests whose own run covered it: instrumented code
// counts into `__stryker__.mutantCoverage.perTest[currentTestId]`, and the runner sets `currentTestId` in a root
// beforeEach during its dry run (@stryker-mutator/instrumenter 9.5 util/syntax-helpers.ts, `stryCov_9fa48`). A test
// reading a value an earlier test computed would cover none of the program, and no mutant of it would ever run
// against that test. So the computation records which mutants it covered, and every test that reads the value is
// credited with them. Work in a `before()` hook is credited to whichever test ran last (the runner never clears
// `currentTestId`): shared work goes through here, inside the tests, instead.

type Counts = Record<string, number>;

/** What the Stryker instrumenter and runner keep on `globalThis.__stryker__` (@stryker-mutator/api core/instrument.ts). */
export interface StrykerContext {
    activeMutant?: string;
    currentTestId?: string;
    mutantCoverage?: { static: Counts; perTest: Record<string, Counts> };
}

export const strykerOfThisProcess = (): StrykerContext | undefined => (globalThis as { __stryker__?: StrykerContext }).__stryker__;

/** The counts coverage of `testId` goes to (outside a test, the static ones); empty when nothing is instrumented. */
function countsOf(stryker: StrykerContext | undefined, testId: string | undefined): Counts {
    const coverage = stryker?.mutantCoverage;
    if (!coverage) return {};
    return (testId === undefined ? coverage.static : coverage.perTest[testId]) ?? {};
}

/** Adds `mutants` to the coverage of `testId`, as if its own run had executed them. */
function credit(stryker: StrykerContext | undefined, testId: string, mutants: string[]): void {
    const coverage = stryker?.mutantCoverage;
    if (!coverage || mutants.length === 0) return;
    const counts = (coverage.perTest[testId] ??= {});
    for (const id of mutants) counts[id] = (counts[id] ?? 0) + 1;
}

/**
 * Wraps `compute` so it runs at most once per active mutant (once per run outside mutation testing); each test
 * that reads the value is credited with the mutants its computation covered. A value that is a promise is
 * shared as is, rejected ones included: every test that needs it fails the same way. `stryker` is for the
 * harness's own test; it defaults to this process's Stryker namespace, absent outside mutation testing.
 */
export function oncePerMutant<T>(compute: () => T, stryker: () => StrykerContext | undefined = strykerOfThisProcess): () => T {
    let cached: { mutant: string | undefined; value: T; covered: Promise<string[]> } | undefined;
    return () => {
        const context = stryker();
        const mutant = context?.activeMutant;
        const testId = context?.currentTestId;
        if (!cached || cached.mutant !== mutant) {
            const before = { ...countsOf(context, testId) };
            const value = compute();
            const coveredNow = () => Object.entries(countsOf(stryker(), testId)).flatMap(([id, count]) => (count > (before[id] ?? 0) ? [id] : []));
            cached = { mutant, value, covered: Promise.resolve(value).then(coveredNow, coveredNow) };
        } else if (testId !== undefined) {
            void cached.covered.then((mutants) => credit(stryker(), testId, mutants));
        }
        return cached.value;
    };
}
