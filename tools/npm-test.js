// `npm test`: the type-check (tsc --noEmit) and the suite (mocha, with .mocharc.json) at once, each in its own
// process, so tsc runs while mocha's workers load. tsc's output is printed after the suite's; fails when either
// fails. Arguments go to mocha (`npm test -- --grep people`). Plain JavaScript: it runs before any TypeScript loader.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const repoRoot = path.join(__dirname, "..");

/** A package's file, found from its package.json; `binName` reads the path from its "bin" field. */
function packageFile(pkg, { file, binName }) {
    const manifest = require.resolve(`${pkg}/package.json`);
    return path.join(path.dirname(manifest), file ?? require(manifest).bin[binName]);
}

/**
 * Mocha's `node-option` setting as Node arguments: each entry is a Node flag without its dashes
 * (https://mochajs.org/#-node-option-name-n-name). Given here, so mocha's `_mocha` bin runs in this one process
 * instead of `mocha` starting a second Node for them; its parallel workers inherit them.
 */
function mochaNodeArgs(config = require("../.mocharc.json")) {
    return (config["node-option"] ?? []).map((option) => `--${option}`);
}

/**
 * TypeScript 7's native tsc (the `typescript-7` alias; `typescript` stays 5.9 for ts-node and Stryker). TypeScript 7
 * dropped `moduleResolution: node`, which tsconfig.json keeps for Pulumi's ts-node, so bundler is named here
 * (https://github.com/microsoft/TypeScript/issues/62200). Single-threaded: mocha's two workers hold both cores.
 */
const COMMANDS = {
    "tsc --noEmit": [packageFile("typescript-7", { file: "bin/tsc" }), "--noEmit", "--moduleResolution", "bundler", "--singleThreaded"],
    mocha: [...mochaNodeArgs(), packageFile("mocha", { binName: "_mocha" })],
};

/** tsc 7 is a Go program: GOGC=off collects only near GOMEMLIMIT (https://github.com/golang/go/issues/48409). */
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

module.exports = { COMMANDS, mochaNodeArgs, runTogether };

if (require.main === module) {
    const commands = { ...COMMANDS, mocha: [...COMMANDS.mocha, ...process.argv.slice(2)] };
    runTogether(commands, "mocha", repoRoot).then((code) => (process.exitCode = code));
}
