// The two SDK dependencies npm start and the tests load only when read (src/plan/deferredModules.js): a deferred
// module reads, calls and constructs as the module itself, and the SDK files that require them still do so as
// deferredModules.js expects and get a stand-in (else the deferral would silently stop taking hold).
import { expect } from "chai";
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { types } from "util";
import { scratchDir } from "./scratch";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFERRED, deferred } = require("../src/plan/deferredModules") as {
    DEFERRED: [string, string][];
    deferred<T>(load: () => T): T;
};

/** TypeScript's own CommonJS helper for `import * as m` (tsc's emit, as @pulumi/pulumi's files carry it). */
function importStar(mod: any): any {
    if (mod && mod.__esModule) return mod;
    const result: any = {};
    for (const k in mod) if (Object.prototype.hasOwnProperty.call(mod, k)) result[k] = mod[k];
    result.default = mod;
    return result;
}

describe("modules the SDK loads but the program never reads, loaded when first read", () => {
    it("a stand-in loads its module at the first read, once, and reads, calls and constructs as the module; through import * as, as the module would", () => {
        // A module that is a class with a static property, as @npmcli/arborist exports its Arborist.
        const dir = scratchDir();
        const file = path.join(dir, "counted.js");
        fs.writeFileSync(file, "globalThis.__loads = (globalThis.__loads ?? 0) + 1;\nclass Tree { constructor(opts) { this.path = opts.path; } }\nTree.Tree = Tree;\nmodule.exports = Tree;\n");
        const loads = () => (globalThis as any).__loads ?? 0;
        const before = loads();
        const standIn = deferred(() => require(file));
        const imported = importStar(standIn);
        expect(loads(), "loaded before anything read it").to.equal(before);
        expect(imported, "import * as hands the stand-in on").to.equal(standIn);
        const real = require(file);
        expect(loads()).to.equal(before + 1);
        expect(imported.Tree).to.equal(real.Tree);
        expect(imported.default, "default is the module, as import * as makes it").to.equal(real);
        expect(new imported.Tree({ path: "/x" })).to.be.instanceOf(real).and.to.deep.include({ path: "/x" });
        expect(new (standIn as any)({ path: "/y" })).to.be.instanceOf(real);
        expect("Tree" in (standIn as object)).to.equal(true);
        expect(loads(), "loaded once").to.equal(before + 1);
        // A function module is called as itself.
        const called = deferred(() => (x: number) => x * 2) as unknown as (x: number) => number;
        expect(called(21)).to.equal(42);
    });

    it("each SDK file still requires its module as deferredModules.js expects, and gets a stand-in for it, unread", () => {
        expect(DEFERRED.map(([, request]) => request)).to.deep.equal(["../../typescript-shim", "@npmcli/arborist"]);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("@pulumi/pulumi");
        for (const [file, request] of DEFERRED) {
            const filename = require.resolve(file.split(path.sep).join("/"));
            expect(fs.readFileSync(filename, "utf8"), file).to.include(`require("${request}")`);
            // The require as that file makes it, through the loader register.js set up; isProxy reads nothing through the stand-in.
            const required = (Module as unknown as { _load(request: string, parent: NodeModule, isMain: boolean): unknown })._load(request, require.cache[filename]!, false);
            expect(types.isProxy(required), `${file} requires ${request}`).to.equal(true);
        }
    });
});
