// A person's lifecycle in root: onboarding (a console user gets a login profile whose first password exists
// only encrypted to their PGP key, and the stack exports it with the sign-in URL) and offboarding (removing
// the user from refarch:users deletes exactly their resources, none of them protected). The users are a
// fixture of this file, in the teams of the root stack's own config.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import type { StackEvaluation } from "../src/offline/engine";
import { run } from "../src/plan/cli";
import { diffPlans } from "../src/plan/diff";
import { buildPlan } from "../src/plan/model";
import { MAX_GROUPS_PER_USER, signinUrl } from "../src/policies";
import { configValue, ofType, oncePerMutant, org, project, refused, repoRoot, succeeded } from "./harness";

const LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile";
const teams = Object.keys(configValue<Record<string, unknown>>("root", "refarch:teams"));
/** An unarmored public key as `gpg --export <id> | base64 -w0` prints it (the bytes need not be a real key here). */
const BASE64_KEY = Buffer.from(Array.from({ length: 180 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
const USERS = {
    dana: { teams: [teams[0]], pgpKey: "keybase:dana", console: true },
    eli: { teams: teams.slice(0, MAX_GROUPS_PER_USER), pgpKey: BASE64_KEY, console: true },
    fay: { teams: [teams[teams.length - 1]] },
    gus: [teams[0]],
};
const CONSOLE_USERS = ["dana", "eli"];

const rootWith = async (users: object): Promise<StackEvaluation> => succeeded(await org.evaluateWith("root", { "refarch:users": JSON.stringify(users) }));

/** Every key/value pair in a JSON-like value, at any depth. */
function entries(value: unknown, at = ""): [string, unknown][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => entries(v, `${at}[${i}]`));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => [[`${at}.${k}`, v] as [string, unknown], ...entries(v, `${at}.${k}`)]);
    return [];
}
/** A plaintext password field: `password` itself, as the provider returns it when it had no key to encrypt to. */
const plaintextPasswords = (value: unknown) => entries(value).filter(([key, v]) => /\.password$/i.test(key) && v !== undefined);

describe("people: onboarding", () => {
    /** Root with this file's users, evaluated in the first test that needs it: once per run, once per mutant. */
    const onboarded = oncePerMutant(async () => {
        return rootWith(USERS);
    });
    let root: StackEvaluation;
    beforeEach(async () => {
        root = await onboarded();
    });

    it("the list form and the object form both make a user in their teams", () => {
        const memberships = ofType(root, "aws:iam/userGroupMembership:UserGroupMembership");
        const groupsOf = (user: string) => memberships.find((m) => m.inputs.user === user)?.inputs.groups;
        const groups = root.outputs.groups as Record<string, string>;
        expect(groupsOf("gus")).to.deep.equal([groups[teams[0]]]);
        expect(groupsOf("dana")).to.deep.equal([groups[teams[0]]]);
        expect(groupsOf("eli")).to.have.members(teams.slice(0, MAX_GROUPS_PER_USER).map((t) => groups[t]));
        expect(ofType(root, "aws:iam/user:User").map((u) => u.inputs.name)).to.have.members(Object.keys(USERS));
    });

    it("a console user gets a login profile encrypted to their key that must be reset at first sign-in; others get none", () => {
        const profiles = ofType(root, LOGIN_PROFILE);
        expect(profiles.map((p) => p.inputs.user)).to.have.members(CONSOLE_USERS);
        for (const p of profiles) {
            const spec = USERS[p.inputs.user as keyof typeof USERS] as { pgpKey: string };
            expect(p.inputs.pgpKey, String(p.inputs.user)).to.equal(spec.pgpKey);
            expect(p.inputs.passwordResetRequired).to.equal(true);
            // A reset replaces the profile (every input forces a new one), and IAM allows one per user: the old one goes first.
            expect(p.deleteBeforeReplace, String(p.inputs.user)).to.equal(true);
        }
    });

    it("root exports each console user's encrypted password and key fingerprint, and the sign-in URL", () => {
        const initial = root.outputs.initialPasswords as Record<string, { encryptedPassword: string; keyFingerprint: string }>;
        expect(Object.keys(initial)).to.have.members(CONSOLE_USERS);
        for (const [user, { encryptedPassword, keyFingerprint }] of Object.entries(initial)) {
            const profile = ofType(root, LOGIN_PROFILE).find((p) => p.inputs.user === user)!;
            expect(encryptedPassword, user).to.equal(profile.state.encryptedPassword).and.match(/^[A-Za-z0-9+/]+={0,2}$/);
            // A binary OpenPGP message: its first packet header has the high bit set.
            expect(Buffer.from(encryptedPassword, "base64")[0] & 0x80, user).to.equal(0x80);
            expect(keyFingerprint).to.equal(profile.state.keyFingerprint).and.match(/^[0-9a-f]{40}$/);
        }
        expect(root.outputs.signinUrl).to.equal(signinUrl(String(root.outputs.accountAlias ?? root.outputs.accountId)));
    });

    it("no plaintext password exists: not in any resource's inputs or state, the stack outputs, or the plan files", async () => {
        for (const r of root.resources) {
            expect(plaintextPasswords(r.inputs), `${r.name} inputs`).to.deep.equal([]);
            expect(plaintextPasswords(r.state), `${r.name} state`).to.deep.equal([]);
        }
        expect(plaintextPasswords(root.outputs)).to.deep.equal([]);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-people-"));
        try {
            for (const file of fs.readdirSync(org.dir).filter((f) => /^Pulumi(\.[^.]+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(org.dir, file), path.join(dir, file));
            const projectFile = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump({ ...projectFile, main: path.join(repoRoot, "src", "index.ts") }));
            const rootFile = (yaml.load(fs.readFileSync(path.join(dir, "Pulumi.root.yaml"), "utf8")) ?? {}) as { config?: Record<string, unknown> };
            (rootFile.config ??= {})["refarch:users"] = USERS;
            fs.writeFileSync(path.join(dir, "Pulumi.root.yaml"), yaml.dump(rootFile));
            const out = path.join(dir, "plan");
            const stderr: string[] = [];
            expect(await run(["--project", dir, "--stack", "root", "--out", out], { stdout: () => undefined, stderr: (t) => stderr.push(t), color: false, cwd: dir }), stderr.join("\n")).to.equal(0);
            const rootPlan = JSON.parse(fs.readFileSync(path.join(out, "root.json"), "utf8"));
            expect(rootPlan.resources.filter((r: { type: string }) => r.type === LOGIN_PROFILE)).to.have.length(CONSOLE_USERS.length);
            for (const file of fs.readdirSync(out)) {
                const text = fs.readFileSync(path.join(out, file), "utf8");
                if (file.endsWith(".json")) expect(plaintextPasswords(JSON.parse(text)), file).to.deep.equal([]);
                else expect(text, file).not.to.match(/"password"\s*:/);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("refused config", () => {
        const users = (user: object) => ({ "refarch:users": JSON.stringify({ dana: user }) });

        it("a console user without a PGP key: no plaintext password may exist", async () => {
            const message = await refused("root", users({ teams: [teams[0]], console: true }));
            expect(message).to.include(
                "Pulumi.root.yaml: refarch:users.dana.console: true needs a pgpKey: the initial console password is created encrypted to the user's PGP key, and no plaintext password may exist. Fix: in Pulumi.root.yaml, under config: refarch:users: dana:, add pgpKey: keybase:<dana's Keybase user name>, or dana's public key on one line as `gpg --export <dana's key id or email> | base64 -w0` prints it",
            );
        });

        it("a PGP key with no console access would be unused", async () => {
            const message = await refused("root", users({ teams: [teams[0]], pgpKey: "keybase:dana" }));
            expect(message).to.include('refarch:users.dana.pgpKey: "keybase:dana" is used only to encrypt a console password, and the user has no console access. Fix: in Pulumi.root.yaml, under config: refarch:users: dana:, add console: true, or remove pgpKey');
        });

        it("a damaged ASCII-armored key, or an email, names the form to use and how to make it from dana's own key", async () => {
            const armored = await refused("root", users({ teams: [teams[0]], pgpKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF...", console: true }));
            expect(armored).to.match(/refarch:users\.dana\.pgpKey: .* is an ASCII-armored key, incomplete or damaged: .* Fix: .*set pgpKey to keybase:<dana's Keybase user name>, or dana's public key on one line/);
            const other = await refused("root", users({ teams: [teams[0]], pgpKey: "dana@example.com", console: true }));
            expect(other).to.include('refarch:users.dana.pgpKey: "dana@example.com" is neither keybase:<Keybase user name> nor a base64 PGP public key. Fix: in Pulumi.root.yaml, under config: refarch:users: dana:, set pgpKey to the one line `gpg --export dana@example.com | base64 -w0` prints');
        });

        it("an unknown team or setting in the object form", async () => {
            const team = await refused("root", users({ teams: [`${teams[0]}x`] }));
            expect(team).to.include(`refarch:users.dana.teams: "${teams[0]}x" is not a team of refarch:teams`);
            expect(team).to.include(`in dana: teams:, replace ${teams[0]}x with ${teams[0]}`);
            const setting = await refused("root", users({ teams: [teams[0]], consol: true }));
            expect(setting).to.include("Pulumi.root.yaml: refarch:users.dana.consol: true is not a setting of refarch:users.dana (valid: teams, pgpKey, console). Fix: in Pulumi.root.yaml, under config: refarch:users: dana: rename consol to console (or remove it)");
        });
    });
});

describe("people: offboarding", () => {
    it("removing a console user from refarch:users deletes exactly their user, memberships and login profile, none protected", async () => {
        const gone = CONSOLE_USERS[0];
        const before = await rootWith(USERS);
        const after = await rootWith(Object.fromEntries(Object.entries(USERS).filter(([user]) => user !== gone)));
        const plan = (e: StackEvaluation) => buildPlan(project, [["root"]], [e], []).stacks;
        const diff = diffPlans("before", plan(before), plan(after), true);

        // Theirs: the IAM user named for them and every resource that names that user.
        const theirs = before.resources.filter((r) => (r.type === "aws:iam/user:User" && r.inputs.name === gone) || r.inputs.user === gone);
        expect(theirs.map((r) => r.type)).to.have.members(["aws:iam/user:User", "aws:iam/userGroupMembership:UserGroupMembership", LOGIN_PROFILE]);
        const [root] = diff.stacks;
        expect(root.removed.map((r) => r.urn)).to.have.members(theirs.map((r) => r.urn));
        expect(root.removed.filter((r) => r.protect)).to.deep.equal([]);
        expect(diff.blocked).to.deep.equal([]);
        expect(root.added).to.deep.equal([]);
        expect(root.changed).to.deep.equal([]);
        // Everything else in root is still protected (root protects by default).
        expect(after.resources.filter((r) => !r.read && !r.protect && !theirs.some((t) => t.type === r.type)).map((r) => r.name)).to.deep.equal([]);
        expect(root.outputs.map((c) => c.path).sort()).to.deep.equal([`initialPasswords.${gone}`, `users.${gone}`].sort());
    });

    it("the user is force-destroyed, so IAM deletes their keys, MFA devices and login profile with them", async () => {
        const root = await rootWith(USERS);
        const users = ofType(root, "aws:iam/user:User");
        expect(users.map((u) => u.inputs.name)).to.have.members(Object.keys(USERS));
        for (const user of users) expect(user.inputs.forceDestroy, String(user.inputs.name)).to.equal(true);
    });
});

describe("people: the organization's own console users", () => {
    it("each console user of refarch:users gets a login profile encrypted to their key, reset at first sign-in; no other user gets one", async () => {
        const root = await org.evaluation("root");
        const profiles = ofType(root, LOGIN_PROFILE);
        expect(Object.fromEntries(profiles.map((p) => [p.inputs.user, p.inputs.pgpKey]))).to.deep.equal(org.consoleUsers);
        for (const p of profiles) expect(p.inputs.passwordResetRequired, String(p.inputs.user)).to.equal(true);
    });
});
