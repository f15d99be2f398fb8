// Every account gets the roles of refarch:roles, named <namespace>-<stage>-<role>, trusted only by root with MFA.
import { expect } from "chai";
import type { StackEvaluation } from "../src/offline/engine";
import { asList, AUDIT, ofType, org, policyDocument, ROOT, single } from "./harness";
import { mfaMaxAgeOf } from "./harness/rootUsers";

/** The resources of a type the roles component made (the deployer role is another component's, see deployer.test.ts). */
const fromAccountRoles = (evaluation: StackEvaluation, type: string) => ofType(evaluation, type).filter((r) => r.parent === single(evaluation, "refarch:iam:AccountRoles").urn);
/** MFA, signed in less than the organization's age limit ago (refarch:mfaMaxAgeSeconds). */
const MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": String(mfaMaxAgeOf(org)) } };

describe("account roles", () => {
    for (const stack of org.stacksOfKind("organization")) {
        it(`${stack}: makes no roles: root's stack makes the management account's`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(ofType(evaluation, "refarch:iam:AccountRoles")).to.deep.equal([]);
            expect(ofType(evaluation, "aws:iam/role:Role")).to.deep.equal([]);
            expect(evaluation.outputs).not.to.have.property("roles");
        });
    }

    for (const stack of org.stageStacks) {
        const roleName = (role: string) => `${org.namePrefix(stack)}-${role}`;

        it(`${stack}: creates every role of refarch:roles, trusted only by the root account and, where requireMfa is not false, only with MFA`, async () => {
            const evaluation = await org.evaluation(stack);
            const roles = fromAccountRoles(evaluation, "aws:iam/role:Role");
            expect(roles.map((r) => r.inputs.name)).to.deep.equal(org.roleNames.map(roleName));
            for (const [role, spec] of Object.entries(org.roles)) {
                const created = roles.find((r) => r.inputs.name === roleName(role))!;
                expect(created.inputs.maxSessionDuration, role).to.equal(spec.maxSessionDuration ?? 3600);
                const trust = policyDocument(created, "assumeRolePolicy");
                expect(trust.Statement).to.have.length(1);
                const [only] = trust.Statement;
                expect(only.Effect).to.equal("Allow");
                expect(only.Principal).to.deep.equal({ AWS: `arn:${org.partitionOf(stack)}:iam::${org.accountOf(ROOT)}:root` });
                expect(only.Action).to.equal("sts:AssumeRole");
                expect(only.Condition, role).to.deep.equal(spec.requireMfa === false ? undefined : MFA);
                // What IAM's console says of the role, beside its trust.
                expect(created.inputs.description, role).to.equal(`Assumed from the root account${spec.requireMfa === false ? "" : " with MFA"}; managed by refarch`);
            }
        });

        it(`${stack}: exports accountId and the role ARNs in its own account (in audit, the built-in logs-reader too)`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(evaluation.outputs.accountId).to.equal(org.accountOf(stack));
            // The audit sink's logs reader is granted like any role, so root finds it in the same output (test/logReaders.test.ts).
            const roles = [...org.roleNames, ...(org.stageOf(stack) === AUDIT ? ["logs-reader"] : [])];
            expect(evaluation.outputs.roles).to.deep.equal(
                Object.fromEntries(roles.map((role) => [role, `arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:role/${roleName(role)}`])),
            );
        });

        it(`${stack}: attaches exactly the configured managed policies to each role, parented to the roles component`, async () => {
            const evaluation = await org.evaluation(stack);
            const attachments = fromAccountRoles(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            expect(attachments.map((a) => `${a.inputs.role} <- ${a.inputs.policyArn}`)).to.have.members(
                Object.entries(org.roles).flatMap(([role, spec]) => spec.policyArns.map((arn) => `${roleName(role)} <- ${arn}`)),
            );
            // Every role and attachment that is not a deployment identity's sits under the one roles component.
            const component = single(evaluation, "refarch:iam:AccountRoles");
            // (The audit sink's logs reader sits under the sink, beside the bucket and key it reads.)
            const ours = evaluation.resources.filter((r) => r.type.startsWith("aws:iam/role") && ![r.inputs.name, r.inputs.role].some((n) => /-(deployer|previewer|reviewer|logs-reader)$/.test(String(n))));
            expect(ours.map((r) => r.parent)).to.deep.equal(ours.map(() => component.urn));
            // In root, each role also holds its inline denies (no SCP binds the management account: security.rootDenies.test.ts).
            const denies = fromAccountRoles(evaluation, "aws:iam/rolePolicy:RolePolicy");
            expect(denies.map((p) => p.inputs.role)).to.have.members(org.stageOf(stack) === ROOT ? org.roleNames.map(roleName) : []);
            expect(ours).to.have.length(org.roleNames.length + attachments.length + denies.length);
            expect(asList(component.parent)).to.have.length(1);
        });
    }

    it("follows refarch:roles: extra roles, several policies, longer sessions, and no MFA where requireMfa is false", async () => {
        const stack = org.trialStack;
        // Added to the organization's roles, so the stack's other config (a root stack's teams) stays valid.
        const roles = {
            ...org.roles,
            "break-glass": { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], maxSessionDuration: 43200 },
            billing: { policyArns: ["arn:aws:iam::aws:policy/job-function/Billing", "arn:aws:iam::aws:policy/ReadOnlyAccess"], requireMfa: false },
        };
        const evaluation = await org.evaluateWith(stack, { "refarch:roles": JSON.stringify(roles) });
        expect(evaluation.error).to.equal(undefined);
        const breakGlass = single(evaluation, "aws:iam/role:Role", "roles-break-glass");
        expect(breakGlass.inputs.name).to.equal(`${org.namePrefix(stack)}-break-glass`);
        expect(breakGlass.inputs.maxSessionDuration).to.equal(43200);
        expect(policyDocument(breakGlass, "assumeRolePolicy").Statement[0].Condition).to.deep.equal(MFA);
        const billing = single(evaluation, "aws:iam/role:Role", "roles-billing");
        expect(policyDocument(billing, "assumeRolePolicy").Statement[0].Condition).to.equal(undefined);
        // IAM's console says so beside the trust: no "with MFA".
        expect(billing.inputs.description).to.equal("Assumed from the root account; managed by refarch");
        const billingPolicies = ofType(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === `${org.namePrefix(stack)}-billing`);
        expect(billingPolicies.map((a) => a.name)).to.have.members(["roles-billing-Billing", "roles-billing-ReadOnlyAccess"]);
        expect(evaluation.outputs.roles).to.have.keys(Object.keys(roles));
    });
});
