// Reading the trail, proved by an IAM policy evaluator over the documents the stacks produced: a root user of a
// team granted `audit: logs-reader` assumes the reader role (with MFA only), and that role lists the bucket, reads
// every account's logs and decrypts them; nobody else does: not root users without the grant, not any other
// account's administrators (root's and the workloads'), not a foreign account. The simulator ignores the
// kms:EncryptionContext:aws:cloudtrail:arn conditions (src/security/simulator.ts); they are checked on the documents.
import { expect } from "chai";
import type { StackEvaluation } from "../src/offline/engine";
import { asList, LOGS_READER_ROLE, PolicyDocument } from "../src/policies";
import { assumeRole, likePattern, rolesOf, rootUserPolicies, SimulatedRole, WITH_MFA, WITHOUT_MFA } from "../src/security/access";
import { decide } from "../src/security/simulator";
import { addTeam, AUDIT, having, manageOrganization, oncePerMutant, org as underTest, policyDocument, ROOT, single, withStage } from "./harness";
import { mfaMaxAgeOf } from "./harness/rootUsers";
import { writersOf } from "./sinkHarness";

// The organization under test, or a variant of it with an audit stage added: the sink lives there; and that
// organization managed, where the organization trail writes (and encrypts) every account's logs.
const plain = withStage(AUDIT, underTest);
const managed = having("a managed organization with an audit stage", (o) => o.hasOrganizationTrail, manageOrganization, plain).org;

for (const org of [...new Set([plain, managed])]) {

    const partition = org.partitionOf(AUDIT);
    const FOREIGN = ["999999999999", "999999999998"].find((id) => !Object.values(org.accounts).includes(id))!;
    const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const CONTEXT_KEY = "kms:EncryptionContext:aws:cloudtrail:arn";
    /** A team and user of this test's own, granted the reader in audit beside the organization's teams. */
    const READERS_TEAM = "log-readers-under-test";
    const READER_USER = "reader-under-test";
    const rootUser = (user: string) => `arn:${partition}:iam::${org.accountOf(ROOT)}:user/${user}`;
    /** A log file CloudTrail delivered into `folder` (`<account id>`, or `<organization id>/<account id>`), in the key layout CloudTrail documents. */
    const logKey = (folder: string) => `AWSLogs/${folder}/CloudTrail/${org.regionOf(AUDIT)}/2026/01/01/${folder.split("/").pop()}_CloudTrail_log.json.gz`;
    const trailOf = (stage: string, id: string) => `arn:${partition}:cloudtrail:us-east-1:${id}:trail/${org.namespace}-${stage}-cloudtrail`;

    interface Sink {
        bucketArn: string;
        bucketPolicy: PolicyDocument;
        keyArn: string;
        keyPolicy: PolicyDocument;
        reader: SimulatedRole;
        readerPolicies: PolicyDocument[];
    }

    async function sinkOf(audit: StackEvaluation): Promise<Sink> {
        const reader = rolesOf([audit]).find((r) => r.role === LOGS_READER_ROLE)!;
        const readerName = reader.arn.slice(reader.arn.lastIndexOf("/") + 1);
        return {
            bucketArn: String(single(audit, "aws:s3/bucket:Bucket", "cloudtrail-bucket").state.arn),
            bucketPolicy: policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy")),
            keyArn: String(single(audit, "aws:kms/key:Key").state.arn),
            keyPolicy: policyDocument(single(audit, "aws:kms/key:Key")),
            reader,
            // Everything attached to the reader: its inline policies (it has no managed ones, checked below).
            readerPolicies: audit.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === readerName).map((r) => policyDocument(r)),
        };
    }

    /** The folder under AWSLogs/ a stage's logs are in and the encryption context they were written under: its writer's. */
    const writtenAs = async (accountId: string) => {
        const [, writer] = Object.entries(await writersOf(org)).find(([stage]) => org.accounts[stage] === accountId) ?? [];
        return writer ? { folder: writer.folder, context: writer.trail } : { folder: accountId, context: trailOf("any", accountId) };
    };

    /** What `principal` (with `policies`) may do to the logs of `accountId`: list, read, decrypt. */
    async function logAccess(sink: Sink, principal: string, policies: PolicyDocument[], accountId: string, secure = true) {
        const { folder, context } = await writtenAs(accountId);
        const s3 = (action: string, resource: string) =>
            decide({ principal, action, resource, resourceAccount: org.accountOf(AUDIT), context: { "aws:SecureTransport": String(secure), "s3:prefix": `AWSLogs/${folder}/` }, identityPolicies: policies, resourcePolicy: sink.bucketPolicy });
        return {
            list: await s3("s3:ListBucket", sink.bucketArn),
            read: await s3("s3:GetObject", `${sink.bucketArn}/${logKey(folder)}`),
            decrypt: await decide({
                principal,
                action: "kms:Decrypt",
                resource: sink.keyArn,
                resourceAccount: org.accountOf(AUDIT),
                context: { [CONTEXT_KEY]: context },
                identityPolicies: policies,
                resourcePolicy: sink.keyPolicy,
            }),
        };
    }

    const ALLOWED = { list: "Allowed", read: "Allowed", decrypt: "Allowed" };

    describe(`security: reading the CloudTrail logs, as AWS would decide it (${org.hasOrganizationTrail ? "organization trail" : "a trail per account"})`, () => {
        /** The audit sink and root with a reader team, evaluated in the first test that needs them: once per run, once per mutant. */
        const evaluated = oncePerMutant(async (): Promise<{ root: StackEvaluation; sink: Sink }> => {
            const sink = await sinkOf(await org.evaluation(AUDIT));
            // The organization's teams plus one of this test's own, granted the reader; any organization with audit can hold it.
            const teams = { ...org.teams, [READERS_TEAM]: { access: { [AUDIT]: LOGS_READER_ROLE } } };
            const users = { ...org.users, [READER_USER]: [READERS_TEAM] };
            const root = await org.evaluateWith(ROOT, { "refarch:teams": JSON.stringify(teams), "refarch:users": JSON.stringify(users) });
            expect(root.error).to.equal(undefined);
            return { root, sink };
        });
        let root: StackEvaluation;
        let sink: Sink;
        beforeEach(async () => {
            ({ root, sink } = await evaluated());
        });

        it("the reader role is trusted only by the root account, with MFA, like every human role, and has no managed policies", async () => {
            expect(sink.reader.trust).to.deep.equal({
                Version: "2012-10-17",
                Statement: [{ Sid: "TrustRootAccount", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${org.accountOf(ROOT)}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": String(mfaMaxAgeOf(org)) } } }],
            });
            const audit = await org.evaluation(AUDIT);
            const name = sink.reader.arn.slice(sink.reader.arn.lastIndexOf("/") + 1);
            expect(name).to.equal(`${org.namespace}-${AUDIT}-${LOGS_READER_ROLE}`);
            expect(audit.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === name)).to.deep.equal([]);
            expect(sink.readerPolicies).to.have.length(1);
        });

        it("a granted team's user assumes the reader role with MFA, never without; and reads, lists and decrypts every account's logs through it", async () => {
            const policies = rootUserPolicies(root).get(READER_USER)!;
            expect(await assumeRole(rootUser(READER_USER), policies, sink.reader, { ...WITH_MFA, "aws:username": READER_USER })).to.equal("Allowed");
            for (const context of WITHOUT_MFA) expect(await assumeRole(rootUser(READER_USER), policies, sink.reader, { ...context, "aws:username": READER_USER })).not.to.equal("Allowed");
            for (const [stage, id] of Object.entries(org.accounts)) {
                expect(await logAccess(sink, sink.reader.arn, sink.readerPolicies, id), stage).to.deep.equal(ALLOWED);
            }
        });

        it("the organization's own grants of the reader work the same way (the shipped auditors team)", async () => {
            // The organization's users granted the reader; where none is, a variant with a team of auditors.
            const readers = (o: typeof org) => Object.keys(o.users).filter((u) => o.grantsOf(u).includes(`${AUDIT}/${LOGS_READER_ROLE}`));
            const { org: o, found: granted } = having("a user granted the logs reader", (o) => readers(o).length > 0 && readers(o), addTeam("auditors-under-test", AUDIT, LOGS_READER_ROLE), org);
            for (const user of granted) {
                const policies = rootUserPolicies(await o.evaluation(ROOT)).get(user)!;
                expect(await assumeRole(rootUser(user), policies, sink.reader, { ...WITH_MFA, "aws:username": user }), user).to.equal("Allowed");
            }
        });

        it("the reader may only read: no writing, deleting or re-encrypting logs, and nothing over plain HTTP", async () => {
            const [id] = Object.values(org.accounts);
            for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]) {
                const resource = action === "s3:PutBucketPolicy" ? sink.bucketArn : `${sink.bucketArn}/${logKey(id)}`;
                const decision = await decide({ principal: sink.reader.arn, action, resource, resourceAccount: org.accountOf(AUDIT), context: { "aws:SecureTransport": "true" }, identityPolicies: sink.readerPolicies, resourcePolicy: sink.bucketPolicy });
                expect(decision, action).not.to.equal("Allowed");
            }
            for (const action of ["kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:PutKeyPolicy"]) {
                const decision = await decide({ principal: sink.reader.arn, action, resource: sink.keyArn, resourceAccount: org.accountOf(AUDIT), identityPolicies: sink.readerPolicies, resourcePolicy: sink.keyPolicy });
                expect(decision, action).not.to.equal("Allowed");
            }
            const insecure = await logAccess(sink, sink.reader.arn, sink.readerPolicies, id, false);
            expect(insecure.read).to.equal("ExplicitlyDenied");
            expect(insecure.list).to.equal("ExplicitlyDenied");
        });

        it("root users without the grant, root's own admins included, cannot assume the reader role", async () => {
            const policies = rootUserPolicies(root);
            const ungranted = [...policies.keys()].filter((u) => u !== READER_USER && !org.grantsOf(u).includes(`${AUDIT}/${LOGS_READER_ROLE}`));
            for (const user of ungranted) {
                expect(await assumeRole(rootUser(user), policies.get(user)!, sink.reader, { ...WITH_MFA, "aws:username": user }), user).not.to.equal("Allowed");
            }
            // A root principal allowed everything by its own IAM gets in only through the role's trust (root, with MFA).
            const rootAdmin = `arn:${partition}:iam::${org.accountOf(ROOT)}:role/${org.namespace}-${ROOT}-${org.roleNames[0]}`;
            for (const context of WITHOUT_MFA) expect(await assumeRole(rootAdmin, [ADMIN], sink.reader, context)).not.to.equal("Allowed");
        });

        it("no other account's administrators (root's, the workloads', a foreign account's) can list, read or decrypt the logs", async () => {
            const admins = [
                ...Object.entries(org.accounts)
                    .filter(([stage]) => stage !== AUDIT)
                    .flatMap(([stage, id]) => org.roleNames.map((role) => `arn:${partition}:iam::${id}:role/${org.namespace}-${stage}-${role}`)),
                `arn:${partition}:iam::${FOREIGN}:role/admin`,
                `arn:${partition}:iam::${FOREIGN}:role/${org.namespace}-${AUDIT}-${LOGS_READER_ROLE}`,
            ];
            for (const principal of admins) {
                for (const id of Object.values(org.accounts)) {
                    const access = await logAccess(sink, principal, [ADMIN], id);
                    expect(Object.values(access).filter((d) => d === "Allowed"), `${principal} on ${id}'s logs`).to.deep.equal([]);
                }
            }
        });

        // The simulator drops kms:EncryptionContext:aws:cloudtrail:arn (src/security/simulator.ts), so the decrypts above
        // would pass without it: here both documents' conditions are matched, as KMS's StringLike would, against the trail
        // ARN of every trail the program creates, and against contexts that are not a listed account's trail.
        it("the reader decrypts only under CloudTrail's encryption context of a listed account's trail (checked on the documents)", async () => {
            const keyStatement = sink.keyPolicy.Statement.find((s) => asList(s.Principal && s.Principal !== "*" ? s.Principal.AWS : undefined).includes(sink.reader.arn))!;
            const roleStatement = sink.readerPolicies[0].Statement.find((s) => asList(s.Action).includes("kms:Decrypt"))!;
            const trails = [...(await org.evaluations()).values()].flatMap((e) => e.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail")).map((t) => String(t.state.arn));
            expect(trails).to.have.length(org.hasOrganizationTrail ? 1 : Object.keys(org.accounts).length);
            for (const [where, s] of [["key policy", keyStatement], ["role policy", roleStatement]] as const) {
                expect(asList(s.Action), where).to.deep.equal(["kms:Decrypt"]);
                expect(Object.keys(s.Condition ?? {}), where).to.deep.equal(["StringLike"]);
                const patterns = asList(s.Condition!.StringLike[CONTEXT_KEY]);
                const holds = (context: string) => patterns.some((p) => likePattern(p).test(context));
                for (const trail of trails) expect(holds(trail), `${where}: ${trail}`).to.equal(true);
                expect(holds(trailOf("x", FOREIGN)), `${where}: a foreign account's trail`).to.equal(false);
                // Under the organization trail, a trail a member's admin made in its own account is not a context that decrypts.
                if (org.hasOrganizationTrail) expect(holds(trailOf(AUDIT, org.accountOf(AUDIT))), `${where}: a member's own trail`).to.equal(false);
                expect(holds(sink.bucketArn), `${where}: a Bucket Key's context`).to.equal(false);
            }
        });
    });
}
