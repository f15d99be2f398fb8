// `npm run mutate`'s gate (tools/mutation/run.ts): besides Stryker's own break threshold on the overall score, it fails
// when any one file scores under 80, naming each such file, worst first, with the score Stryker's report shows.
import { expect } from "chai";
import { FILE_BREAK, verdict } from "../tools/mutation/run";

type Status = "Killed" | "Timeout" | "Survived" | "NoCoverage" | "CompileError" | "RuntimeError";

/** A file of a Stryker JSON report with these mutant statuses. */
const file = (...statuses: Status[]) => ({
    language: "typescript",
    source: "",
    mutants: statuses.map((status, i) => ({ id: String(i), mutatorName: "ConditionalExpression", location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, status })),
});
const times = (n: number, status: Status): Status[] => Array<Status>(n).fill(status);

describe("npm run mutate's gate", () => {
    it(`fails on a file under ${FILE_BREAK} even when Stryker passed, naming it with its score; a file at exactly ${FILE_BREAK} passes`, () => {
        const report = {
            files: {
                // 79 of 100 detected (killed or timed out); compile errors count in neither side.
                "src/weak.ts": file(...times(70, "Killed"), ...times(9, "Timeout"), ...times(20, "Survived"), "NoCoverage", ...times(5, "CompileError")),
                "src/edge.ts": file(...times(80, "Killed"), ...times(20, "Survived"), "RuntimeError"),
                "src/strong.ts": file(...times(10, "Killed")),
            },
        };
        expect(verdict(0, report)).to.deep.equal({ code: 1, messages: [`npm run mutate: src/weak.ts scores 79.00, under the ${FILE_BREAK} every file must reach`] });
    });

    it("lists every weak file, worst first; a file whose every mutant was a compile error has no score and is not one", () => {
        const report = {
            files: {
                "src/a.ts": file("Killed", "Survived"),
                "src/components/b.ts": file("Survived", "Survived", "Survived", "Killed"),
                "src/types.ts": file("CompileError", "CompileError"),
            },
        };
        const { code, messages } = verdict(0, report);
        expect(code).to.equal(1);
        expect(messages).to.deep.equal([
            `npm run mutate: src/components/b.ts scores 25.00, under the ${FILE_BREAK} every file must reach`,
            `npm run mutate: src/a.ts scores 50.00, under the ${FILE_BREAK} every file must reach`,
        ]);
    });

    it("passes when Stryker passed and every file reaches the bar; keeps Stryker's exit code when it failed", () => {
        const report = { files: { "src/a.ts": file("Killed", "Timeout", "CompileError") } };
        expect(verdict(0, report)).to.deep.equal({ code: 0, messages: [] });
        expect(verdict(2, report)).to.deep.equal({ code: 2, messages: ["npm run mutate: Stryker exited 2 (under its break threshold, or it failed)"] });
    });
});
