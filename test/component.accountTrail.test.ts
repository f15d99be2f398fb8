// The AccountTrail and OrganizationTrail components alone: one multi-region, validated, encrypted trail into the bucket
// it is given; the organization trail is the same trail made for every account of the organization.
import { expect } from "chai";
import { AccountTrail } from "../src/components/accountTrail";
import { OrganizationTrail } from "../src/components/organizationTrail";
import { buildAlone, only } from "./componentHarness";

const kmsKeyArn = "arn:aws:kms:eu-west-1:444455556666:key/0000-1111";
const bucketName = "initech-cloudtrail";

/** Each component, its type, the trail name it is given, and what it adds to every trail's inputs. */
const TRAILS = [
    { type: "refarch:audit:AccountTrail", trailName: "initech-qa", build: (trailName: string) => new AccountTrail("trail", { trailName, bucketName, kmsKeyArn }), own: { isOrganizationTrail: undefined } },
    { type: "refarch:audit:OrganizationTrail", trailName: "initech-org-cloudtrail", build: (trailName: string) => new OrganizationTrail("org-trail", { trailName, bucketName, kmsKeyArn }), own: { isOrganizationTrail: true } },
];

describe("AccountTrail and OrganizationTrail components, built alone", () => {
    for (const { type, trailName, build, own } of TRAILS) {
        it(`${type}: one multi-region trail with global events and log-file validation, into the given bucket and key${own.isOrganizationTrail ? ", for the whole organization" : ", never an organization trail"}; registers its ARN`, async () => {
            const evaluation = await buildAlone(() => void build(trailName));
            expect(evaluation.error).to.equal(undefined);
            const trail = only(evaluation, "aws:cloudtrail/trail:Trail");
            expect(trail.inputs).to.deep.include({
                name: trailName,
                s3BucketName: bucketName,
                kmsKeyId: kmsKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            });
            expect(trail.inputs.isOrganizationTrail).to.equal(own.isOrganizationTrail);
            expect(trail.state.arn).to.be.a("string").and.match(/^arn:aws:cloudtrail:/);
            expect(only(evaluation, type).outputs).to.deep.equal({ trailArn: trail.state.arn });
        });
    }
});
