import * as fs from "fs";
import * as path from "path";

/**
 * The caches one checkout's runs keep between them, in `scratch`: Node's compile cache (22.1+) and @swc-node's
 * transform cache, each named by the variables both read, so every process of a run (mocha's workers, the npm start
 * the tests spawn) shares them. An older checkout (`--before`) may keep its own under node_modules/.cache.
 */
export function cacheEnvironment(scratch: string, checkout: string): NodeJS.ProcessEnv {
    const dir = path.join(scratch, "caches", path.resolve(checkout).replace(/\W+/g, "_"));
    return { NODE_COMPILE_CACHE: path.join(dir, "node"), SWC_NODE_CACHE_DIR: path.join(dir, "swc") };
}

/** Empties what `cacheEnvironment` names for `checkout`, and its node_modules/.cache, as a fresh clone after `npm ci` has them. */
export function clearCaches(scratch: string, checkout: string): void {
    for (const dir of Object.values(cacheEnvironment(scratch, checkout))) fs.rmSync(dir!, { recursive: true, force: true });
    fs.rmSync(path.join(checkout, "node_modules", ".cache"), { recursive: true, force: true });
}
