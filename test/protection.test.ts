// Protected stages (root, prod and audit unless refarch:protect says otherwise) protect what they create;
// the audit bucket and key outlive their stack; an unprotected stage (testing always) protects nothing,
// so `pulumi destroy` there needs no manual step.
import { expect } from "chai";
import { AUDIT, org, orSkip, TESTING } from "./harness";

describe("protection", () => {
    for (const stack of org.stacks.filter((s) => org.isProtected(s))) {
        it(`${stack}: every resource it creates is protected`, async () => {
            const created = (await org.evaluation(stack)).resources.filter((r) => !r.read);
            expect(created.length).to.be.greaterThan(5);
            expect(created.filter((r) => !r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    for (const stack of org.stacks.filter((s) => !org.isProtected(s))) {
        it(`${stack}: nothing is protected or retained`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(evaluation.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        });
    }

    it("audit: the bucket and the key are retained on delete, the rest is not", async function () {
        const retained = (await org.evaluation(orSkip(this, org.has(AUDIT) && AUDIT, "no audit stage"))).resources.filter((r) => r.retainOnDelete).map((r) => r.type);
        expect(retained).to.have.members(["aws:s3/bucket:Bucket", "aws:kms/key:Key"]);
    });

    it("refarch:protect false unprotects a stage protected by default", async function () {
        const stack = orSkip(this, org.find((s) => org.isProtected(s)), "no protected stage");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "false" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("refarch:protect true protects any stage but testing", async function () {
        const stack = orSkip(this, org.find((s) => !org.isProtected(s) && org.stageOf(s) !== TESTING), "no unprotected stage besides testing");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "true" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
