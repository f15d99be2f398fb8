// The exact plan of each fixture organization under test/fixtures/<name>/: every resource, input, output
// and the architecture page, as `npm start` writes them, compared with the snapshot committed beside the
// fixture (test/fixtures/<name>/snapshot/). The fixtures are fixed, so their plans may be; the repository's
// own Pulumi.*.yaml are a user's to edit and have no snapshot. When a change to the program is meant to
// change a plan, regenerate the snapshots and review their diff:
//   npm run test:update-snapshots
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../src/plan/cli";
import { repoRoot } from "./harness";

const FIXTURES = path.join(__dirname, "fixtures");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
const contents = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

describe("fixture snapshots", function () {
    this.timeout(120_000);
    const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-snapshots-"));
    after(() => fs.rmSync(temporary, { recursive: true, force: true }));

    for (const name of fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, "Pulumi.yaml")))) {
        const snapshot = path.join(FIXTURES, name, "snapshot");
        it(`${name}: the plan equals test/fixtures/${name}/snapshot/`, async () => {
            const out = path.join(temporary, name);
            const errors: string[] = [];
            const code = await run(["--project", path.join(FIXTURES, name), "--out", out], { stdout: () => undefined, stderr: (t) => errors.push(t), color: false, cwd: repoRoot });
            expect(code, errors.join("\n")).to.equal(0);
            if (UPDATE) {
                fs.rmSync(snapshot, { recursive: true, force: true });
                fs.cpSync(out, snapshot, { recursive: true });
            }
            expect(fs.existsSync(snapshot), `no snapshot for ${name}: run npm run test:update-snapshots`).to.equal(true);
            const [actual, expected] = [contents(out), contents(snapshot)];
            for (const file of Object.keys(expected)) {
                expect(actual[file], `${file} differs from test/fixtures/${name}/snapshot/ (if intended: npm run test:update-snapshots, and review the diff)`).to.equal(expected[file]);
            }
            expect(Object.keys(actual)).to.deep.equal(Object.keys(expected));
        });
    }
});
