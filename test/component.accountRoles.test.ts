// The AccountRoles component alone: one role per spec, named and trusted as the spec says, its ARNs registered.
import { expect } from "chai";
import { AccountRoles } from "../src/components/accountRoles";
import { buildAlone, only, resourcesOf } from "./componentHarness";

const ROOT_ACCOUNT = "111122223333";
const ROLES = {
    operator: { policyArns: ["arn:aws-us-gov:iam::aws:policy/PowerUserAccess", "arn:aws-us-gov:iam::aws:policy/IAMReadOnlyAccess"], maxSessionDuration: 7200, requireMfa: true },
    auditor: { policyArns: ["arn:aws-us-gov:iam::aws:policy/SecurityAudit"], maxSessionDuration: 3600, requireMfa: false },
};
const build = () => buildAlone(() => void new AccountRoles("roles", { partition: "aws-us-gov", rootAccountId: ROOT_ACCOUNT, namePrefix: "initech-qa", roles: ROLES }));

describe("AccountRoles component, built alone", () => {
    it("makes each role `<namePrefix>-<role>`, trusted only by the root account, with MFA exactly where the spec asks", async () => {
        const evaluation = await build();
        expect(evaluation.error).to.equal(undefined);
        const roles = resourcesOf(evaluation, "aws:iam/role:Role");
        expect(roles.map((r) => [r.name, r.inputs.name, r.inputs.maxSessionDuration])).to.deep.equal([
            ["roles-operator", "initech-qa-operator", 7200],
            ["roles-auditor", "initech-qa-auditor", 3600],
        ]);
        for (const role of roles) {
            const [statement] = JSON.parse(role.inputs.assumeRolePolicy as string).Statement;
            expect(statement.Principal).to.deep.equal({ AWS: `arn:aws-us-gov:iam::${ROOT_ACCOUNT}:root` });
            expect(statement.Condition !== undefined, role.name).to.equal(role.name === "roles-operator");
        }
    });

    it("attaches each listed policy to its role, named after the policy so reordering renames nothing", async () => {
        const attachments = resourcesOf(await build(), "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        expect(attachments.map((a) => [a.name, a.inputs.role, a.inputs.policyArn])).to.have.deep.members([
            ["roles-operator-PowerUserAccess", "initech-qa-operator", ROLES.operator.policyArns[0]],
            ["roles-operator-IAMReadOnlyAccess", "initech-qa-operator", ROLES.operator.policyArns[1]],
            ["roles-auditor-SecurityAudit", "initech-qa-auditor", ROLES.auditor.policyArns[0]],
        ]);
    });

    it("puts no inline policy on a role unless given a deny policy, and then exactly it on every role, named `<namePrefix>-denies`", async () => {
        expect(resourcesOf(await build(), "aws:iam/rolePolicy:RolePolicy")).to.deep.equal([]);
        const denyPolicy = { Version: "2012-10-17" as const, Statement: [{ Sid: "DenyStop", Effect: "Deny" as const, Action: "cloudtrail:StopLogging", Resource: "*" }] };
        const evaluation = await buildAlone(() => void new AccountRoles("roles", { partition: "aws-us-gov", rootAccountId: ROOT_ACCOUNT, namePrefix: "initech-root", roles: ROLES, denyPolicy }));
        const inline = resourcesOf(evaluation, "aws:iam/rolePolicy:RolePolicy");
        expect(inline.map((p) => [p.name, p.inputs.role, p.inputs.name, JSON.parse(p.inputs.policy as string)])).to.have.deep.members([
            ["roles-operator-denies", "initech-root-operator", "initech-root-denies", denyPolicy],
            ["roles-auditor-denies", "initech-root-auditor", "initech-root-denies", denyPolicy],
        ]);
    });

    it("registers role name -> ARN for every role it made", async () => {
        const evaluation = await build();
        const arnOf = (name: string) => evaluation.resources.find((r) => r.name === name)!.state.arn;
        // The mock engine forms ARNs in its own region's partition; the role's name is what this component decides.
        expect(arnOf("roles-operator")).to.match(/^arn:[a-z-]+:iam::\d{12}:role\/initech-qa-operator$/);
        expect(arnOf("roles-auditor")).to.match(/^arn:[a-z-]+:iam::\d{12}:role\/initech-qa-auditor$/);
        expect(only(evaluation, "refarch:iam:AccountRoles").outputs).to.deep.equal({ arns: { operator: arnOf("roles-operator"), auditor: arnOf("roles-auditor") } });
    });
});
