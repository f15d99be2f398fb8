// Access proved by an IAM policy evaluator, not read off the documents: for every root user, every
// account and every role, AWS would allow sts:AssumeRole with MFA exactly when refarch:teams grants it
// (the user's group policies in root AND the role's trust policy), and never without MFA; nobody
// outside the root account gets in, whatever their own account allows them.
import { expect } from "chai";
import { assumeRole, rolesOf, rootUserPolicies, WITH_MFA, WITHOUT_MFA } from "../src/security/access";
import type { PolicyDocument } from "../src/policies";
import { asList, configValue, shippedStack, shippedStacks } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
const teams = configValue<Record<string, { access: Record<string, string | string[]> }>>("root", "refarch:teams");
const users = configValue<Record<string, string[]>>("root", "refarch:users");
const roleNames = Object.keys(configValue<Record<string, unknown>>("root", "refarch:roles"));
/** What a principal's own account lets it do: everything. Only the role's trust policy can stop it. */
const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Read straight from the stack file: does any of the user's teams grant `role` in `stage`? */
function granted(user: string, stage: string, role: string): boolean {
    return users[user].some((team) => Object.entries(teams[team].access).some(([s, roles]) => (s === "*" || s === stage) && asList(roles).includes(role)));
}

describe("security: who can assume what, as AWS would decide it", () => {
    // Every other role a stack makes (a deployer trusted by an OIDC provider, say) is proved below to admit no root user.
    it("every stage has every role of refarch:roles, each proved below", async () => {
        const roles = rolesOf([...(await shippedStacks()).values()]).filter((r) => roleNames.includes(r.role));
        expect(roles.map((r) => `${r.stage}/${r.role}`).sort()).to.deep.equal(Object.keys(accounts).flatMap((s) => roleNames.map((r) => `${s}/${r}`)).sort());
    });

    for (const user of Object.keys(users)) {
        it(`${user}: with MFA, allowed exactly the granted roles in every account; without MFA, none`, async () => {
            const policies = rootUserPolicies(await shippedStack("root")).get(user)!;
            const principal = `arn:aws:iam::${accounts.root}:user/${user}`;
            const allowed: string[] = [];
            const allowedWithoutMfa: string[] = [];
            for (const role of rolesOf([...(await shippedStacks()).values()])) {
                if ((await assumeRole(principal, policies, role, WITH_MFA)) === "Allowed") allowed.push(`${role.stage}/${role.role}`);
                for (const context of WITHOUT_MFA) {
                    if ((await assumeRole(principal, policies, role, context)) === "Allowed") allowedWithoutMfa.push(`${role.stage}/${role.role}`);
                }
            }
            const expected = Object.keys(accounts).flatMap((s) => roleNames.filter((r) => granted(user, s, r)).map((r) => `${s}/${r}`));
            expect(allowed.sort()).to.deep.equal(expected.sort());
            expect(allowed.length).to.be.greaterThan(0);
            expect(allowedWithoutMfa).to.deep.equal([]);
        });
    }

    it("a root user in no team is allowed no role, even with MFA", async () => {
        const principal = `arn:aws:iam::${accounts.root}:user/mallory`;
        for (const role of rolesOf([...(await shippedStacks()).values()])) {
            expect(await assumeRole(principal, [], role, WITH_MFA), role.arn).not.to.equal("Allowed");
        }
    });

    it("a principal of any other account is never allowed, even with MFA and full rights in its own account", async () => {
        const roles = rolesOf([...(await shippedStacks()).values()]);
        const outsiders = [
            "arn:aws:iam::999999999999:user/eve",
            "arn:aws:iam::999999999999:role/admin",
            // The roles of the other stages are principals of other accounts too: no lateral hops.
            ...roles.filter((r) => r.accountId !== accounts.root).map((r) => r.arn),
        ];
        for (const role of roles) {
            for (const principal of outsiders.filter((p) => p !== role.arn)) {
                expect(await assumeRole(principal, [ADMIN], role, WITH_MFA), `${principal} -> ${role.arn}`).not.to.equal("Allowed");
            }
        }
    });
});
