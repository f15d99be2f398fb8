// The limits of the audit sink and the deployer: the bucket and key policies that list every account fit S3's and KMS's
// size limits (checked against what the program creates just inside them), log ages, and the deployer's settings.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { ACCOUNTS, evaluated, firstRefused, isRefused, problemsOf, raw } from "./configFixture";
import { ofType, policyDocument } from "./harness";

describe("config limits: the audit sink's policies list every account", () => {
    /** An organization of `count` accounts with stage names of `length` characters, as the audit stack sees it. */
    const auditOf = (count: number, length: number) => {
        const stages = Array.from({ length: count - 2 }, (_, i) => `w${String(i).padStart(3, "0")}${"x".repeat(length - 4)}`);
        return raw("audit", { "refarch:accounts": { root: ACCOUNTS.root, audit: ACCOUNTS.audit, ...Object.fromEntries(stages.map((s, i) => [s, String(200000000000 + i)])) } });
    };
    const sizes = (message: string) => {
        const [, bucket, key] = /make the audit bucket policy (\d+) bytes \(S3 allows 20480\) and the key policy (\d+) \(KMS allows 32768\)/.exec(message) ?? [];
        return { bucket: Number(bucket), key: Number(key) };
    };

    // The bucket policy (two ARN patterns per account, and the sink's fixed denies) reaches S3's limit first at any
    // stage-name length the program allows; the key policy (the patterns and two encryption contexts per account) must
    // still fit KMS's then. Whichever is over is the one the message must show over.
    for (const length of [40, 4]) {
        it(`with ${length}-character stage names: accepted while both policies fit, refused with the next account`, async () => {
            const refusedAt = firstRefused(3, 300, (count) => isRefused(auditOf(count, length)));
            const [problem, ...more] = problemsOf(auditOf(refusedAt, length));
            expect(more).to.deep.equal([]);
            expect(problem).to.match(new RegExp(`^Pulumi\\.yaml: refarch:accounts: "${refusedAt} accounts" make the audit bucket policy \\d+ bytes .*\\. Fix: use shorter stage names, or a second audit sink for some accounts$`));
            const refused = sizes(problem);
            const limited = refused.bucket > 20480 ? "bucket" : "key";
            const limit = limited === "bucket" ? 20480 : 32768;
            expect(refused[limited]).to.be.above(limit);
            expect(refused[limited === "bucket" ? "key" : "bucket"]).to.be.at.most(limited === "bucket" ? 32768 : 20480);

            // One account fewer: the program's own documents fit, and the refused sizes are those documents with one account more.
            const audit = await evaluated(auditOf(refusedAt - 1, length));
            const bucketPolicy = JSON.stringify(policyDocument(ofType(audit, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "cloudtrail-policy")!)).length;
            const keyPolicy = JSON.stringify(policyDocument(ofType(audit, "aws:kms/key:Key")[0])).length;
            expect(bucketPolicy).to.be.at.most(20480);
            expect(keyPolicy).to.be.at.most(32768);
            expect(refused.bucket - bucketPolicy).to.be.within(1, 2 * (length + 100));
            expect(refused.key - keyPolicy).to.be.within(1, 2 * (length + 100) + 100);
        });
    }
});

describe("config limits: refarch:cloudtrailLogs and refarch:deployer", () => {
    it("log ages are whole days from 1, Object Lock from 90; logs expire after they move to Glacier and not before their lock ends", () => {
        const logs = (settings: object) => raw("audit", { "refarch:cloudtrailLogs": settings });
        expect(validateConfig(logs({ glacierAfterDays: 1, expireAfterDays: 90, objectLockDays: 90, accessLogExpireAfterDays: 1 })).cloudtrailLogs).to.deep.equal({
            glacierAfterDays: 1,
            expireAfterDays: 90,
            objectLockDays: 90,
            admitAccountTrails: false,
            accessLogExpireAfterDays: 1,
        });
        // Admitting the per-account trails beside an organization trail: refused where no organization is managed.
        expect(problemsOf(logs({ admitAccountTrails: true }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.admitAccountTrails: true is only for switching a managed organization to its organization trail, and refarch:awsOrganization is not set. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: remove admitAccountTrails`,
        ]);
        expect(validateConfig(logs({})).cloudtrailLogs.objectLockDays).to.equal(365);
        expect(problemsOf(logs({ glacierAfterDays: 0, expireAfterDays: 1.5, objectLockDays: 89, accessLogExpireAfterDays: 0, retention: 3 }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.glacierAfterDays: 0 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set glacierAfterDays: 90`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 1.5 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set expireAfterDays: 365`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.objectLockDays: 89 must be a whole number of days, at least 90, as long as CloudTrail's own event history keeps events. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set objectLockDays: 365`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.accessLogExpireAfterDays: 0 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set accessLogExpireAfterDays: 365`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.retention: 3 is not a setting of refarch:cloudtrailLogs (valid: glacierAfterDays, expireAfterDays, objectLockDays, admitAccountTrails, accessLogExpireAfterDays). Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: remove retention`,
        ]);
        // Expiring a log while its COMPLIANCE lock holds it would only hide it; the fix is the lock's own length.
        expect(problemsOf(logs({ expireAfterDays: 200 }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 200 must be at least objectLockDays (365): logs cannot expire while their Object Lock holds them. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set expireAfterDays: 365`,
        ]);
        expect(validateConfig(logs({ expireAfterDays: 365 })).cloudtrailLogs.expireAfterDays).to.equal(365);
        expect(validateConfig(logs({ expireAfterDays: 200, objectLockDays: 200 })).cloudtrailLogs.expireAfterDays).to.equal(200);
        expect(problemsOf(logs({ glacierAfterDays: 100, expireAfterDays: 100 }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 100 must be later than glacierAfterDays (100). Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set expireAfterDays: 375`,
        ]);
        expect(validateConfig(logs({ glacierAfterDays: 100, expireAfterDays: 101, objectLockDays: 101 })).cloudtrailLogs.expireAfterDays).to.equal(101);
        // Only the audit stack keeps the logs: anywhere else the setting would be silently ignored.
        expect(problemsOf(raw("prod", { "refarch:cloudtrailLogs": { glacierAfterDays: 30 } }))).to.deep.equal([
            `Pulumi.prod.yaml: refarch:cloudtrailLogs: "(set)" is read only by the audit stack, and this stack deploys stage "prod". Fix: move refarch:cloudtrailLogs from Pulumi.prod.yaml to Pulumi.audit.yaml`,
        ]);
    });

    it("the deployer's repository, subject prefix, existing OIDC providers and review stacks: each form accepted, each bad one refused with its fix", () => {
        const deployer = (settings: object) => raw("prod", { "refarch:deployer": { githubRepository: "acme/refarch", ...settings } });
        const fix = "Fix: in Pulumi.yaml, under config: refarch:deployer: value:";
        const refused = (key: string, value: unknown, why: string, set: string) => [`Pulumi.yaml: refarch:deployer.${key}: ${JSON.stringify(value)} ${why}. ${fix} ${set}`];
        const pulumiArn = `arn:aws:iam::${ACCOUNTS.prod}:oidc-provider/api.pulumi.com/oidc`;

        for (const githubRepository of ["acme", "acme/refarch/x", " acme/refarch", "acme/refarch "]) {
            expect(problemsOf(deployer({ githubRepository })), githubRepository).to.deep.equal(refused("githubRepository", githubRepository, "must be a GitHub repository as owner/name", "set githubRepository: acme/refarch"));
        }
        for (const githubSubjectPrefix of ["repo:acme/refarch", "repo:acme@123/refarch@456", "repo:acme@123/refarch", "repo:acme/refarch@456"]) {
            expect(validateConfig(deployer({ githubSubjectPrefix })).deployer.githubSubjectPrefix, githubSubjectPrefix).to.equal(githubSubjectPrefix);
        }
        for (const githubSubjectPrefix of ["xrepo:acme/refarch", "repo:acme/refarch:ref:x", "repo:acme@/refarch"]) {
            expect(problemsOf(deployer({ githubSubjectPrefix })), githubSubjectPrefix).to.deep.equal(
                refused("githubSubjectPrefix", githubSubjectPrefix, "must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id> for immutable subject claims", 'set githubSubjectPrefix: "repo:acme@123456/refarch@456789"'),
            );
        }

        expect(validateConfig(deployer({ existingOidcProviders: { prod: { pulumi: pulumiArn } } })).deployer.existingOidcProviders).to.deep.equal({ prod: { pulumi: pulumiArn } });
        const provider = (issuer: string) => `"arn:aws:iam::<account id>:oidc-provider/${issuer}"`;
        for (const bad of [`x${pulumiArn}`, `${pulumiArn}\n`, 7]) {
            expect(problemsOf(deployer({ existingOidcProviders: { prod: { pulumi: bad } } })), String(bad)).to.deep.equal(
                refused("existingOidcProviders.prod.pulumi", bad, "must be the ARN of the account's existing OIDC provider for api.pulumi.com/oidc", `existingOidcProviders: prod: set pulumi: ${provider("api.pulumi.com/oidc")}`),
            );
        }
        expect(problemsOf(deployer({ existingOidcProviders: { prod: { github: pulumiArn } } }))).to.deep.equal(
            refused("existingOidcProviders.prod.github", pulumiArn, "must be an OIDC provider for token.actions.githubusercontent.com", `existingOidcProviders: prod: set github: ${provider("token.actions.githubusercontent.com")}`),
        );
        expect(problemsOf(deployer({ existingOidcProviders: { prod: "x" } }))).to.deep.equal(
            refused("existingOidcProviders.prod", "x", "must be { pulumi?, github? }: ARNs of existing OIDC providers", `existingOidcProviders: set prod: { pulumi: ${provider("api.pulumi.com/oidc")} }`),
        );
        expect(problemsOf(deployer({ existingOidcProviders: ["prod"] }))).to.deep.equal(
            refused("existingOidcProviders", ["prod"], "must map stages to { pulumi?, github? }", `set existingOidcProviders: { dev: { pulumi: ${provider("api.pulumi.com/oidc")} } }`),
        );

        expect(validateConfig(deployer({ reviewStacks: "review-*.v2_x" })).deployer.reviewStacks).to.equal("review-*.v2_x");
        expect(problemsOf(deployer({ reviewStacks: "pr 42" }))).to.deep.equal(refused("reviewStacks", "pr 42", "must be a stack-name pattern of letters, digits, . _ - and the * wildcard", 'set reviewStacks: "pr-*"'));
    });

    it("the deployer and previewer each need at least one managed policy ARN", () => {
        expect(problemsOf(raw("prod", { "refarch:deployer": { policyArns: [], previewerPolicyArns: ["ReadOnlyAccess"] } }))).to.deep.equal([
            `Pulumi.yaml: refarch:deployer.policyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:deployer: value: set policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]`,
            `Pulumi.yaml: refarch:deployer.previewerPolicyArns: "ReadOnlyAccess" is not an IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:deployer: value: in the list previewerPolicyArns, replace "ReadOnlyAccess" with "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:deployer": { previewerPolicyArns: [] } }))).to.deep.equal([
            `Pulumi.yaml: refarch:deployer.previewerPolicyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:deployer: value: set previewerPolicyArns: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]`,
        ]);
    });
});
