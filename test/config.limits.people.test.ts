// The limits on refarch:teams and refarch:users, at their exact boundaries: IAM's 10 managed policies per group and 10
// groups per user are refused before anything is created, and checked against what the program creates just inside them.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { ACCOUNTS, evaluated, firstRefused, isRefused, problemsOf, raw, ROLES, TEAMS, USERS } from "./configFixture";
import { ofType, policyDocument } from "./harness";

const ADMIN = ROLES.admin;

describe("config limits: refarch:teams and refarch:users", () => {
    it("the audit account's logs reader, granted more than once, is one grant; names nothing resembles get the lists to choose from", () => {
        const teams = { ...TEAMS, auditors: { access: { audit: ["logs-reader", "readonly", "logs-reader"], "*": "readonly" } } };
        const grants = validateConfig(raw("root", { "refarch:teams": teams, "refarch:users": { ...USERS, ann: ["auditors"] } })).teams.auditors;
        expect(grants.filter((g) => g.stage === "audit").map((g) => g.role).sort()).to.deep.equal(["logs-reader", "readonly"]);
        const stages = Object.keys(ACCOUNTS).join(", ");
        const roles = Object.keys(ROLES).join(", ");
        const under = "Fix: in Pulumi.root.yaml, under config:";
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, ops: { access: { zzzzqq: "admin", prod: "qqqqzz" } } }, "refarch:users": { ...USERS, ann: ["xxxyyy"] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:teams.ops.access.zzzzqq: "zzzzqq" is not a stage of refarch:accounts (stages: ${stages}, or "*" for every one). Fix: in Pulumi.yaml, under config: refarch:accounts: value:, add zzzzqq: "<its 12-digit account id>" (or { email: <its address> } for the org stack to create it), and create Pulumi.zzzzqq.yaml with its aws:region; or ${under.replace(/^Fix: /, "")} refarch:teams: ops: access:, remove zzzzqq`,
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
        expect(teams({ "*": [7] })).to.deep.equal([`${file}: refarch:teams.platform.access.*: 7 must be a role name. Fix: in ${file}, under config: refarch:teams: platform: access: in the list "*", replace 7 with <a role of refarch:roles>`]);
        expect(teams({ "*": [] })).to.deep.equal([`${file}: refarch:teams.platform.access.*: [] must name at least one role. Fix: in ${file}, under config: refarch:teams: platform: access: set "*": [<a role of refarch:roles>]`]);
        expect(teams({ "*": 7 })).to.deep.equal([`${file}: refarch:teams.platform.access.*: 7 must be a role name or a list of role names. Fix: in ${file}, under config: refarch:teams: platform: access: set "*": <a role of refarch:roles>`]);
        expect(teams("admin")).to.deep.equal([`${file}: refarch:teams.platform.access: "admin" must map a stage (or "*", every stage) to a role or a list of roles. Fix: in ${file}, under config: refarch:teams: platform: set access: { <stage>: admin }`]);
        expect(problemsOf(raw("root", { "refarch:teams": { ...TEAMS, platform: "admin" } }))).to.deep.equal([
            `${file}: refarch:teams.platform: "admin" must be { access: { <stage> | "*": <role> | [<roles>] } }. Fix: in ${file}, under config: refarch:teams: set platform: { access: { <stage>: admin } }`,
        ]);
        expect(problemsOf(raw("root", { "refarch:teams": ["platform"], "refarch:users": {} }))).to.deep.equal([
            `${file}: refarch:teams: ["platform"] must be a map of team -> { access: { <stage> | "*": <role> | [<roles>] } }. Fix: in ${file}, under config: set refarch:teams: { platform: { access: { <stage>: <a role of refarch:roles> } } }`,
        ]);

        expect(users([7])).to.deep.equal([`${file}: refarch:users.dana: 7 must be a team name. Fix: in ${file}, under config: refarch:users: in the list dana, replace 7 with <a team of refarch:teams>`]);
        expect(users({ teams: [3] })).to.deep.equal([`${file}: refarch:users.dana.teams: 3 must be a team name. Fix: in ${file}, under config: refarch:users: dana: in the list teams, replace 3 with <a team of refarch:teams>`]);
        expect(users({ teams: "platform" })).to.deep.equal([`${file}: refarch:users.dana.teams: "platform" must be a list of teams. Fix: in ${file}, under config: refarch:users: dana: set teams: [platform]`]);
        expect(users({ teams: ["platform"], pgpKey: 7 })).to.deep.equal([
            `${file}: refarch:users.dana.pgpKey: 7 must be keybase:<keybase user> or a base64 PGP public key. Fix: in ${file}, under config: refarch:users: dana: set pgpKey: "<the user's public key: gpg --export <key id> | base64 -w0>"`,
        ]);
        expect(users({ teams: ["platform"], console: "yes" })).to.deep.equal([`${file}: refarch:users.dana.console: "yes" must be true or false. Fix: in ${file}, under config: refarch:users: dana: set console: true`]);
        expect(users("platform")).to.deep.equal([`${file}: refarch:users.dana: "platform" must be a list of teams, or { teams: [...], pgpKey?, console? }. Fix: in ${file}, under config: refarch:users: set dana: [platform]`]);
        expect(problemsOf(raw("root", { "refarch:users": ["dana"] }))).to.deep.equal([
            `${file}: refarch:users: ["dana"] must be a map of user name -> list of teams (or { teams, pgpKey, console }). Fix: in ${file}, under config: set refarch:users: { dana: [<a team of refarch:teams>] }`,
        ]);
    });

    it("a pgpKey is keybase:<2 to 16 letters, digits or _> or 100+ base64 characters with at most two = of padding, and nothing around either", () => {
        const withKey = (pgpKey: string) => raw("root", { "refarch:users": { ...USERS, dana: { teams: ["platform"], pgpKey, console: true } } });
        const base64 = (length: number) => "mQINBF".concat("A".repeat(length)).slice(0, length);
        for (const key of ["keybase:da", `keybase:${"d".repeat(16)}`, "keybase:dana_2", base64(100), `${base64(100)}==`, `${base64(101)}+/=`]) {
            expect(validateConfig(withKey(key)).users.dana.console?.pgpKey, key).to.equal(key);
        }
        // The fix names dana's own key, never another user's or a sample's.
        const own = "keybase:<dana's Keybase user name>, or dana's public key on one line as `gpg --export <dana's key id or email> | base64 -w0` prints it";
        for (const key of ["keybase:d", `keybase:${"d".repeat(17)}`, "keybase:dana!", " keybase:dana", "xkeybase:dana", base64(99), `${base64(100)}===`, `!${base64(100)}`, `${base64(100)}!`]) {
            const why = key.startsWith("keybase:") ? "is not keybase:<Keybase user name> (2 to 16 letters, digits or _)" : "is neither keybase:<Keybase user name> nor a base64 PGP public key";
            expect(problemsOf(withKey(key)), key).to.deep.equal([`Pulumi.root.yaml: refarch:users.dana.pgpKey: "${key}" ${why}. Fix: in Pulumi.root.yaml, under config: refarch:users: dana:, set pgpKey to ${own}`]);
        }
    });

    it("a grant written twice (by \"*\" and by name, or listed twice) is one grant", () => {
        const teams = { ...TEAMS, platform: { access: { "*": "admin", prod: ["admin", "readonly", "readonly"] } } };
        const grants = validateConfig(raw("root", { "refarch:teams": teams })).teams.platform.map((g) => `${g.stage}/${g.role}`);
        expect(grants).to.deep.equal([...Object.keys(ACCOUNTS).map((s) => `${s}/admin`), "prod/readonly"]);
    });

    it("a user is in at least one team, so they can at least set up MFA", () => {
        expect(problemsOf(raw("root", { "refarch:users": { dana: [], eli: { teams: [] } } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: set dana: [<a team of refarch:teams>]`,
            `Pulumi.root.yaml: refarch:users.eli.teams: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: eli: set teams: [<a team of refarch:teams>]`,
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
