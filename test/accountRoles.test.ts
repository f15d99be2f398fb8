// Every account gets the roles of refarch:roles, named <namespace>-<stage>-<role>, trusted only by root with MFA.
import { expect } from "chai";
import type { StackEvaluation } from "../src/offline/engine";
import { asList, configValue, evaluateWith, ofType, policyDocument, SHIPPED_STACKS, shippedStack, single } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
/** The resources of a type the roles component made (the deployer role is another component's, see deployer.test.ts). */
const fromAccountRoles = (evaluation: StackEvaluation, type: string) => ofType(evaluation, type).filter((r) => r.parent === single(evaluation, "refarch:iam:AccountRoles").urn);

describe("account roles", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: creates admin and readonly, trusted only by the root account and only with MFA`, async () => {
            const evaluation = await shippedStack(stack);
            const roles = fromAccountRoles(evaluation, "aws:iam/role:Role");
            expect(roles.map((r) => r.inputs.name)).to.deep.equal([`acme-${stack}-admin`, `acme-${stack}-readonly`]);
            for (const role of roles) {
                expect(role.inputs.maxSessionDuration).to.equal(3600);
                const trust = policyDocument(role, "assumeRolePolicy");
                expect(trust.Statement).to.have.length(1);
                const [only] = trust.Statement;
                expect(only.Effect).to.equal("Allow");
                expect(only.Principal).to.deep.equal({ AWS: `arn:aws:iam::${accounts.root}:root` });
                expect(only.Action).to.equal("sts:AssumeRole");
                expect(only.Condition).to.deep.equal({ Bool: { "aws:MultiFactorAuthPresent": "true" } });
            }
        });

        it(`${stack}: exports accountId and the role ARNs in its own account`, async () => {
            const evaluation = await shippedStack(stack);
            expect(evaluation.outputs.accountId).to.equal(accounts[stack]);
            expect(evaluation.outputs.roles).to.deep.equal({
                admin: `arn:aws:iam::${accounts[stack]}:role/acme-${stack}-admin`,
                readonly: `arn:aws:iam::${accounts[stack]}:role/acme-${stack}-readonly`,
            });
        });
    }

    it("attaches exactly the configured managed policies to each role", async () => {
        const evaluation = await shippedStack("dev");
        const attachments = fromAccountRoles(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => `${a.inputs.role} <- ${a.inputs.policyArn}`);
        expect(attachments).to.have.members([
            "acme-dev-admin <- arn:aws:iam::aws:policy/AdministratorAccess",
            "acme-dev-readonly <- arn:aws:iam::aws:policy/ReadOnlyAccess",
        ]);
    });

    it("follows refarch:roles: extra roles, several policies, longer sessions, and no MFA where requireMfa is false", async () => {
        const roles = {
            "break-glass": { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], maxSessionDuration: 43200 },
            billing: { policyArns: ["arn:aws:iam::aws:policy/job-function/Billing", "arn:aws:iam::aws:policy/ReadOnlyAccess"], requireMfa: false },
        };
        const evaluation = await evaluateWith("staging", { "refarch:roles": JSON.stringify(roles) });
        expect(evaluation.error).to.equal(undefined);
        const breakGlass = single(evaluation, "aws:iam/role:Role", "roles-break-glass");
        expect(breakGlass.inputs.name).to.equal("acme-staging-break-glass");
        expect(breakGlass.inputs.maxSessionDuration).to.equal(43200);
        expect(policyDocument(breakGlass, "assumeRolePolicy").Statement[0].Condition).to.deep.equal({ Bool: { "aws:MultiFactorAuthPresent": "true" } });
        const billing = single(evaluation, "aws:iam/role:Role", "roles-billing");
        expect(policyDocument(billing, "assumeRolePolicy").Statement[0].Condition).to.equal(undefined);
        const billingPolicies = ofType(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "acme-staging-billing");
        expect(billingPolicies.map((a) => a.name)).to.have.members(["roles-billing-Billing", "roles-billing-ReadOnlyAccess"]);
        expect(evaluation.outputs.roles).to.have.keys("break-glass", "billing");
    });

    it("parents every role and attachment to the roles component", async () => {
        const evaluation = await shippedStack("prod");
        const component = single(evaluation, "refarch:iam:AccountRoles");
        const children = evaluation.resources.filter((r) => r.type.startsWith("aws:iam/role") && !/-(deployer|previewer)$/.test(String(r.inputs.name)) && !/-(deployer|previewer)$/.test(String(r.inputs.role)));
        expect(children).to.have.length(4);
        for (const child of children) expect(child.parent, child.name).to.equal(component.urn);
        expect(asList(component.parent)).to.have.length(1);
    });
});
