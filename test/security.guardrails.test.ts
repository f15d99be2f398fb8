// The guardrails, proved by the IAM policy evaluator for every member account of the create-accounts
// fixture: a role with full rights is denied every guarded action; the deployer still deploys and updates
// its trail; ordinary work is allowed in an allowed region and denied outside the list. Expectations derive
// from the fixture's config, so switching a guardrail off there flips exactly its rows.
import { expect } from "chai";
import * as path from "path";
import { evaluateStack, RecordedResource, StackEvaluation } from "../src/offline/engine";
import { ProjectFiles, readProject, stackConfig } from "../src/project";
import { FULL_AWS_ACCESS, GUARDED_ACTIONS, PolicyDocument } from "../src/policies";
import { guardrailResults, GuardrailResult, outsideRegion, probesFor, scpLevels } from "../src/security/guardrailProofs";
import { decide } from "../src/security/simulator";
import { organizationAt, program, syntheticResource } from "./harness";

const fixture: ProjectFiles = readProject(path.join(__dirname, "fixtures", "create-accounts"));
const settings = JSON.parse(fixture.projectConfig["refarch:awsOrganization"]) as { guardrails: { allowedRegions?: string[] } };
const AUDIT_ACTIONS = [...GUARDED_ACTIONS.trail, ...GUARDED_ACTIONS.bucket, ...GUARDED_ACTIONS.logs, ...GUARDED_ACTIONS.key, ...GUARDED_ACTIONS.keyAlias];

describe("security: guardrails (SCPs) through the IAM simulator", function () {
    this.timeout(180_000);
    const members = Object.keys(JSON.parse(fixture.projectConfig["refarch:accounts"]) as Record<string, unknown>).filter((s) => s !== "root");
    /** The fixture evaluated and every guardrail probe decided, as its plan shows them: once per run, once per mutant. */
    const proved = async (): Promise<{ evaluations: StackEvaluation[]; results: GuardrailResult[] }> => {
        const evaluations = [...(await organizationAt(fixture.dir).evaluations()).values()];
        for (const e of evaluations) if (e.error) throw e.error;
        return { evaluations, results: (await organizationAt(fixture.dir).proofs())[1] };
    };
    let evaluations: StackEvaluation[];
    let results: GuardrailResult[];
    beforeEach(async () => {
        ({ evaluations, results } = await proved());
    });

    const of = (stage: string, who: GuardrailResult["who"], action: string) => results.filter((r) => r.stage === stage && r.who === who && r.action === action);

    it("covers every member account, and no management account: SCPs never apply to root", () => {
        expect([...new Set(results.map((r) => r.stage))].sort()).to.deep.equal([...members].sort());
    });

    it("each member account's role, with full rights, is denied leaving the organization and every action on the trails, audit bucket, logs and key", () => {
        for (const stage of members) {
            for (const action of ["organizations:LeaveOrganization", ...AUDIT_ACTIONS, "iam:UpdateAssumeRolePolicy"]) {
                const tried = of(stage, "role", action);
                expect(tried, `${stage} ${action}`).to.not.be.empty;
                for (const r of tried) expect(r.decision, `${stage}: ${action} on ${r.resource}`).to.equal("ExplicitlyDenied");
            }
        }
    });

    it("each member account's deployer still updates its trail, its own role and deploys, in any region; it cannot leave the organization either", () => {
        for (const stage of members) {
            for (const r of results.filter((x) => x.stage === stage && x.who === "deployer")) {
                expect(r.decision, `${stage} deployer: ${r.action} on ${r.resource}`).to.equal(r.action === "organizations:LeaveOrganization" ? "ExplicitlyDenied" : "Allowed");
            }
            // Under the organization trail a member has no trail of its own to update.
            expect(of(stage, "deployer", "cloudtrail:UpdateTrail"), stage).to.have.length(evaluations.find((e) => e.stack === stage)!.outputs.trailArn ? 1 : 0);
        }
    });

    it("ordinary work is allowed in the stack's own region, and denied outside the region list", () => {
        const regions = settings.guardrails.allowedRegions!;
        for (const stage of members) {
            const runs = of(stage, "role", "ec2:RunInstances");
            const inside = runs.filter((r) => regions.includes(String(r.context["aws:RequestedRegion"])));
            const outside = runs.filter((r) => !regions.includes(String(r.context["aws:RequestedRegion"])));
            expect(inside.map((r) => [r.context["aws:RequestedRegion"], r.decision]), stage).to.deep.equal([[stackConfig(fixture, stage)["aws:region"], "Allowed"]]);
            expect(outside.map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
        }
    });

    it("each attempt is made against the account that owns what it touches: the audit account for the audit bucket, its logs, key and alias", () => {
        const ids = evaluations.find((e) => e.stack === "org")!.outputs.accountIds as Record<string, string>;
        const auditOwned = [...GUARDED_ACTIONS.bucket, ...GUARDED_ACTIONS.logs, ...GUARDED_ACTIONS.key, ...GUARDED_ACTIONS.keyAlias];
        for (const stage of members) {
            for (const r of results.filter((x) => x.stage === stage)) {
                // A trail is the member's own, or the organization trail in the management account (root's).
                const trailOwner = evaluations.find((e) => e.stack === stage)!.outputs.trailArn ? ids[stage] : ids.root;
                const owner = r.who === "role" && auditOwned.includes(r.action) ? ids.audit : r.who === "role" && GUARDED_ACTIONS.trail.includes(r.action) ? trailOwner : ids[stage];
                expect(r.resourceAccount, `${stage}: ${r.action} on ${r.resource}`).to.equal(owner);
            }
        }
    });

    it("each member account is proved once, through its stage's own stack: a review stack borrowing it, a member stack that failed and a failed org stack add nothing", async () => {
        const byStack = (stack: string) => evaluations.find((e) => e.stack === stack)!;
        const [first, second] = members;
        const failed = (e: StackEvaluation): StackEvaluation => ({ ...e, resources: [], outputs: {}, error: new Error("failed") });
        // Review stacks first, so a lookup that took the first stack of a stage would take them.
        const reviews = [first, "audit"].map((stage) => ({ ...byStack(stage), stack: `${stage}-review`, outputs: { ...byStack(stage).outputs, cloudtrailBucketArn: "arn:aws:s3:::review-bucket", trailArn: "arn:aws:cloudtrail:us-east-1:000000000000:trail/review" } }));
        // And the audit stack last, so a lookup that took the first stack whose stack is its stage would take another.
        const withReviews = await guardrailResults([...reviews, ...evaluations.filter((e) => e.stack !== "audit"), byStack("audit")]);
        expect(withReviews).to.have.deep.members(results);
        const withoutSecond = await guardrailResults(evaluations.map((e) => (e.stack === second ? failed(e) : e)));
        expect([...new Set(withoutSecond.map((r) => r.stage))].sort()).to.deep.equal(members.filter((s) => s !== second).sort());
        expect(await guardrailResults(evaluations.map((e) => (e.stack === "org" ? failed(e) : e)))).to.deep.equal([]);
    });

    it("a member account's root user is denied everything", () => {
        for (const stage of members) expect(of(stage, "root user", "ec2:RunInstances").map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
    });

    // The exemption names the deployers by name, in any account (src/policies/serviceControlPolicies.ts says why): a role
    // of a deployer's name must come from nowhere else. By hand: the SCPs deny it. Through the program: config refuses it.
    it("a role named like a deployer cannot be made or changed by an account's admin: <stage>-release-deployer, another stage's deployer", async () => {
        const org = evaluations.find((e) => e.stack === "org")!;
        const ids = org.outputs.accountIds as Record<string, string>;
        const { namespace } = organizationAt(fixture.dir);
        for (const stage of members) {
            const member = evaluations.find((e) => e.stack === stage)!;
            const admin = Object.values(member.outputs.roles as Record<string, string>)[0];
            const other = members.find((s) => s !== stage)!;
            for (const name of [`${namespace}-${stage}-release-deployer`, `${namespace}-${other}-deployer`]) {
                for (const action of ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"]) {
                    const decision = await decide({
                        principal: admin,
                        action,
                        resource: `arn:aws:iam::${ids[stage]}:role/${name}`,
                        resourceAccount: ids[stage],
                        context: { "aws:PrincipalArn": admin, "aws:RequestedRegion": String(stackConfig(fixture, stage)["aws:region"]) },
                        identityPolicies: [FULL_AWS_ACCESS],
                        serviceControlPolicies: scpLevels(org, ids[stage]),
                    });
                    expect(decision, `${stage}: ${admin} ${action} on ${name}`).to.equal("ExplicitlyDenied");
                }
            }
        }
    });

    it("a role of refarch:roles that would be named like a deployer (release-deployer) is refused by config in every stack, before anything is made", async () => {
        const org = organizationAt(fixture.dir);
        const roles = JSON.parse(fixture.projectConfig["refarch:roles"] ?? '{"admin":{"policyArns":["arn:aws:iam::aws:policy/AdministratorAccess"]}}') as Record<string, unknown>;
        const withRelease = JSON.stringify({ ...roles, "release-deployer": Object.values(roles)[0] });
        for (const stack of ["org", ...members]) {
            const message = await org.refused(stack, { "refarch:roles": withRelease });
            expect(message, stack).to.include(`refarch:roles.release-deployer: "release-deployer" makes roles named like "${org.namespace}-`);
            expect(message, stack).to.include("rename release-deployer to release (or remove it)");
        }
    });

    it("switched off in config, the audit guardrail no longer denies: the proof can fail", async () => {
        const off = JSON.parse(fixture.projectConfig["refarch:awsOrganization"]);
        off.guardrails.auditTrail = false;
        const project = { ...fixture, projectConfig: { ...fixture.projectConfig, "refarch:awsOrganization": JSON.stringify(off) } };
        const org = await evaluateStack(program, fixture.name, "org", stackConfig(project, "org"));
        if (org.error) throw org.error;
        const prod = evaluations.find((e) => e.stack === "prod")!;
        const audit = evaluations.find((e) => e.stack === "audit");
        const admin = Object.values(prod.outputs.roles as Record<string, string>)[0];
        const organizationTrail = evaluations.find((e) => e.stack === "org")!.outputs.organizationTrailArn as string | undefined;
        const stop = probesFor(prod, audit, admin, undefined, organizationTrail).find((p) => p.action === "cloudtrail:StopLogging")!;
        const levels = scpLevels(org, String(prod.outputs.accountId));
        // The member's own trail: now allowed. The organization trail, in the management account: no longer denied by an
        // SCP (CloudTrail itself refuses a member's change to it, which the simulator does not model).
        const decision = await decide({ ...stop, identityPolicies: [FULL_AWS_ACCESS], serviceControlPolicies: levels });
        if (prod.outputs.trailArn) expect(decision).to.equal("Allowed");
        else expect(decision).not.to.equal("ExplicitlyDenied");
    });
});

// The SCP hierarchy and the region picked outside the guardrail, on an organization written out here: which policies
// govern an account (the root's, its own unit's and its own, not another unit's), whatever the fixture attaches where.
describe("security: guardrails, the levels of SCPs over an account", () => {
    const resource = (type: string, id: string, inputs: Record<string, unknown>, state?: Record<string, unknown>) => syntheticResource("org", type, id, inputs, state);
    const scp = (id: string, statement: PolicyDocument["Statement"][number]) => resource("aws:organizations/policy:Policy", id, { content: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) });
    const deny = (id: string, action: string) => scp(id, { Effect: "Deny", Action: action, Resource: "*" });
    const attach = (policyId: string, targetId: string) => resource("aws:organizations/policyAttachment:PolicyAttachment", `${policyId}-${targetId}`, { policyId, targetId });
    const org = (resources: RecordedResource[]): StackEvaluation => ({ stack: "org", stage: "org", resources, outputs: {}, warnings: [] });
    const tree = [
        deny("p-root", "organizations:LeaveOrganization"),
        deny("p-prod", "s3:DeleteBucket"),
        deny("p-dev", "ec2:RunInstances"),
        deny("p-account", "iam:CreateUser"),
        resource("aws:organizations/organization:Organization", "o-1", {}, { roots: [{ id: "r-abcd" }] }),
        resource("aws:organizations/organizationalUnit:OrganizationalUnit", "ou-prod", { parentId: "r-abcd" }),
        resource("aws:organizations/organizationalUnit:OrganizationalUnit", "ou-dev", { parentId: "r-abcd" }),
        resource("aws:organizations/account:Account", "111111111111", { parentId: "ou-prod" }),
        resource("aws:organizations/account:Account", "222222222222", { parentId: "ou-dev" }),
        resource("aws:organizations/account:Account", "333333333333", { parentId: "r-abcd" }),
        attach("p-root", "r-abcd"),
        attach("p-prod", "ou-prod"),
        attach("p-dev", "ou-dev"),
        attach("p-account", "111111111111"),
    ];
    const actionsOf = (levels: ReturnType<typeof scpLevels>) => levels.map(({ target, policies }) => [target, policies.flatMap((p) => p.Statement.map((st) => String(st.Action)))]);

    it("root's, the account's own unit's and its own: FullAWSAccess at each, and never another unit's", () => {
        expect(actionsOf(scpLevels(org(tree), "111111111111"))).to.deep.equal([
            ["r-abcd", ["*", "organizations:LeaveOrganization"]],
            ["ou-prod", ["*", "s3:DeleteBucket"]],
            ["111111111111", ["*", "iam:CreateUser"]],
        ]);
        expect(actionsOf(scpLevels(org(tree), "222222222222"))).to.deep.equal([
            ["r-abcd", ["*", "organizations:LeaveOrganization"]],
            ["ou-dev", ["*", "ec2:RunInstances"]],
            ["222222222222", ["*"]],
        ]);
        // An account directly under the root has no unit level.
        expect(actionsOf(scpLevels(org(tree), "333333333333")).map(([target]) => target)).to.deep.equal(["r-abcd", "333333333333"]);
    });

    it("an account's attempts are made in its stack's own region, whatever other providers the stack holds (ACM's, in us-east-1)", () => {
        const member: StackEvaluation = {
            stack: "dev",
            stage: "dev",
            outputs: {},
            warnings: [],
            resources: [resource("pulumi:providers:aws", "acm-cloudfront-us-east-1", { region: "us-east-1" }), resource("pulumi:providers:aws", "aws", { region: "eu-west-1" })],
        };
        const runs = probesFor(member, undefined, "arn:aws:iam::222222222222:role/acme-dev-admin", undefined).filter((p) => p.action === "ec2:RunInstances");
        expect(runs.map((p) => [p.who, p.context["aws:RequestedRegion"], p.resource])).to.deep.equal([
            ["role", "eu-west-1", "arn:aws:ec2:eu-west-1:222222222222:instance/*"],
            ["root user", "eu-west-1", "arn:aws:ec2:eu-west-1:222222222222:instance/*"],
        ]);
    });

    it("the region tried outside the guardrail is the first of sa-east-1, ap-southeast-2, eu-north-1, af-south-1 the guardrail does not allow; none without one", () => {
        const regionGuardrail = (allowed: string[]) => org([scp("p-regions", { Effect: "Deny", NotAction: "iam:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": allowed } } })]);
        expect(outsideRegion(regionGuardrail(["us-east-1"]))).to.equal("sa-east-1");
        expect(outsideRegion(regionGuardrail(["sa-east-1", "us-east-1"]))).to.equal("ap-southeast-2");
        expect(outsideRegion(regionGuardrail(["sa-east-1", "ap-southeast-2"]))).to.equal("eu-north-1");
        expect(outsideRegion(regionGuardrail(["sa-east-1", "ap-southeast-2", "eu-north-1"]))).to.equal("af-south-1");
        expect(outsideRegion(org(tree))).to.equal(undefined);
    });
});
