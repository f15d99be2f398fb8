// README and docs/organization.md describe the shipped example: what they state of it is what its plan shows. Run on
// this repository's own organization only (a copy made someone else's, or a fixture, has other stacks and another
// order: test/customize/run.ts leaves this file out of those runs).
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { describeDeployOrder } from "../src/project/stackGraph";
import { organizationAt, repoRoot, threatModelOf } from "./harness";

const shipped = organizationAt(repoRoot);
const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), "utf8");

describe("README and the runbooks state what the shipped example plans", function () {
    this.timeout(120_000);

    it("README's Security model table is the delivery matrix of the shipped organization, summarized", async () => {
        const table = await threatModelOf(shipped);
        expect(read("README.md"), `README.md should hold, under "## Security model":\n${table}`).to.include(table);
    });

    it("README's first deploy and organization.md's two runbooks give the deploy order the plan prints", () => {
        const order = describeDeployOrder([...(shipped.managesOrganization ? ["org"] : []), ...shipped.stages]);
        expect(read("README.md")).to.include(`npm run deploy -- up --yes                     # ${order}`);
        const runbook = read(path.join("docs", "organization.md"));
        for (const section of ["## A new organization, step by step", "## An existing organization"]) {
            const text = runbook.slice(runbook.indexOf(section), runbook.indexOf("\n## ", runbook.indexOf(section) + 1));
            expect(text, section).to.include(order);
        }
    });
});
