// Bad config gets one error naming every problem (key, bad value, fix) and nothing is created.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { stackConfig } from "../src/offline/engine";
import { project, refused } from "./harness";

const accounts = JSON.parse(stackConfig(project, "prod")["refarch:accounts"]) as Record<string, string>;
const withAccounts = (changes: Record<string, string>) => JSON.stringify({ ...accounts, ...changes });

describe("config guards", () => {
    it("refuses a stack whose stage is not in refarch:accounts, listing the valid stages", async () => {
        const message = await refused("prod", { "refarch:stage": "production" });
        expect(message).to.include(`refarch:stage: "production" is not a stage of refarch:accounts (valid: root, prod, staging, audit, dev, testing)`);
        expect(message).to.include("pulumi stack select");
    });

    it("refuses a missing aws:allowedAccountIds, saying the exact value to set", async () => {
        const message = await refused("staging", { "aws:allowedAccountIds": undefined });
        expect(message).to.include("aws:allowedAccountIds: (not set) is missing");
        expect(message).to.include(`pulumi config set --stack staging 'aws:allowedAccountIds' '["333333333333"]'`);
    });

    it("refuses aws:allowedAccountIds that names another stage's account (prod config with staging credentials)", async () => {
        const message = await refused("prod", { "aws:allowedAccountIds": `["333333333333"]` });
        expect(message).to.include(`aws:allowedAccountIds: ["333333333333"] must be exactly ["222222222222"]`);
    });

    it("refuses aws:allowedAccountIds that lists more than this stage's account", async () => {
        const message = await refused("prod", { "aws:allowedAccountIds": `["222222222222","333333333333"]` });
        expect(message).to.include(`must be exactly ["222222222222"]`);
    });

    it("refuses an account id that is not 12 digits, and a bare number that lost its leading zero", async () => {
        const message = await refused("prod", { "refarch:accounts": withAccounts({ dev: "5555" }).replace(`"testing":"666666666666"`, `"testing":66666666666`) });
        expect(message).to.include(`refarch:accounts.dev: "5555" is not a 12-digit AWS account id`);
        expect(message).to.include("refarch:accounts.testing: 66666666666 is not a 12-digit AWS account id (quote it");
        expect(message).to.include("edit refarch:accounts.dev under config: in Pulumi.yaml");
    });

    it("refuses two stages sharing one account", async () => {
        const message = await refused("prod", { "refarch:accounts": withAccounts({ dev: "333333333333" }) });
        expect(message).to.include(`refarch:accounts.dev: "333333333333" is also the account of stage "staging"`);
    });

    it("refuses accounts without a root stage", async () => {
        const { root: _root, ...withoutRoot } = accounts;
        const message = await refused("prod", { "refarch:accounts": JSON.stringify(withoutRoot) });
        expect(message).to.include("has no root stage");
    });

    for (const bad of ["Acme", "acme_co", "-acme", "acme-", "xn--acme", ""]) {
        it(`refuses the namespace ${JSON.stringify(bad)}, which cannot form bucket and IAM names`, async () => {
            const message = await refused("dev", { "refarch:namespace": bad || undefined });
            expect(message).to.match(/refarch:namespace: .* cannot prefix S3 bucket and IAM names/);
        });
    }

    it("refuses a namespace that makes a bucket name longer than S3 allows", async () => {
        const message = await refused("audit", { "refarch:namespace": "a".repeat(50) });
        expect(message).to.include(`makes the bucket name "${"a".repeat(50)}-audit-cloudtrail" longer than S3's 63 characters`);
    });

    it("refuses a user in an unknown team", async () => {
        const message = await refused("root", { "refarch:users": JSON.stringify({ alice: ["platform"], dave: ["platfrom"] }) });
        expect(message).to.include(`refarch:users.dave: "platfrom" is not a team of refarch:teams (valid: platform, developers, auditors)`);
    });

    it("refuses a team granting an unknown stage or an unknown role", async () => {
        const teams = { developers: { access: { qa: "admin", dev: ["admin", "poweruser"] } } };
        const message = await refused("root", { "refarch:teams": JSON.stringify(teams), "refarch:users": "{}" });
        expect(message).to.include(`refarch:teams.developers.access.qa: "qa" is not a stage (valid: "*", root, prod, staging, audit, dev, testing)`);
        expect(message).to.include(`refarch:teams.developers.access.dev: "poweruser" is not a role of refarch:roles (valid: admin, readonly)`);
    });

    it("refuses root-only keys in another stage instead of ignoring them", async () => {
        const message = await refused("dev", { "refarch:teams": "{}" });
        expect(message).to.include(`refarch:teams: "(set)" is read only by the root stack`);
    });

    it("refuses an unknown refarch key, listing the real ones", async () => {
        const message = await refused("dev", { "refarch:protected": "true" });
        expect(message).to.include(`refarch:protected: unknown key (set to "true")`);
        expect(message).to.include("refarch:protect,");
    });

    it("refuses protect in testing, which must always destroy cleanly", async () => {
        const message = await refused("testing", { "refarch:protect": "true" });
        expect(message).to.include("refarch:protect: true cannot be true in testing");
    });

    it("refuses bad role settings", async () => {
        const roles = { admin: { policyArns: ["AdministratorAccess"], maxSessionDuration: 60, requireMfa: "yes", mfa: true } };
        const message = await refused("dev", { "refarch:roles": JSON.stringify(roles) });
        expect(message).to.include(`refarch:roles.admin.mfa: true is not a role setting`);
        expect(message).to.include(`refarch:roles.admin.policyArns: "AdministratorAccess" is not an IAM managed policy ARN`);
        expect(message).to.include(`refarch:roles.admin.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200`);
        expect(message).to.include(`refarch:roles.admin.requireMfa: "yes" must be true or false`);
    });

    it("refuses a retention where logs expire before they are archived", async () => {
        const message = await refused("audit", { "refarch:cloudtrailLogs": JSON.stringify({ glacierAfterDays: 400, expireAfterDays: 365 }) });
        expect(message).to.include("refarch:cloudtrailLogs.expireAfterDays: 365 must be later than glacierAfterDays (400)");
    });

    it("reports every problem at once, numbered", async () => {
        const message = await refused("prod", { "refarch:namespace": "ACME", "aws:allowedAccountIds": undefined, "aws:region": "moon-1" });
        expect(message).to.match(/^Config of stack "prod" \(Pulumi\.yaml \+ Pulumi\.prod\.yaml\) has 3 problems; nothing was created:/);
        expect(message).to.match(/ {2}1\. refarch:namespace/);
        expect(message).to.match(/ {2}2\. aws:allowedAccountIds/);
        expect(message).to.match(/ {2}3\. aws:region: "moon-1" is not an AWS region/);
    });
});

describe("config defaults", () => {
    const base = { organization: "o", project: "refarch", stack: "dev", values: stackConfig(project, "dev") };

    it("defaults roles to admin and readonly with MFA and one-hour sessions", () => {
        const { "refarch:roles": _roles, ...values } = base.values;
        const config = validateConfig({ ...base, values });
        expect(config.roles).to.deep.equal({
            admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], maxSessionDuration: 3600, requireMfa: true },
            readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], maxSessionDuration: 3600, requireMfa: true },
        });
    });

    it("protects root, prod and audit by default and nothing else", () => {
        for (const [stack, protect] of Object.entries({ root: true, prod: true, audit: true, staging: false, dev: false, testing: false })) {
            expect(validateConfig({ ...base, stack, values: stackConfig(project, stack) }).protect, stack).to.equal(protect);
        }
    });

    it("takes the stage from refarch:stage over the stack name, and names a review stack's resources after the stack", () => {
        const config = validateConfig({ ...base, stack: "pr-42", values: { ...stackConfig(project, "testing"), "refarch:stage": "testing" } });
        expect(config.stage).to.equal("testing");
        expect(config.namePrefix).to.equal("acme-pr-42");
    });

    it("expands a \"*\" grant to every stage", () => {
        const config = validateConfig({ ...base, stack: "root", values: stackConfig(project, "root") });
        expect(config.teams.platform.map((g) => g.stage)).to.deep.equal(["root", "prod", "staging", "audit", "dev", "testing"]);
    });
});
