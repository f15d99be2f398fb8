// Every account gets the baseline: alias, password policy, EBS encryption by default, the S3 account
// public access block and an Access Analyzer; each part can be switched off; a budget when asked for.
import { expect } from "chai";
import { evaluateStack, stackConfig } from "../src/offline/engine";
import { configValue, evaluateWith, ofType, program, project, refused, SHIPPED_STACKS, shippedOutputs, shippedStack, single } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
const PARTS = {
    accountAlias: "aws:iam/accountAlias:AccountAlias",
    passwordPolicy: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    ebsEncryption: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    s3PublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    accessAnalyzer: "aws:accessanalyzer/analyzer:Analyzer",
};
const BUDGET = "aws:budgets/budget:Budget";

describe("account baseline", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: gets every part of the baseline, parented to the baseline component, and no budget`, async () => {
            const evaluation = await shippedStack(stack);
            const component = single(evaluation, "refarch:baseline:AccountBaseline");
            for (const type of Object.values(PARTS)) expect(single(evaluation, type).parent, type).to.equal(component.urn);
            expect(single(evaluation, PARTS.accountAlias).inputs.accountAlias).to.equal(`acme-${stack}`);
            expect(single(evaluation, PARTS.accessAnalyzer).inputs).to.deep.equal({ analyzerName: `acme-${stack}-access-analyzer`, type: "ACCOUNT" });
            expect(ofType(evaluation, BUDGET)).to.deep.equal([]);
            expect(evaluation.outputs.accountAlias).to.equal(`acme-${stack}`);
            expect(evaluation.outputs.accessAnalyzerArn).to.equal(`arn:aws:access-analyzer:us-east-1:${accounts[stack]}:analyzer/acme-${stack}-access-analyzer`);
        });
    }

    it("sets the password policy: 14+ characters of every class, the last 24 not reused, 90 days", async () => {
        const policy = single(await shippedStack("prod"), PARTS.passwordPolicy);
        expect(policy.inputs).to.deep.equal({
            minimumPasswordLength: 14,
            requireLowercaseCharacters: true,
            requireUppercaseCharacters: true,
            requireNumbers: true,
            requireSymbols: true,
            allowUsersToChangePassword: true,
            passwordReusePrevention: 24,
            maxPasswordAge: 90,
        });
    });

    it("turns on EBS encryption by default and all four S3 account public access settings", async () => {
        const prod = await shippedStack("prod");
        expect(single(prod, PARTS.ebsEncryption).inputs).to.deep.equal({ enabled: true });
        expect(single(prod, PARTS.s3PublicAccessBlock).inputs).to.deep.equal({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    });

    for (const [part, type] of Object.entries(PARTS)) {
        it(`switching off ${part} removes exactly that part`, async () => {
            const shipped = await shippedStack("staging");
            const changed = await evaluateWith("staging", { "refarch:baseline": JSON.stringify({ [part]: false }) });
            expect(changed.error).to.equal(undefined);
            const types = (e: typeof shipped) => e.resources.map((r) => r.type);
            expect(types(changed)).to.not.include(type);
            expect(types(changed)).to.have.members(types(shipped).filter((t) => t !== type));
        });
    }

    it("with a budget, alerts the address when actual or forecast monthly cost passes the amount", async () => {
        const dev = await evaluateWith("dev", { "refarch:baseline": JSON.stringify({ budget: { amount: 250, email: "finance@example.com" } }) });
        expect(dev.error).to.equal(undefined);
        const budget = single(dev, BUDGET);
        expect(budget.inputs).to.deep.include({ name: "acme-dev-monthly", budgetType: "COST", limitAmount: "250.00", limitUnit: "USD", timeUnit: "MONTHLY" });
        const notifications = budget.inputs.notifications as Record<string, unknown>[];
        expect(notifications.map((n) => n.notificationType)).to.have.members(["ACTUAL", "FORECASTED"]);
        for (const n of notifications) {
            expect(n).to.deep.include({ comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["finance@example.com"] });
        }
        expect(dev.outputs.budgetName).to.equal("acme-dev-monthly");
    });

    it("a stack that borrows another stage's account leaves the account-wide baseline to that stage's own stack", async () => {
        // The testing config deployed as another stack (a review stack) into the testing account.
        const review = await evaluateStack(program, project.name, "pr-42", stackConfig(project, "testing"), { deployedOutputs: await shippedOutputs() });
        expect(review.error).to.equal(undefined);
        for (const type of Object.values(PARTS)) expect(ofType(review, type), type).to.deep.equal([]);
        expect(ofType(review, "aws:iam/role:Role")).to.have.length(2);
    });

    it("refuses bad baseline settings, all at once", async () => {
        const message = await refused("dev", {
            "refarch:baseline": JSON.stringify({ accessAnalyser: false, ebsEncryption: "no", budget: { amount: -5, email: "finance" } }),
        });
        expect(message).to.include(`refarch:baseline.accessAnalyser: false is not a setting of refarch:baseline (valid: accountAlias, passwordPolicy, ebsEncryption, s3PublicAccessBlock, accessAnalyzer, budget). Fix: in Pulumi.dev.yaml, under config: refarch:baseline: rename accessAnalyser to accessAnalyzer (or remove it)`);
        expect(message).to.include(`refarch:baseline.ebsEncryption: "no" must be true or false. Fix: in Pulumi.dev.yaml, under config: refarch:baseline: set ebsEncryption: false`);
        expect(message).to.include(`refarch:baseline.budget.amount: -5 must be a positive number of US dollars per month`);
        expect(message).to.include(`refarch:baseline.budget.email: "finance" must be an email address`);
    });

    it("refuses a budget without an address", async () => {
        const message = await refused("dev", { "refarch:baseline": JSON.stringify({ budget: { amount: 100 } }) });
        expect(message).to.include(`refarch:baseline.budget.email: (not set) must be an email address`);
    });
});
