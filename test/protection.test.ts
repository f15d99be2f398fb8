// Protected stages (root, prod and audit unless refarch:protect says otherwise) protect what they create;
// the audit sink outlives its stack; an unprotected stage (testing always) protects nothing, so
// `pulumi destroy` there needs no manual step, and keeps only the deployer it runs as.
import { expect } from "chai";
import { PERSONAL_RESOURCE_TYPES } from "../policy/rules/protectedStagesProtect";
import { githubSubjectPrefixOf } from "../src/components/deployer";
import { deployerSettings } from "../src/config";
import type { StackEvaluation } from "../src/offline/engine";
import { deployerRoleName } from "../src/policies";
import { AUDIT, meeting, NEEDS, org as underTest, required, ROOT, succeeded, TESTING } from "./harness";

// The organization under test, or a variant of it with the audit sink, the deployer, and protected and unprotected stacks.
const org = meeting([NEEDS.audit, NEEDS.deployerEnabled, NEEDS.protectedStack, NEEDS.unprotectedWorkload], underTest);

const OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ORGANIZATION = "aws:organizations/organization:Organization";
const ACCOUNT = "aws:organizations/account:Account";

/**
 * What a destroy must leave in place so it keeps its permissions to the end, and so the next up can run through
 * it again: the deployer role, each of its policy attachments, and the OIDC providers it trusts that the stack
 * created (not those reused by ARN), from config.
 */
function deployerIdentity(stack: string, changes: Record<string, unknown> = {}): string[] {
    const settings = deployerSettings.schema.parse({ ...org.value<object>(stack, "refarch:deployer"), ...changes });
    // The org stack runs as root's deployer (the same, management, account): it has none of its own.
    if (!settings.enabled || !org.ownsAccount(stack) || org.kindOf(stack) === "organization") return [];
    const existing = settings.existingOidcProviders[org.stageOf(stack)] ?? {};
    // A protected stage without a repository has no deployer (nobody may deploy it but a person), only its providers.
    const hasDeployer = !org.isProtected(stack) || githubSubjectPrefixOf(settings) !== undefined;
    return [
        ...(hasDeployer ? [`aws:iam/role:Role ${deployerRoleName(org.namePrefix(stack))}`] : []),
        ...(hasDeployer ? settings.policyArns.map((arn) => `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${arn}`) : []),
        ...(existing.pulumi ? [] : [`${OIDC_PROVIDER} https://api.pulumi.com/oidc`]),
        ...(githubSubjectPrefixOf(settings) && !existing.github ? [`${OIDC_PROVIDER} https://token.actions.githubusercontent.com`] : []),
    ];
}

/**
 * What the org stack keeps on delete: the organization and every account it creates (by its email), so closing an
 * account or dissolving the organization is never a side effect of a destroy.
 */
function organizationKept(stack: string): string[] {
    if (org.kindOf(stack) !== "organization") return [];
    const created = Object.entries(org.accountEmails).filter(([stage]) => stage !== ROOT);
    return [ORGANIZATION, ...created.map(([, email]) => `${ACCOUNT} ${email}`)];
}

/** The retained resources outside the audit sink, named by what identifies them in the account (the organization, by its type: there is one). */
function retainedOutsideSink(evaluation: StackEvaluation): string[] {
    const sink = evaluation.resources.find((r) => r.type === "refarch:audit:AuditLogSink");
    const identity = (r: StackEvaluation["resources"][number]) =>
        r.type === "aws:iam/role:Role" ? ` ${r.inputs.name}` : r.type === ORGANIZATION ? "" : ` ${r.inputs.policyArn ?? r.inputs.url ?? r.inputs.email ?? r.name}`;
    return evaluation.resources.filter((r) => r.retainOnDelete && (!sink || r.parent !== sink.urn)).map((r) => `${r.type}${identity(r)}`);
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
        it(`${stack}: the deployer role, its policy attachments and the OIDC providers it trusts (in org, the organization and the accounts it creates), and nothing else outside the audit sink, are retained on delete`, async () => {
            expect(retainedOutsideSink(await org.evaluation(stack))).to.have.members([...deployerIdentity(stack), ...organizationKept(stack)]);
        });
    }

    it("the retained attachments follow refarch:deployer.policyArns, and nothing is retained with the deployer off", async () => {
        const stack = org.trialStack;
        const policyArns = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];
        const deployer = (changes: object) => JSON.stringify({ ...org.value<object>(stack, "refarch:deployer"), ...changes });
        const custom = succeeded(await org.evaluateWith(stack, { "refarch:deployer": deployer({ policyArns }) }));
        expect(retainedOutsideSink(custom)).to.have.members(deployerIdentity(stack, { policyArns }));
        expect(deployerIdentity(stack, { policyArns }).filter((r) => r.startsWith("aws:iam/rolePolicyAttachment"))).to.have.length(policyArns.length);
        const off = succeeded(await org.evaluateWith(stack, { "refarch:deployer": deployer({ enabled: false }) }));
        expect(retainedOutsideSink(off)).to.deep.equal([]);
    });

    it("the next up after a destroy adopts the retained deployer (import) instead of failing on EntityAlreadyExists; a normal update and a first deploy import nothing", async function () {
        const stack = required(org.deployer.enabled !== false && org.trialStack, "refarch:deployer.enabled is false");
        const roleName = deployerRoleName(org.namePrefix(stack));
        const self = org.referenceName(stack);
        const imports = (e: StackEvaluation) => e.resources.filter((r) => r.importId !== "").map((r) => `${r.type} ${r.importId}`);
        const selfReads = (e: StackEvaluation) => e.resources.filter((r) => r.read && r.inputs.name === self);

        // After a destroy: the role and its attachments are in the account, and the stack's own outputs are gone.
        const afterDestroy = await org.evaluateWith(stack, {}, { deployed: { ...(await org.outputs()), [self]: {} }, accountRoles: [roleName] });
        expect(afterDestroy.error).to.equal(undefined);
        // Import ids as the provider documents them: a role's name, `<role>/<policy arn>`, an OIDC provider's ARN.
        const importIdOf = (entry: string) =>
            entry.startsWith(OIDC_PROVIDER)
                ? `${OIDC_PROVIDER} arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:oidc-provider/${entry.slice(entry.indexOf("https://") + 8)}`
                : entry.replace(" arn:", ` ${roleName}/arn:`);
        expect(imports(afterDestroy)).to.have.members(deployerIdentity(stack).map(importIdOf));
        expect(selfReads(afterDestroy)).to.have.length(1);

        // A normal update: the role is in the account and in the stack's outputs: it is the stack's own, nothing is imported.
        const update = succeeded(await org.evaluateWith(stack, {}, { accountRoles: [roleName] }));
        expect(imports(update)).to.deep.equal([]);
        // A first deploy: nothing in the account, nothing imported, and no reference to itself is read.
        const first = succeeded(await org.evaluateWith(stack, {}, { deployed: { ...(await org.outputs()), [self]: {} } }));
        expect(imports(first)).to.deep.equal([]);
        expect(selfReads(first)).to.deep.equal([]);
    });

    it("audit: every bucket and key resource of the log sink is retained on delete, so a destroy leaves every trail delivering; the reader's access is not", async function () {
        const audit = await org.evaluation(required(org.has(AUDIT) && AUDIT, "no audit stage"));
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
        const stack = required(org.find((s) => org.isProtected(s)), "no protected stage");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "false" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("refarch:protect true protects any stage but testing", async function () {
        const stack = required(org.find((s) => !org.isProtected(s) && org.stageOf(s) !== TESTING), "no unprotected stage besides testing");
        const evaluation = await org.evaluateWith(stack, { "refarch:protect": "true" });
        expect(evaluation.error).to.equal(undefined);
        expect(evaluation.resources.filter((r) => !r.read && !r.protect)).to.deep.equal([]);
    });
});
