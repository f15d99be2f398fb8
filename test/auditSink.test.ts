// The audit account's log sink: every account's trail writes only into its own folder; only audit reads.
// An organization without an audit stage has no sink (test/trails.test.ts checks it has no trails either).
import { expect } from "chai";
import type { StackEvaluation } from "../src/offline/engine";
import { decide } from "../src/security/simulator";
import { addStage, asList, AUDIT, having, ofType, ORG, org as underTest, policyDocument, ROOT, single, statement, withStage } from "./harness";

// The organization under test, or a variant of it with an audit stage added: the sink lives there.
const org = withStage(AUDIT, underTest);

const partition = org.partitionOf(AUDIT);
const BUCKET = `${org.namespace}-audit-cloudtrail`;
const BUCKET_ARN = `arn:${partition}:s3:::${BUCKET}`;
/** The trail names the program gives each stage: <namespace>-<stage>-cloudtrail, in any region. */
const trailArns = (accounts: Record<string, string>) => Object.entries(accounts).map(([stage, id]) => `arn:${partition}:cloudtrail:*:${id}:trail/${org.namespace}-${stage}-cloudtrail`);

describe("audit log sink", () => {
    it("exists only in the audit stack", async () => {
        for (const stack of org.stacks.filter((s) => org.stageOf(s) !== AUDIT)) {
            const evaluation = await org.evaluation(stack);
            expect(ofType(evaluation, "refarch:audit:AuditLogSink"), stack).to.deep.equal([]);
            expect(ofType(evaluation, "aws:s3/bucket:Bucket"), stack).to.deep.equal([]);
            expect(ofType(evaluation, "aws:kms/key:Key"), stack).to.deep.equal([]);
        }
    });
});

describe("audit log sink, in the audit stack", () => {

    it("creates the bucket with versioning, SSE-KMS without a bucket key (so the trail ARN stays the encryption context), all public access blocked and bucket-owner-enforced", async () => {
        const audit = await org.evaluation(AUDIT);
        const bucket = single(audit, "aws:s3/bucket:Bucket", "cloudtrail-bucket");
        expect(bucket.inputs.bucket).to.equal(BUCKET);
        expect(bucket.inputs.forceDestroy).to.equal(false);
        const key = single(audit, "aws:kms/key:Key");
        expect(single(audit, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(single(audit, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cloudtrail-encryption").inputs.rules).to.deep.equal([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn }, bucketKeyEnabled: false },
        ]);
        expect(single(audit, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "cloudtrail-public-access").inputs).to.deep.include({
            bucket: BUCKET,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(single(audit, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "cloudtrail-ownership").inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
    });

    /** The trail bucket's lifecycle rules, by id. */
    const lifecycleRules = (audit: StackEvaluation): Record<string, any> =>
        Object.fromEntries((single(audit, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "cloudtrail-lifecycle").inputs.rules as any[]).map((r) => [r.id, r]));

    it("moves logs to Glacier Instant Retrieval after 90 days and expires them after 365 by default", async () => {
        const audit = await org.evaluateWith(AUDIT, { "refarch:cloudtrailLogs": undefined });
        const rules = lifecycleRules(audit);
        expect(Object.values(rules).map((r) => r.status)).to.satisfy((all: string[]) => all.every((s) => s === "Enabled"));
        expect(rules["archive-small-files-too"].transitions).to.deep.equal([{ days: 90, storageClass: "GLACIER_IR" }]);
        expect(rules.expire.expiration).to.deep.equal({ days: 365 });
        expect(rules.expire.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 365 });
    });

    // S3 transitions nothing under 128 KB by default (all_storage_classes_128K), and most CloudTrail files are smaller:
    // only a rule filter with objectSizeGreaterThan below that lets them move. Expiry must still reach every object.
    it("transitions small log files too: the archive rule's filter sets the minimum size explicitly, below S3's 128 KB default", async () => {
        const audit = await org.evaluation(AUDIT);
        const lifecycle = single(audit, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "cloudtrail-lifecycle");
        expect(lifecycle.inputs.transitionDefaultMinimumObjectSize).to.equal("all_storage_classes_128K");
        const rules = lifecycleRules(audit);
        const archive = rules["archive-small-files-too"];
        expect(archive.filter.objectSizeGreaterThan).to.be.a("number").below(1024);
        const transitioning = Object.values(rules).filter((r) => r.transitions?.length);
        expect(transitioning.every((r) => typeof r.filter?.objectSizeGreaterThan === "number" && r.filter.objectSizeGreaterThan < 128 * 1024), "every transition has a small-object filter").to.equal(true);
        // Expiry is not size-filtered, so an object below the archive rule's minimum still expires.
        expect(rules.expire.filter).to.deep.equal({});
    });

    it("cleans up expired object delete markers, in a rule of their own (S3 refuses ExpiredObjectDeleteMarker beside Days)", async () => {
        const rules = lifecycleRules(await org.evaluation(AUDIT));
        expect(rules["remove-expired-delete-markers"]).to.deep.include({ status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } });
        for (const rule of Object.values(rules).filter((r) => r.expiration?.expiredObjectDeleteMarker)) expect(rule.expiration.days, rule.id).to.equal(undefined);
    });

    it("takes the retention from refarch:cloudtrailLogs", async () => {
        const audit = await org.evaluateWith(AUDIT, { "refarch:cloudtrailLogs": JSON.stringify({ glacierAfterDays: 30, expireAfterDays: 2555 }) });
        const rules = lifecycleRules(audit);
        expect(rules["archive-small-files-too"].transitions).to.deep.equal([{ days: 30, storageClass: "GLACIER_IR" }]);
        expect(rules.expire.expiration).to.deep.equal({ days: 2555 });
    });

    it("locks every log version in COMPLIANCE mode for refarch:cloudtrailLogs.objectLockDays; a lock under 90 days is refused, nothing created", async () => {
        const lockOf = async (changes: Record<string, string | undefined>) =>
            single(await org.evaluateWith(AUDIT, changes), "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs.rule;
        expect(await lockOf({ "refarch:cloudtrailLogs": undefined })).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", days: 365 } });
        expect(await lockOf({ "refarch:cloudtrailLogs": JSON.stringify({ objectLockDays: 2555, expireAfterDays: 2555 }) })).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", days: 2555 } });
        const message = await org.refused(AUDIT, { "refarch:cloudtrailLogs": JSON.stringify({ objectLockDays: 30 }) });
        expect(message).to.include(`Pulumi.${AUDIT}.yaml: refarch:cloudtrailLogs.objectLockDays: 30 must be a whole number of days, at least 90`);
        expect(message).to.include("set objectLockDays: 365");
    });

    // A first deploy runs as a person or the access role, before the audit deployer exists: the policies that then
    // deny every change to all but that deployer must be the last thing it sets on each bucket and the key.
    it("each bucket's policy is set after every setting it guards; the key skips KMS's lockout check, its policy admitting only the deployer to change it", async () => {
        const audit = await org.evaluation(AUDIT);
        const urnOf = (type: string, name: string) => single(audit, type, name).urn;
        const trailPolicy = single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy");
        for (const [type, name] of [
            ["aws:s3/bucketVersioning:BucketVersioning", "cloudtrail-versioning"],
            ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "cloudtrail-object-lock"],
            ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "cloudtrail-lifecycle"],
            ["aws:s3/bucketLogging:BucketLogging", "cloudtrail-access-logging"],
            ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cloudtrail-encryption"],
            ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "cloudtrail-public-access"],
            ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "cloudtrail-ownership"],
        ]) {
            expect(trailPolicy.dependsOn, name).to.include(urnOf(type, name));
        }
        const accessPolicy = single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-access-logs-policy");
        expect(accessPolicy.dependsOn).to.include(urnOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "cloudtrail-access-logs-lifecycle"));
        expect(single(audit, "aws:kms/key:Key").inputs.bypassPolicyLockoutSafetyCheck).to.equal(true);
        const deny = statement(policyDocument(single(audit, "aws:kms/key:Key")), "OnlyAuditDeployerDeletesOrReplacesKey");
        expect(deny.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": `arn:${partition}:iam::${org.accountOf(AUDIT)}:role/${org.namespace}-${AUDIT}-deployer` } });
    });

    it("rotates the KMS key", async () => {
        expect(single(await org.evaluation(AUDIT), "aws:kms/key:Key").inputs.enableKeyRotation).to.equal(true);
    });

    // What these statements allow and deny is proved by the IAM simulator in test/security.sink.test.ts.
    it("bucket policy: one write statement: the organization trail into AWSLogs/<organization id>/, or the listed trails, each into AWSLogs/<the trail's own account>/", async () => {
        const policy = policyDocument(single(await org.evaluation(AUDIT), "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy"));
        const writes = policy.Statement.filter((s) => s.Effect === "Allow" && asList(s.Action).includes("s3:PutObject"));
        if (org.hasOrganizationTrail) {
            const orgId = String((await org.evaluation(ORG)).outputs.organizationId);
            const management = org.accountOf(ROOT);
            expect(writes).to.deep.equal([
                {
                    Sid: "OrganizationTrailWritesEveryAccountsFolder",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: [`${BUCKET_ARN}/AWSLogs/${orgId}/*`, `${BUCKET_ARN}/AWSLogs/${management}/*`],
                    Condition: {
                        StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },
                        ArnLike: { "aws:SourceArn": [`arn:${partition}:cloudtrail:*:${management}:trail/${org.namespace}-org-cloudtrail`] },
                    },
                },
            ]);
            return;
        }
        expect(writes).to.deep.equal([
            {
                Sid: "CloudTrailWritesOwnAccountFolder",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${BUCKET_ARN}/AWSLogs/\${aws:SourceAccount}/*`,
                Condition: {
                    StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },
                    ArnLike: { "aws:SourceArn": trailArns(org.accounts) },
                    StringLike: { "aws:SourceArn": `arn:${partition}:cloudtrail:*:\${aws:SourceAccount}:trail/*` },
                },
            },
        ]);
    });

    it("bucket policy: denies every request not over TLS", async () => {
        const policy = policyDocument(single(await org.evaluation(AUDIT), "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy"));
        expect(statement(policy, "DenyInsecureTransport")).to.deep.equal({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("bucket policy: grants no principal but CloudTrail anything, so reading is left to the audit account's roles", async () => {
        const policy = policyDocument(single(await org.evaluation(AUDIT), "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy"));
        for (const s of policy.Statement.filter((s) => s.Effect === "Allow")) {
            expect(s.Principal, s.Sid).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
            expect(asList(s.Action), s.Sid).to.satisfy((actions: string[]) => actions.every((a) => a === "s3:PutObject" || a === "s3:GetBucketAcl"));
        }
    });

    it("key policy: CloudTrail of the listed accounts may encrypt; only the audit account administers, and only its logs reader decrypts", async () => {
        const policy = policyDocument(single(await org.evaluation(AUDIT), "aws:kms/key:Key"));
        const encrypt = statement(policy, "CloudTrailEncryptsListedAccounts");
        expect(encrypt.Action).to.equal("kms:GenerateDataKey*");
        // The organization trail's ARN (any home region), or any trail of each listed account.
        const contexts = org.hasOrganizationTrail
            ? [`arn:${partition}:cloudtrail:*:${org.accountOf(ROOT)}:trail/${org.namespace}-org-cloudtrail`]
            : Object.values(org.accounts).map((id) => `arn:${partition}:cloudtrail:*:${id}:trail/*`);
        expect(encrypt.Condition!.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"]).to.have.members(contexts);
        const awsPrincipals = policy.Statement.flatMap((s) => (s.Principal && s.Principal !== "*" ? asList(s.Principal.AWS) : []));
        const reader = `arn:${partition}:iam::${org.accountOf(AUDIT)}:role/${org.namespace}-${AUDIT}-logs-reader`;
        expect(awsPrincipals).to.deep.equal([`arn:${partition}:iam::${org.accountOf(AUDIT)}:root`, reader]);
        // The reader's statement, as CloudTrail documents it, with the context narrowed to the listed accounts' trails.
        expect(policy.Statement.filter((s) => asList(s.Action).some((a) => a.startsWith("kms:Decrypt")))).to.deep.equal([
            {
                Sid: "LogsReaderDecryptsTrailLogs",
                Effect: "Allow",
                Principal: { AWS: reader },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": contexts } },
            },
        ]);
    });

    it("exports the bucket and key the other stacks' trails read", async () => {
        const audit = await org.evaluation(AUDIT);
        expect(audit.outputs).to.deep.include({
            cloudtrailBucketName: BUCKET,
            cloudtrailBucketArn: BUCKET_ARN,
            cloudtrailKmsKeyArn: single(audit, "aws:kms/key:Key").state.arn,
        });
        expect(audit.outputs.cloudtrailKmsKeyArn).to.match(new RegExp(`^arn:${partition}:kms:${org.regionOf(AUDIT)}:${org.accountOf(AUDIT)}:key/[0-9a-f-]{36}$`));
    });

    it("writers follow refarch:accounts: a stage left out gets no folder", async () => {
        const { org: o, found: left } = having("a stage besides root and audit", (o) => o.stages.find((s) => s !== AUDIT && s !== "root"), addStage("extra"), org);
        const { [left]: leftOut, ...rest } = o.accounts;
        const audit = await o.evaluateWith(AUDIT, o.withoutStage(left));
        expect(audit.error).to.equal(undefined);
        const policy = policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy"));
        expect(JSON.stringify(policy)).not.to.include(leftOut);
        const [write] = policy.Statement.filter((s) => s.Effect === "Allow" && asList(s.Action).includes("s3:PutObject"));
        // One trail per account: the left-out stage's is no longer listed; the organization trail is listed either way.
        if (!o.hasOrganizationTrail) expect(write.Condition!.ArnLike["aws:SourceArn"]).to.deep.equal(trailArns(rest));
    });
});

describe("audit log sink: server access logs of the CloudTrail bucket", () => {
    const ACCESS_BUCKET = `${BUCKET}-access-logs`;
    const ACCESS_ARN = `arn:${partition}:s3:::${ACCESS_BUCKET}`;

    it("logs every request to the CloudTrail bucket into a separate access-log bucket in audit", async () => {
        const audit = await org.evaluation(AUDIT);
        const logging = single(audit, "aws:s3/bucketLogging:BucketLogging");
        expect(logging.inputs).to.deep.include({ bucket: BUCKET, targetBucket: ACCESS_BUCKET });
        expect(logging.inputs.targetPrefix).to.be.a("string").and.not.equal("");
        const access = single(audit, "aws:s3/bucket:Bucket", "cloudtrail-access-logs-bucket");
        expect(access.inputs).to.deep.include({ bucket: ACCESS_BUCKET, forceDestroy: false });
        expect(access.state.arn).to.equal(ACCESS_ARN);
        // Logging is switched on only once the delivery service may write.
        expect(logging.dependsOn).to.include(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-access-logs-policy").urn);
    });

    // S3 cannot deliver server access logs to a bucket whose default encryption is SSE-KMS (src/components/auditLogSink.ts).
    it("encrypts the access logs with SSE-S3, blocks public access and enforces the bucket owner", async () => {
        const audit = await org.evaluation(AUDIT);
        expect(single(audit, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "cloudtrail-access-logs-encryption").inputs).to.deep.include({
            bucket: ACCESS_BUCKET,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
        });
        expect(single(audit, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "cloudtrail-access-logs-public-access").inputs).to.deep.include({
            bucket: ACCESS_BUCKET,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(single(audit, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "cloudtrail-access-logs-ownership").inputs).to.deep.equal({ bucket: ACCESS_BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } });
    });

    it("expires the access logs after refarch:cloudtrailLogs.accessLogExpireAfterDays, 365 by default", async () => {
        const rulesOf = async (changes: Record<string, string | undefined>) =>
            single(await org.evaluateWith(AUDIT, changes), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "cloudtrail-access-logs-lifecycle").inputs.rules as any[];
        expect((await rulesOf({ "refarch:cloudtrailLogs": undefined })).map((r) => r.expiration)).to.deep.equal([{ days: 365 }]);
        expect((await rulesOf({ "refarch:cloudtrailLogs": JSON.stringify({ accessLogExpireAfterDays: 90 }) })).map((r) => r.expiration)).to.deep.equal([{ days: 90 }]);
        const message = await org.refused(AUDIT, { "refarch:cloudtrailLogs": JSON.stringify({ accessLogExpireAfterDays: 0 }) });
        expect(message).to.include(`Pulumi.${AUDIT}.yaml: refarch:cloudtrailLogs.accessLogExpireAfterDays: 0 must be a whole number of days, at least 1`);
    });

    it("access-log bucket policy: TLS only; S3's log delivery writes only the CloudTrail bucket's logs, from the audit account", async () => {
        const audit = await org.evaluation(AUDIT);
        const policy = policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-access-logs-policy"));
        const prefix = String(single(audit, "aws:s3/bucketLogging:BucketLogging").inputs.targetPrefix);
        const deliver = (sourceArn: string, sourceAccount: string, key = `${prefix}2026-01-01-00-00-00-0123456789ABCDEF`, secure = true) =>
            decide({
                principal: "logging.s3.amazonaws.com",
                action: "s3:PutObject",
                resource: `${ACCESS_ARN}/${key}`,
                resourceAccount: org.accountOf(AUDIT),
                context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount, "aws:SecureTransport": String(secure), "aws:PrincipalIsAWSService": "true" },
                resourcePolicy: policy,
            });
        expect(await deliver(BUCKET_ARN, org.accountOf(AUDIT))).to.equal("Allowed");
        expect(await deliver(`arn:${partition}:s3:::some-other-bucket`, org.accountOf(AUDIT))).not.to.equal("Allowed");
        for (const other of Object.values(org.accounts).filter((id) => id !== org.accountOf(AUDIT))) expect(await deliver(BUCKET_ARN, other)).not.to.equal("Allowed");
        expect(await deliver(BUCKET_ARN, org.accountOf(AUDIT), "elsewhere/x")).not.to.equal("Allowed");
        expect(await deliver(BUCKET_ARN, org.accountOf(AUDIT), undefined, false)).to.equal("ExplicitlyDenied");
        expect(statement(policy, "DenyInsecureTransport").Resource).to.deep.equal([ACCESS_ARN, `${ACCESS_ARN}/*`]);
        // Nobody else is granted anything: reading is left to the audit account's own roles.
        expect(policy.Statement.filter((s) => s.Effect === "Allow").map((s) => s.Principal)).to.deep.equal([{ Service: "logging.s3.amazonaws.com" }]);
    });
});
