// refarch:mfaMaxAgeSeconds: the age limit a project sets reaches every role trust and team policy, and AWS's evaluator
// holds sessions to it; a bad value is refused with a fix that, applied as written, is accepted.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { asList, PolicyDocument } from "../src/policies";
import { assumeRole, mayTrustAnIamUser, rolesOf, rootUserPolicies } from "../src/security/access";
import { org, ROOT } from "./harness";
import { EVERYTHING, partition, rootAccount, userArn, users } from "./harness/rootUsers";
import { problemsOf, raw } from "./configFixture";

const KEY = "refarch:mfaMaxAgeSeconds";
const LIMIT = 900;
const mfaSession = (ageSeconds: number) => ({ "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": String(ageSeconds) });
const TRUSTING_ROOT: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${rootAccount}:root` }, Action: "sts:AssumeRole" }] };
/** Every aws:MultiFactorAuthAge limit a document states. */
const ageLimits = (document: PolicyDocument): string[] =>
    asList(document.Statement).flatMap((s) => {
        const limit = (s.Condition as Record<string, Record<string, string>> | undefined)?.NumericLessThan?.["aws:MultiFactorAuthAge"];
        return limit === undefined ? [] : [limit];
    });

describe(`config: ${KEY}`, () => {
    it("defaults to 3600 and accepts a whole number of seconds from 900 to 43200", () => {
        expect(validateConfig(raw("prod", {})).mfaMaxAgeSeconds).to.equal(3600);
        for (const seconds of [900, 43200]) expect(validateConfig(raw("prod", { [KEY]: seconds })).mfaMaxAgeSeconds).to.equal(seconds);
    });

    it("refuses anything else, naming the file, key and value, with a fix that is accepted as written", () => {
        for (const bad of [899, 43201, 1800.5, "an hour"]) {
            const problems = problemsOf(raw("prod", { [KEY]: bad }));
            expect(problems).to.deep.equal([`Pulumi.yaml: ${KEY}: ${JSON.stringify(bad)} must be a whole number of seconds from 900 to 43200. Fix: in Pulumi.yaml, under config: ${KEY}: set value: 3600`]);
            const fixed = Number(/set value: (\d+)$/.exec(problems[0])![1]);
            expect(validateConfig(raw("prod", { [KEY]: fixed })).mfaMaxAgeSeconds).to.equal(fixed);
        }
    });
});

describe(`security: a project with ${KEY} ${LIMIT}, as AWS would decide it`, () => {
    // One at a time: the mock runtime is process-wide, so stacks evaluated together would mix their resources.
    const evaluated = async () => {
        const evaluations = [];
        for (const stack of org.stacks) evaluations.push(await org.evaluateWith(stack, { [KEY]: String(LIMIT) }));
        return evaluations;
    };

    it(`every role trust a root user may assume, and every team policy, requires MFA less than ${LIMIT} s old`, async () => {
        const evaluations = await evaluated();
        for (const e of evaluations) expect(e.error, e.stack).to.equal(undefined);
        const roles = rolesOf(evaluations).filter(mayTrustAnIamUser);
        const requiringMfa = roles.filter((role) => ageLimits(role.trust).length > 0);
        expect(requiringMfa.length, "no role's trust requires MFA").to.be.greaterThan(0);
        for (const role of requiringMfa) {
            expect(ageLimits(role.trust), role.arn).to.deep.equal([String(LIMIT)]);
            expect(await assumeRole(userArn("anyone-in-root"), [EVERYTHING], role, mfaSession(LIMIT - 1)), `${role.arn} at ${LIMIT - 1} s`).to.equal("Allowed");
            expect(await assumeRole(userArn("anyone-in-root"), [EVERYTHING], role, mfaSession(LIMIT + 1)), `${role.arn} at ${LIMIT + 1} s`).not.to.equal("Allowed");
        }

        const root = evaluations[org.stacks.indexOf(ROOT)];
        const policies = rootUserPolicies(root);
        const teamLimits = users.flatMap((user) => (policies.get(user) ?? []).flatMap(ageLimits));
        expect(teamLimits.length, "no team policy limits the MFA age").to.be.greaterThan(0);
        expect([...new Set(teamLimits)]).to.deep.equal([String(LIMIT)]);
        for (const user of users) {
            const granted = roles.filter((role) => org.grantsOf(user).includes(`${role.stage}/${role.role}`));
            const own = policies.get(user) ?? [];
            for (const role of granted.map((r) => ({ ...r, trust: TRUSTING_ROOT }))) {
                expect(await assumeRole(userArn(user), own, role, { ...mfaSession(LIMIT - 1), "aws:username": user }), `${user} -> ${role.arn}`).to.equal("Allowed");
                expect(await assumeRole(userArn(user), own, role, { ...mfaSession(LIMIT + 1), "aws:username": user }), `${user} -> ${role.arn}, stale`).not.to.equal("Allowed");
            }
        }
    });
});
