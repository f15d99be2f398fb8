// Logs no one can erase, proved by the IAM policy evaluator over the plan's bucket, key and identity policies (and the
// SCPs over each member account where the organization is managed): every action that would delete, overwrite or
// weaken the audit sink is refused to every account's administrators and read-only roles, the audit account's own
// included, to root's roles and to every other account's deployer; the audit deployer alone still updates the sink.
// Identities are given full rights (ADMIN): the denies must hold whatever IAM grants. The audit deployer's real
// policies are managed ARNs (refarch:deployer.policyArns) the simulator cannot read; ADMIN stands in for them.
import { expect } from "chai";
import { auditDeployerArn, ORGANIZATION_ACCESS_ROLE } from "../src/policies";
import { scpLevels } from "../src/security/guardrailProofs";
import { decide, Decision } from "../src/security/simulator";
import { AUDIT, having, manageOrganization, ORG, org as underTest, Organization, ROOT, withStage } from "./harness";
import { ADMIN, Sink, sinkOf, writersOf } from "./sinkHarness";

const plain = withStage(AUDIT, underTest);
const managed = having("a managed organization with an audit stage", (o) => o.hasOrganizationTrail, manageOrganization, plain).org;

/** What an attacker would try on the sink, each on the resource it acts on. */
function tamperActions(sink: Sink, logKey: string): { action: string; resource: string; policy: "bucket" | "key" | "access-logs" }[] {
    const bucketChanges = ["s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketLogging", "s3:PutReplicationConfiguration", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"];
    return [
        ...["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"].map((action) => ({ action, resource: sink.keyArn, policy: "key" as const })),
        ...bucketChanges.map((action) => ({ action, resource: sink.bucketArn, policy: "bucket" as const })),
        // Overwriting an existing log key (a new version over it) and deleting a version.
        ...["s3:DeleteObjectVersion", "s3:DeleteObject", "s3:PutObject"].map((action) => ({ action, resource: `${sink.bucketArn}/${logKey}`, policy: "bucket" as const })),
        ...bucketChanges.map((action) => ({ action, resource: sink.accessLogBucketArn, policy: "access-logs" as const })),
        ...["s3:DeleteObjectVersion", "s3:DeleteObject", "s3:PutObject"].map((action) => ({ action, resource: `${sink.accessLogBucketArn}/cloudtrail-bucket/2026-01-01-00-00-00-0123456789ABCDEF`, policy: "access-logs" as const })),
    ];
}

/** The principals that must not tamper, by what they are: every role of every account, root's included, and every deployer but audit's. */
function attackers(org: Organization): { who: string; principal: string; accountId: string }[] {
    const partition = org.partitionOf(AUDIT);
    const role = (id: string, name: string) => `arn:${partition}:iam::${id}:role/${name}`;
    return Object.entries(org.accounts).flatMap(([stage, id]) => [
        ...org.roleNames.map((r) => ({ who: `${stage} ${r}`, principal: role(id, `${org.namespace}-${stage}-${r}`), accountId: id })),
        ...(stage === AUDIT
            ? [
                  { who: "audit logs reader", principal: role(id, `${org.namespace}-${AUDIT}-logs-reader`), accountId: id },
                  { who: "audit access role", principal: role(id, ORGANIZATION_ACCESS_ROLE), accountId: id },
              ]
            : [{ who: `${stage} deployer`, principal: role(id, `${org.namespace}-${stage}-deployer`), accountId: id }]),
    ]);
}

for (const org of [...new Set([plain, managed])]) {
    describe(`security: nobody but the audit deployer can erase or weaken the audit sink (${org.hasOrganizationTrail ? "organization trail" : "a trail per account"})`, () => {
        const auditId = org.accountOf(AUDIT);
        const partition = org.partitionOf(AUDIT);
        const deployer = auditDeployerArn(partition, org.namespace, auditId);

        /** `principal` of `accountId`, with full IAM rights and its account's SCPs (none in the management account), attempting `action`. */
        async function attempt(principal: string, accountId: string, action: string, resource: string, policy: "bucket" | "key" | "access-logs", extra: Record<string, string> = {}): Promise<Decision> {
            const sink = await sinkOf(org);
            const scps = org.managesOrganization && accountId !== org.accountOf(ROOT) ? scpLevels(await org.evaluation(ORG), accountId) : [];
            return decide({
                principal,
                action,
                resource,
                resourceAccount: auditId,
                context: { "aws:PrincipalArn": principal, "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true", "aws:RequestedRegion": org.regionOf(AUDIT), ...extra },
                identityPolicies: [ADMIN],
                resourcePolicy: { bucket: sink.bucketPolicy, key: sink.keyPolicy, "access-logs": sink.accessLogBucketPolicy }[policy],
                serviceControlPolicies: scps,
            });
        }

        /** An existing log object of another account, where its writer put it. */
        const logKey = async () => {
            const [, { folder }] = Object.entries(await writersOf(org)).find(([stage]) => stage !== AUDIT)!;
            return `AWSLogs/${folder}/CloudTrail/${org.regionOf(AUDIT)}/2026/01/01/log.json.gz`;
        };

        for (const { who, principal, accountId } of attackers(org)) {
            it(`${who}: every tamper action on the trail bucket, its key and the access-log bucket is refused${accountId === auditId ? " by an explicit deny" : ""}`, async () => {
                const sink = await sinkOf(org);
                for (const { action, resource, policy } of tamperActions(sink, await logKey())) {
                    const decision = await attempt(principal, accountId, action, resource, policy);
                    // In the audit account full IAM rights would allow it: only the sink's own denies refuse it.
                    if (accountId === auditId) expect(decision, `${action} on ${resource}`).to.equal("ExplicitlyDenied");
                    else expect(decision, `${action} on ${resource}`).not.to.equal("Allowed");
                }
            });
        }

        it("an overwrite is refused even where the request carries no aws:PrincipalIsAWSService (the deny is ...IfExists)", async () => {
            const sink = await sinkOf(org);
            const admin = `arn:${partition}:iam::${auditId}:role/${org.namespace}-${AUDIT}-${org.roleNames[0]}`;
            const decision = await decide({
                principal: admin,
                action: "s3:PutObject",
                resource: `${sink.bucketArn}/${await logKey()}`,
                resourceAccount: auditId,
                context: { "aws:PrincipalArn": admin, "aws:SecureTransport": "true" },
                identityPolicies: [ADMIN],
                resourcePolicy: sink.bucketPolicy,
            });
            expect(decision).to.equal("ExplicitlyDenied");
        });

        it("the audit deployer still updates the sink (lifecycle, versioning, logging, policies, the key), but deletes and overwrites no log either", async () => {
            const sink = await sinkOf(org);
            for (const { action, resource, policy } of tamperActions(sink, await logKey())) {
                const onObject = resource.startsWith(`${sink.bucketArn}/`) || resource.startsWith(`${sink.accessLogBucketArn}/`);
                expect(await attempt(deployer, auditId, action, resource, policy), `${action} on ${resource}`).to.equal(onObject ? "ExplicitlyDenied" : "Allowed");
            }
        });

        it("the trail bucket is created with Object Lock, COMPLIANCE by default for refarch:cloudtrailLogs.objectLockDays (365 unless set); the access-log bucket cannot have it", async () => {
            const audit = await org.evaluation(AUDIT);
            const buckets = audit.resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
            expect(buckets.find((b) => b.name === "cloudtrail-bucket")!.inputs.objectLockEnabled).to.equal(true);
            // S3 delivers no server access logs into a bucket with Object Lock; its policy's denies keep those logs.
            expect(buckets.find((b) => b.name === "cloudtrail-access-logs-bucket")!.inputs.objectLockEnabled).to.equal(undefined);
            const lock = audit.resources.find((r) => r.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")!;
            const configured = org.value<{ objectLockDays?: number }>(AUDIT, "refarch:cloudtrailLogs")?.objectLockDays ?? 365;
            expect(lock.inputs.rule).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", days: configured } });
        });
    });
}
