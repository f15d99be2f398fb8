// root, prod and audit protect what they create; the audit bucket and key outlive their stack; testing
// protects nothing, so `pulumi destroy -s testing` needs no manual step.
import { expect } from "chai";
import { deployerSettings } from "../src/components/deployer";
import { deployerRoleName } from "../src/policies";
import type { StackEvaluation } from "../src/offline/engine";
import { stackConfig } from "../src/offline/engine";
import { configValue, evaluateWith, project, SHIPPED_STACKS, shippedStack } from "./harness";

/** What a destroy must leave in place so it keeps its permissions to the end: the deployer role and each of its policy attachments, from config. */
function deployerIdentity(stack: string, changes: Record<string, unknown> = {}): string[] {
    const settings = deployerSettings.schema.parse({ ...configValue<object>(stack, "refarch:deployer"), ...changes });
    if (!settings.enabled) return [];
    return [`aws:iam/role:Role ${deployerRoleName(`${stackConfig(project, stack)["refarch:namespace"]}-${stack}`)}`, ...settings.policyArns.map((arn) => `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${arn}`)];
}
/** The retained resources outside the audit sink, named by what identifies them in the account. */
function retainedOutsideSink(evaluation: StackEvaluation): string[] {
    const sink = evaluation.resources.find((r) => r.type === "refarch:audit:AuditLogSink");
    return evaluation.resources
        .filter((r) => r.retainOnDelete && (!sink || r.parent !== sink.urn))
        .map((r) => `${r.type} ${r.type === "aws:iam/role:Role" ? r.inputs.name : r.inputs.policyArn ?? r.name}`);
}

describe("protection", () => {
    for (const stack of ["root", "prod", "audit"]) {
        it(`${stack}: every resource it creates is protected`, async () => {
            const evaluation = await shippedStack(stack);
            const created = evaluation.resources.filter((r) => !r.read);
            expect(created.length).to.be.greaterThan(5);
            expect(created.filter((r) => !r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    for (const stack of ["staging", "dev", "testing"]) {
        it(`${stack}: nothing is protected`, async () => {
            const evaluation = await shippedStack(stack);
            expect(evaluation.resources.filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
        });
    }

    // A destroy through the stage's own deployer runs as that role: deleting it or its attachments along with
    // everything else would cut the destroy's permissions halfway (issue 9, item 6).
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: the deployer role and its policy attachments, and nothing else outside the audit sink, are retained on delete`, async () => {
            expect(retainedOutsideSink(await shippedStack(stack))).to.have.members(deployerIdentity(stack));
        });
    }

    it("the retained attachments follow refarch:deployer.policyArns, and nothing is retained with the deployer off", async () => {
        const policyArns = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];
        const deployer = (changes: object) => JSON.stringify({ ...configValue<object>("testing", "refarch:deployer"), ...changes });
        const custom = await evaluateWith("testing", { "refarch:deployer": deployer({ policyArns }) });
        expect(retainedOutsideSink(custom)).to.have.members(deployerIdentity("testing", { policyArns }));
        expect(deployerIdentity("testing", { policyArns })).to.have.length(1 + policyArns.length);
        const off = await evaluateWith("testing", { "refarch:deployer": deployer({ enabled: false }) });
        expect(retainedOutsideSink(off)).to.deep.equal([]);
    });

    it("audit: every resource of the log sink is retained on delete, so a destroy leaves every trail delivering", async () => {
        const audit = await shippedStack("audit");
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
        ]);
        expect(children.filter((r) => !r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
    });

    it("refarch:protect overrides the default", async () => {
        const prod = await evaluateWith("prod", { "refarch:protect": "false" });
        expect(prod.resources.filter((r) => r.protect)).to.deep.equal([]);
        const staging = await evaluateWith("staging", { "refarch:protect": "true" });
        expect(staging.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
