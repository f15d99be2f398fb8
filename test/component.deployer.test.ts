// The Deployer component alone: its OIDC providers (created, reused or adopted), the deployer and previewer roles, and
// what it registers. Trust policy contents are proven in security.oidc.test.ts; here, what the args decide.
import { expect } from "chai";
import { Deployer, DeployerArgs } from "../src/components/deployer";
import { GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER } from "../src/policies";
import { buildAlone, only, resourcesOf } from "./componentHarness";

const ACCOUNT = { partition: "aws", id: "222233334444" };
const ARGS: DeployerArgs = {
    namePrefix: "initech-qa",
    organization: "initech-org",
    project: "refarch",
    stacks: ["qa"],
    policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    previewerPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    account: ACCOUNT,
};
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const REVIEW_POLICIES = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];
const ROLE = "aws:iam/role:Role";

describe("Deployer component, built alone", () => {
    it("defaults to a Pulumi OIDC provider only, two roles of an hour's sessions, nothing imported", async () => {
        const evaluation = await buildAlone(() => void new Deployer("deployer", ARGS));
        expect(evaluation.error).to.equal(undefined);
        expect(resourcesOf(evaluation, OIDC).map((p) => [p.inputs.url, p.inputs.clientIdLists, p.retainOnDelete])).to.deep.equal([[PULUMI_OIDC_ISSUER, ["initech-org"], true]]);
        expect(resourcesOf(evaluation, ROLE).map((r) => [r.inputs.name, r.inputs.maxSessionDuration, r.retainOnDelete])).to.deep.equal([
            ["initech-qa-deployer", 3600, true],
            ["initech-qa-previewer", 3600, false],
        ]);
        expect(evaluation.resources.filter((r) => r.importId !== "")).to.deep.equal([]);
    });

    it("with a GitHub subject prefix adds GitHub's provider; an existing provider's ARN is reused instead of created", async () => {
        const github = await buildAlone(() => void new Deployer("deployer", { ...ARGS, githubSubjectPrefix: "repo:initech/refarch" }));
        expect(resourcesOf(github, OIDC).map((p) => p.inputs.url)).to.deep.equal([PULUMI_OIDC_ISSUER, GITHUB_OIDC_ISSUER]);
        const existing = `arn:aws:iam::${ACCOUNT.id}:oidc-provider/api.pulumi.com/oidc`;
        const reused = await buildAlone(() => void new Deployer("deployer", { ...ARGS, existingProviders: { pulumi: existing } }));
        expect(resourcesOf(reused, OIDC)).to.deep.equal([]);
        const trust = JSON.parse(only(reused, ROLE, "deployer-role").inputs.assumeRolePolicy as string) as { Statement: { Principal: { Federated?: string } }[] };
        expect(trust.Statement.map((s) => s.Principal.Federated)).to.deep.equal([existing]);
    });

    it("adoptRetained imports the retained deployer, its attachments and its OIDC provider by the ids the provider documents; the previewer is made anew", async () => {
        const evaluation = await buildAlone(() => void new Deployer("deployer", { ...ARGS, adoptRetained: true }));
        expect(evaluation.resources.filter((r) => r.importId !== "").map((r) => [r.type, r.importId])).to.have.deep.members([
            [OIDC, `arn:aws:iam::${ACCOUNT.id}:oidc-provider/api.pulumi.com/oidc`],
            [ROLE, "initech-qa-deployer"],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "initech-qa-deployer/arn:aws:iam::aws:policy/AdministratorAccess"],
        ]);
    });

    it("a protected stage's deployer trusts only GitHub's deploy job; without a repository there is no deployer at all", async () => {
        const github = await buildAlone(() => void new Deployer("deployer", { ...ARGS, pulumiChanges: [], githubSubjectPrefix: "repo:initech@1/refarch@2", deployBranch: "release" }));
        const trust = JSON.parse(only(github, ROLE, "deployer-role").inputs.assumeRolePolicy as string) as { Statement: { Sid: string; Condition: { StringEquals: Record<string, string[]> } }[] };
        expect(trust.Statement.map((s) => [s.Sid, s.Condition.StringEquals["token.actions.githubusercontent.com:sub"]])).to.deep.equal([["GitHubDeployJobFromBranch", ["repo:initech@1/refarch@2:environment:qa:ref:refs/heads/release"]]]);
        const nobody = await buildAlone(() => void new Deployer("deployer", { ...ARGS, pulumiChanges: [] }));
        expect(resourcesOf(nobody, ROLE).map((r) => r.inputs.name)).to.deep.equal(["initech-qa-previewer"]);
        expect(only(nobody, "refarch:deploy:Deployer").outputs).not.to.have.property("roleArn");
    });

    it("with reviewStacks, a review role bounded by its own policy, trusted by review stacks' deployments alone, with its own policies", async () => {
        const evaluation = await buildAlone(() => void new Deployer("deployer", { ...ARGS, reviewStacks: { pattern: "pr-*", namePattern: "initech-pr-*-*", policyArns: REVIEW_POLICIES } }));
        const boundary = only(evaluation, "aws:iam/policy:Policy", "deployer-review-boundary");
        expect(boundary.inputs.name).to.equal("initech-qa-review-boundary");
        const reviewer = only(evaluation, ROLE, "deployer-reviewer");
        expect([reviewer.inputs.name, reviewer.inputs.permissionsBoundary, reviewer.retainOnDelete]).to.deep.equal(["initech-qa-reviewer", boundary.state.arn, false]);
        const trust = JSON.parse(reviewer.inputs.assumeRolePolicy as string) as { Statement: { Principal: { Federated: string }; Condition: { StringLike: Record<string, string[]> } }[] };
        expect(trust.Statement.map((s) => s.Condition.StringLike["api.pulumi.com/oidc:sub"])).to.deep.equal([
            ["preview", "update", "refresh", "destroy"].map((op) => `pulumi:deploy:org:initech-org:project:refarch:stack:pr-*:operation:${op}:scope:write`),
        ]);
        const attached = resourcesOf(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "initech-qa-reviewer");
        expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal(REVIEW_POLICIES);
        const none = await buildAlone(() => void new Deployer("deployer", ARGS));
        expect(resourcesOf(none, ROLE).map((r) => r.inputs.name), "no review role elsewhere").not.to.include("initech-qa-reviewer");
    });

    it("registers the deployer's ARN and name and the previewer's ARN", async () => {
        const evaluation = await buildAlone(() => void new Deployer("deployer", ARGS));
        const deployer = only(evaluation, ROLE, "deployer-role");
        expect(only(evaluation, "refarch:deploy:Deployer").outputs).to.deep.include({
            roleArn: deployer.state.arn,
            roleName: "initech-qa-deployer",
            previewerRoleArn: only(evaluation, ROLE, "deployer-previewer").state.arn,
        });
        expect(deployer.state.arn).to.match(/:role\/initech-qa-deployer$/);
    });
});
