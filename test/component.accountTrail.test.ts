// The AccountTrail component alone: one multi-region, validated, encrypted trail into the bucket it is given.
import { expect } from "chai";
import { AccountTrail } from "../src/components/accountTrail";
import { buildAlone, only } from "./componentHarness";

describe("AccountTrail component, built alone", () => {
    it("makes one multi-region trail with global events and log-file validation, into the given bucket and key, and registers its ARN", async () => {
        const kmsKeyArn = "arn:aws:kms:eu-west-1:444455556666:key/0000-1111";
        const evaluation = await buildAlone(() => void new AccountTrail("trail", { trailName: "initech-qa", bucketName: "initech-cloudtrail", kmsKeyArn }));
        expect(evaluation.error).to.equal(undefined);
        const trail = only(evaluation, "aws:cloudtrail/trail:Trail");
        expect(trail.inputs).to.deep.include({
            name: "initech-qa",
            s3BucketName: "initech-cloudtrail",
            kmsKeyId: kmsKeyArn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
        });
        expect(trail.state.arn).to.be.a("string").and.match(/^arn:aws:cloudtrail:/);
        expect(only(evaluation, "refarch:audit:AccountTrail").outputs).to.deep.equal({ trailArn: trail.state.arn });
    });
});
