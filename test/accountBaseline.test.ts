// Every account gets the baseline: alias, password policy, EBS encryption by default, the S3 account
// public access block and an Access Analyzer; each part can be switched off; a budget when asked for.
import { expect } from "chai";
import { evaluateStack } from "../src/offline/engine";
import { meeting, NEEDS, ofType, org as underTest, program, required, single, TESTING } from "./harness";

// The organization under test, or a variant of it with a testing stage (review stacks) and the password policy on somewhere.
const org = meeting([NEEDS.testing, NEEDS.passwordPolicy], underTest);

const PARTS = {
    accountAlias: "aws:iam/accountAlias:AccountAlias",
    passwordPolicy: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    ebsEncryption: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    s3PublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    accessAnalyzer: "aws:accessanalyzer/analyzer:Analyzer",
};
type Part = keyof typeof PARTS;
const BUDGET = "aws:budgets/budget:Budget";

interface Baseline extends Partial<Record<Part, boolean>> {
    budget?: { amount: number; email: string };
}
/** A stack's refarch:baseline as written; every part is on unless set to false. */
const baselineOf = (stack: string): Baseline => org.value<Baseline>(stack, "refarch:baseline") ?? {};
const partsOn = (stack: string): Part[] => (Object.keys(PARTS) as Part[]).filter((part) => baselineOf(stack)[part] !== false);
const withBaseline = (stack: string, change: Baseline) => org.evaluateWith(stack, { "refarch:baseline": JSON.stringify({ ...baselineOf(stack), ...change }) });

describe("account baseline", () => {
    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s))) {
        it(`${stack}: gets the parts of the baseline its config leaves on, parented to the baseline component, and a budget only if set`, async () => {
            const evaluation = await org.evaluation(stack);
            const component = single(evaluation, "refarch:baseline:AccountBaseline");
            for (const part of Object.keys(PARTS) as Part[]) {
                const found = ofType(evaluation, PARTS[part]);
                expect(found.map((r) => r.parent), part).to.deep.equal(partsOn(stack).includes(part) ? [component.urn] : []);
            }
            expect(ofType(evaluation, BUDGET)).to.have.length(baselineOf(stack).budget ? 1 : 0);
            const alias = `${org.namespace}-${org.stageOf(stack)}`;
            const analyzer = `${org.namePrefix(stack)}-access-analyzer`;
            if (partsOn(stack).includes("accountAlias")) {
                expect(single(evaluation, PARTS.accountAlias).inputs.accountAlias).to.equal(alias);
                expect(evaluation.outputs.accountAlias).to.equal(alias);
            }
            if (partsOn(stack).includes("accessAnalyzer")) {
                expect(single(evaluation, PARTS.accessAnalyzer).inputs).to.deep.equal({ analyzerName: analyzer, type: "ACCOUNT" });
                expect(evaluation.outputs.accessAnalyzerArn).to.equal(`arn:${org.partitionOf(stack)}:access-analyzer:${org.regionOf(stack)}:${org.accountOf(stack)}:analyzer/${analyzer}`);
            }
        });
    }

    it("with refarch:baseline unset, or a switch left out, every part is on", async () => {
        const stack = org.trialStack;
        for (const baseline of [undefined, JSON.stringify({ budget: { amount: 100, email: "finance@example.com" } })]) {
            const evaluation = await org.evaluateWith(stack, { "refarch:baseline": baseline });
            expect(evaluation.error).to.equal(undefined);
            for (const [part, type] of Object.entries(PARTS)) expect(ofType(evaluation, type), `${part} with refarch:baseline ${baseline}`).to.have.length(1);
        }
    });

    for (const stack of org.stacksOfKind("organization")) {
        it(`${stack}: makes no baseline: root's stack holds the management account's, so no part of it is made twice`, async () => {
            const evaluation = await org.evaluation(stack);
            for (const type of ["refarch:baseline:AccountBaseline", ...Object.values(PARTS), BUDGET]) expect(ofType(evaluation, type), type).to.deep.equal([]);
        });
    }

    it("sets the password policy: 14+ characters of every class, the last 24 not reused, 90 days", async function () {
        const stack = required(org.stageStacks.find((s) => org.ownsAccount(s) && partsOn(s).includes("passwordPolicy")), "no stack keeps the password policy on");
        expect(single(await org.evaluation(stack), PARTS.passwordPolicy).inputs).to.deep.equal({
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
        const on = await withBaseline(org.trialStack, { ebsEncryption: true, s3PublicAccessBlock: true });
        expect(single(on, PARTS.ebsEncryption).inputs).to.deep.equal({ enabled: true });
        expect(single(on, PARTS.s3PublicAccessBlock).inputs).to.deep.equal({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    });

    for (const [part, type] of Object.entries(PARTS) as [Part, string][]) {
        it(`switching off ${part} removes exactly that part`, async () => {
            const stack = org.trialStack;
            const [on, off] = [await withBaseline(stack, { [part]: true }), await withBaseline(stack, { [part]: false })];
            expect(off.error).to.equal(undefined);
            const types = (e: typeof on) => e.resources.map((r) => r.type);
            expect(types(on)).to.include(type);
            expect(types(off)).to.not.include(type);
            expect(types(off)).to.have.members(types(on).filter((t) => t !== type));
            // A part switched off exports nothing, not even an undefined output, which Pulumi warns about on every run.
            const exported = { accountAlias: "accountAlias", accessAnalyzer: "accessAnalyzerArn" }[part as string];
            if (exported) {
                expect(Object.keys(on.outputs)).to.include(exported);
                expect(Object.keys(off.outputs)).not.to.include(exported);
            }
            expect(off.warnings).to.deep.equal([]);
        });
    }

    it("refuses a baseline, a budget, an amount and an address of the wrong shape, each with the value to set", async () => {
        const stack = org.trialStack;
        const refused = (baseline: unknown) => org.refused(stack, { "refarch:baseline": JSON.stringify(baseline) });
        const fix = `Fix: in Pulumi.${stack}.yaml, under config:`;
        expect(await refused("on")).to.include(
            `refarch:baseline: "on" must be a map of { accountAlias?, passwordPolicy?, ebsEncryption?, s3PublicAccessBlock?, accessAnalyzer?, budget? }. ${fix} set refarch:baseline: { accessAnalyzer: false }`,
        );
        expect(await refused({ budget: 500 })).to.include(
            `refarch:baseline.budget: 500 must be { amount, email }: a monthly limit in USD and the address to alert. ${fix} refarch:baseline: set budget: { amount: 500, email: finance@example.com }`,
        );
        const wrong = await refused({ budget: { amount: "500", email: "finance" } });
        expect(wrong).to.include(`refarch:baseline.budget.amount: "500" must be a positive number of US dollars per month. ${fix} refarch:baseline: budget: set amount: 500`);
        expect(wrong).to.include(`refarch:baseline.budget.email: "finance" must be an email address to send the budget alert to. ${fix} refarch:baseline: budget: set email: finance@example.com`);
        expect(await refused({ budget: { amount: -5, email: "finance@example.com" } })).to.include(
            `refarch:baseline.budget.amount: -5 must be a positive number of US dollars per month. ${fix} refarch:baseline: budget: set amount: 500`,
        );
    });

    it("with a budget, alerts the address when actual or forecast monthly cost passes the amount", async () => {
        const stack = org.trialStack;
        const evaluation = await withBaseline(stack, { budget: { amount: 250, email: "finance@example.com" } });
        expect(evaluation.error).to.equal(undefined);
        const budget = single(evaluation, BUDGET);
        const name = `${org.namePrefix(stack)}-monthly`;
        expect(budget.inputs).to.deep.include({ name, budgetType: "COST", limitAmount: "250.00", limitUnit: "USD", timeUnit: "MONTHLY" });
        const notifications = budget.inputs.notifications as Record<string, unknown>[];
        expect(notifications.map((n) => n.notificationType)).to.have.members(["ACTUAL", "FORECASTED"]);
        for (const n of notifications) {
            expect(n).to.deep.include({ comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["finance@example.com"] });
        }
        expect(evaluation.outputs.budgetName).to.equal(name);
    });

    it("a stack that borrows another stage's account leaves the account-wide baseline to that stage's own stack", async function () {
        const testing = required(org.has(TESTING) && TESTING, "no testing stage, the only one that hosts review stacks");
        // The testing config deployed as another stack (a review stack) into the testing account.
        const config = { ...org.config(testing), "refarch:stage": TESTING };
        const review = await evaluateStack(program, org.name, "pr-42", config, { deployedOutputs: await org.outputs() });
        expect(review.error).to.equal(undefined);
        for (const type of Object.values(PARTS)) expect(ofType(review, type), type).to.deep.equal([]);
        expect(ofType(review, "aws:iam/role:Role").map((r) => r.inputs.name)).to.have.members(org.roleNames.map((role) => `${org.namespace}-pr-42-${role}`));
    });

    it("refuses bad baseline settings, all at once", async () => {
        const stack = org.trialStack;
        const message = await org.refused(stack, {
            "refarch:baseline": JSON.stringify({ accessAnalyser: false, ebsEncryption: "no", budget: { amount: -5, email: "finance" } }),
        });
        expect(message).to.include(`refarch:baseline.accessAnalyser: false is not a setting of refarch:baseline (valid: accountAlias, passwordPolicy, ebsEncryption, s3PublicAccessBlock, accessAnalyzer, budget). Fix: in Pulumi.${stack}.yaml, under config: refarch:baseline: rename accessAnalyser to accessAnalyzer (or remove it)`);
        expect(message).to.include(`refarch:baseline.ebsEncryption: "no" must be true or false. Fix: in Pulumi.${stack}.yaml, under config: refarch:baseline: set ebsEncryption: false`);
        expect(message).to.include(`refarch:baseline.budget.amount: -5 must be a positive number of US dollars per month`);
        expect(message).to.include(`refarch:baseline.budget.email: "finance" must be an email address`);
    });

    it("refuses a budget without an address", async () => {
        const message = await org.refused(org.trialStack, { "refarch:baseline": JSON.stringify({ budget: { amount: 100 } }) });
        expect(message).to.include(`refarch:baseline.budget.email: (not set) must be an email address`);
    });
});
