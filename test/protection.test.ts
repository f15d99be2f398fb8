// Protected stages (root, prod and audit unless refarch:protect says otherwise) protect what they create;
// the audit sink outlives its stack; an unprotected stage (testing always) protects nothing, so
// `pulumi destroy` there needs no manual step, and keeps only the deployer it runs as.
import { expect } from "chai";
import { PERSONAL_RESOURCE_TYPES } from "../policy/rules/protectedStagesProtect";
import { deployerSettings } from "../src/components/deployer";
import type { StackEvaluation } from "../src/offline/engine";
import { deployerRoleName } from "../src/policies";
import { AUDIT, org, orSkip, TESTING } from "./harness";

/** What a destroy must leave in place so it keeps its permissions to the end: the deployer role and each of its policy attachments, from config. */
function deployerIdentity(stack: string, changes: Record<string, unknown> = {}): string[] {
    const settings = deployerSettings.schema.parse({ ...org.value<object>(stack, "refarch:deployer"), ...changes });
    if (!settings.enabled || !org.ownsAccount(stack)) return [];
    return [`aws:iam/role:Role ${deployerRoleName(org.namePrefix(stack))}`, ...settings.policyArns.map((arn) => `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${arn}`)];
}

/** The retained resources outside the audit sink, named by what identifies them in the account. */
function retainedOutsideSink(evaluation: StackEvaluation): string[] {
    const sink = evaluation.resources.find((r) => r.type === "refarch:audit:AuditLogSink");
    return evaluation.resources
        .filter((r) => r.retainOnDelete && (!sink || r.parent !== sink.urn))
        .map((r) => `${r.type} ${r.type === "aws:iam/role:Role" ? r.inputs.name : (r.inputs.policyArn ?? r.name)}`);
}

describe("protection", () => {
    for (const stack of org.stacks.filter((s) => org.isProtected(s))) {
        it(`${stack}: every resource it creates is protected, but a person's own (offboarding is one edit)`, async () => {
            const created = (await org.evaluation(stack)).resources.filter((r) => !r.read);
            const personal = created.filter((r) => PERSONAL_RESOURCE_TYPES.includes(r.type));
            expect(created.length - personal.length).to.be.greaterThan(5);
            expect(created.filter((r) => !r.protect && !personal.includes(r)).map((r) => r.name)).to.deep.equal([]);
            expect(personal.filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    for (const stack of org.stacks.filter((s) => !org.isProtected(s))) {
        it(`${stack}: nothing is protected`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(evaluation.resources.filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    // A destroy through the stage's own deployer runs as that role: deleting it or its attachments along with
    // everything else would cut the destroy's permissions halfway (issue 9, item 6).
    for (const stack of org.stacks) {
        it(`${stack}: the deployer role and its policy attachments, and nothing else outside the audit sink, are retained on delete`, async () => {
            expect(retainedOutsideSink(await org.evaluation(stack))).to.have.members(deployerIdentity(stack));
        });
    }

    it("the retained attachments follow refarch:deployer.policyArns, and nothing is retained with the deployer off", async () => {
        const stack = org.trialStack;
        const policyArns = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];
        const deployer = (changes: object) => JSON.stringify({ ...org.value<object>(stack, "refarch:deployer"), ...changes });
        const custom = await org.evaluateWith(stack, { "refarch:deployer": deployer({ policyArns }) });
        expect(retainedOutsideSink(custom)).to.have.members(deployerIdentity(stack, { policyArns }));
        expect(deployerIdentity(stack, { policyArns })).to.have.length(1 + policyArns.length);
        const off = await org.evaluateWith(stack, { "refarch:deployer": deployer({ enabled: false }) });
        expect(retainedOutsideSink(off)).to.deep.equal([]);
    });

    it("audit: every bucket and key resource of the log sink is retained on delete, so a destroy leaves every trail delivering; the reader's access is not", async function () {
        const audit = await org.evaluation(orSkip(this, org.has(AUDIT) && AUDIT, "no audit stage"));
        const sink = audit.resources.find((r) => r.type === "refarch:audit:AuditLogSink")!;
        const children = audit.resources.filter((r) => r.parent === sink.urn);
        // Bucket, key, alias, policy, encryption, versioning, lifecycle, public access block, ownership.
        expect(children.map((r) => r.type)).to.include.members([
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
            "aws:kms/alias:Alias",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketLogging:BucketLogging",
        ]);
        // The access-log bucket and its settings are retained like the trail bucket.
        expect(children.filter((r) => r.type === "aws:s3/bucket:Bucket")).to.have.length(2);
        // Only the logs reader role and its policy go with the stack: access ends, the logs stay.
        expect(children.filter((r) => !r.retainOnDelete).map((r) => r.type)).to.have.members(["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"]);
    });

    it("refarch:protect false unprotects a stage protected by default", async function () {
        const stack = orSkip(this, org.find((s) => org.isProtected(s)), "no protected stage");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "false" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("refarch:protect true protects any stage but testing", async function () {
        const stack = orSkip(this, org.find((s) => !org.isProtected(s) && org.stageOf(s) !== TESTING), "no unprotected stage besides testing");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "true" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
