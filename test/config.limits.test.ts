// Every limit the config enforces, at its exact boundary: the last value accepted and the first refused, with the
// problem a user reads. AWS's own limits (IAM's 64-character role names, 10 managed policies per group and 10 groups
// per user, S3's 20 KB bucket policies, KMS's 32 KB key policies) are refused before anything is created, so the
// boundary is also checked against what the program would create just inside it. Runs on the literal organization of
// test/configFixture.ts (and organizations generated from it), so the limits, not the shipped Pulumi.*.yaml, decide.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError, describeConfigErrors, RawConfig, validateConfig } from "../src/config";
import { evaluateStack, StackEvaluation } from "../src/offline/engine";
import { ACCOUNTS, problemsOf, raw, ROLES, TEAMS, USERS } from "./configFixture";
import { ofType, policyDocument, program } from "./harness";

const ADMIN = ROLES.admin;
const withRole = (spec: object) => ({ "refarch:roles": { ...ROLES, admin: { ...ADMIN, ...spec } } });

/** The smallest n in [low, high] for which `refused(n)`, given that refusal is monotone in n; fails if none is. */
function firstRefused(low: number, high: number, refused: (n: number) => boolean): number {
    expect(refused(high), `refused at ${high}`).to.equal(true);
    expect(refused(low), `accepted at ${low}`).to.equal(false);
    while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (refused(mid)) high = mid;
        else low = mid;
    }
    return high;
}

const isRefused = (config: RawConfig): boolean => {
    try {
        validateConfig(config);
        return false;
    } catch {
        return true;
    }
};

/** One stack of a literal organization, evaluated by the real program; fails if the evaluation failed. */
async function evaluated(config: RawConfig, deployedOutputs: Record<string, Record<string, unknown>> = {}): Promise<StackEvaluation> {
    const evaluation = await evaluateStack(program, config.project, config.stack, config.values, { deployedOutputs, organization: config.organization });
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}

describe("config limits: refarch:roles", () => {
    it("a session lasts 3,600 to 43,200 whole seconds: both ends accepted, one second (or half of one) past either refused", () => {
        for (const seconds of [3600, 43200]) expect(validateConfig(raw("prod", withRole({ maxSessionDuration: seconds }))).roles.admin.maxSessionDuration).to.equal(seconds);
        for (const seconds of [3599, 43201, 3600.5]) {
            expect(problemsOf(raw("prod", withRole({ maxSessionDuration: seconds })))).to.deep.equal([
                `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: ${seconds} must be a whole number of seconds from 3600 to 43200. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set maxSessionDuration: 3600`,
            ]);
        }
    });

    it("a role needs at least one managed policy, and the organization at least one role", () => {
        expect(problemsOf(raw("prod", withRole({ policyArns: [] })))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin.policyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:roles": {} }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles: {} must define at least one role. Fix: in Pulumi.yaml, under config: refarch:roles: set value: { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } }`,
        ]);
    });

    it("role names form IAM names, and none may take the name of a role every account already gets", () => {
        const roles = { ...ROLES, Admin: ADMIN, read_only: ADMIN, deployer: ADMIN, previewer: ADMIN, "logs-reader": ADMIN };
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.Admin: "Admin" is not a usable role name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename Admin to a name like admin`,
            `Pulumi.yaml: refarch:roles.read_only: "read_only" is not a usable role name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename read_only to a name like read-only`,
            `Pulumi.yaml: refarch:roles.deployer: "deployer" has the name of a deployment role every account gets (refarch:deployer). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename deployer to deploy-admin (or remove it)`,
            `Pulumi.yaml: refarch:roles.previewer: "previewer" has the name of a deployment role every account gets (refarch:deployer). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename previewer to preview-readonly (or remove it)`,
            `Pulumi.yaml: refarch:roles.logs-reader: "logs-reader" has the name of the audit account's built-in role for reading the CloudTrail logs (grant it to a team as audit: logs-reader). Fix: in Pulumi.yaml, under config: refarch:roles: value: rename logs-reader to logs-readonly (or remove it)`,
        ]);
        // With no deployment roles, their names are free.
        const config = validateConfig(raw("prod", { "refarch:roles": { ...ROLES, deployer: ADMIN, previewer: ADMIN }, "refarch:deployer": { enabled: false } }));
        expect(Object.keys(config.roles)).to.deep.equal(["admin", "readonly", "deployer", "previewer"]);
    });
});

describe("config limits: names AWS limits", () => {
    // The longest role name of this organization: "initrode-staging-<role>", 17 characters before the role's own name.
    it("a role name of 64 characters is accepted; 65 is refused, naming the name", () => {
        const role = (length: number) => ({ "refarch:roles": { ...ROLES, ["r".repeat(length)]: ADMIN } });
        expect(() => validateConfig(raw("prod", role(64 - 17)))).not.to.throw();
        const tooLong = `initrode-staging-${"r".repeat(48)}`;
        expect(problemsOf(raw("prod", role(48)))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.${"r".repeat(48)}: "${"r".repeat(48)}" makes the role name "${tooLong}" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:roles: value:, rename ${"r".repeat(48)} to at most 47 characters`,
        ]);
        // Two names too long ("initrode-audit-<role>" too): one problem, counting the rest.
        expect(problemsOf(raw("prod", role(50)))[0]).to.include(`makes the role name "initrode-staging-${"r".repeat(50)}" (and 1 more) longer than IAM's 64 characters`);
    });

    it("a namespace that makes a role name too long is told a shorter namespace that fits", () => {
        // "<namespace>-staging-previewer": 18 characters after the namespace. (No audit stage: its bucket names allow less.)
        const { audit: _audit, ...withoutAudit } = ACCOUNTS;
        const namespaced = (length: number) => raw("prod", { "refarch:namespace": "n".repeat(length), "refarch:accounts": withoutAudit });
        expect(() => validateConfig(namespaced(46))).not.to.throw();
        expect(problemsOf(namespaced(47))).to.deep.equal([
            `Pulumi.yaml: refarch:namespace: "${"n".repeat(47)}" makes the role name "${"n".repeat(47)}-staging-previewer" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: nnnnnnnn`,
        ]);
    });

    it("a stage name that makes its deployment roles' names too long is told how long it may be", () => {
        const stage = "s".repeat(46);
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, [stage]: "505050505050" }, "refarch:namespace": "acmecorp" }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.${stage}: "${stage}" makes the role name "acmecorp-${stage}-previewer" longer than IAM's 64 characters. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename ${stage} to at most 45 characters`,
        ]);
    });

    it("a review stack's name forms its role names: 45 characters fit, 46 do not", () => {
        const review = (name: string) => raw(name, { "refarch:accounts": { ...ACCOUNTS, testing: "505050505050" }, "refarch:stage": "testing" });
        expect(validateConfig(review("p".repeat(45))).namePrefix).to.equal(`initrode-${"p".repeat(45)}`);
        expect(problemsOf(review("p".repeat(46)))).to.deep.equal([
            `Pulumi.${"p".repeat(46)}.yaml: "${"p".repeat(46)}" (the stack's name) makes the role name "initrode-${"p".repeat(46)}-previewer" longer than IAM's 64 characters. Fix: use a shorter stack name`,
        ]);
    });

    it("with an audit stage, the access-log bucket's name fits S3's 63 characters: a 34-character namespace does, 35 does not", () => {
        expect(() => validateConfig(raw("prod", { "refarch:namespace": "n".repeat(34) }))).not.to.throw();
        expect(problemsOf(raw("prod", { "refarch:namespace": "n".repeat(35) }))).to.deep.equal([
            `Pulumi.yaml: refarch:namespace: "${"n".repeat(35)}" makes the bucket name "${"n".repeat(35)}-audit-cloudtrail-access-logs" longer than S3's 63 characters. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: nnnnnnnn`,
        ]);
        // Without an audit stage there is no such bucket.
        const { audit: _audit, ...withoutAudit } = ACCOUNTS;
        expect(() => validateConfig(raw("prod", { "refarch:namespace": "n".repeat(35), "refarch:accounts": withoutAudit }))).not.to.throw();
    });

    it("stage names form IAM and bucket names, and org is the organization's own stack", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, Qa_1: "505050505050", org: "606060606060", __: "707070707070" } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.Qa_1: "Qa_1" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename Qa_1 to a name like qa-1`,
            `Pulumi.yaml: refarch:accounts.org: "org" is the name of the stack that manages the AWS Organization. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename org to a name like org-main`,
            `Pulumi.yaml: refarch:accounts.__: "__" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename __ to a name like sandbox`,
        ]);
    });
});

describe("config limits: refarch:teams and refarch:users", () => {
    it("the audit account's logs reader, granted more than once, is one grant; names nothing resembles get the lists to choose from", () => {
        const teams = { ...TEAMS, auditors: { access: { audit: ["logs-reader", "readonly", "logs-reader"], "*": "readonly" } } };
        const grants = validateConfig(raw("root", { "refarch:teams": teams, "refarch:users": { ...USERS, ann: ["auditors"] } })).teams.auditors;
        expect(grants.filter((g) => g.stage === "audit").map((g) => g.role).sort()).to.deep.equal(["logs-reader", "readonly"]);
        const stages = Object.keys(ACCOUNTS).join(", ");
        const roles = Object.keys(ROLES).join(", ");
        const under = "Fix: in Pulumi.root.yaml, under config:";
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, ops: { access: { zzzzqq: "admin", prod: "qqqqzz" } } }, "refarch:users": { ...USERS, ann: ["xxxyyy"] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:teams.ops.access.zzzzqq: "zzzzqq" is not a stage (valid: *, ${stages}). ${under} refarch:teams: ops: access:, grant one of: "*", ${stages}; or add zzzzqq under refarch:accounts in Pulumi.yaml`,
            `Pulumi.root.yaml: refarch:teams.ops.access.prod: "qqqqzz" is not a role of refarch:roles (valid: ${roles}). ${under} refarch:teams: ops: access:, grant prod one of: ${roles}; or define qqqqzz under refarch:roles in Pulumi.yaml`,
            `Pulumi.root.yaml: refarch:users.ann: "xxxyyy" is not a team of refarch:teams (valid: ${Object.keys(TEAMS).join(", ")}, ops). ${under} refarch:users:, list only teams defined under refarch:teams for ann (${Object.keys(TEAMS).join(", ")}, ops), or define xxxyyy under refarch:teams`,
        ]);
    });

    it("team names form IAM group names, and a team holds only its access map", () => {
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, Ops: { access: { prod: "admin" } }, dev_ops: { access: { prod: "admin" } }, "42": { access: { prod: "admin" } } } }))).to.deep.equal([
            // A name with nothing usable in it is renamed to an example.
            `Pulumi.root.yaml: refarch:teams.42: "42" is not a usable team name (it names an IAM group): use lowercase letters, digits and single hyphens. Fix: in Pulumi.root.yaml, under config: refarch:teams:, rename 42 to a name like developers`,
            `Pulumi.root.yaml: refarch:teams.Ops: "Ops" is not a usable team name (it names an IAM group): use lowercase letters, digits and single hyphens. Fix: in Pulumi.root.yaml, under config: refarch:teams:, rename Ops to a name like ops`,
            `Pulumi.root.yaml: refarch:teams.dev_ops: "dev_ops" is not a usable team name (it names an IAM group): use lowercase letters, digits and single hyphens. Fix: in Pulumi.root.yaml, under config: refarch:teams:, rename dev_ops to a name like dev-ops`,
        ]);
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, platform: { access: { "*": "admin" }, members: ["dana"] } } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:teams.platform.members: ["dana"] is not a setting of refarch:teams.platform (valid: access). Fix: in Pulumi.root.yaml, under config: refarch:teams: platform: remove members`,
        ]);
    });

    it("a value of the wrong shape is named where it is wrong, with the form it needs: a bad list item, a bad key of the long form, a map that is not one", () => {
        const teams = (access: unknown) => problemsOf(raw("root", { "refarch:teams": { ...TEAMS, platform: { access } } }));
        const users = (dana: unknown) => problemsOf(raw("root", { "refarch:users": { ...USERS, dana } }));
        const file = "Pulumi.root.yaml";
        expect(teams({ "*": [7] })).to.deep.equal([`${file}: refarch:teams.platform.access.*: 7 must be a role name. Fix: in ${file}, under config: refarch:teams: platform: access: in the list "*", replace 7 with admin`]);
        expect(teams({ "*": [] })).to.deep.equal([`${file}: refarch:teams.platform.access.*: [] must name at least one role. Fix: in ${file}, under config: refarch:teams: platform: access: set "*": [admin]`]);
        expect(teams({ "*": 7 })).to.deep.equal([`${file}: refarch:teams.platform.access.*: 7 must be a role name or a list of role names. Fix: in ${file}, under config: refarch:teams: platform: access: set "*": admin`]);
        expect(teams("admin")).to.deep.equal([`${file}: refarch:teams.platform.access: "admin" must map a stage (or "*", every stage) to a role or a list of roles. Fix: in ${file}, under config: refarch:teams: platform: set access: { dev: admin, prod: readonly }`]);
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, platform: "admin" } }))).to.deep.equal([
            `${file}: refarch:teams.platform: "admin" must be { access: { <stage> | "*": <role> | [<roles>] } }. Fix: in ${file}, under config: refarch:teams: set platform: { access: { dev: admin, prod: readonly } }`,
        ]);
        expect(problemsOf(raw("root", { "refarch:teams": ["platform"], "refarch:users": {} }))).to.deep.equal([
            `${file}: refarch:teams: ["platform"] must be a map of team -> { access: { <stage> | "*": <role> | [<roles>] } }. Fix: in ${file}, under config: set refarch:teams: { developers: { access: { dev: admin, prod: readonly } } }`,
        ]);

        expect(users([7])).to.deep.equal([`${file}: refarch:users.dana: 7 must be a team name. Fix: in ${file}, under config: refarch:users: in the list dana, replace 7 with developers`]);
        expect(users({ teams: [3] })).to.deep.equal([`${file}: refarch:users.dana.teams: 3 must be a team name. Fix: in ${file}, under config: refarch:users: dana: in the list teams, replace 3 with developers`]);
        expect(users({ teams: "platform" })).to.deep.equal([`${file}: refarch:users.dana.teams: "platform" must be a list of teams. Fix: in ${file}, under config: refarch:users: dana: set teams: [developers]`]);
        expect(users({ teams: ["platform"], pgpKey: 7 })).to.deep.equal([
            `${file}: refarch:users.dana.pgpKey: 7 must be keybase:<keybase user> or a base64 PGP public key. Fix: in ${file}, under config: refarch:users: dana: set pgpKey: "keybase:alice"`,
        ]);
        expect(users({ teams: ["platform"], console: "yes" })).to.deep.equal([`${file}: refarch:users.dana.console: "yes" must be true or false. Fix: in ${file}, under config: refarch:users: dana: set console: true`]);
        expect(users("platform")).to.deep.equal([`${file}: refarch:users.dana: "platform" must be a list of teams, or { teams: [...], pgpKey?, console? }. Fix: in ${file}, under config: refarch:users: set dana: [developers]`]);
        expect(problemsOf(raw("root", { "refarch:users": ["dana"] }))).to.deep.equal([
            `${file}: refarch:users: ["dana"] must be a map of user name -> list of teams (or { teams, pgpKey, console }). Fix: in ${file}, under config: set refarch:users: { alice: [developers] }`,
        ]);
    });

    it("a pgpKey is keybase:<2 to 16 letters, digits or _> or 100+ base64 characters with at most two = of padding, and nothing around either", () => {
        const withKey = (pgpKey: string) => raw("root", { "refarch:users": { ...USERS, dana: { teams: ["platform"], pgpKey, console: true } } });
        const base64 = (length: number) => "mQINBF".concat("A".repeat(length)).slice(0, length);
        for (const key of ["keybase:da", `keybase:${"d".repeat(16)}`, "keybase:dana_2", base64(100), `${base64(100)}==`, `${base64(101)}+/=`]) {
            expect(validateConfig(withKey(key)).users.dana.console?.pgpKey, key).to.equal(key);
        }
        for (const key of ["keybase:d", `keybase:${"d".repeat(17)}`, "keybase:dana!", " keybase:dana", "xkeybase:dana", base64(99), `${base64(100)}===`, `!${base64(100)}`, `${base64(100)}!`]) {
            expect(problemsOf(withKey(key)), key).to.deep.equal([
                `Pulumi.root.yaml: refarch:users.dana.pgpKey: "${key}" is neither keybase:<keybase user> nor a base64 PGP public key (gpg --export <key id> | base64 -w0). Fix: in Pulumi.root.yaml, under config: refarch:users: dana: set pgpKey: "keybase:alice"`,
            ]);
        }
    });

    it("a grant written twice (by \"*\" and by name, or listed twice) is one grant", () => {
        const teams = { ...TEAMS, platform: { access: { "*": "admin", prod: ["admin", "readonly", "readonly"] } } };
        const grants = validateConfig(raw("root", { "refarch:teams": teams })).teams.platform.map((g) => `${g.stage}/${g.role}`);
        expect(grants).to.deep.equal([...Object.keys(ACCOUNTS).map((s) => `${s}/admin`), "prod/readonly"]);
    });

    it("a user is in at least one team, so they can at least set up MFA", () => {
        expect(problemsOf(raw("root", { "refarch:users": { dana: [], eli: { teams: [] } } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: set dana: [developers]`,
            `Pulumi.root.yaml: refarch:users.eli.teams: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: eli: set teams: [developers]`,
        ]);
    });

    it("a user may be in 10 teams (IAM's groups per user), a team listed twice counting once; 11 are refused", () => {
        const teams = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`team-${i + 1}`, { access: { prod: "readonly" } }]));
        const names = Object.keys(teams);
        const users = (memberOf: string[]) => ({ "refarch:teams": teams, "refarch:users": { dana: memberOf } });
        expect(validateConfig(raw("root", users([...names.slice(0, 10), names[0]]))).users.dana.teams).to.deep.equal(names.slice(0, 10));
        expect(problemsOf(raw("root", users(names)))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: ${JSON.stringify(names)} puts the user in 11 teams, more than the 10 groups IAM allows a user. Fix: in Pulumi.root.yaml, merge some of the user's teams`,
        ]);
    });

    it("a team's grants fill at most 9 managed policies (IAM's 10 per group, less the self-service one): the largest team accepted gets 9, one grant more is refused", async () => {
        // Long names make long role ARNs (stage 20 characters, role 34: each role name exactly IAM's 64), so few grants fill a policy.
        const stages = Array.from({ length: 25 }, (_, i) => `stage-${String(i).padStart(3, "0")}-${"s".repeat(10)}`);
        const roleNames = Array.from({ length: 21 }, (_, i) => `role-${String(i).padStart(3, "0")}-${"r".repeat(25)}`);
        const accounts: Record<string, string> = { root: ACCOUNTS.root, ...Object.fromEntries(stages.map((s, i) => [s, String(200000000000 + i)])) };
        const roles = Object.fromEntries(roleNames.map((r) => [r, ADMIN]));
        const grants = stages.flatMap((stage) => roleNames.map((role) => ({ stage, role })));
        const rootWith = (count: number) => {
            const access: Record<string, string[]> = {};
            for (const { stage, role } of grants.slice(0, count)) (access[stage] ??= []).push(role);
            return raw("root", { "refarch:accounts": accounts, "refarch:roles": roles, "refarch:teams": { wide: { access } }, "refarch:users": { dana: ["wide"] } });
        };
        const refusedAt = firstRefused(1, grants.length, (count) => isRefused(rootWith(count)));
        expect(problemsOf(rootWith(refusedAt))).to.deep.equal([
            `Pulumi.root.yaml: refarch:teams.wide: "${refusedAt} roles" needs 10 managed policies of 6144 characters, more than the 9 IAM lets a group hold beside the self-service policy. Fix: in Pulumi.root.yaml, split the team into teams that each reach fewer roles`,
        ]);

        // Just inside the limit, the program creates 9 policies for the team, each within IAM's 6,144 characters,
        // together naming every granted role once.
        const deployed = Object.fromEntries(stages.map((stage) => [`initrode-org/refarch/${stage}`, { roles: Object.fromEntries(roleNames.map((role) => [role, `arn:aws:iam::${accounts[stage]}:role/initrode-${stage}-${role}`])) }]));
        const root = await evaluated(rootWith(refusedAt - 1), deployed);
        const group = ofType(root, "aws:iam/group:Group").find((g) => g.inputs.name === "initrode-root-wide")!;
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.group === group.inputs.name);
        const policies = ofType(root, "aws:iam/policy:Policy").filter((p) => attached.some((a) => a.inputs.policyArn === p.state.arn) && !String(p.inputs.name).endsWith("-self-service"));
        expect(attached).to.have.length(10);
        expect(policies).to.have.length(9);
        for (const policy of policies) expect(JSON.stringify(policyDocument(policy)).length, String(policy.inputs.name)).to.be.at.most(6144);
        const resources = policies.flatMap((p) => policyDocument(p).Statement.flatMap((s) => s.Resource));
        expect(resources).to.have.length(refusedAt - 1);
        expect(new Set(resources).size).to.equal(refusedAt - 1);
        // Named so that no change to other teams or to the order of teams renames them: the first policy "assume-roles",
        // each overflow policy after one of its own grants (its first).
        const overflow = policies.filter((p) => p.inputs.name !== "initrode-root-wide-assume-roles");
        expect(overflow).to.have.length(8);
        for (const policy of overflow) {
            const [, stage, role] = /^initrode-root-wide-assume-(stage-\d{3}-s{10})-(role-\d{3}-r{25})$/.exec(String(policy.inputs.name)) ?? [];
            expect(policyDocument(policy).Statement[0].Resource, String(policy.inputs.name)).to.include(`arn:aws:iam::${accounts[stage]}:role/initrode-${stage}-${role}`);
        }
    });
});

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

    // Long stage names make the bucket policy (two ARN patterns per account) reach S3's limit first; short ones, the
    // key policy (the patterns and two encryption contexts per account) reach KMS's.
    for (const { length, limited, limit } of [
        { length: 40, limited: "bucket", limit: 20480 },
        { length: 4, limited: "key", limit: 32768 },
    ] as const) {
        it(`with ${length}-character stage names: accepted while the ${limited} policy fits ${limit} bytes, refused with the next account`, async () => {
            const refusedAt = firstRefused(3, 300, (count) => isRefused(auditOf(count, length)));
            const [problem, ...more] = problemsOf(auditOf(refusedAt, length));
            expect(more).to.deep.equal([]);
            expect(problem).to.match(new RegExp(`^Pulumi\\.yaml: refarch:accounts: "${refusedAt} accounts" make the audit bucket policy \\d+ bytes .*\\. Fix: use shorter stage names, or a second audit sink for some accounts$`));
            const refused = sizes(problem);
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
    it("log ages are whole days from 1, and logs expire after they move to Glacier", () => {
        const logs = (settings: object) => raw("audit", { "refarch:cloudtrailLogs": settings });
        expect(validateConfig(logs({ glacierAfterDays: 1, expireAfterDays: 2, accessLogExpireAfterDays: 1 })).cloudtrailLogs).to.deep.equal({ glacierAfterDays: 1, expireAfterDays: 2, accessLogExpireAfterDays: 1 });
        expect(problemsOf(logs({ glacierAfterDays: 0, expireAfterDays: 1.5, accessLogExpireAfterDays: 0, retention: 3 }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.glacierAfterDays: 0 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set glacierAfterDays: 90`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 1.5 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set expireAfterDays: 365`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.accessLogExpireAfterDays: 0 must be a whole number of days, at least 1. Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set accessLogExpireAfterDays: 365`,
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.retention: 3 is not a setting of refarch:cloudtrailLogs (valid: glacierAfterDays, expireAfterDays, accessLogExpireAfterDays). Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: remove retention`,
        ]);
        expect(problemsOf(logs({ glacierAfterDays: 100, expireAfterDays: 100 }))).to.deep.equal([
            `Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 100 must be later than glacierAfterDays (100). Fix: in Pulumi.audit.yaml, under config: refarch:cloudtrailLogs: set expireAfterDays: 375`,
        ]);
        expect(validateConfig(logs({ glacierAfterDays: 100, expireAfterDays: 101 })).cloudtrailLogs.expireAfterDays).to.equal(101);
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
            `Pulumi.yaml: refarch:deployer.previewerPolicyArns: "ReadOnlyAccess" is not an IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:deployer: value: in the list previewerPolicyArns, replace "ReadOnlyAccess" with "arn:aws:iam::aws:policy/ReadOnlyAccess"`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:deployer": { previewerPolicyArns: [] } }))).to.deep.equal([
            `Pulumi.yaml: refarch:deployer.previewerPolicyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:deployer: value: set previewerPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`,
        ]);
    });
});

describe("config problems: how values, keys and fixes are written", () => {
    it("a name YAML cannot write plain is quoted in the fix, and the suggested name drops what AWS names cannot start or end with", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, "QA  env!!": "505050505050", "99lives": "606060606060" } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.QA  env!!: "QA  env!!" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename "QA  env!!" to a name like qa-env`,
            `Pulumi.yaml: refarch:accounts.99lives: "99lives" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename 99lives to a name like lives`,
        ]);
    });

    it("a bad value is shown whole up to 200 characters, and cut with ... past them", () => {
        const region = (value: string) => `Pulumi.prod.yaml: aws:region: ${value} is not an AWS region. Fix: in Pulumi.prod.yaml, under config: set aws:region: us-east-1`;
        expect(problemsOf(raw("prod", { "aws:region": "x".repeat(198) }))).to.deep.equal([region(`"${"x".repeat(198)}"`)]);
        expect(problemsOf(raw("prod", { "aws:region": "x".repeat(199) }))).to.deep.equal([region(`"${"x".repeat(196)}...`)]);
    });

    it("a user's team when no team is defined: the list of valid teams says so, and the fix says where to define it", () => {
        expect(problemsOf(raw("root", { "refarch:teams": {}, "refarch:users": { dana: ["ops"] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: "ops" is not a team of refarch:teams (valid: none defined). Fix: in Pulumi.root.yaml, under config: refarch:users:, list only teams defined under refarch:teams for dana, or define ops under refarch:teams`,
        ]);
    });

    it("several stacks' problems: one shared by all of them in Pulumi.yaml is told once, before each stack's own", () => {
        const problem = (file: string, key: string) => ({ file, key, value: 1, why: "is wrong", fix: { set: "2" } });
        const shared = problem("Pulumi.yaml", "refarch:namespace");
        const [prod, dev] = [new ConfigError("prod", [shared, problem("Pulumi.prod.yaml", "refarch:protect")]), new ConfigError("dev", [shared])];
        expect(describeConfigErrors([prod])).to.equal(prod.message);
        expect(describeConfigErrors([prod, dev])).to.equal(
            [
                "Pulumi.yaml, read by every stack, has 1 problem; nothing was created:",
                "  1. Pulumi.yaml: refarch:namespace: 1 is wrong. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: 2",
                'Config of stack "prod" (Pulumi.prod.yaml) has 1 more problem; nothing was created:',
                "  1. Pulumi.prod.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.prod.yaml, under config: set refarch:protect: 2",
            ].join("\n"),
        );
        const own = new ConfigError("dev", [problem("Pulumi.dev.yaml", "refarch:protect"), problem("Pulumi.dev.yaml", "aws:region")]);
        expect(describeConfigErrors([prod, own])).to.equal(
            [
                'Config of stack "prod" (Pulumi.yaml + Pulumi.prod.yaml) has 2 problems; nothing was created:',
                "  1. Pulumi.yaml: refarch:namespace: 1 is wrong. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: 2",
                "  2. Pulumi.prod.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.prod.yaml, under config: set refarch:protect: 2",
                'Config of stack "dev" (Pulumi.dev.yaml) has 2 problems; nothing was created:',
                "  1. Pulumi.dev.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.dev.yaml, under config: set refarch:protect: 2",
                "  2. Pulumi.dev.yaml: aws:region: 1 is wrong. Fix: in Pulumi.dev.yaml, under config: set aws:region: 2",
            ].join("\n"),
        );
    });

    it("a user's name is an IAM user name: 64 characters of letters, digits and +=,.@_- accepted, 65 or a space refused", () => {
        const users = (...names: string[]) => ({ "refarch:users": Object.fromEntries(names.map((n) => [n, ["platform"]])) });
        expect(Object.keys(validateConfig(raw("root", users("u".repeat(64), "dana+ops=1,x.y@example.com_-"))).users)).to.have.length(2);
        const refused = (name: string) => `Pulumi.root.yaml: refarch:users.${name}: "${name}" is not a valid IAM user name (letters, digits and +=,.@_- up to 64). Fix: in Pulumi.root.yaml, under config: refarch:users:, rename ${name}`;
        expect(problemsOf(raw("root", users("v".repeat(65), "dana smith")))).to.deep.equal([refused("v".repeat(65)), refused("dana smith")]);
    });

    it("refarch:acmCloudfront outside the aws partition is refused: CloudFront takes certificates from us-east-1 only", () => {
        const cn = problemsOf(raw("prod", { "aws:region": "cn-north-1", "refarch:acmCloudfront": { domainName: "example.com" } }));
        expect(cn).to.include(
            `Pulumi.prod.yaml: refarch:acmCloudfront: {"domainName":"example.com"} needs the aws partition: CloudFront takes ACM certificates only from us-east-1, and this stack is in aws-cn. Fix: in Pulumi.prod.yaml, under config: remove refarch:acmCloudfront`,
        );
    });

    it("every place a schema refuses inside one key is a problem of its own; a list of no teams is told as the list it is", () => {
        const roles = { ...ROLES, admin: { ...ADMIN, maxSessionDuration: 60 }, readonly: { ...ROLES.readonly, policyArns: [] } };
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set maxSessionDuration: 3600`,
            `Pulumi.yaml: refarch:roles.readonly.policyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:roles: value: readonly: set policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`,
        ]);
        expect(problemsOf(raw("root", { "refarch:users": { ...USERS, dana: [] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: set dana: [developers]`,
        ]);
    });

    it("an unknown key inside a nested setting is named with the settings valid there", () => {
        expect(problemsOf(raw("prod", { "refarch:baseline": { budget: { amount: 5, email: "finance@example.com", currency: "EUR" } } }))).to.deep.equal([
            `Pulumi.prod.yaml: refarch:baseline.budget.currency: "EUR" is not a setting of refarch:baseline.budget (valid: amount, email). Fix: in Pulumi.prod.yaml, under config: refarch:baseline: budget: remove currency`,
        ]);
    });

    it("a config error is a Pulumi RunError: pulumi up prints its message alone, not an unhandled exception with a stack trace", () => {
        let error: unknown;
        try {
            validateConfig(raw("prod", { "aws:region": "moon-1" }));
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(ConfigError);
        // What @pulumi/pulumi's cmd/run/run.js asks of an uncaught error before it logs err.message alone.
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
    });
});

