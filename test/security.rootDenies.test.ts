// Root's human roles, held by their own explicit denies: SCPs never bind the management account, so nothing else stops
// root's `admin` from stopping the organization trail (or, without an organization, root's own trail), loosening the member
// accounts' guardrails, or rewriting root's deployer, its OIDC providers or the deny itself. Proved by the IAM policy
// evaluator over each role's policies in the plan, for an organization with the organization trail and one with a trail per
// account. Every AWS managed policy stands in as Allow-all (the simulator cannot read them): a denial proved with it holds
// for any grant. Root's deployer, which carries no such deny, must still be allowed all of it: it deploys root and org.
import { expect } from "chai";
import { FULL_AWS_ACCESS, POLICY_LIMITS, PolicyDocument, policySize, rootRolesDenyPolicy } from "../src/policies";
import { rolePolicies } from "../src/security/access";
import { decide, Decision } from "../src/security/simulator";
import { fixture, having, manageOrganization, meeting, NEEDS, ofType, ORG, org as underTest, ROOT } from "./harness";

// Root's deployer exists where the deployer is on and a repository is named (a protected stage has none without one).
const base = meeting([NEEDS.deployerEnabled, NEEDS.repository, NEEDS.audit], underTest);
const perAccount = base.managesOrganization ? meeting([NEEDS.deployerEnabled, NEEDS.repository], fixture("globex")) : base;
const managed = having("a managed organization with an audit stage", (o) => o.hasOrganizationTrail, manageOrganization, base).org;

/** Written here, not read from the source: what would loosen the guardrails or the organization trail. */
const GUARDRAIL_WEAKENING = [
    "organizations:DetachPolicy",
    "organizations:UpdatePolicy",
    "organizations:DeletePolicy",
    "organizations:DisablePolicyType",
    "organizations:DisableAWSServiceAccess",
    "organizations:RemoveAccountFromOrganization",
    "organizations:CloseAccount",
    "organizations:PutResourcePolicy",
    "organizations:RegisterDelegatedAdministrator",
    "cloudtrail:RegisterOrganizationDelegatedAdmin",
];
const TRAIL_TAMPER = ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"];
const ROLE_TAMPER = [
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRole",
    "iam:CreateRole",
];
const PROVIDER_TAMPER = ["iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider"];

const nameOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

for (const org of [perAccount, managed]) {
    describe(`security: root's human roles cannot tamper with what guards the organization (${org.hasOrganizationTrail ? "organization trail" : "a trail per account"})`, () => {
        const rootId = org.accountOf(ROOT);

        /** Every tamper action, each on what it acts on in this plan. */
        async function tamperActions(): Promise<{ action: string; resource: string }[]> {
            const root = await org.evaluation(ROOT);
            const trail = String(org.hasOrganizationTrail ? (await org.evaluation(ORG)).outputs.organizationTrailArn : root.outputs.trailArn);
            expect(trail, "the plan's trail in root's account").to.match(new RegExp(`^arn:[a-z-]+:cloudtrail:[a-z0-9-]+:${rootId}:trail/`));
            const deployer = String(root.outputs.deployerRoleArn);
            // Both issuers' providers as IAM names them, made by the plan or adopted (refarch:deployer.existingOidcProviders).
            const providers = ["token.actions.githubusercontent.com", "api.pulumi.com/oidc"].map((host) => `arn:${org.partitionOf(ROOT)}:iam::${rootId}:oidc-provider/${host}`);
            const planned = ofType(root, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => String(p.state.arn));
            expect(providers, "root's OIDC providers in the plan").to.include.members(planned);
            const humanRoles = Object.values(root.outputs.roles as Record<string, string>);
            // What each Organizations action acts on, as the Service Authorization Reference types it (the simulator checks the type).
            const organizations = `arn:${org.partitionOf(ROOT)}:organizations::${rootId}`;
            const member = org.accountOf(org.stages.find((s) => s !== ROOT)!);
            const onWhat: Record<string, string> = {
                DetachPolicy: `${organizations}:policy/o-exampleorgid/service_control_policy/p-examplepolicy`,
                UpdatePolicy: `${organizations}:policy/o-exampleorgid/service_control_policy/p-examplepolicy`,
                DeletePolicy: `${organizations}:policy/o-exampleorgid/service_control_policy/p-examplepolicy`,
                DisablePolicyType: `${organizations}:root/o-exampleorgid/r-examplerootid`,
                RemoveAccountFromOrganization: `${organizations}:account/o-exampleorgid/${member}`,
                CloseAccount: `${organizations}:account/o-exampleorgid/${member}`,
                RegisterDelegatedAdministrator: `${organizations}:account/o-exampleorgid/${member}`,
            };
            return [
                ...TRAIL_TAMPER.map((action) => ({ action, resource: trail })),
                ...GUARDRAIL_WEAKENING.map((action) => ({ action, resource: onWhat[action.slice(action.indexOf(":") + 1)] ?? "*" })),
                ...[deployer, ...humanRoles].flatMap((resource) => ROLE_TAMPER.map((action) => ({ action, resource }))),
                ...providers.flatMap((resource) => PROVIDER_TAMPER.map((action) => ({ action, resource }))),
            ];
        }

        const attempt = (principal: string, policies: PolicyDocument[], action: string, resource: string): Promise<Decision> =>
            decide({ principal, action, resource, resourceAccount: rootId, context: { "aws:PrincipalArn": principal, "aws:MultiFactorAuthPresent": "true" }, identityPolicies: policies });

        it("each human role of root is explicitly denied every tamper action on the trail, the guardrails, the deployer, its OIDC providers and its own deny", async () => {
            const root = await org.evaluation(ROOT);
            const roles = Object.values(root.outputs.roles as Record<string, string>);
            expect(roles, "root's roles from refarch:roles").to.have.length(org.roleNames.length);
            for (const role of roles) {
                const { inline, identity: all } = rolePolicies(root, nameOf(role));
                expect(inline, `${role}: its deny`).to.have.length(1);
                // With full rights on top: the denies must hold whatever refarch:roles grants.
                for (const { action, resource } of await tamperActions()) {
                    expect(await attempt(role, [...all, FULL_AWS_ACCESS], action, resource), `${nameOf(role)}: ${action} on ${resource}`).to.equal("ExplicitlyDenied");
                }
            }
        });

        it("the deny is narrow: root's humans still manage people and read the logs' trail status", async () => {
            const root = await org.evaluation(ROOT);
            const role = Object.values(root.outputs.roles as Record<string, string>)[0];
            const partition = org.partitionOf(ROOT);
            const ordinary: [string, string][] = [
                ["iam:CreateUser", `arn:${partition}:iam::${rootId}:user/dana`],
                ["iam:AddUserToGroup", `arn:${partition}:iam::${rootId}:group/${org.namespace}-${ROOT}-developers`],
                ["cloudtrail:GetTrailStatus", String(root.outputs.trailArn ?? `arn:${partition}:cloudtrail:us-east-1:${rootId}:trail/${org.namespace}-org-cloudtrail`)],
                ["organizations:DescribeOrganization", "*"],
            ];
            for (const [action, resource] of ordinary) expect(await attempt(role, [...rolePolicies(root, nameOf(role)).identity, FULL_AWS_ACCESS], action, resource), action).to.equal("Allowed");
        });

        it("root's deployer carries no such deny: it still updates the trail, the guardrails, itself, its providers and the human roles", async () => {
            const root = await org.evaluation(ROOT);
            const deployer = String(root.outputs.deployerRoleArn);
            const { inline, identity: all } = rolePolicies(root, nameOf(deployer));
            expect(inline, "the deployer has no inline policy of ours").to.deep.equal([]);
            expect(all.length, "its managed policies (refarch:deployer.policyArns)").to.be.greaterThan(0);
            for (const { action, resource } of await tamperActions()) {
                expect(await attempt(deployer, all, action, resource), `deployer: ${action} on ${resource}`).to.equal("Allowed");
            }
        });

        it("the deny fits IAM's inline limit for a role, and only root's roles carry it", async () => {
            const root = await org.evaluation(ROOT);
            for (const role of Object.values(root.outputs.roles as Record<string, string>)) {
                const size = rolePolicies(root, nameOf(role)).inline.reduce((sum, p) => sum + policySize(p), 0);
                expect(size, role).to.be.at.most(POLICY_LIMITS.roleInlinePolicies);
            }
            // Elsewhere the SCPs hold the admins: their refarch:roles roles have no inline policy.
            for (const stack of org.stageStacks.filter((s) => org.stageOf(s) !== ROOT && org.ownsAccount(s))) {
                const evaluation = await org.evaluation(stack);
                for (const role of org.roleNames) expect(rolePolicies(evaluation, `${org.namespace}-${org.stageOf(stack)}-${role}`).inline, `${stack} ${role}`).to.deep.equal([]);
            }
        });
    });
}

describe("root's deny policy, alone", () => {
    it("stays far inside IAM's inline limit at the longest namespace and a GovCloud partition: its size does not grow with the roles", () => {
        const size = policySize(rootRolesDenyPolicy({ partition: "aws-us-gov", namespace: "a".repeat(18), stage: "root", accountId: "123456789012" }));
        expect(size).to.be.below(POLICY_LIMITS.roleInlinePolicies / 2);
    });
});
