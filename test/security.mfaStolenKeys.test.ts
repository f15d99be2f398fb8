// MFA that a stolen access key cannot add, and MFA that goes stale, proved by the IAM policy evaluator over the
// policies in the plan of the organization under test: long-term access keys (no MFA key in the request at all) never
// create or enable an MFA device, so a thief cannot add a device of their own and then call sts:GetSessionToken with it
// (which no policy can limit); a console sign-in without MFA (the key present, false) still enrols a device named after
// the user; and no role is assumed with an MFA sign-in older than the limit, by the team policy nor by the role's trust.
import { expect } from "chai";
import { assumeRolesPolicy, PolicyDocument, roleTrustPolicy } from "../src/policies";
import { assumeRole, mayTrustAnIamUser, rolesOf, SimulatedRole } from "../src/security/access";
import { decide } from "../src/security/simulator";
import { org, ROOT } from "./harness";
import { CONSOLE_WITHOUT_MFA, EVERYTHING, iamRequest, mfaArn, mfaMaxAgeOf, partition, policiesOf, rootAccount, userArn, users } from "./harness/rootUsers";

/** Another user of the organization whose device name `user` might squat, or a name no user has if there is one user. */
const otherThan = (user: string) => users.find((u) => u !== user) ?? `${user}-other`;

/** The age limit the organization under test sets (refarch:mfaMaxAgeSeconds, project-wide), or the program's default. */
const MAX_AGE = mfaMaxAgeOf();
/** Requests signed with a user's long-term access keys carry no MFA key at all. */
const ACCESS_KEYS: Record<string, string> = {};
const mfaSession = (ageSeconds: number) => ({ "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": String(ageSeconds) });
const WITHIN_LIMIT = mfaSession(MAX_AGE - 1);
const OLDER_THAN_LIMIT = mfaSession(MAX_AGE + 1);
/** A trust that admits any principal of root with no condition: only the team policy can refuse. */
const TRUSTING_ROOT: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${rootAccount}:root` }, Action: "sts:AssumeRole" }] };



/** The roles a root user could ever be trusted by: refarch:roles in every stage, and audit's logs reader. */
const humanRoles = async () => rolesOf([...(await org.evaluations()).values()]).filter(mayTrustAnIamUser);
const roleKey = (role: SimulatedRole) => `${role.stage}/${role.role}`;
/** Whether the config asks the role's trust for MFA: refarch:roles' requireMfa, and always for roles it does not list (the logs reader). */
const trustRequiresMfa = (role: SimulatedRole) => org.roles[role.role]?.requireMfa !== false;

describe("security: MFA a stolen access key cannot add, and MFA that goes stale, as AWS would decide it", () => {
    expect(users.length, "refarch:users in Pulumi.root.yaml lists no user to prove this for").to.be.greaterThan(0);

    // @cloud-copilot/iam-simulate ignores condition keys it does not know; these probes fail if it ignored either
    // condition the policies rely on: the same request is decided both ways by the key alone.
    it("the simulator evaluates Null on aws:MultiFactorAuthPresent and NumericLessThan on aws:MultiFactorAuthAge", async () => {
        const user = "probe";
        const create = { Effect: "Allow" as const, Action: "iam:CreateVirtualMFADevice", Resource: "*" };
        const denyWithoutKey = { Effect: "Deny" as const, Action: "iam:CreateVirtualMFADevice", Resource: "*", Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } } };
        const nullProbe: PolicyDocument[] = [{ Version: "2012-10-17", Statement: [create, denyWithoutKey] }];
        expect(await iamRequest(user, nullProbe, "iam:CreateVirtualMFADevice", mfaArn(user), ACCESS_KEYS)).to.equal("ExplicitlyDenied");
        expect(await iamRequest(user, nullProbe, "iam:CreateVirtualMFADevice", mfaArn(user), CONSOLE_WITHOUT_MFA)).to.equal("Allowed");

        const role = `arn:${partition}:iam::${rootAccount}:role/mfa-age-probe`;
        const ageProbe = (context: Record<string, string>) =>
            decide({
                principal: userArn(user),
                action: "sts:AssumeRole",
                resource: role,
                resourceAccount: rootAccount,
                context,
                identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role, Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "100" } } }] }],
                resourcePolicy: TRUSTING_ROOT,
            });
        expect(await ageProbe(mfaSession(99))).to.equal("Allowed");
        expect(await ageProbe(mfaSession(100))).to.equal("ImplicitlyDenied");
        expect(await ageProbe(CONSOLE_WITHOUT_MFA), "no age at all").to.equal("ImplicitlyDenied");
    });

    it("the builders enforce the limit they are given (what refarch:mfaMaxAgeSeconds passes), and refuse one that is not a positive whole number of seconds", async () => {
        const limit = 900;
        const role: SimulatedRole = { stage: ROOT, role: "limit-probe", arn: `arn:${partition}:iam::${rootAccount}:role/limit-probe`, accountId: rootAccount, trust: roleTrustPolicy(partition, rootAccount, true, limit) };
        const teamPolicy = assumeRolesPolicy([role.arn], limit);
        expect(await assumeRole(userArn("probe"), [teamPolicy], role, mfaSession(limit - 1))).to.equal("Allowed");
        expect(await assumeRole(userArn("probe"), [teamPolicy], role, mfaSession(limit))).not.to.equal("Allowed");
        expect(await assumeRole(userArn("probe"), [EVERYTHING], role, mfaSession(limit)), "the trust alone").not.to.equal("Allowed");
        expect(await assumeRole(userArn("probe"), [teamPolicy], { ...role, trust: TRUSTING_ROOT }, mfaSession(limit)), "the team policy alone").not.to.equal("Allowed");
        for (const bad of [0, -60, 1.5, Number.NaN]) {
            expect(() => roleTrustPolicy(partition, rootAccount, true, bad), String(bad)).to.throw(`an MFA age limit is a whole number of seconds above 0, not ${bad}`);
            expect(() => assumeRolesPolicy([role.arn], bad), String(bad)).to.throw(`an MFA age limit is a whole number of seconds above 0, not ${bad}`);
        }
    });

    for (const user of users) {
        describe(user, () => {
            it("with access keys alone, cannot create a virtual MFA device of any name nor enable one, even with a team granting everything", async () => {
                const policies = [...(await policiesOf(user)), EVERYTHING];
                const adding: [string, string][] = [
                    ["iam:CreateVirtualMFADevice", mfaArn(user)],
                    ["iam:CreateVirtualMFADevice", mfaArn(otherThan(user))],
                    ["iam:CreateVirtualMFADevice", mfaArn(`${user}-thief`)],
                    ["iam:EnableMFADevice", userArn(user)],
                ];
                for (const [action, resource] of adding) {
                    expect(await iamRequest(user, policies, action, resource, ACCESS_KEYS), `${action} on ${resource}`).to.equal("ExplicitlyDenied");
                }
            });

            it("from a console sign-in without MFA, creates a device named after itself and enables it on itself, and no device named otherwise", async () => {
                const policies = await policiesOf(user);
                expect(await iamRequest(user, policies, "iam:CreateVirtualMFADevice", mfaArn(user), CONSOLE_WITHOUT_MFA)).to.equal("Allowed");
                expect(await iamRequest(user, policies, "iam:EnableMFADevice", userArn(user), CONSOLE_WITHOUT_MFA)).to.equal("Allowed");
                for (const device of [otherThan(user), `${user}-thief`]) {
                    expect(await iamRequest(user, policies, "iam:CreateVirtualMFADevice", mfaArn(device), CONSOLE_WITHOUT_MFA), device).not.to.equal("Allowed");
                    expect(await iamRequest(user, policies, "iam:CreateVirtualMFADevice", mfaArn(device), WITHIN_LIMIT), `${device} with MFA`).not.to.equal("Allowed");
                }
            });

            it(`assumes exactly the granted roles with an MFA sign-in less than ${MAX_AGE} s old, and none with an older one`, async () => {
                const policies = await policiesOf(user);
                const allowed: string[] = [];
                const allowedWhenStale: string[] = [];
                for (const role of await humanRoles()) {
                    if ((await assumeRole(userArn(user), policies, role, { ...WITHIN_LIMIT, "aws:username": user })) === "Allowed") allowed.push(roleKey(role));
                    if ((await assumeRole(userArn(user), policies, role, { ...OLDER_THAN_LIMIT, "aws:username": user })) === "Allowed") allowedWhenStale.push(roleKey(role));
                }
                expect(allowed.sort()).to.deep.equal(org.grantsOf(user));
                expect(allowedWhenStale).to.deep.equal([]);
            });

            it("its team policies alone refuse an MFA sign-in older than the limit, whatever a role's trust allows", async () => {
                const policies = await policiesOf(user);
                const granted = (await humanRoles()).filter((role) => org.grantsOf(user).includes(roleKey(role)));
                expect(granted.map(roleKey).sort()).to.deep.equal(org.grantsOf(user));
                for (const role of granted.map((r) => ({ ...r, trust: TRUSTING_ROOT }))) {
                    expect(await assumeRole(userArn(user), policies, role, { ...WITHIN_LIMIT, "aws:username": user }), roleKey(role)).to.equal("Allowed");
                    expect(await assumeRole(userArn(user), policies, role, { ...OLDER_THAN_LIMIT, "aws:username": user }), `${roleKey(role)}, stale`).not.to.equal("Allowed");
                }
            });
        });
    }

    it("each role's trust alone refuses an MFA sign-in older than the limit where it requires MFA, even from a root principal allowed everything", async () => {
        const principal = userArn("anyone-in-root");
        const roles = await humanRoles();
        expect(roles.length).to.be.greaterThan(0);
        for (const role of roles) {
            expect(await assumeRole(principal, [EVERYTHING], role, WITHIN_LIMIT), roleKey(role)).to.equal("Allowed");
            const stale = await assumeRole(principal, [EVERYTHING], role, OLDER_THAN_LIMIT);
            expect(stale === "Allowed", `${roleKey(role)}, stale: ${stale}`).to.equal(!trustRequiresMfa(role));
        }
    });
});
