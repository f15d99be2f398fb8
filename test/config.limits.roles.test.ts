// The limits on refarch:roles and on the names AWS forms from the namespace, stages, roles and stack, each at its exact
// boundary: the last value accepted and the first refused, with the problem a user reads. Runs on test/configFixture.ts.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { ACCOUNTS, problemsOf, raw, ROLES } from "./configFixture";

const ADMIN = ROLES.admin;
const withRole = (spec: object) => ({ "refarch:roles": { ...ROLES, admin: { ...ADMIN, ...spec } } });

describe("config limits: refarch:roles", () => {
    it("a session lasts 3,600 to 43,200 whole seconds: both ends accepted, one second (or half of one) past either refused", () => {
        for (const seconds of [3600, 43200]) expect(validateConfig(raw("prod", withRole({ maxSessionDuration: seconds }))).roles.admin.maxSessionDuration).to.equal(seconds);
        for (const seconds of [3599, 43201, 3600.5]) {
            expect(problemsOf(raw("prod", withRole({ maxSessionDuration: seconds })))).to.deep.equal([
                `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: ${seconds} must be a whole number of seconds from 3600 to 43200. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set maxSessionDuration: 3600`,
            ]);
        }
    });

    it("a role needs at least one managed policy, and the organization at least one role", () => {
        expect(problemsOf(raw("prod", withRole({ policyArns: [] })))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin.policyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:roles": {} }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles: {} must define at least one role. Fix: in Pulumi.yaml, under config: refarch:roles: set value: { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } }`,
        ]);
    });

    it("role names form IAM names, and none may take the name of a role every account already gets", () => {
        const roles = { ...ROLES, Admin: ADMIN, read_only: ADMIN, deployer: ADMIN, previewer: ADMIN, "logs-reader": ADMIN };
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.Admin: "Admin" is not a usable role name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename Admin to a name like admin`,
            `Pulumi.yaml: refarch:roles.read_only: "read_only" is not a usable role name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename read_only to a name like read-only`,
            `Pulumi.yaml: refarch:roles.deployer: "deployer" has the name of a deployment role every account gets (refarch:deployer). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename deployer to deploy-admin (or remove it)`,
            `Pulumi.yaml: refarch:roles.previewer: "previewer" has the name of a deployment role every account gets (refarch:deployer). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename previewer to preview-readonly (or remove it)`,
            `Pulumi.yaml: refarch:roles.logs-reader: "logs-reader" has the name of the audit account's built-in role for reading the CloudTrail logs (grant it to a team as audit: logs-reader). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename logs-reader to logs-readonly (or remove it)`,
        ]);
        // With no deployment roles, the previewer's name is free; the deployer's never is: the guardrails exempt it (test/config.exemptRoleNames.test.ts).
        const config = validateConfig(raw("prod", { "refarch:roles": { ...ROLES, previewer: ADMIN }, "refarch:deployer": { enabled: false } }));
        expect(Object.keys(config.roles)).to.deep.equal(["admin", "readonly", "previewer"]);
    });
});

describe("config limits: names AWS limits", () => {
    // The longest role name of this organization: "initrode-staging-<role>", 17 characters before the role's own name.
    it("a role name of 64 characters is accepted; 65 is refused, naming the name", () => {
        const role = (length: number) => ({ "refarch:roles": { ...ROLES, ["r".repeat(length)]: ADMIN } });
        expect(() => validateConfig(raw("prod", role(64 - 17)))).not.to.throw();
        const tooLong = `initrode-staging-${"r".repeat(48)}`;
        expect(problemsOf(raw("prod", role(48)))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.${"r".repeat(48)}: "${"r".repeat(48)}" makes the role name "${tooLong}" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename ${"r".repeat(48)} to at most 47 characters`,
        ]);
        // Two names too long ("initrode-audit-<role>" too): one problem, counting the rest.
        expect(problemsOf(raw("prod", role(50)))[0]).to.include(`makes the role name "initrode-staging-${"r".repeat(50)}" (and 1 more) longer than IAM's 64 characters`);
    });

    it("a namespace that makes a role name too long is told a shorter namespace that fits", () => {
        // "<namespace>-staging-previewer": 18 characters after the namespace. (No audit stage: its bucket names allow less.)
        const { audit: _audit, ...withoutAudit } = ACCOUNTS;
        const namespaced = (length: number) => raw("prod", { "refarch:namespace": "n".repeat(length), "refarch:accounts": withoutAudit });
        expect(() => validateConfig(namespaced(46))).not.to.throw();
        expect(problemsOf(namespaced(47))).to.deep.equal([
            `Pulumi.yaml: refarch:namespace: "${"n".repeat(47)}" makes the role name "${"n".repeat(47)}-staging-previewer" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: nnnnnnnn`,
        ]);
    });

    it("a stage name that makes its deployment roles' names too long is told how long it may be", () => {
        const stage = "s".repeat(46);
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, [stage]: "505050505050" }, "refarch:namespace": "acmecorp" }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.${stage}: "${stage}" makes the role name "acmecorp-${stage}-previewer" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename ${stage} to at most 45 characters`,
        ]);
    });

    it("a review stack's name forms its role names: 45 characters fit, 46 do not", () => {
        const review = (name: string) => raw(name, { "refarch:accounts": { ...ACCOUNTS, testing: "505050505050" }, "refarch:stage": "testing" });
        expect(validateConfig(review("p".repeat(45))).namePrefix).to.equal(`initrode-${"p".repeat(45)}`);
        expect(problemsOf(review("p".repeat(46)))).to.deep.equal([
            `Pulumi.${"p".repeat(46)}.yaml: "${"p".repeat(46)}" (the stack's name) makes the role name "initrode-${"p".repeat(46)}-previewer" longer than IAM's 64 characters. Fix: use a shorter stack name`,
        ]);
    });

    it("with an audit stage, the access-log bucket's name fits S3's 63 characters: a 34-character namespace does, 35 does not", () => {
        expect(() => validateConfig(raw("prod", { "refarch:namespace": "n".repeat(34) }))).not.to.throw();
        expect(problemsOf(raw("prod", { "refarch:namespace": "n".repeat(35) }))).to.deep.equal([
            `Pulumi.yaml: refarch:namespace: "${"n".repeat(35)}" makes the bucket name "${"n".repeat(35)}-audit-cloudtrail-access-logs" longer than S3's 63 characters. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: nnnnnnnn`,
        ]);
        // Without an audit stage there is no such bucket.
        const { audit: _audit, ...withoutAudit } = ACCOUNTS;
        expect(() => validateConfig(raw("prod", { "refarch:namespace": "n".repeat(35), "refarch:accounts": withoutAudit }))).not.to.throw();
    });

    it("stage names form IAM and bucket names, and org is the organization's own stack", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, Qa_1: "505050505050", org: "606060606060", __: "707070707070" } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.Qa_1: "Qa_1" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename Qa_1 to a name like qa-1`,
            `Pulumi.yaml: refarch:accounts.org: "org" is the name of the stack that manages the AWS Organization. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename org to a name like org-main`,
            `Pulumi.yaml: refarch:accounts.__: "__" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename __ to a name like sandbox`,
        ]);
    });
});
