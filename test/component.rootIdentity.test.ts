// The RootIdentity component alone: a group per team assuming exactly its granted roles, users in their teams, and
// a person's own resources unprotected even in a protected stack, so offboarding is one edit.
import { expect } from "chai";
import { RootIdentity } from "../src/components/rootIdentity";
import { buildAlone, only, resourcesOf } from "./componentHarness";

const QA_ADMIN = "arn:aws:iam::222233334444:role/initech-qa-admin";
const PROD_READONLY = "arn:aws:iam::555566667777:role/initech-prod-readonly";
const build = () =>
    buildAlone(
        () =>
            void new RootIdentity(
                "identity",
                {
                    partition: "aws",
                    rootAccountId: "111122223333",
                    namePrefix: "initech-root",
                    teamGrants: {
                        qa: [
                            { key: "qa-admin", predictedArn: QA_ADMIN, arn: QA_ADMIN },
                            { key: "prod-readonly", predictedArn: PROD_READONLY, arn: PROD_READONLY },
                        ],
                    },
                    users: { milton: { teams: ["qa"], console: { pgpKey: "keybase:milton" } }, peter: { teams: ["qa"] } },
                },
                { protect: true },
            ),
    );

describe("RootIdentity component, built alone", () => {
    it("a team's group assumes exactly its granted role ARNs, and holds the self-service policy", async () => {
        const evaluation = await build();
        expect(evaluation.error).to.equal(undefined);
        expect(only(evaluation, "aws:iam/group:Group").inputs.name).to.equal("initech-root-qa");
        const policies = resourcesOf(evaluation, "aws:iam/policy:Policy");
        expect(policies.map((p) => p.inputs.name)).to.have.members(["initech-root-self-service", "initech-root-qa-assume-roles"]);
        const assume = JSON.parse(policies.find((p) => p.inputs.name === "initech-root-qa-assume-roles")!.inputs.policy as string);
        expect(assume.Statement.flatMap((s: { Resource: string | string[] }) => s.Resource)).to.have.members([QA_ADMIN, PROD_READONLY]);
        expect(resourcesOf(evaluation, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment")).to.have.length(2);
    });

    it("users, their memberships and console profiles are force-destroyable and never protected, whatever the stack's protection", async () => {
        const evaluation = await build();
        const personal = ["aws:iam/user:User", "aws:iam/userGroupMembership:UserGroupMembership", "aws:iam/userLoginProfile:UserLoginProfile"].flatMap((type) => resourcesOf(evaluation, type));
        expect(personal.map((r) => r.name)).to.have.members(["identity-user-milton", "identity-user-peter", "identity-user-milton-teams", "identity-user-peter-teams", "identity-user-milton-console"]);
        for (const resource of personal) expect(resource.protect, resource.name).to.equal(false);
        for (const user of resourcesOf(evaluation, "aws:iam/user:User")) expect(user.inputs.forceDestroy, user.name).to.equal(true);
        expect(only(evaluation, "aws:iam/group:Group").protect).to.equal(true);
        expect(only(evaluation, "aws:iam/userLoginProfile:UserLoginProfile").inputs).to.deep.include({ pgpKey: "keybase:milton", passwordResetRequired: true });
    });

    it("registers the users' ARNs, the teams' group names and only the console user's encrypted initial password", async () => {
        const evaluation = await build();
        const outputs = only(evaluation, "refarch:iam:RootIdentity").outputs as Record<string, Record<string, unknown>>;
        const users = resourcesOf(evaluation, "aws:iam/user:User");
        expect(users.map((u) => u.state.arn)).to.satisfy((arns: unknown[]) => arns.every((arn) => typeof arn === "string" && arn.startsWith("arn:")));
        expect(outputs.userArns).to.deep.equal(Object.fromEntries(users.map((u) => [u.inputs.name, u.state.arn])));
        expect(Object.keys(outputs.userArns)).to.have.members(["milton", "peter"]);
        expect(outputs.groupNames).to.deep.equal({ qa: "initech-root-qa" });
        const profile = only(evaluation, "aws:iam/userLoginProfile:UserLoginProfile");
        expect(outputs.initialPasswords).to.deep.equal({ milton: { encryptedPassword: profile.state.encryptedPassword, keyFingerprint: profile.state.keyFingerprint } });
    });
});
