// `npm test`: the type-check (tsc --noEmit) and the suite (mocha, with .mocharc.json) at once, each in its own
// process, so a 2-core machine runs tsc while mocha's workers load and test. Mocha prints as it goes; tsc's output,
// buffered so the two never interleave, follows the suite's. Fails when either fails. Arguments go to mocha
// (`npm test -- --grep people`). Plain JavaScript: it starts before anything loads TypeScript.
"use strict";
const { spawn } = require("child_process");
const path = require("path");
const { isNodeFlag, unparseNodeFlags } = require("mocha/lib/cli/node-flags");

const repoRoot = path.join(__dirname, "..");
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/**
 * The two commands of `npm test`, as node arguments. The type-check is TypeScript 7's native `tsc` (package.json's
 * `typescript-7`, an npm alias of typescript@7.0.2, TypeScript's Go port; it ships no JavaScript API, so `typescript`
 * stays 5.9 for ts-node, Pulumi's language host and Stryker's checker). It reads tsconfig.json, whose
 * `moduleResolution: node` (node10) it no longer knows: TypeScript 7 removed node10 and defaults `module: commonjs` to
 * bundler (https://github.com/microsoft/TypeScript/issues/62200, https://github.com/microsoft/TypeScript/pull/62338), so
 * the command names bundler. tsconfig.json keeps node10 because Pulumi's language host adds
 * `moduleResolution: nodenext` under the tsconfig's options (@pulumi/pulumi cmd/run/run.js), which TypeScript 5
 * refuses beside `module: commonjs`, and 5 allows bundler only with ES modules.
 * Single-threaded: the two mocha workers hold both cores, and its checker threads would only compete with them.
 */
const COMMANDS = {
    "tsc --noEmit": [bin("typescript-7", "bin/tsc"), "--noEmit", "--moduleResolution", "bundler", "--singleThreaded"],
    // Mocha's CLI itself, started with .mocharc.json's Node flags, picked and written out by mocha's own code: its
    // bin/mocha.js would start it again in a second Node process to pass them (mocha's bin/mocha.js, "forking child
    // process"), a third of a second and a process more. Its workers inherit them (buffered-worker-pool.js execArgv).
    mocha: [...unparseNodeFlags(Object.fromEntries(Object.entries(require("../.mocharc.json")).filter(([key]) => isNodeFlag(key)))), bin("mocha", "lib/cli/cli.js")],
};

/**
 * What a command gets in its environment beside npm's. tsc 7 is a Go program: with GOGC=off its garbage collector
 * runs only once the heap nears GOMEMLIMIT (https://github.com/golang/go/issues/48409: "by setting GOGC=off, the Go
 * runtime will always grow the heap to the full memory limit"). Checking this project peaks at ~430 MB either way,
 * and takes ~2.05 CPU-seconds instead of ~2.7 (three alternating runs each, /usr/bin/time); a project that needs
 * more than 1 GiB is collected as usual past it.
 */
const ENVIRONMENT = { "tsc --noEmit": { GOGC: "off", GOMEMLIMIT: "1GiB" } };

/**
 * Runs `commands` (name -> node arguments) at once in `cwd`. The one named `live` prints as it runs; the others'
 * output is printed when all have ended, each under its name. Resolves to 0 when every one exits 0, else 1.
 */
function runTogether(commands, live, cwd, write = (text) => process.stdout.write(text)) {
    const runs = Object.entries(commands).map(
        ([name, args]) =>
            new Promise((resolve) => {
                const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...ENVIRONMENT[name] }, stdio: name === live ? "inherit" : ["ignore", "pipe", "pipe"] });
                let output = "";
                child.stdout?.on("data", (chunk) => (output += chunk));
                child.stderr?.on("data", (chunk) => (output += chunk));
                child.on("error", (err) => resolve({ name, code: 1, output: `${output}${err.message}\n` }));
                child.on("close", (code, signal) => resolve({ name, code: code ?? 1, signal, output }));
            }),
    );
    return Promise.all(runs).then((results) => {
        for (const { name, code, signal, output } of results.filter((r) => r.name !== live)) {
            write(`\n${name}: ${code === 0 ? "passed" : signal ? `stopped by ${signal}` : `failed (exit ${code})`}\n${output}`);
        }
        return results.every((r) => r.code === 0) ? 0 : 1;
    });
}

module.exports = { COMMANDS, runTogether };

if (require.main === module) {
    const commands = { ...COMMANDS, mocha: [...COMMANDS.mocha, ...process.argv.slice(2)] };
    runTogether(commands, "mocha", repoRoot).then((code) => (process.exitCode = code));
}
