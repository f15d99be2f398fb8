// A value several tests share (an evaluation, a plan), computed once per run and, under Stryker, once per active
// mutant: its mocha runner reruns the loaded tests per mutant (@stryker-mutator/mocha-runner 9.5 mocha-test-runner.ts).
// With per-test coverage, each test that reads the value is credited with the mutants its computation covered
// (coverage counts as @stryker-mutator/instrumenter 9.5 util/syntax-helpers.ts `stryCov_9fa48` keeps them); shared
// work goes through here inside tests, not in a before() hook, whose coverage goes to whichever test ran last.

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
