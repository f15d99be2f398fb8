import * as fs from "fs";
import * as path from "path";

/**
 * What runs keep between them under node_modules/.cache: register.js's transpiled .ts and compileCache.js's V8 code
 * (npm start and npm test), and the incremental build info of TypeScript 5's tsc, which npm test kept before it
 * type-checked with TypeScript 7 (a `--before` checkout of an earlier commit may still have one).
 */
export const CACHES = { start: ["refarch-ts", "refarch-v8"], test: ["refarch-ts", "refarch-v8", "refarch-tsc"] };

/** Empties `checkout`'s caches, as a fresh clone after `npm ci` has them. */
export function clearCaches(checkout: string, names: string[]): void {
    for (const name of names) fs.rmSync(path.join(checkout, "node_modules", ".cache", name), { recursive: true, force: true });
}
