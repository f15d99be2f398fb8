// The audit sink proved by an IAM policy evaluator over the bucket and key policies the audit stack produced, for the
// organization under test and for it with the AWS Organization managed (then one organization trail writes every
// account's folder): each writer writes only its own folders, a foreign trail writes nothing, plain HTTP is refused,
// nobody outside the audit account reads or decrypts the logs. The tamper matrix is in security.sinkTamper.test.ts.
import { expect } from "chai";
import { decide } from "../src/security/simulator";
import { AUDIT, having, manageOrganization, org as underTest, policyDocument, ROOT, single, withStage } from "./harness";
import { ADMIN, foreignAccount, sinkOf, stringLike, writersOf } from "./sinkHarness";

// The organization under test (with an audit stage added if it has none), and it with the organization managed.
const plain = withStage(AUDIT, underTest);
const managed = having("a managed organization with an audit stage", (o) => o.hasOrganizationTrail, manageOrganization, plain).org;

for (const org of [...new Set([plain, managed])]) {
    describe(`security: the audit sink, as AWS would decide it (${org.hasOrganizationTrail ? "organization trail" : "a trail per account"})`, () => {
        const accounts = org.accounts;
        const FOREIGN = foreignAccount(org);
        const partition = org.partitionOf(AUDIT);
        const region = org.regionOf(AUDIT);
        /** An IAM role of a stage (its name does not matter: the bucket and key policies must not name it). */
        const roleOf = (stage: string, accountId = accounts[stage]) => `arn:${partition}:iam::${accountId}:role/${org.namespace}-${stage}-${org.roleNames[0]}`;
        const [writerStage, writer] = Object.entries(accounts).find(([stage]) => stage !== AUDIT) ?? ["root", ""];

        /** CloudTrail delivering one log file for the trail `source` (in account `sourceAccount`) under `AWSLogs/<folder>/`. */
        async function trailWrites(source: string, sourceAccount: string, folder: string, secure = true) {
            const { bucketArn, bucketPolicy } = await sinkOf(org);
            return decide({
                principal: "cloudtrail.amazonaws.com",
                action: "s3:PutObject",
                resource: `${bucketArn}/AWSLogs/${folder}/CloudTrail/${region}/2026/01/01/log.json.gz`,
                resourceAccount: accounts.audit,
                context: { "aws:SourceArn": source, "aws:SourceAccount": sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": String(secure), "aws:PrincipalIsAWSService": "true" },
                resourcePolicy: bucketPolicy,
            });
        }

        /** CloudTrail checking the bucket's ACL for the trail `source`, as it does before it delivers. */
        async function aclCheck(source: string, sourceAccount: string) {
            const { bucketArn, bucketPolicy } = await sinkOf(org);
            return decide({
                principal: "cloudtrail.amazonaws.com",
                action: "s3:GetBucketAcl",
                resource: bucketArn,
                resourceAccount: accounts.audit,
                context: { "aws:SourceArn": source, "aws:SourceAccount": sourceAccount, "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true" },
                resourcePolicy: bucketPolicy,
            });
        }

        it("the plan's writers: the organization trail alone where the organization is managed, else one trail per account", async () => {
            const writers = await writersOf(org);
            const trails = [...(await org.evaluations()).values()].flatMap((e) => e.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail").map((t) => String(t.state.arn)));
            expect(trails).to.have.members([...new Set(Object.values(writers).map((w) => w.trail))]);
            expect(trails).to.have.length(org.hasOrganizationTrail ? 1 : Object.keys(accounts).length);
        });

        for (const [stage, id] of Object.entries(accounts)) {
            it(`${stage}: its logs' writer may write its folder and no other account's`, async () => {
                const { trail, sourceAccount, folder } = (await writersOf(org))[stage];
                expect(await trailWrites(trail, sourceAccount, folder)).to.equal("Allowed");
                expect(await aclCheck(trail, sourceAccount)).to.equal("Allowed");
                expect(await trailWrites(trail, sourceAccount, folder, false), "over plain HTTP").to.equal("ExplicitlyDenied");
                if (!org.hasOrganizationTrail) {
                    for (const other of Object.values(accounts).filter((o) => o !== id)) {
                        expect(await trailWrites(trail, sourceAccount, other), `into ${other}`).not.to.equal("Allowed");
                        // Even a request claiming another source account cannot move the folder.
                        expect(await trailWrites(trail, other, other), `claiming ${other}`).not.to.equal("Allowed");
                    }
                }
            });
        }

        it("a trail of a foreign account, an unlisted trail of a listed account, or a member's own trail may not write anywhere", async () => {
            const writers = await writersOf(org);
            const foreignTrail = `arn:${partition}:cloudtrail:${region}:${FOREIGN}:trail/${org.namespace}-${writerStage}-cloudtrail`;
            const folders = [FOREIGN, ...Object.values(writers).map((w) => w.folder)];
            for (const folder of folders) {
                expect(await trailWrites(foreignTrail, FOREIGN, folder), folder).not.to.equal("Allowed");
                expect(await trailWrites(`arn:${partition}:cloudtrail:${region}:${writer}:trail/someone-elses`, writer, folder), folder).not.to.equal("Allowed");
                // With the organization trail, the per-account trail a member's admin could still create is refused.
                if (org.hasOrganizationTrail) expect(await trailWrites(`arn:${partition}:cloudtrail:${region}:${writer}:trail/${org.namespace}-${writerStage}-cloudtrail`, writer, folder), folder).not.to.equal("Allowed");
            }
            expect(await aclCheck(foreignTrail, FOREIGN)).not.to.equal("Allowed");
        });

        if (org.hasOrganizationTrail) {
            it("the organization trail writes under AWSLogs/<organization id>/ only, not under another organization's id", async () => {
                const { trail, sourceAccount, folder } = (await writersOf(org))[writerStage];
                const orgId = folder.split("/")[0];
                expect(orgId).to.match(/^o-[a-z0-9]{10,32}$/);
                expect(await trailWrites(trail, sourceAccount, `o-aaaaaaaaaa/${writer}`)).not.to.equal("Allowed");
                // Beside the organization's folder, AWS's shape admits only the management account's own (the trail's home).
                expect(await trailWrites(trail, sourceAccount, accounts.audit), "a member's folder outside the organization's").not.to.equal("Allowed");
            });
        }

        if (org.hasOrganizationTrail) {
            // docs/organization.md, "Switching a live organization": while refarch:cloudtrailLogs.admitAccountTrails is
            // set, both the organization trail and each account's own trail deliver, so no log is refused in between.
            it("while switching (admitAccountTrails), each account's own trail and the organization trail both write and encrypt", async () => {
                const logs = { ...(org.value<Record<string, unknown>>(AUDIT, "refarch:cloudtrailLogs") ?? {}), admitAccountTrails: true };
                const audit = await org.evaluateWith(AUDIT, { "refarch:cloudtrailLogs": JSON.stringify(logs) });
                expect(audit.error).to.equal(undefined);
                const bucketPolicy = policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy"));
                const key = single(audit, "aws:kms/key:Key");
                const { bucketArn } = await sinkOf(org);
                const writes = (source: string, sourceAccount: string, folder: string) =>
                    decide({
                        principal: "cloudtrail.amazonaws.com",
                        action: "s3:PutObject",
                        resource: `${bucketArn}/AWSLogs/${folder}/CloudTrail/${region}/2026/01/01/log.json.gz`,
                        resourceAccount: accounts.audit,
                        context: { "aws:SourceArn": source, "aws:SourceAccount": sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true" },
                        resourcePolicy: bucketPolicy,
                    });
                const encrypts = (source: string) =>
                    decide({
                        principal: "cloudtrail.amazonaws.com",
                        action: "kms:GenerateDataKey",
                        resource: String(key.state.arn),
                        resourceAccount: accounts.audit,
                        context: { "aws:SourceArn": source, "aws:PrincipalIsAWSService": "true" },
                        resourcePolicy: policyDocument(key),
                    });
                const writers = await writersOf(org);
                for (const [stage, id] of Object.entries(accounts)) {
                    const own = `arn:${partition}:cloudtrail:${region}:${id}:trail/${org.namespace}-${stage}-cloudtrail`;
                    expect(await writes(own, id, id), `${stage}'s own trail`).to.equal("Allowed");
                    expect(await encrypts(own), `${stage}'s own trail encrypts`).to.equal("Allowed");
                    expect(await writes(writers[stage].trail, writers[stage].sourceAccount, writers[stage].folder), `the organization trail, ${stage}'s folder`).to.equal("Allowed");
                    // Still each into its own folder only: the organization's path is not an account trail's.
                    expect(await writes(own, id, writers[stage].folder), `${stage}'s own trail into the organization's folder`).not.to.equal("Allowed");
                }
                expect(await encrypts(writers[writerStage].trail)).to.equal("Allowed");
                // Without the setting, as planned: an account's own trail is refused.
                const [stage, id] = Object.entries(accounts).find(([s]) => s !== ROOT)!;
                expect(await trailWrites(`arn:${partition}:cloudtrail:${region}:${id}:trail/${org.namespace}-${stage}-cloudtrail`, id, id)).not.to.equal("Allowed");
            });
        }

        it("every request to the bucket over plain HTTP is explicitly denied, the audit account's own included", async () => {
            const { bucketArn, bucketPolicy } = await sinkOf(org);
            for (const [action, resource] of [["s3:GetObject", `${bucketArn}/AWSLogs/${writer}/x`], ["s3:ListBucket", bucketArn], ["s3:PutObject", `${bucketArn}/x`]]) {
                const decision = await decide({
                    principal: roleOf(AUDIT),
                    action,
                    resource,
                    resourceAccount: accounts.audit,
                    context: { "aws:SecureTransport": "false", "aws:PrincipalArn": roleOf(AUDIT), "aws:PrincipalIsAWSService": "false" },
                    identityPolicies: [ADMIN],
                    resourcePolicy: bucketPolicy,
                });
                expect(decision, action).to.equal("ExplicitlyDenied");
            }
        });

        it("nobody outside the audit account can read the logs, not even root's or a writer account's administrators", async () => {
            const { bucketArn, bucketPolicy } = await sinkOf(org);
            const outsiders = ["anonymous", roleOf("admin", FOREIGN), ...Object.keys(accounts).filter((s) => s !== AUDIT).map((s) => roleOf(s))];
            const read = (principal: string, action: string, resource: string) =>
                decide({
                    principal,
                    action,
                    resource,
                    resourceAccount: accounts.audit,
                    context: { "aws:SecureTransport": "true", ...(principal === "anonymous" ? {} : { "aws:PrincipalArn": principal, "aws:PrincipalIsAWSService": "false" }) },
                    identityPolicies: principal === "anonymous" ? [] : [ADMIN],
                    resourcePolicy: bucketPolicy,
                });
            for (const principal of outsiders) {
                for (const [action, resource] of [["s3:GetObject", `${bucketArn}/AWSLogs/${writer}/x`], ["s3:ListBucket", bucketArn]]) {
                    expect(await read(principal, action, resource), `${principal} ${action}`).not.to.equal("Allowed");
                }
            }
            // The audit account's own roles read through their IAM policies: the bucket policy does not stand in the way.
            expect(await read(roleOf(AUDIT), "s3:GetObject", `${bucketArn}/AWSLogs/${writer}/x`)).to.equal("Allowed");
        });

        for (const [stage] of Object.entries(accounts)) {
            it(`${stage}: its logs' writer may encrypt with the audit key; a foreign or unlisted trail may not`, async () => {
                const { keyArn, keyPolicy } = await sinkOf(org);
                const { trail } = (await writersOf(org))[stage];
                const encrypt = (source: string) =>
                    decide({
                        principal: "cloudtrail.amazonaws.com",
                        action: "kms:GenerateDataKey",
                        resource: keyArn,
                        resourceAccount: accounts.audit,
                        context: { "aws:SourceArn": source, "kms:EncryptionContext:aws:cloudtrail:arn": source, "aws:PrincipalIsAWSService": "true" },
                        resourcePolicy: keyPolicy,
                    });
                expect(await encrypt(trail)).to.equal("Allowed");
                expect(await encrypt(trail.replace(/::?\d{12}:trail/, `:${FOREIGN}:trail`))).not.to.equal("Allowed");
                expect(await encrypt(`arn:${partition}:cloudtrail:${region}:${accounts[stage]}:trail/someone-elses`)).not.to.equal("Allowed");
            });
        }

        // The simulator ignores kms:EncryptionContext:aws:cloudtrail:arn (src/security/simulator.ts), so the test above
        // cannot fail on it: this one reads the condition off the document and matches it against the ARN of every
        // trail the program creates, as KMS's StringLike would. It would not match the bucket ARN, the context an S3
        // Bucket Key would put there instead (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
        it("the key policy's encryption-context condition holds for every trail of the plan, and for nothing else", async () => {
            const { bucketArn, keyPolicy } = await sinkOf(org);
            const encrypt = keyPolicy.Statement.find((s) => s.Sid === "CloudTrailEncryptsListedAccounts")!;
            const patterns = [encrypt.Condition!.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"]].flat() as string[];
            const matches = (value: string) => patterns.some((pattern) => stringLike(pattern).test(value));
            const trails = [...(await org.evaluations()).values()].flatMap((e) => e.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail"));
            expect(trails.length).to.be.greaterThan(0);
            for (const trail of trails) expect(matches(String(trail.state.arn)), String(trail.state.arn)).to.equal(true);
            expect(matches(bucketArn), "a Bucket Key's context (the bucket ARN)").to.equal(false);
            expect(matches(`arn:${partition}:cloudtrail:${region}:${FOREIGN}:trail/${org.namespace}-${writerStage}-cloudtrail`)).to.equal(false);
            if (org.hasOrganizationTrail) expect(matches(`arn:${partition}:cloudtrail:${region}:${writer}:trail/${org.namespace}-${writerStage}-cloudtrail`), "a member's own trail").to.equal(false);
            expect(single(await org.evaluation(AUDIT), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cloudtrail-encryption").inputs.rules).to.satisfy(
                (rules: { bucketKeyEnabled?: boolean }[]) => rules.every((r) => r.bucketKeyEnabled !== true),
            );
        });

        it("nobody outside the audit account can decrypt with the audit key or change it", async () => {
            const { keyArn, keyPolicy } = await sinkOf(org);
            const { trail } = (await writersOf(org))[writerStage];
            const outsiders = [roleOf("admin", FOREIGN), ...Object.keys(accounts).filter((s) => s !== AUDIT).map((s) => roleOf(s))];
            for (const principal of [...outsiders, "cloudtrail.amazonaws.com"]) {
                const isRole = principal.startsWith("arn:");
                for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
                    const context: Record<string, string> = isRole ? { "aws:PrincipalArn": principal, "aws:PrincipalIsAWSService": "false" } : { "aws:SourceArn": trail, "aws:PrincipalIsAWSService": "true" };
                    const decision = await decide({ principal, action, resource: keyArn, resourceAccount: accounts.audit, context, identityPolicies: isRole ? [ADMIN] : [], resourcePolicy: keyPolicy });
                    expect(decision, `${principal} ${action}`).not.to.equal("Allowed");
                }
            }
            const auditAdmin = await decide({
                principal: roleOf(AUDIT),
                action: "kms:Decrypt",
                resource: keyArn,
                resourceAccount: accounts.audit,
                context: { "aws:PrincipalArn": roleOf(AUDIT), "aws:PrincipalIsAWSService": "false" },
                identityPolicies: [ADMIN],
                resourcePolicy: keyPolicy,
            });
            expect(auditAdmin).to.equal("Allowed");
        });
    });
}
