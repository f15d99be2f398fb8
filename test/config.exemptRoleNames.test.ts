// No role of refarch:roles may be named like the role the guardrails exempt, `<namespace>-<stage>-deployer`; a look-alike
// such as `release-deployer` is accepted, as the SCPs exempt only the deployer's exact ARN and deny it like any role.
// Runs on test/configFixture.ts; the SCPs are the ones guardrailPolicies builds for its prod account, decided by the IAM simulator.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { DEFAULT_GUARDRAILS, FULL_AWS_ACCESS, guardrailPolicies } from "../src/policies";
import { decide } from "../src/security/simulator";
import { ACCOUNTS, problemsOf, raw, ROLES } from "./configFixture";

const ADMIN = ROLES.admin;
const namespace = raw("prod").values["refarch:namespace"];
const [firstStage] = Object.keys(ACCOUNTS);
const withRoles = (extra: Record<string, object>, changes: Record<string, unknown> = {}) => raw("prod", { "refarch:roles": { ...ROLES, ...extra }, ...changes });

/** Applies a "rename A to B (or remove it)" fix to refarch:roles, exactly as written. */
function applyRename(problem: string, roles: Record<string, object>): Record<string, object> {
    const [, from, to] = /Fix: in Pulumi\.yaml, under config: refarch:roles: value: rename (\S+) to (\S+) \(or remove it\)$/.exec(problem) ?? [];
    expect(from, problem).to.be.a("string");
    return Object.fromEntries(Object.entries(roles).map(([name, spec]) => [name === from ? to : name, spec]));
}

/** Whether a role of `name` in the prod account may stop the prod trail under the guardrails for the fixture's namespace. */
async function mayStopTrail(name: string): Promise<string> {
    const principal = `arn:aws:iam::${ACCOUNTS.prod}:role/${name}`;
    const account = { stage: "prod", accountId: ACCOUNTS.prod, auditAccountId: ACCOUNTS.audit, exempt: "deployer" as const };
    const policies = Object.values(guardrailPolicies({ partition: "aws", namespace }, account, DEFAULT_GUARDRAILS));
    return decide({
        principal,
        action: "cloudtrail:StopLogging",
        resource: `arn:aws:cloudtrail:eu-west-1:${ACCOUNTS.prod}:trail/${namespace}-prod-cloudtrail`,
        resourceAccount: ACCOUNTS.prod,
        context: { "aws:PrincipalArn": principal, "aws:RequestedRegion": "eu-west-1" },
        identityPolicies: [FULL_AWS_ACCESS],
        serviceControlPolicies: [{ target: "r-root", policies: [FULL_AWS_ACCESS, ...policies] }],
    });
}

describe("config: role names the guardrails exempt", () => {
    it("a look-alike role ending in -deployer is accepted, and the guardrails deny it what they deny any role: only the exact deployer is exempt", async () => {
        const config = validateConfig(withRoles({ "release-deployer": ADMIN }));
        expect(Object.keys(config.roles)).to.include("release-deployer");
        expect(await mayStopTrail(`${namespace}-prod-release-deployer`)).to.equal("ExplicitlyDenied");
        expect(await mayStopTrail(`${namespace}-prod-deployer`)).to.equal("Allowed");
    });

    it("with the deployer switched off, a role named deployer is refused too: it would be the exempt <namespace>-<stage>-deployer", () => {
        const off = { "refarch:deployer": { enabled: false } };
        const problems = problemsOf(withRoles({ deployer: ADMIN }, off));
        expect(problems).to.deep.equal([
            `Pulumi.yaml: refarch:roles.deployer: "deployer" makes roles named like "${namespace}-${firstStage}-deployer", which the guardrails (SCPs) exempt as a deployer's: only the deployers may be named so. Fix: in Pulumi.yaml, under config: refarch:roles: value: rename deployer to deploy (or remove it)`,
        ]);
        const renamed = applyRename(problems[0], { ...ROLES, deployer: ADMIN });
        expect(Object.keys(validateConfig(raw("prod", { "refarch:roles": renamed, ...off })).roles)).to.deep.equal(["admin", "readonly", "deploy"]);
    });

    it("the rename suggested is free: not another role's name, and not exempt itself", () => {
        const off = { "refarch:deployer": { enabled: false } };
        const roles = { ...ROLES, deploy: ADMIN, deployer: ADMIN };
        const [problem] = problemsOf(raw("prod", { "refarch:roles": roles, ...off }));
        expect(problem).to.match(/rename deployer to deploy-admin \(or remove it\)$/);
        expect(() => validateConfig(raw("prod", { "refarch:roles": applyRename(problem, roles), ...off }))).not.to.throw();
    });

    it("names that only look alike are accepted: the SCPs do not exempt them", async () => {
        const alike = ["deployers", "redeployer", "deployer-admin", "release-deployer", "release-deployer-x"];
        const config = validateConfig(withRoles(Object.fromEntries(alike.map((r) => [r, ADMIN]))));
        expect(Object.keys(config.roles)).to.include.members(alike);
        for (const role of alike) expect(await mayStopTrail(`${namespace}-prod-${role}`), role).to.equal("ExplicitlyDenied");
    });

    it("the rule follows the SCPs: each name it refuses would be exempt from them, and its suggested rename would not", async () => {
        for (const [role, changes] of [["deployer", { "refarch:deployer": { enabled: false } }]] as const) {
            const roles = { ...ROLES, [role]: ADMIN };
            const [problem] = problemsOf(raw("prod", { "refarch:roles": roles, ...changes }));
            const renamed = Object.keys(applyRename(problem, roles)).find((r) => !(r in ROLES))!;
            expect(await mayStopTrail(`${namespace}-prod-${role}`), role).to.equal("Allowed");
            expect(await mayStopTrail(`${namespace}-prod-${renamed}`), renamed).to.equal("ExplicitlyDenied");
        }
    });
});
