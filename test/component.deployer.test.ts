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

    it("registers the deployer's ARN and name and the previewer's ARN", async () => {
        const evaluation = await buildAlone(() => void new Deployer("deployer", ARGS));
        const deployer = only(evaluation, ROLE, "deployer-role");
        expect(only(evaluation, "refarch:deploy:Deployer").outputs).to.deep.equal({
            roleArn: deployer.state.arn,
            roleName: "initech-qa-deployer",
            previewerRoleArn: only(evaluation, ROLE, "deployer-previewer").state.arn,
        });
        expect(deployer.state.arn).to.match(/:role\/initech-qa-deployer$/);
    });
});
