// The guardrails, proved by the IAM policy evaluator for every member account of the organization under test (or the
// create-accounts fixture, when the organization under test manages none): a role with full rights, a look-alike
// `<ns>-<stage>-release-deployer` and OrganizationAccountAccessRole after bootstrap are denied every guarded action; the
// account's exact deployer still deploys; ordinary work is allowed in an allowed region and denied outside the list.
// Expectations derive from the config under test, so switching a guardrail off flips exactly its rows.
import { expect } from "chai";
import * as path from "path";
import { evaluateProject, evaluateStack, RecordedResource, StackEvaluation } from "../src/offline/engine";
import { ProjectFiles, readProject, stackConfig } from "../src/project";
import { DEFAULT_GUARDRAILS, FULL_AWS_ACCESS, GUARDED_ACTIONS, GuardedAccount, guardrailPolicies, GuardrailSettings, PolicyDocument } from "../src/policies";
import { guardrailResults, GuardrailResult, organizationOf, outsideRegion, probesFor, scpLevels } from "../src/security/guardrailProofs";
import { decide } from "../src/security/simulator";
import { org as underTest, organizationAt, program, syntheticResource } from "./harness";

const subject = underTest.managesOrganization ? underTest : organizationAt(path.join(__dirname, "fixtures", "create-accounts"));
const project: ProjectFiles = readProject(subject.dir);
const settings = (JSON.parse(project.projectConfig["refarch:awsOrganization"] ?? "{}") as { guardrails?: { allowedRegions?: string[]; accessRole?: string } }).guardrails ?? {};
const ALL_GUARDED = Object.values(GUARDED_ACTIONS).flat();
/** What the sink guardrails cover: owned by the audit account. */
const SINK_ACTIONS = [...GUARDED_ACTIONS.bucket, ...GUARDED_ACTIONS.logs, ...GUARDED_ACTIONS.key, ...GUARDED_ACTIONS.keyAlias];
const ORDINARY = "ec2:RunInstances";

describe("security: guardrails (SCPs) through the IAM simulator", function () {
    this.timeout(180_000);
    const members = subject.stages.filter((s) => s !== "root");
    /** The organization evaluated and every guardrail probe decided, as its plan shows them: once per run, once per mutant. */
    const proved = async (): Promise<{ evaluations: StackEvaluation[]; results: GuardrailResult[] }> => {
        const evaluations = [...(await subject.evaluations()).values()];
        for (const e of evaluations) if (e.error) throw e.error;
        return { evaluations, results: (await subject.proofs())[1] };
    };
    let evaluations: StackEvaluation[];
    let results: GuardrailResult[];
    beforeEach(async () => {
        ({ evaluations, results } = await proved());
    });

    const of = (stage: string, who: GuardrailResult["who"], action?: string) => results.filter((r) => r.stage === stage && r.who === who && (action === undefined || r.action === action));
    const organization = () => organizationOf(evaluations)!;
    const ids = () => organization().outputs.accountIds as Record<string, string>;

    it("covers every member account, and no management account: SCPs never apply to root", () => {
        expect([...new Set(results.map((r) => r.stage))].sort()).to.deep.equal([...members].sort());
    });

    it("every guarded action is in some SCP of every member account: a missing one fails here", () => {
        for (const stage of members) {
            const inScps = new Set(scpLevels(organization(), ids()[stage]).flatMap((level) => level.policies.flatMap((p) => p.Statement.flatMap((st) => [st.Action ?? []].flat()))));
            for (const action of ["organizations:LeaveOrganization", ...ALL_GUARDED]) expect(inScps.has(action), `${stage}: ${action}`).to.equal(true);
        }
    });

    it("each member account's role with full rights, a look-alike release-deployer and the access role (even with MFA) are denied every guarded action", () => {
        for (const stage of members) {
            for (const who of ["role", "look-alike", "access role with MFA"] as const) {
                const tried = of(stage, who).filter((r) => r.action !== ORDINARY);
                // Every guarded action on everything the plan has of it: the trail (per-account trails only), both audit buckets, the key, the OIDC providers, the deployer.
                const expected = ["organizations:LeaveOrganization", ...ALL_GUARDED.filter((a) => !GUARDED_ACTIONS.trail.includes(a) || tried.some((r) => r.action === a))];
                expect([...new Set(tried.map((r) => r.action))].sort(), `${stage} ${who}`).to.deep.equal([...new Set(expected)].sort());
                for (const r of tried) expect(r.decision, `${stage} ${who}: ${r.action} on ${r.resource}`).to.equal("ExplicitlyDenied");
            }
        }
    });

    it("after bootstrap the access role works only in a session assumed with MFA (accessRole: mfa), or not at all (denied)", () => {
        for (const stage of members) {
            expect(of(stage, "access role without MFA", ORDINARY).map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
            expect(of(stage, "access role with MFA", ORDINARY).map((r) => r.decision), stage).to.deep.equal([settings.accessRole === "denied" ? "ExplicitlyDenied" : "Allowed"]);
        }
    });

    it("each member account's exact deployer still updates its trail, its own role and OIDC provider and deploys, in any region; it cannot leave, nor write a log file", () => {
        const auditId = ids().audit;
        for (const stage of members) {
            for (const r of of(stage, "deployer")) {
                const denied =
                    r.action === "organizations:LeaveOrganization" ||
                    r.action === "s3:PutObject" ||
                    // The audit sink is the audit account's: only its own deployer changes it.
                    (r.resourceAccount === auditId && ids()[stage] !== auditId);
                expect(r.decision, `${stage} deployer: ${r.action} on ${r.resource}`).to.equal(denied ? "ExplicitlyDenied" : "Allowed");
            }
            // Under the organization trail a member has no trail of its own to update.
            expect(of(stage, "deployer", "cloudtrail:UpdateTrail"), stage).to.have.length(evaluations.find((e) => e.stack === stage)!.outputs.trailArn ? 1 : 0);
            expect(of(stage, "deployer", "iam:UpdateAssumeRolePolicy"), stage).to.have.length(1);
        }
        if (members.includes("audit")) expect(of("audit", "deployer", "s3:PutLifecycleConfiguration").map((r) => r.decision)).to.deep.equal(["Allowed"]);
    });

    it("ordinary work is allowed in the stack's own region, and denied outside the region list when there is one", () => {
        const regions = settings.allowedRegions;
        for (const stage of members) {
            const runs = of(stage, "role", ORDINARY);
            const inside = runs.filter((r) => !regions || regions.includes(String(r.context["aws:RequestedRegion"])));
            const outside = runs.filter((r) => regions && !regions.includes(String(r.context["aws:RequestedRegion"])));
            expect(inside.map((r) => [r.context["aws:RequestedRegion"], r.decision]), stage).to.deep.equal([[stackConfig(project, stage)["aws:region"], "Allowed"]]);
            expect(outside.map((r) => r.decision), stage).to.deep.equal(regions ? ["ExplicitlyDenied"] : []);
        }
    });

    it("each attempt is made against the account that owns what it touches: the audit account for the audit buckets, their logs, key and alias", () => {
        for (const stage of members) {
            for (const r of results.filter((x) => x.stage === stage && x.who !== "deployer")) {
                // A trail is the member's own, or the organization trail in the management account (root's).
                const trailOwner = evaluations.find((e) => e.stack === stage)!.outputs.trailArn ? ids()[stage] : ids().root;
                const owner = SINK_ACTIONS.includes(r.action) ? ids().audit : GUARDED_ACTIONS.trail.includes(r.action) ? trailOwner : ids()[stage];
                expect(r.resourceAccount, `${stage}: ${r.action} on ${r.resource}`).to.equal(owner);
            }
        }
    });

    it("each member account is proved once, through its stage's own stack: a review stack borrowing it, a member stack that failed and a failed org stack add nothing", async () => {
        const byStack = (stack: string) => evaluations.find((e) => e.stack === stack)!;
        const [first, second] = members.filter((s) => s !== "audit");
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

    it("a member account's root user is denied everything: ordinary work and every guarded action", () => {
        for (const stage of members) {
            expect(of(stage, "root user", ORDINARY).map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
            expect(of(stage, "root user").length, stage).to.equal(of(stage, "role").length - of(stage, "role", ORDINARY).length + 1);
            for (const r of of(stage, "root user")) expect(r.decision, `${stage} root user: ${r.action} on ${r.resource}`).to.equal("ExplicitlyDenied");
        }
    });

    it("an account's admin cannot make, remove or change its deployer: deleting and re-creating it would hand them the exempt ARN", async () => {
        for (const stage of members) {
            const member = evaluations.find((e) => e.stack === stage)!;
            const admin = Object.values(member.outputs.roles as Record<string, string>)[0];
            for (const action of GUARDED_ACTIONS.exemptRole) {
                const decision = await decide({
                    principal: admin,
                    action,
                    resource: String(member.outputs.deployerRoleArn),
                    resourceAccount: ids()[stage],
                    context: { "aws:PrincipalArn": admin, "aws:RequestedRegion": String(stackConfig(project, stage)["aws:region"]) },
                    identityPolicies: [FULL_AWS_ACCESS],
                    serviceControlPolicies: scpLevels(organization(), ids()[stage]),
                });
                expect(decision, `${stage}: ${admin} ${action}`).to.equal("ExplicitlyDenied");
            }
        }
    });

    it("bootstrap: the org stack attaches nothing; root attaches an account's guardrails only once its stage exports its deployer, so its first up is not denied", async () => {
        const orgStack = evaluations.find((e) => e.stack === "org")!;
        expect(orgStack.resources.filter((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment")).to.deep.equal([]);
        // Every stage deployed but one, whose deployer does not exist yet. (Its roles are kept: root reads them for the teams
        // it grants, and refuses to deploy before a granted stage has them, whatever the guardrails.)
        const fresh = members.find((s) => s !== "audit")!;
        const deployedOutputs: Record<string, Record<string, unknown>> = {};
        for (const e of evaluations) {
            const { deployerRoleArn: _made, ...rest } = e.outputs;
            deployedOutputs[subject.referenceName(e.stack)] = e.stack === fresh ? rest : e.outputs;
        }
        const root = await evaluateStack(program, project.name, "root", stackConfig(project, "root"), { deployedOutputs, organization: subject.organization });
        if (root.error) throw root.error;
        expect(root.outputs.guardedStages).to.deep.equal(members.filter((s) => s !== fresh));
        const before = { ...organization(), resources: [...orgStack.resources, ...root.resources] };
        const admin = Object.values(evaluations.find((e) => e.stack === fresh)!.outputs.roles as Record<string, string>)[0];
        const makeDeployer = (levels: ReturnType<typeof scpLevels>) =>
            decide({
                principal: admin,
                action: "iam:CreateRole",
                resource: String(evaluations.find((e) => e.stack === fresh)!.outputs.deployerRoleArn),
                resourceAccount: ids()[fresh],
                context: { "aws:PrincipalArn": admin, "aws:RequestedRegion": String(stackConfig(project, fresh)["aws:region"]) },
                identityPolicies: [FULL_AWS_ACCESS],
                serviceControlPolicies: levels,
            });
        // Before: its admin (the bootstrap's credentials) may make the deployer. After its first up: nobody but the deployer may.
        expect(await makeDeployer(scpLevels(before, ids()[fresh]))).to.equal("Allowed");
        expect(await makeDeployer(scpLevels(organization(), ids()[fresh]))).to.equal("ExplicitlyDenied");

        // A deployer under another ARN (made elsewhere, another path) would be denied its own work: root refuses, registering nothing.
        const moved = String(evaluations.find((e) => e.stack === fresh)!.outputs.deployerRoleArn).replace(":role/", ":role/elsewhere/");
        deployedOutputs[subject.referenceName(fresh)] = { ...evaluations.find((e) => e.stack === fresh)!.outputs, deployerRoleArn: moved };
        const refused = await evaluateStack(program, project.name, "root", stackConfig(project, "root"), { deployedOutputs, organization: subject.organization });
        expect(refused.error?.message).to.include(`exports deployerRoleArn ${moved}, but the guardrails exempt exactly`);
        expect(refused.resources.filter((r) => r.custom && !r.read && r.type !== "pulumi:providers:aws")).to.deep.equal([]);
    });

    it("the deploy waves put every stage's first up before root, which attaches the guardrails: org, then the stages, then root", () => {
        const waves = subject.waves;
        expect(waves[0]).to.deep.equal(["org"]);
        expect(waves[waves.length - 1]).to.deep.equal(["root"]);
        // org runs again, alone, right after audit where it makes the organization trail (src/auditTrails.ts).
        const again = waves.findIndex((wave, i) => i > 0 && wave.includes("org"));
        if (subject.hasOrganizationTrail) expect([waves[again - 1], waves[again]]).to.deep.equal([["audit"], ["org"]]);
        else expect(again).to.equal(-1);
        expect(waves.slice(1, -1).flat().filter((s) => s !== "org").sort()).to.deep.equal(subject.stacks.filter((s) => s !== "org" && s !== "root" && subject.stageOf(s) === s).sort());
    });

    it("switched off in config, the audit guardrail no longer denies: the proof can fail", async () => {
        const off = JSON.parse(project.projectConfig["refarch:awsOrganization"] ?? "{}");
        off.guardrails = { ...off.guardrails, auditTrail: false };
        const edited = { ...project, projectConfig: { ...project.projectConfig, "refarch:awsOrganization": JSON.stringify(off) } };
        const all = await evaluateProject(program, edited, { organization: subject.organization });
        for (const e of all) if (e.error) throw e.error;
        const prod = all.find((e) => e.stack === members.find((s) => s !== "audit"))!;
        const audit = all.find((e) => e.stack === "audit");
        const admin = Object.values(prod.outputs.roles as Record<string, string>)[0];
        const stop = probesFor(prod, audit, admin, undefined).find((p) => p.action === "kms:ScheduleKeyDeletion" || p.action === "s3:PutBucketPolicy")!;
        const levels = scpLevels(organizationOf(all)!, String(prod.outputs.accountId));
        expect(await decide({ ...stop, identityPolicies: [FULL_AWS_ACCESS], serviceControlPolicies: levels })).to.not.equal("ExplicitlyDenied");
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

// The per-account guardrails as guardrailPolicies builds them, for one account written out here: who is exempt under
// each setting the shipped example does not use (accessRole: denied, the deployer switched off).
describe("security: guardrails, one account's exemption under each setting", () => {
    const scope = { partition: "aws", namespace: "acme" };
    const account = { stage: "prod", accountId: "222222222222", auditAccountId: "444444444444", exempt: "deployer" as const };
    const trail = "arn:aws:cloudtrail:us-east-1:222222222222:trail/acme-prod-cloudtrail";
    const role = (name: string) => `arn:aws:iam::222222222222:role/${name}`;
    const decideUnder = (account: GuardedAccount, settings: GuardrailSettings, principal: string, action: string, resource: string, mfa?: boolean) =>
        decide({
            principal,
            action,
            resource,
            resourceAccount: "222222222222",
            context: { "aws:PrincipalArn": principal, "aws:RequestedRegion": "us-east-1", ...(mfa === undefined ? {} : { "aws:MultiFactorAuthPresent": String(mfa) }) },
            identityPolicies: [FULL_AWS_ACCESS],
            serviceControlPolicies: [{ target: account.accountId, policies: [FULL_AWS_ACCESS, ...Object.values(guardrailPolicies(scope, account, settings))] }],
        });

    it("accessRole: denied leaves the access role nothing, even with MFA; mfa lets an MFA session do ordinary work only", async () => {
        const access = role("OrganizationAccountAccessRole");
        const work = "arn:aws:ec2:us-east-1:222222222222:instance/*";
        expect(await decideUnder(account, { ...DEFAULT_GUARDRAILS, accessRole: "denied" }, access, "ec2:RunInstances", work, true)).to.equal("ExplicitlyDenied");
        expect(await decideUnder(account, DEFAULT_GUARDRAILS, access, "ec2:RunInstances", work, true)).to.equal("Allowed");
        expect(await decideUnder(account, DEFAULT_GUARDRAILS, access, "ec2:RunInstances", work)).to.equal("ExplicitlyDenied");
        expect(await decideUnder(account, DEFAULT_GUARDRAILS, access, "cloudtrail:StopLogging", trail, true)).to.equal("ExplicitlyDenied");
    });

    it("with the deployer switched off, the access role is the one exempt principal, and a role of the deployer's name is not", async () => {
        const off = { ...account, exempt: "accessRole" as const };
        expect(await decideUnder(off, DEFAULT_GUARDRAILS, role("OrganizationAccountAccessRole"), "cloudtrail:StopLogging", trail)).to.equal("Allowed");
        expect(await decideUnder(off, DEFAULT_GUARDRAILS, role("acme-prod-deployer"), "cloudtrail:StopLogging", trail)).to.equal("ExplicitlyDenied");
        // And the exempt role cannot be remade by anyone else.
        expect(await decideUnder(off, DEFAULT_GUARDRAILS, role("acme-prod-admin"), "iam:UpdateAssumeRolePolicy", role("OrganizationAccountAccessRole"))).to.equal("ExplicitlyDenied");
    });

    it("another account's deployer of the same stage name is not exempt: the exemption names the account", async () => {
        const elsewhere = "arn:aws:iam::999999999999:role/acme-prod-deployer";
        expect(await decideUnder(account, DEFAULT_GUARDRAILS, elsewhere, "cloudtrail:StopLogging", trail)).to.equal("ExplicitlyDenied");
        expect(await decideUnder(account, DEFAULT_GUARDRAILS, role("acme-prod-deployer"), "cloudtrail:StopLogging", trail)).to.equal("Allowed");
    });
});
