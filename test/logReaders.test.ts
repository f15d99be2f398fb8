// The logs reader: a role that exists only in the audit account, `<namespace>-audit-logs-reader`, granted to teams
// in refarch:teams as `audit: logs-reader` like any role; refused anywhere else, and as a name in refarch:roles.
// What the role may do is proved by the IAM simulator in test/security.logs.test.ts.
import { expect } from "chai";
import { LOGS_READER_ROLE } from "../src/policies";
import { AUDIT, ofType, org as underTest, policyDocument, ROOT, withStage } from "./harness";
import { mfaMaxAgeOf } from "./harness/rootUsers";

// The organization under test, or a variant of it with an audit stage added: the sink lives there.
const org = withStage(AUDIT, underTest);

const TEAM = "log-readers-under-test";

describe("logs reader", () => {
    it("exists in the audit stack only, and is exported in its roles output for root to grant", async () => {
        for (const stack of org.stacks) {
            const evaluation = await org.evaluation(stack);
            const names = ofType(evaluation, "aws:iam/role:Role").map((r) => String(r.inputs.name));
            const isAudit = org.stageOf(stack) === AUDIT;
            expect(names.filter((n) => n.endsWith(`-${LOGS_READER_ROLE}`)), stack).to.deep.equal(isAudit ? [`${org.namespace}-${AUDIT}-${LOGS_READER_ROLE}`] : []);
            expect(Object.keys((evaluation.outputs.roles ?? {}) as object).includes(LOGS_READER_ROLE), stack).to.equal(isAudit);
        }
    });

    it("is granted to a team as audit: logs-reader: the team's policy in root assumes exactly the audit account's reader, with MFA", async function () {
        const root = await org.evaluateWith(ROOT, { "refarch:teams": JSON.stringify({ ...org.teams, [TEAM]: { access: { [AUDIT]: LOGS_READER_ROLE } } }) });
        expect(root.error).to.equal(undefined);
        const group = `${org.namePrefix(ROOT)}-${TEAM}`;
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.group === group).map((a) => String(a.inputs.policyArn));
        const teamPolicies = ofType(root, "aws:iam/policy:Policy").filter((p) => attached.includes(String(p.state.arn)));
        const assumes = teamPolicies.flatMap((p) => policyDocument(p).Statement).filter((s) => [s.Action].flat().includes("sts:AssumeRole"));
        expect(assumes.map((s) => s.Condition)).to.deep.equal([{ Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": String(mfaMaxAgeOf(org)) } }]);
        const assumable = assumes.flatMap((s) => [s.Resource ?? []].flat());
        expect(assumable).to.deep.equal([`arn:${org.partitionOf(ROOT)}:iam::${org.accountOf(AUDIT)}:role/${org.namespace}-${AUDIT}-${LOGS_READER_ROLE}`]);
    });

    it("is refused for any stage but audit, and for every stage at once, naming the fix", async function () {
        const other = org.stages.find((s) => s !== AUDIT)!;
        const message = await org.refused(ROOT, { "refarch:teams": JSON.stringify({ ...org.teams, [TEAM]: { access: { [other]: LOGS_READER_ROLE, "*": [LOGS_READER_ROLE] } } }) });
        const fix = (target: string) => `Fix: in Pulumi.root.yaml, under config: refarch:teams: ${TEAM}: access:, grant ${LOGS_READER_ROLE} under ${AUDIT}: instead of ${target}:`;
        expect(message).to.include(`Pulumi.root.yaml: refarch:teams.${TEAM}.access.${other}: "${LOGS_READER_ROLE}" exists only in the ${AUDIT} account, where the CloudTrail logs are. ${fix(other)}`);
        expect(message).to.include(`Pulumi.root.yaml: refarch:teams.${TEAM}.access.*: "${LOGS_READER_ROLE}" exists only in the ${AUDIT} account, where the CloudTrail logs are. ${fix("*")}`);
    });

    it("is refused in an organization without an audit account", async () => {
        const { [AUDIT]: _audit, ...withoutAudit } = org.accounts;
        const other = Object.keys(withoutAudit).find((s) => s !== ROOT) ?? ROOT;
        const message = await org.refused(ROOT, {
            "refarch:accounts": JSON.stringify(withoutAudit),
            "refarch:teams": JSON.stringify({ [TEAM]: { access: { [other]: LOGS_READER_ROLE } } }),
            "refarch:users": "{}",
        });
        expect(message).to.include(`refarch:teams.${TEAM}.access.${other}: "${LOGS_READER_ROLE}" is the ${AUDIT} account's role for reading the CloudTrail logs, and refarch:accounts has no ${AUDIT} stage`);
    });

    it("is a reserved name in refarch:roles", async () => {
        const message = await org.refused(org.trialStack, { "refarch:roles": JSON.stringify({ ...org.roles, [LOGS_READER_ROLE]: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } }) });
        expect(message).to.include(`Pulumi.yaml: refarch:roles.${LOGS_READER_ROLE}: "${LOGS_READER_ROLE}" has the name of the audit account's built-in role for reading the CloudTrail logs`);
    });
});
