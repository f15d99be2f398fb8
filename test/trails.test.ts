// Every account's trail writes to the audit sink, into its own folder; with no audit stage, no trail.
import { expect } from "chai";
import { AUDIT, ofType, org, ROOT, single, withStage } from "./harness";

describe("account trails", () => {
    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s) && !org.has(AUDIT))) {
        it(`${stack}: no trail and no audit stack read, as the organization has no audit stage`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
            expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name)).not.to.include(org.referenceName(AUDIT));
        });
    }

    // The org stack makes none: root's trail covers the management account, and the audit bucket admits one trail per stage.
    for (const stack of org.stacksOfKind("organization")) {
        it(`${stack}: no trail of its own`, async () => {
            expect(ofType(await org.evaluation(stack), "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        });
    }

    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s) && org.has(AUDIT))) {
        it(`${stack}: one multi-region trail with global events, log-file validation and the audit key, into the audit bucket`, async () => {
            const audit = await org.evaluation(AUDIT);
            const evaluation = await org.evaluation(stack);
            const trail = single(evaluation, "aws:cloudtrail/trail:Trail");
            const name = `${org.namespace}-${org.stageOf(stack)}-cloudtrail`;
            expect(trail.inputs).to.deep.include({
                name,
                s3BucketName: audit.outputs.cloudtrailBucketName,
                kmsKeyId: audit.outputs.cloudtrailKmsKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            });
            expect(trail.inputs.s3KeyPrefix, "a prefix would move logs out of AWSLogs/<account>/").to.equal(undefined);
            expect(evaluation.outputs.trailArn).to.equal(`arn:${org.partitionOf(stack)}:cloudtrail:${org.regionOf(stack)}:${org.accountOf(stack)}:trail/${name}`);
        });
    }

    it("in audit, the trail is registered only after the bucket policy that lets CloudTrail write", async () => {
        const audit = await withStage(AUDIT).evaluation(AUDIT);
        const policy = single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy");
        expect(audit.resources.findIndex((r) => r.type === "aws:cloudtrail/trail:Trail")).to.be.greaterThan(audit.resources.indexOf(policy));
        const trail = single(audit, "aws:cloudtrail/trail:Trail");
        expect(trail.dependsOn).to.include(policy.urn);
    });

    it("with no audit stage, no account has a trail or reads an audit stack", async () => {
        // Root's teams may grant roles in audit; without it, one team reaching every stage stands in.
        const teams = { everyone: { access: { "*": org.roleNames[0] } } };
        for (const stack of [...new Set([org.trialStack, ROOT])]) {
            const evaluation = await org.evaluateWith(stack, {
                ...org.withoutStage(AUDIT),
                ...(stack === ROOT ? { "refarch:teams": JSON.stringify(teams), "refarch:users": JSON.stringify({ alice: ["everyone"] }) } : {}),
            });
            expect(evaluation.error, stack).to.equal(undefined);
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail"), stack).to.deep.equal([]);
            expect(evaluation.outputs, stack).not.to.have.property("trailArn");
            expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name), stack).not.to.include(org.referenceName(AUDIT));
        }
    });
});
