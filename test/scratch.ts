// Scratch directories for tests, and the root hook that removes them: .mocharc.json requires this file, so its
// `mochaHooks` run after every file in --parallel mode (https://mochajs.org/#root-hook-plugins) and after each
// Stryker run. It loads nothing heavy: mocha's main process requires it too.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const scratch: string[] = [];

/** A new empty directory under the OS's temporary directory, removed when the test file's run ends. */
export function scratchDir(prefix = "refarch-test-"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    scratch.push(dir);
    return dir;
}

const lasting: string[] = [];
process.once("exit", () => lasting.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * A new empty directory that outlives the test file, for a value files share (mocha --parallel runs several files
 * in one worker); removed when the process exits, or by its owner when it makes the next.
 */
export function lastingScratchDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    lasting.push(dir);
    return dir;
}

export const mochaHooks = {
    afterAll(): void {
        for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
};
