// Every account's trail writes to the audit sink, into its own folder; with no audit stage, no trail.
import { expect } from "chai";
import { configValue, evaluateWith, ofType, SHIPPED_STACKS, shippedStack, single } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");

describe("account trails", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: one multi-region trail with global events, log-file validation and the audit key, into the audit bucket`, async () => {
            const audit = await shippedStack("audit");
            const evaluation = await shippedStack(stack);
            const trail = single(evaluation, "aws:cloudtrail/trail:Trail");
            expect(trail.inputs).to.deep.include({
                name: `acme-${stack}-cloudtrail`,
                s3BucketName: audit.outputs.cloudtrailBucketName,
                kmsKeyId: audit.outputs.cloudtrailKmsKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            });
            expect(trail.inputs.s3KeyPrefix, "a prefix would move logs out of AWSLogs/<account>/").to.equal(undefined);
            expect(evaluation.outputs.trailArn).to.equal(`arn:aws:cloudtrail:us-east-1:${accounts[stack]}:trail/acme-${stack}-cloudtrail`);
        });
    }

    it("in audit, the trail is registered only after the bucket policy that lets CloudTrail write", async () => {
        const audit = await shippedStack("audit");
        const order = audit.resources.map((r) => r.type);
        expect(order.indexOf("aws:cloudtrail/trail:Trail")).to.be.greaterThan(order.indexOf("aws:s3/bucketPolicy:BucketPolicy"));
        const trail = single(audit, "aws:cloudtrail/trail:Trail");
        expect(trail.dependsOn).to.include(single(audit, "aws:s3/bucketPolicy:BucketPolicy").urn);
    });

    it("with no audit stage, no account has a trail or reads an audit stack", async () => {
        const { audit: _audit, ...withoutAudit } = accounts;
        for (const stack of ["prod", "root"]) {
            const evaluation = await evaluateWith(stack, { "refarch:accounts": JSON.stringify(withoutAudit), ...(stack === "root" ? { "refarch:teams": JSON.stringify({ platform: { access: { "*": "admin" } } }), "refarch:users": JSON.stringify({ alice: ["platform"] }) } : {}) });
            expect(evaluation.error, stack).to.equal(undefined);
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail"), stack).to.deep.equal([]);
            expect(evaluation.outputs, stack).not.to.have.property("trailArn");
            expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name), stack).not.to.include("acme-org/refarch/audit");
        }
    });
});
