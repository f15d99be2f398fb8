// What each fixture organization under test/fixtures/ is there to show, stated with its own literal names,
// ids and regions. (The whole suite also runs on each fixture: REFARCH_PROJECT=test/fixtures/<name>;
// test/snapshots.test.ts holds their complete plans.)
import { expect } from "chai";
import * as path from "path";
import { DEFAULT_ORGANIZATION } from "../src/offline/engine";
import type { PolicyDocument } from "../src/policies";
import { ofType, Organization, organizationAt, policyDocument, single, statement } from "./harness";

const fixture = (name: string) => organizationAt(path.join(__dirname, "fixtures", name));
const references = (evaluation: Awaited<ReturnType<Organization["evaluation"]>>) => ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name).sort();

async function reach(org: Organization, user: string): Promise<string[]> {
    return (await org.accessMatrix()).filter((e) => e.user === user).map((e) => `${e.stage}/${e.role}`).sort();
}

describe("fixture globex: no dev, qa in eu-west-1, its own Pulumi organization, teams of several shapes", () => {
    const globex = fixture("globex");

    it("deploys audit, then prod + staging + qa, then root", () => {
        expect(globex.waves).to.deep.equal([["audit"], ["prod", "staging", "qa"], ["root"]]);
    });

    it("homer, in engineers and finance, reaches the union of both teams' grants", async () => {
        expect(await reach(globex, "homer")).to.deep.equal(["prod/billing", "prod/readonly", "qa/admin", "root/billing", "staging/admin", "staging/readonly"]);
        expect(await reach(globex, "lenny")).to.deep.equal(["prod/readonly", "qa/admin", "staging/admin", "staging/readonly"]);
    });

    it('hank.scorpio, in sre ("*": [admin, readonly], audit: logs-reader), reaches both roles in all five accounts and the logs reader', async () => {
        expect(await reach(globex, "hank.scorpio")).to.deep.equal(
            ["audit", "prod", "qa", "root", "staging"].flatMap((s) => [`${s}/admin`, ...(s === "audit" ? ["audit/logs-reader"] : []), `${s}/readonly`]),
        );
    });

    it("qa lives in eu-west-1 with its own two-zone VPC, and its trail writes to the audit bucket", async () => {
        const qa = await globex.evaluation("qa");
        expect(qa.outputs.trailArn).to.equal("arn:aws:cloudtrail:eu-west-1:210000000005:trail/globex-qa-cloudtrail");
        expect(single(qa, "aws:cloudtrail/trail:Trail").inputs.s3BucketName).to.equal("globex-audit-cloudtrail");
        expect(single(qa, "awsx:ec2:Vpc").inputs).to.deep.include({ cidrBlock: "10.30.0.0/16", numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } });
        expect(qa.outputs.roles).to.deep.equal({
            admin: "arn:aws:iam::210000000005:role/globex-qa-admin",
            readonly: "arn:aws:iam::210000000005:role/globex-qa-readonly",
            billing: "arn:aws:iam::210000000005:role/globex-qa-billing",
        });
        expect(single(qa, "aws:iam/role:Role", "roles-admin").inputs.maxSessionDuration).to.equal(7200);
    });

    it("names StackReferences and the deployer's audience after refarch:organization globex, and trusts globex/platform-infra", async () => {
        const prod = await globex.evaluation("prod");
        expect(references(prod)).to.deep.equal(["globex/refarch/audit"]);
        expect(references(await globex.evaluation("root"))).to.deep.equal(["globex/refarch/audit", "globex/refarch/prod", "globex/refarch/qa", "globex/refarch/staging"]);
        const trust = policyDocument(single(prod, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy");
        // prod is protected: only GitHub's deploy job from main in its environment, no Pulumi Deployments change.
        expect(trust.Statement.map((s) => s.Sid)).to.deep.equal(["GitHubDeployJobFromBranch"]);
        expect(statement(trust, "GitHubDeployJobFromBranch").Condition!.StringEquals["token.actions.githubusercontent.com:sub"]).to.deep.equal(["repo:globex/platform-infra:environment:prod:ref:refs/heads/main"]);
        const previewTrust = policyDocument(single(prod, "aws:iam/role:Role", "deployer-previewer"), "assumeRolePolicy");
        expect(statement(previewTrust, "PulumiPreviewsOfThisStack").Condition!.StringEquals["api.pulumi.com/oidc:aud"]).to.equal("globex");
        const pullRequests = (trust: PolicyDocument) => trust.Statement.flatMap((s) => s.Condition?.StringLike?.["token.actions.githubusercontent.com:sub"] ?? []);
        // Pull requests preview protected stages not at all by default (refarch:pulumiCloud.protectedPreviews "off"); staging openly.
        expect(pullRequests(previewTrust)).to.deep.equal([]);
        const staging = await globex.evaluation("staging");
        expect(pullRequests(policyDocument(single(staging, "aws:iam/role:Role", "deployer-previewer"), "assumeRolePolicy"))).to.deep.equal(["repo:globex/platform-infra:pull_request:ref:refs/pull/*"]);
    });

    it("prod, in us-west-2, alerts cloud-costs@globex.example past 5,000 USD a month", async () => {
        const prod = await globex.evaluation("prod");
        expect(single(prod, "aws:budgets/budget:Budget").inputs).to.deep.include({ name: "globex-prod-monthly", limitAmount: "5000.00" });
        expect(prod.outputs.accessAnalyzerArn).to.equal("arn:aws:access-analyzer:us-west-2:210000000003:analyzer/globex-prod-access-analyzer");
    });
});

// Initech sets no refarch:organization, so its stacks are in the engine's default Pulumi organization.
describe("fixture initech: no audit, roles admin and poweruser, ap-southeast-2, a protected sandbox", () => {
    const initech = fixture("initech");

    it("has no log sink and no trail, and only root reads other stacks: the stages its teams are granted", async () => {
        for (const [stack, evaluation] of await initech.evaluations()) {
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail"), stack).to.deep.equal([]);
            expect(ofType(evaluation, "aws:s3/bucket:Bucket"), stack).to.deep.equal([]);
            expect(references(evaluation), stack).to.deep.equal(stack === "root" ? ["prod", "sandbox", "testing"].map((s) => `${DEFAULT_ORGANIZATION}/refarch/${s}`) : []);
        }
        expect(initech.waves).to.deep.equal([["prod", "testing", "sandbox"], ["root"]]);
    });

    it("gives every account poweruser: PowerUserAccess, four-hour sessions, and no readonly role", async () => {
        const sandbox = await initech.evaluation("sandbox");
        expect(sandbox.outputs.roles).to.deep.equal({
            admin: "arn:aws:iam::310000000004:role/initech-sandbox-admin",
            poweruser: "arn:aws:iam::310000000004:role/initech-sandbox-poweruser",
        });
        expect(single(sandbox, "aws:iam/role:Role", "roles-poweruser").inputs.maxSessionDuration).to.equal(14400);
        expect(single(sandbox, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "roles-poweruser-PowerUserAccess").inputs.policyArn).to.equal("arn:aws:iam::aws:policy/PowerUserAccess");
    });

    it("peter (devs) reaches admin and poweruser in sandbox, poweruser in testing and prod; bill.lumbergh (ops) admin everywhere", async () => {
        expect(await reach(initech, "peter")).to.deep.equal(["prod/poweruser", "sandbox/admin", "sandbox/poweruser", "testing/poweruser"]);
        expect(await reach(initech, "bill.lumbergh")).to.deep.equal(["prod/admin", "root/admin", "sandbox/admin", "testing/admin"]);
    });

    it("sandbox, in us-west-2, is protected by refarch:protect and has no Access Analyzer; root lives in ap-southeast-2", async () => {
        const sandbox = await initech.evaluation("sandbox");
        expect(sandbox.resources.filter((r) => !r.read && !r.protect).map((r) => r.name)).to.deep.equal([]);
        expect(ofType(sandbox, "aws:accessanalyzer/analyzer:Analyzer")).to.deep.equal([]);
        expect((await initech.evaluation("root")).outputs.accessAnalyzerArn).to.equal("arn:aws:access-analyzer:ap-southeast-2:310000000001:analyzer/initech-root-access-analyzer");
    });

    it("trusts Pulumi Deployments only (no repository); review-* stacks reach testing's review role, not its deployer; protected stacks get no deployer", async () => {
        const testing = await initech.evaluation("testing");
        const trust = policyDocument(single(testing, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy");
        expect(trust.Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack"]);
        expect(statement(trust, "PulumiDeploymentsOfThisStack").Condition!.StringEquals["api.pulumi.com/oidc:sub"]).to.deep.equal(
            ["update", "refresh", "destroy"].map((op) => `pulumi:deploy:org:${DEFAULT_ORGANIZATION}:project:refarch:stack:testing:operation:${op}:scope:write`),
        );
        const review = policyDocument(single(testing, "aws:iam/role:Role", "deployer-reviewer"), "assumeRolePolicy");
        expect(statement(review, "PulumiDeploymentsOfReviewStacks").Condition!.StringLike["api.pulumi.com/oidc:sub"]).to.deep.equal(
            ["preview", "update", "refresh", "destroy"].map((op) => `pulumi:deploy:org:${DEFAULT_ORGANIZATION}:project:refarch:stack:review-*:operation:${op}:scope:write`),
        );
        // sandbox is protected and there is no repository: nobody may deploy it but a person.
        expect(ofType(await initech.evaluation("sandbox"), "aws:iam/role:Role").map((r) => r.name)).not.to.include("deployer-role");
    });
});
