// Writes a plan directory all at once: the files go to a fresh sibling directory that is renamed into
// place only when every file is written, so a failed run never leaves a partial or mixed plan.
import * as fs from "fs";
import * as path from "path";

export const ARCHITECTURE_FILE = "architecture.md";

/**
 * Replaces `outDir` with `files` (name -> text). With `keepOthers` (a `--stack` run) the earlier plan's other
 * files are carried into the new directory unchanged; without it, only `files` remain. Refuses to replace a
 * directory that is not a plan.
 */
export function writePlanDir(outDir: string, files: Record<string, string>, options: { keepOthers?: boolean } = {}): void {
    const target = path.resolve(outDir);
    const parent = path.dirname(target);
    fs.mkdirSync(parent, { recursive: true });
    const exists = fs.existsSync(target);
    if (exists) assertPlanDir(target);
    const staged = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}-new-`));
    try {
        if (exists && options.keepOthers) {
            const written = new Set(Object.keys(files));
            for (const name of fs.readdirSync(target).filter((f) => !written.has(f))) fs.copyFileSync(path.join(target, name), path.join(staged, name));
        }
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(staged, name), text);
        if (exists) {
            const old = `${staged}-old`;
            fs.renameSync(target, old);
            try {
                fs.renameSync(staged, target);
            } catch (err) {
                fs.renameSync(old, target);
                throw err;
            }
            fs.rmSync(old, { recursive: true, force: true });
        } else {
            fs.renameSync(staged, target);
        }
    } finally {
        fs.rmSync(staged, { recursive: true, force: true });
    }
}

/** A directory holding only what a plan run writes; anything else means the path was given by mistake. */
function assertPlanDir(dir: string): void {
    if (!fs.statSync(dir).isDirectory()) throw new Error(`--out ${dir}: is a file, not a plan directory. Fix: give a directory path, e.g. out/plan`);
    const foreign = fs.readdirSync(dir).find((f) => !(f.endsWith(".json") || f === ARCHITECTURE_FILE) || !fs.statSync(path.join(dir, f)).isFile());
    if (foreign !== undefined) {
        throw new Error(`--out ${dir}: holds ${foreign}, which a plan run does not write, so it will not be replaced. Fix: give an empty or new directory, e.g. --out out/plan`);
    }
}
