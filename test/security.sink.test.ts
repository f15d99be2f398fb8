// The audit sink proved by an IAM policy evaluator over the bucket and key policies the audit stack
// produced: each account's CloudTrail writes only its own folder, a foreign trail writes nothing,
// plain HTTP is refused outright, and nobody outside the audit account reads or decrypts the logs.
import { expect } from "chai";
import type { PolicyDocument } from "../src/policies";
import { decide } from "../src/security/simulator";
import { AUDIT, org as underTest, policyDocument, single, withStage } from "./harness";

// The organization under test, or a variant of it with an audit stage added: the sink lives there.
const org = withStage(AUDIT, underTest);

const accounts = org.accounts;
/** An account id no stage of the organization uses. */
const FOREIGN = ["999999999999", "999999999998"].find((id) => !Object.values(accounts).includes(id))!;
const partition = org.partitionOf(AUDIT);
const region = org.regionOf(AUDIT);
const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
/** The trail the program names for a stage, in the given account and in the stage's own region (a trail's home). */
const trailArn = (accountId: string, stage: string) =>
    `arn:${partition}:cloudtrail:${org.stacks.includes(stage) ? org.regionOf(stage) : region}:${accountId}:trail/${org.namespace}-${stage}-cloudtrail`;
/** An IAM role of a stage (its name does not matter: the bucket and key policies must not name it). */
const roleOf = (stage: string, accountId = accounts[stage]) => `arn:${partition}:iam::${accountId}:role/${org.namespace}-${stage}-${org.roleNames[0]}`;
/** A writer account other than audit's, and its stage. */
const [writerStage, writer] = Object.entries(accounts).find(([stage]) => stage !== AUDIT) ?? ["root", ""];

async function sink() {
    const audit = await org.evaluation(AUDIT);
    const bucket = single(audit, "aws:s3/bucket:Bucket", "cloudtrail-bucket");
    const key = single(audit, "aws:kms/key:Key");
    return {
        bucketArn: String(bucket.state.arn),
        bucketPolicy: policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy")),
        keyArn: String(key.state.arn),
        keyPolicy: policyDocument(key),
    };
}

/** CloudTrail delivering one log file for the trail `source` (in account `sourceAccount`) to `folder`. */
async function trailWrites(source: string, sourceAccount: string, folder: string, secure = true) {
    const { bucketArn, bucketPolicy } = await sink();
    return decide({
        principal: "cloudtrail.amazonaws.com",
        action: "s3:PutObject",
        resource: `${bucketArn}/AWSLogs/${folder}/CloudTrail/${region}/2026/01/01/log.json.gz`,
        resourceAccount: accounts.audit,
        context: { "aws:SourceArn": source, "aws:SourceAccount": sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": String(secure) },
        resourcePolicy: bucketPolicy,
    });
}

describe("security: the audit sink, as AWS would decide it", () => {

    for (const [stage, id] of Object.entries(accounts)) {
        it(`${stage}: its trail may write AWSLogs/${id}/ and no other account's folder`, async () => {
            expect(await trailWrites(trailArn(id, stage), id, id)).to.equal("Allowed");
            expect(await decide({ ...(await aclCheck(trailArn(id, stage), id)) })).to.equal("Allowed");
            for (const other of Object.values(accounts).filter((o) => o !== id)) {
                expect(await trailWrites(trailArn(id, stage), id, other), `into ${other}`).not.to.equal("Allowed");
                // Even a request claiming another source account cannot move the folder.
                expect(await trailWrites(trailArn(id, stage), other, other), `claiming ${other}`).not.to.equal("Allowed");
            }
        });

        it(`${stage}: its trail's write over plain HTTP is explicitly denied`, async () => {
            expect(await trailWrites(trailArn(id, stage), id, id, false)).to.equal("ExplicitlyDenied");
        });
    }

    it("a trail of a foreign account, or an unlisted trail of a listed account, may not write anywhere", async () => {
        for (const folder of [FOREIGN, ...Object.values(accounts)]) {
            expect(await trailWrites(trailArn(FOREIGN, writerStage), FOREIGN, folder), folder).not.to.equal("Allowed");
            expect(await trailWrites(`arn:${partition}:cloudtrail:${region}:${writer}:trail/someone-elses`, writer, folder), folder).not.to.equal("Allowed");
        }
        expect(await decide(await aclCheck(trailArn(FOREIGN, writerStage), FOREIGN))).not.to.equal("Allowed");
    });

    it("every request to the bucket over plain HTTP is explicitly denied, the audit account's own included", async () => {
        const { bucketArn, bucketPolicy } = await sink();
        for (const [action, resource] of [["s3:GetObject", `${bucketArn}/AWSLogs/${writer}/x`], ["s3:ListBucket", bucketArn], ["s3:PutObject", `${bucketArn}/x`]]) {
            const decision = await decide({
                principal: roleOf(AUDIT),
                action,
                resource,
                resourceAccount: accounts.audit,
                context: { "aws:SecureTransport": "false" },
                identityPolicies: [ADMIN],
                resourcePolicy: bucketPolicy,
            });
            expect(decision, action).to.equal("ExplicitlyDenied");
        }
    });

    it("nobody outside the audit account can read the logs, not even root's or a writer account's administrators", async () => {
        const { bucketArn, bucketPolicy } = await sink();
        const outsiders = ["anonymous", roleOf("admin", FOREIGN), ...Object.keys(accounts).filter((s) => s !== AUDIT).map((s) => roleOf(s))];
        for (const principal of outsiders) {
            for (const [action, resource] of [["s3:GetObject", `${bucketArn}/AWSLogs/${writer}/x`], ["s3:ListBucket", bucketArn]]) {
                const decision = await decide({
                    principal,
                    action,
                    resource,
                    resourceAccount: accounts.audit,
                    context: { "aws:SecureTransport": "true" },
                    identityPolicies: principal === "anonymous" ? [] : [ADMIN],
                    resourcePolicy: bucketPolicy,
                });
                expect(decision, `${principal} ${action}`).not.to.equal("Allowed");
            }
        }
        // The audit account's own roles read through their IAM policies: the bucket policy does not stand in the way.
        const auditReader = await decide({
            principal: roleOf(AUDIT),
            action: "s3:GetObject",
            resource: `${bucketArn}/AWSLogs/${writer}/x`,
            resourceAccount: accounts.audit,
            context: { "aws:SecureTransport": "true" },
            identityPolicies: [ADMIN],
            resourcePolicy: bucketPolicy,
        });
        expect(auditReader).to.equal("Allowed");
    });

    for (const [stage, id] of Object.entries(accounts)) {
        it(`${stage}: its trail may encrypt with the audit key; no other account's trail may`, async () => {
            const { keyArn, keyPolicy } = await sink();
            const encrypt = (source: string) =>
                decide({
                    principal: "cloudtrail.amazonaws.com",
                    action: "kms:GenerateDataKey",
                    resource: keyArn,
                    resourceAccount: accounts.audit,
                    context: { "aws:SourceArn": source, "kms:EncryptionContext:aws:cloudtrail:arn": source },
                    resourcePolicy: keyPolicy,
                });
            expect(await encrypt(trailArn(id, stage))).to.equal("Allowed");
            expect(await encrypt(trailArn(FOREIGN, stage))).not.to.equal("Allowed");
            expect(await encrypt(`arn:${partition}:cloudtrail:${region}:${id}:trail/someone-elses`)).not.to.equal("Allowed");
        });
    }

    // The simulator ignores kms:EncryptionContext:aws:cloudtrail:arn (src/security/simulator.ts), so the test above
    // cannot fail on it: this one reads the condition off the document and matches it against the ARN of every
    // trail the program creates, as KMS's StringLike would. It would not match the bucket ARN, the context an S3
    // Bucket Key would put there instead (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
    it("the key policy's encryption-context condition holds for every account's trail ARN, and for nothing else", async () => {
        const { bucketArn, keyPolicy } = await sink();
        const encrypt = keyPolicy.Statement.find((s) => s.Sid === "CloudTrailEncryptsListedAccounts")!;
        const patterns = [encrypt.Condition!.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"]].flat() as string[];
        const matches = (value: string) => patterns.some((pattern) => stringLike(pattern).test(value));
        const trails = [...(await org.evaluations()).values()].flatMap((e) => e.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail"));
        expect(trails.map((t) => t.name)).to.have.length(Object.keys(accounts).length);
        for (const trail of trails) expect(matches(String(trail.state.arn)), String(trail.state.arn)).to.equal(true);
        expect(matches(bucketArn), "a Bucket Key's context (the bucket ARN)").to.equal(false);
        expect(matches(trailArn(FOREIGN, writerStage))).to.equal(false);
        expect(single(await org.evaluation(AUDIT), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cloudtrail-encryption").inputs.rules).to.satisfy(
            (rules: { bucketKeyEnabled?: boolean }[]) => rules.every((r) => r.bucketKeyEnabled !== true),
        );
    });

    it("nobody outside the audit account can decrypt with the audit key or change it", async () => {
        const { keyArn, keyPolicy } = await sink();
        const outsiders = [roleOf("admin", FOREIGN), ...Object.keys(accounts).filter((s) => s !== AUDIT).map((s) => roleOf(s))];
        for (const principal of [...outsiders, "cloudtrail.amazonaws.com"]) {
            for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
                const decision = await decide({ principal, action, resource: keyArn, resourceAccount: accounts.audit, context: { "aws:SourceArn": trailArn(writer, writerStage) }, identityPolicies: principal.startsWith("arn:") ? [ADMIN] : [], resourcePolicy: keyPolicy });
                expect(decision, `${principal} ${action}`).not.to.equal("Allowed");
            }
        }
        const auditAdmin = await decide({ principal: roleOf(AUDIT), action: "kms:Decrypt", resource: keyArn, resourceAccount: accounts.audit, identityPolicies: [ADMIN], resourcePolicy: keyPolicy });
        expect(auditAdmin).to.equal("Allowed");
    });
});

/** KMS's StringLike: `*` any run of characters, `?` one, everything else literal. */
function stringLike(pattern: string): RegExp {
    const literal = (text: string) => text.replace(/[.+^${}()|[\]\\/]/g, "\\$&");
    return new RegExp(`^${pattern.split("*").map((part) => part.split("?").map(literal).join(".")).join(".*")}$`);
}

/** CloudTrail checking the bucket's ACL for the trail `source`, as it does before it delivers. */
async function aclCheck(source: string, sourceAccount: string) {
    const { bucketArn, bucketPolicy } = await sink();
    return {
        principal: "cloudtrail.amazonaws.com",
        action: "s3:GetBucketAcl",
        resource: bucketArn,
        resourceAccount: accounts.audit,
        context: { "aws:SourceArn": source, "aws:SourceAccount": sourceAccount, "aws:SecureTransport": "true" },
        resourcePolicy: bucketPolicy,
    };
}
