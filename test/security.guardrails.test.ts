// The guardrails, proved by the IAM policy evaluator for every member account of the create-accounts
// fixture: a role with full rights is denied every guarded action; the deployer still deploys and updates
// its trail; ordinary work is allowed in an allowed region and denied outside the list. Expectations derive
// from the fixture's config, so switching a guardrail off there flips exactly its rows.
import { expect } from "chai";
import * as path from "path";
import { evaluateStack, ProjectFiles, readProject, stackConfig, StackEvaluation } from "../src/offline/engine";
import { FULL_AWS_ACCESS, GUARDED_ACTIONS } from "../src/guardrails";
import { guardrailResults, GuardrailResult, probesFor, scpLevels } from "../src/security/guardrails";
import { decide } from "../src/security/simulator";
import { oncePerMutant, organizationAt, program } from "./harness";

const fixture: ProjectFiles = readProject(path.join(__dirname, "fixtures", "create-accounts"));
const settings = JSON.parse(fixture.projectConfig["refarch:awsOrganization"]) as { guardrails: { allowedRegions?: string[] } };
const AUDIT_ACTIONS = [...GUARDED_ACTIONS.trail, ...GUARDED_ACTIONS.bucket, ...GUARDED_ACTIONS.logs, ...GUARDED_ACTIONS.key, ...GUARDED_ACTIONS.keyAlias];

describe("security: guardrails (SCPs) through the IAM simulator", function () {
    this.timeout(180_000);
    const members = Object.keys(JSON.parse(fixture.projectConfig["refarch:accounts"]) as Record<string, unknown>).filter((s) => s !== "root");
    /** The fixture evaluated and every guardrail probe decided: in the first test that needs them, once per mutant. */
    const proved = oncePerMutant(async (): Promise<{ evaluations: StackEvaluation[]; results: GuardrailResult[] }> => {
        const evaluations = [...(await organizationAt(fixture.dir).evaluations()).values()];
        for (const e of evaluations) if (e.error) throw e.error;
        return { evaluations, results: await guardrailResults(evaluations) };
    });
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
                for (const r of tried) expect(r.decision, `${stage}: ${r.what}`).to.equal("ExplicitlyDenied");
            }
        }
    });

    it("each member account's deployer still updates its trail, its own role and deploys, in any region; it cannot leave the organization either", () => {
        for (const stage of members) {
            for (const r of results.filter((x) => x.stage === stage && x.who === "deployer")) {
                expect(r.decision, `${stage} deployer: ${r.what}`).to.equal(r.action === "organizations:LeaveOrganization" ? "ExplicitlyDenied" : "Allowed");
            }
            expect(of(stage, "deployer", "cloudtrail:UpdateTrail"), stage).to.have.length(1);
        }
    });

    it("ordinary work is allowed in the stack's region, and denied outside the region list", () => {
        const regions = settings.guardrails.allowedRegions!;
        for (const stage of members) {
            const runs = of(stage, "role", "ec2:RunInstances");
            const inside = runs.filter((r) => regions.includes(String(r.context["aws:RequestedRegion"])));
            const outside = runs.filter((r) => !regions.includes(String(r.context["aws:RequestedRegion"])));
            expect(inside.map((r) => r.decision), stage).to.deep.equal(["Allowed"]);
            expect(outside.map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
        }
    });

    it("a member account's root user is denied everything", () => {
        for (const stage of members) expect(of(stage, "root user", "ec2:RunInstances").map((r) => r.decision), stage).to.deep.equal(["ExplicitlyDenied"]);
    });

    it("a role named like a deployer in the wrong place cannot be made: creating one is denied to the account's role", async () => {
        const org = evaluations.find((e) => e.stack === "org")!;
        const ids = org.outputs.accountIds as Record<string, string>;
        const decision = await decide({
            principal: `arn:aws:iam::${ids.dev}:role/acme-dev-admin`,
            action: "iam:CreateRole",
            resource: `arn:aws:iam::${ids.dev}:role/acme-prod-deployer`,
            resourceAccount: ids.dev,
            context: { "aws:PrincipalArn": `arn:aws:iam::${ids.dev}:role/acme-dev-admin`, "aws:RequestedRegion": "us-east-1" },
            identityPolicies: [FULL_AWS_ACCESS],
            serviceControlPolicies: scpLevels(org, ids.dev),
        });
        expect(decision).to.equal("ExplicitlyDenied");
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
        const stop = probesFor(prod, audit, admin, undefined).find((p) => p.action === "cloudtrail:StopLogging")!;
        const levels = scpLevels(org, String(prod.outputs.accountId));
        expect(await decide({ ...stop, identityPolicies: [FULL_AWS_ACCESS], serviceControlPolicies: levels })).to.equal("Allowed");
    });
});
