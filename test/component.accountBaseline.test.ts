// The AccountBaseline component alone: each switch defaults to whether the stack owns the account.
import { expect } from "chai";
import { AccountBaseline } from "../src/components/accountBaseline";
import { BASELINE_SWITCHES } from "../src/config";
import { buildAlone, only } from "./componentHarness";

const PARTS: Record<(typeof BASELINE_SWITCHES)[number], string> = {
    accountAlias: "aws:iam/accountAlias:AccountAlias",
    passwordPolicy: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    ebsEncryption: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    s3PublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    accessAnalyzer: "aws:accessanalyzer/analyzer:Analyzer",
};
const customTypes = (resources: { type: string; custom: boolean }[]) => resources.filter((r) => r.custom).map((r) => r.type);

describe("AccountBaseline component, built alone", () => {
    it("in a stack that owns its account, every part is on by default, and a switch set false leaves its part out", async () => {
        const all = await buildAlone(() => void new AccountBaseline("baseline", { namePrefix: "acme-dev", alias: "acme-dev" }));
        expect(customTypes(all.resources)).to.have.members(Object.values(PARTS));
        expect(only(all, PARTS.accountAlias).inputs.accountAlias).to.equal("acme-dev");
        for (const part of BASELINE_SWITCHES) {
            const without = await buildAlone(() => void new AccountBaseline("baseline", { namePrefix: "acme-dev", alias: "acme-dev", [part]: false }));
            expect(customTypes(without.resources), part).to.have.members(Object.values(PARTS).filter((type) => type !== PARTS[part]));
        }
    });

    it("in a stack that shares its account (ownsAccount false), every part is off unless switched on", async () => {
        const none = await buildAlone(() => void new AccountBaseline("baseline", { namePrefix: "acme-pr-1", alias: "acme-testing", ownsAccount: false }));
        expect(customTypes(none.resources)).to.deep.equal([]);
        const one = await buildAlone(() => void new AccountBaseline("baseline", { namePrefix: "acme-pr-1", alias: "acme-testing", ownsAccount: false, accessAnalyzer: true }));
        expect(customTypes(one.resources)).to.deep.equal([PARTS.accessAnalyzer]);
    });

    it("a budget alerts on actual and forecast spend, and the component registers the alias, analyzer and budget it made", async () => {
        const evaluation = await buildAlone(() => void new AccountBaseline("baseline", { namePrefix: "acme-dev", alias: "acme-dev", budget: { amount: 250, email: "finance@example.com" } }));
        const budget = only(evaluation, "aws:budgets/budget:Budget");
        expect(budget.inputs).to.deep.include({ name: "acme-dev-monthly", limitAmount: "250.00", limitUnit: "USD", timeUnit: "MONTHLY" });
        expect((budget.inputs.notifications as { notificationType: string; subscriberEmailAddresses: string[] }[]).map((n) => [n.notificationType, n.subscriberEmailAddresses])).to.deep.equal([
            ["ACTUAL", ["finance@example.com"]],
            ["FORECASTED", ["finance@example.com"]],
        ]);
        const component = only(evaluation, "refarch:baseline:AccountBaseline");
        expect(component.outputs).to.deep.equal({ accountAlias: "acme-dev", accessAnalyzerArn: only(evaluation, PARTS.accessAnalyzer).state.arn, budgetName: "acme-dev-monthly" });
    });
});
