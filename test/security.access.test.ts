// Access proved by an IAM policy evaluator, not read off the documents: for every root user, every
// account and every role, AWS would allow sts:AssumeRole with MFA exactly when refarch:teams grants it
// (the user's group policies in root AND the role's trust policy), and never without MFA; nobody
// outside the root account gets in, whatever their own account allows them.
import { expect } from "chai";
import { assumeRole, rolesOf, rootUserPolicies, WITH_MFA, WITHOUT_MFA } from "../src/security/access";
import type { PolicyDocument } from "../src/policies";
import { org, ROOT } from "./harness";

const rootArn = (kind: string, name: string) => `arn:${org.partitionOf(ROOT)}:iam::${org.accountOf(ROOT)}:${kind}/${name}`;
/** An account id no stage of the organization uses. */
const FOREIGN = ["999999999999", "999999999998"].find((id) => !Object.values(org.accounts).includes(id))!;
/** What a principal's own account lets it do: everything. Only the role's trust policy can stop it. */
const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const allRoles = async () => rolesOf([...(await org.evaluations()).values()]);

describe("security: who can assume what, as AWS would decide it", () => {
    // Every other role a stack makes (a deployer trusted by an OIDC provider, say) is proved below to admit no root user.
    it("every stage has every role of refarch:roles, each proved below", async () => {
        const roles = (await allRoles()).filter((r) => org.roleNames.includes(r.role));
        expect(roles.map((r) => `${r.stage}/${r.role}`).sort()).to.deep.equal(org.stageStacks.flatMap((s) => org.roleNames.map((r) => `${org.stageOf(s)}/${r}`)).sort());
    });

    for (const user of Object.keys(org.users)) {
        it(`${user}: with MFA, allowed exactly the granted roles in every account; without MFA, none`, async () => {
            const policies = rootUserPolicies(await org.evaluation(ROOT)).get(user)!;
            const principal = rootArn("user", user);
            const allowed: string[] = [];
            const allowedWithoutMfa: string[] = [];
            for (const role of await allRoles()) {
                if ((await assumeRole(principal, policies, role, WITH_MFA)) === "Allowed") allowed.push(`${role.stage}/${role.role}`);
                for (const context of WITHOUT_MFA) {
                    if ((await assumeRole(principal, policies, role, context)) === "Allowed") allowedWithoutMfa.push(`${role.stage}/${role.role}`);
                }
            }
            expect(allowed.sort()).to.deep.equal(org.grantsOf(user));
            expect(allowed.length).to.be.greaterThan(0);
            expect(allowedWithoutMfa).to.deep.equal([]);
        });
    }

    it("a root user in no team is allowed no role, even with MFA", async () => {
        const principal = rootArn("user", "mallory");
        for (const role of await allRoles()) {
            expect(await assumeRole(principal, [], role, WITH_MFA), role.arn).not.to.equal("Allowed");
        }
    });

    it("a principal of any other account is never allowed, even with MFA and full rights in its own account", async () => {
        const roles = await allRoles();
        const outsiders = [
            `arn:aws:iam::${FOREIGN}:user/eve`,
            `arn:aws:iam::${FOREIGN}:role/admin`,
            // The roles of the other stages are principals of other accounts too: no lateral hops.
            ...roles.filter((r) => r.accountId !== org.accountOf(ROOT)).map((r) => r.arn),
        ];
        for (const role of roles) {
            for (const principal of outsiders.filter((p) => p !== role.arn)) {
                expect(await assumeRole(principal, [ADMIN], role, WITH_MFA), `${principal} -> ${role.arn}`).not.to.equal("Allowed");
            }
        }
    });
});
