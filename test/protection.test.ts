// root, prod and audit protect what they create; the audit bucket and key outlive their stack; testing
// protects nothing, so `pulumi destroy -s testing` needs no manual step.
import { expect } from "chai";
import { PERSONAL_RESOURCE_TYPES } from "../policy/rules/protectedStagesProtect";
import { evaluateWith, shippedStack } from "./harness";

describe("protection", () => {
    for (const stack of ["root", "prod", "audit"]) {
        it(`${stack}: every resource it creates is protected, but a person's own (offboarding is one edit)`, async () => {
            const evaluation = await shippedStack(stack);
            const created = evaluation.resources.filter((r) => !r.read);
            const personal = created.filter((r) => PERSONAL_RESOURCE_TYPES.includes(r.type));
            expect(created.length - personal.length).to.be.greaterThan(5);
            expect(created.filter((r) => !r.protect && !personal.includes(r)).map((r) => r.name)).to.deep.equal([]);
            expect(personal.filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    for (const stack of ["staging", "dev", "testing"]) {
        it(`${stack}: nothing is protected or retained`, async () => {
            const evaluation = await shippedStack(stack);
            expect(evaluation.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        });
    }

    it("audit: the bucket and the key are retained on delete, the rest is not", async () => {
        const retained = (await shippedStack("audit")).resources.filter((r) => r.retainOnDelete).map((r) => r.type);
        expect(retained).to.have.members(["aws:s3/bucket:Bucket", "aws:kms/key:Key"]);
    });

    it("refarch:protect overrides the default", async () => {
        const prod = await evaluateWith("prod", { "refarch:protect": "false" });
        expect(prod.resources.filter((r) => r.protect)).to.deep.equal([]);
        const staging = await evaluateWith("staging", { "refarch:protect": "true" });
        expect(staging.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
