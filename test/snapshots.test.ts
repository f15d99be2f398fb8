// The exact plan of each fixture organization under test/fixtures/<name>/: every resource, input, output
// and the architecture page, as `npm start` writes them (organizationAt(fixture).plan(), shared with other files), compared
// with the snapshot committed beside the fixture (test/fixtures/<name>/snapshot/). The fixtures are fixed, so their plans may be; the repository's
// own Pulumi.*.yaml are a user's to edit and have no snapshot. When a change to the program is meant to
// change a plan, regenerate the snapshots and review their diff:
//   npm run test:update-snapshots
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { organizationAt } from "./harness";

const FIXTURES = path.join(__dirname, "fixtures");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
const contents = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

describe("fixture snapshots", function () {
    this.timeout(120_000);

    for (const name of fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, "Pulumi.yaml")))) {
        const snapshot = path.join(FIXTURES, name, "snapshot");
        it(`${name}: the plan equals test/fixtures/${name}/snapshot/`, async () => {
            const { result, out } = await organizationAt(path.join(FIXTURES, name)).plan();
            expect(result.code, result.stderr).to.equal(0);
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
