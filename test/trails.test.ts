// Every account's trail writes to the audit sink, into its own folder; with no audit stage, no trail. Where the
// organization is managed, the org stack's one organization trail replaces them all.
import { expect } from "chai";
import { scpLevels } from "../src/security/guardrailProofs";
import { decide } from "../src/security/simulator";
import { AUDIT, fixture, having, manageOrganization, ofType, ORG, org, ROOT, single, withStage } from "./harness";
import { ADMIN } from "./sinkHarness";

describe("account trails", () => {
    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s) && !org.has(AUDIT))) {
        it(`${stack}: no trail and no audit stack read, as the organization has no audit stage`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
            expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name)).not.to.include(org.referenceName(AUDIT));
        });
    }

    // With an audit stage, the org stack's organization trail is the plan's only trail (Done when, issue 25).
    const managed = having("a managed organization with an audit stage", (o) => o.hasOrganizationTrail, manageOrganization, withStage(AUDIT, org)).org;
    it("a managed organization has exactly one trail: the org stack's multi-region, validated, encrypted organization trail into the audit bucket", async () => {
        const all = [...(await managed.evaluations()).values()];
        const trails = all.flatMap((e) => ofType(e, "aws:cloudtrail/trail:Trail").map((t) => ({ stack: e.stack, trail: t })));
        expect(trails.map((t) => t.stack)).to.deep.equal([ORG]);
        const audit = await managed.evaluation(AUDIT);
        const { trail } = trails[0];
        expect(trail.inputs).to.deep.include({
            name: `${managed.namespace}-org-cloudtrail`,
            s3BucketName: audit.outputs.cloudtrailBucketName,
            kmsKeyId: audit.outputs.cloudtrailKmsKeyArn,
            isOrganizationTrail: true,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
        });
        expect(trail.inputs.s3KeyPrefix, "a prefix would move logs out of AWSLogs/<organization id>/").to.equal(undefined);
        const orgStack = await managed.evaluation(ORG);
        expect(orgStack.outputs.organizationTrailArn).to.equal(trail.state.arn);
        expect(String(trail.state.arn)).to.match(new RegExp(`^arn:${managed.partitionOf(AUDIT)}:cloudtrail:[a-z0-9-]+:${managed.accountOf(ROOT)}:trail/`));
        // CloudTrail needs trusted access to the organization to log its accounts.
        expect(single(orgStack, "aws:organizations/organization:Organization").inputs.awsServiceAccessPrincipals).to.include("cloudtrail.amazonaws.com");
        // No workload stack reads the audit sink any more: they have no trail to point at it (root still reads audit's roles for its teams).
        for (const e of all.filter((e) => ![ORG, AUDIT, ROOT].includes(e.stage))) {
            expect(ofType(e, "pulumi:pulumi:StackReference").map((r) => r.name), e.stack).not.to.include(managed.referenceName(AUDIT));
        }
    });

    // The simulator does not model CloudTrail's own refusal of a member's change to an organization trail; the SCPs
    // (guardrail auditTrail, when on) deny it on their own. The management account has no SCP: its deployer updates the trail.
    it("the organization trail: root's deployer (the org stack's) can update it; a member's full-rights admin cannot stop, change or delete it under the SCPs", async () => {
        const orgStack = await managed.evaluation(ORG);
        const trail = String(orgStack.outputs.organizationTrailArn);
        const partition = managed.partitionOf(AUDIT);
        const rootDeployer = `arn:${partition}:iam::${managed.accountOf(ROOT)}:role/${managed.namespace}-${ROOT}-deployer`;
        const attempt = (principal: string, action: string, scps: ReturnType<typeof scpLevels>) =>
            decide({ principal, action, resource: trail, resourceAccount: managed.accountOf(ROOT), context: { "aws:PrincipalArn": principal }, identityPolicies: [ADMIN], serviceControlPolicies: scps });
        expect(await attempt(rootDeployer, "cloudtrail:UpdateTrail", [])).to.equal("Allowed");
        const guarded = JSON.stringify(orgStack.resources.filter((r) => r.type === "aws:organizations/policy:Policy").map((r) => r.inputs.content)).includes("cloudtrail:StopLogging");
        for (const stage of managed.stages.filter((s) => s !== ROOT)) {
            const admin = `arn:${partition}:iam::${managed.accountOf(stage)}:role/${managed.namespace}-${stage}-${managed.roleNames[0]}`;
            for (const action of ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"]) {
                const decision = await attempt(admin, action, scpLevels(orgStack, managed.accountOf(stage)));
                if (guarded) expect(decision, `${stage} ${action}`).to.equal("ExplicitlyDenied");
                else expect(decision, `${stage} ${action}`).not.to.equal("Allowed");
            }
        }
    });

    it("the org stack's first run, before audit has a sink, creates the organization but no trail, and says when it will", async () => {
        const first = await managed.evaluateWith(ORG, {}, { deployed: {} });
        expect(first.error).to.equal(undefined);
        expect(ofType(first, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(ofType(first, "aws:organizations/organization:Organization")).to.have.length(1);
        expect(first.warnings.join("\n")).to.include(`Deploy ${AUDIT}, then ${ORG} again, before the member stacks`);
    });

    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s) && org.has(AUDIT) && !org.managesOrganization)) {
        it(`${stack}: one multi-region trail with global events, log-file validation and the audit key, into the audit bucket`, async () => {
            const audit = await org.evaluation(AUDIT);
            const evaluation = await org.evaluation(stack);
            const trail = single(evaluation, "aws:cloudtrail/trail:Trail");
            const name = `${org.namespace}-${org.stageOf(stack)}-cloudtrail`;
            expect(trail.inputs).to.deep.include({
                name,
                s3BucketName: audit.outputs.cloudtrailBucketName,
                kmsKeyId: audit.outputs.cloudtrailKmsKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            });
            expect(trail.inputs.s3KeyPrefix, "a prefix would move logs out of AWSLogs/<account>/").to.equal(undefined);
            expect(evaluation.outputs.trailArn).to.equal(`arn:${org.partitionOf(stack)}:cloudtrail:${org.regionOf(stack)}:${org.accountOf(stack)}:trail/${name}`);
        });
    }

    it("in audit, the trail is registered only after the bucket policy that lets CloudTrail write", async () => {
        // An organization with a trail per account: this one, or (once it manages its organization) the globex fixture.
        const perAccount = org.managesOrganization ? fixture("globex") : withStage(AUDIT);
        const audit = await perAccount.evaluation(AUDIT);
        const policy = single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy");
        expect(audit.resources.findIndex((r) => r.type === "aws:cloudtrail/trail:Trail")).to.be.greaterThan(audit.resources.indexOf(policy));
        const trail = single(audit, "aws:cloudtrail/trail:Trail");
        expect(trail.dependsOn).to.include(policy.urn);
    });

    it("with no audit stage, no account has a trail or reads an audit stack", async () => {
        // Root's teams may grant roles in audit; without it, one team reaching every stage stands in.
        const teams = { everyone: { access: { "*": org.roleNames[0] } } };
        for (const stack of [...new Set([org.trialStack, ROOT])]) {
            const evaluation = await org.evaluateWith(stack, {
                ...org.withoutStage(AUDIT),
                ...(stack === ROOT ? { "refarch:teams": JSON.stringify(teams), "refarch:users": JSON.stringify({ alice: ["everyone"] }) } : {}),
            });
            expect(evaluation.error, stack).to.equal(undefined);
            expect(ofType(evaluation, "aws:cloudtrail/trail:Trail"), stack).to.deep.equal([]);
            expect(evaluation.outputs, stack).not.to.have.property("trailArn");
            expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name), stack).not.to.include(org.referenceName(AUDIT));
        }
    });
});
