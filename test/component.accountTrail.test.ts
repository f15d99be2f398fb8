// The AccountTrail and OrganizationTrail components alone: one multi-region, validated, encrypted trail into the bucket
// it is given; the organization trail is the same trail made for every account of the organization.
import { expect } from "chai";
import { AccountTrail } from "../src/components/accountTrail";
import { OrganizationTrail } from "../src/components/organizationTrail";
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

    it("OrganizationTrail: the same trail, as the organization's (isOrganizationTrail), and registers its ARN", async () => {
        const kmsKeyArn = "arn:aws:kms:eu-west-1:444455556666:key/0000-1111";
        const evaluation = await buildAlone(() => void new OrganizationTrail("org-trail", { trailName: "initech-org-cloudtrail", bucketName: "initech-cloudtrail", kmsKeyArn }));
        expect(evaluation.error).to.equal(undefined);
        const trail = only(evaluation, "aws:cloudtrail/trail:Trail");
        expect(trail.inputs).to.deep.include({
            name: "initech-org-cloudtrail",
            s3BucketName: "initech-cloudtrail",
            kmsKeyId: kmsKeyArn,
            isOrganizationTrail: true,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
        });
        expect(only(evaluation, "refarch:audit:OrganizationTrail").outputs).to.deep.equal({ trailArn: trail.state.arn });
        // An account's own trail is never an organization trail.
        const account = await buildAlone(() => void new AccountTrail("trail", { trailName: "initech-qa", bucketName: "initech-cloudtrail", kmsKeyArn }));
        expect(only(account, "aws:cloudtrail/trail:Trail").inputs.isOrganizationTrail).to.equal(undefined);
    });
});
