// root, prod and audit protect what they create; the audit bucket and key outlive their stack; testing
// protects nothing, so `pulumi destroy -s testing` needs no manual step.
import { expect } from "chai";
import { evaluateWith, shippedStack } from "./harness";

describe("protection", () => {
    for (const stack of ["root", "prod", "audit"]) {
        it(`${stack}: every resource it creates is protected`, async () => {
            const evaluation = await shippedStack(stack);
            const created = evaluation.resources.filter((r) => !r.read);
            expect(created.length).to.be.greaterThan(5);
            expect(created.filter((r) => !r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    for (const stack of ["staging", "dev", "testing"]) {
        it(`${stack}: nothing is protected or retained`, async () => {
            const evaluation = await shippedStack(stack);
            expect(evaluation.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        });
    }

    it("audit: every resource of the log sink is retained on delete, so a destroy leaves every trail delivering", async () => {
        const audit = await shippedStack("audit");
        const sink = audit.resources.find((r) => r.type === "refarch:audit:AuditLogSink")!;
        const children = audit.resources.filter((r) => r.parent === sink.urn);
        // Bucket, key, alias, policy, encryption, versioning, lifecycle, public access block, ownership.
        expect(children.map((r) => r.type)).to.include.members([
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
            "aws:kms/alias:Alias",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        ]);
        expect(children.filter((r) => !r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
    });

    it("refarch:protect overrides the default", async () => {
        const prod = await evaluateWith("prod", { "refarch:protect": "false" });
        expect(prod.resources.filter((r) => r.protect)).to.deep.equal([]);
        const staging = await evaluateWith("staging", { "refarch:protect": "true" });
        expect(staging.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
