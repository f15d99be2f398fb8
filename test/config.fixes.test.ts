// Every fix a config problem suggests, applied literally (parsed out of the message and written into a copy of the
// project, test/configFixes.ts), gives a valid project that means what the user meant, and never more: a grant
// written to a stage that does not exist never becomes a grant in root or audit, and a key, name or block derived
// from a wrong value is that value corrected, not the sample's or another user's. Derived from the organization under
// test: its teams, stages, users and stacks.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { editDistance } from "../src/config/problems";
import { applyFix, applyFixesUntilValid, fixOf, projectProblems, validated } from "./configFixes";
import { AUDIT, editedProject, meeting, NEEDS, Organization, ROOT, setProjectConfig, setStackConfig } from "./harness";

const KEYS = path.join(__dirname, "keys");
/** A throwaway public key made by gpg, armored, and the same key as `gpg --export | base64 -w0` printed it (test/keys/README.md). */
const ARMORED_KEY = fs.readFileSync(path.join(KEYS, "dana.asc"), "utf8");
const BASE64_KEY = fs.readFileSync(path.join(KEYS, "dana.b64"), "utf8").trim();

/** The organization under test with a team granted a role in a stage besides root and audit. */
const base: Organization = meeting([NEEDS.plainStage, NEEDS.teamOutsideRoot]);
const team = Object.keys(base.teams).find((t) => base.grantsOfTeam(t).some((g) => ![ROOT, AUDIT].includes(g.split("/")[0])))!;
const role = base.roleNames[0];
/** A stage name the organization does not have. */
const UNKNOWN = ["uat", "uat-two", "uat-three"].find((s) => !base.stages.includes(s))!;

/** The only problem of a project, and its fix; fails when there are others (each case makes one mistake). */
function onlyProblem(dir: string): { problem: string; fix: string } {
    const problems = projectProblems(dir);
    expect(problems, problems.join("\n")).to.have.length(1);
    return { problem: problems[0], fix: fixOf(problems[0]) };
}

/** The grants of a team, as validateConfig gives them to root, as `<stage>/<role>`. */
const grantsOf = (dir: string, t: string) => validated(dir, ROOT).teams[t].map((g) => `${g.stage}/${g.role}`).sort();

const withAccess = (t: string, access: Record<string, unknown>) =>
    editedProject((files) => setStackConfig(files, ROOT, "refarch:teams", { ...base.teams, [t]: { access: { ...(base.teams[t]?.access ?? {}), ...access } } }), base.dir);

describe("config fixes, applied literally: valid, and what was meant, never more", () => {
    it(`a grant in ${UNKNOWN}, a stage the organization lacks: adding it is the first fix, and it grants exactly that role there`, () => {
        const dir = withAccess(team, { [UNKNOWN]: role });
        const { fix } = onlyProblem(dir);
        // Not a typo of any stage: no rename at all, so none to root or audit.
        expect(fix).not.to.match(/rename/);
        expect(fix).to.match(new RegExp(`^in Pulumi\\.yaml, under config: refarch:accounts: value:, add ${UNKNOWN}: `));
        expect(applyFixesUntilValid(dir, { "<its 12-digit account id>": "987654321098" })).to.deep.equal([]);
        // What it had, and in the new stage only the role written and what the team's "*" (every stage) grants.
        const everyStage = [base.teams[team].access["*"] ?? []].flat().map((r) => `${UNKNOWN}/${r}`);
        expect(grantsOf(dir, team)).to.deep.equal([...new Set([...base.grantsOfTeam(team), `${UNKNOWN}/${role}`, ...everyStage])].sort());
    });

    it(`its other fix removes the grant: the team keeps exactly the grants it had`, () => {
        const dir = withAccess(team, { [UNKNOWN]: role });
        applyFix(dir, onlyProblem(dir).fix, { alternative: 1 });
        expect(projectProblems(dir)).to.deep.equal([]);
        expect(grantsOf(dir, team)).to.deep.equal(base.grantsOfTeam(team));
    });

    // A plain stage and a misspelling of it (its last two letters swapped) that no other stage is near.
    const typos = base.stages
        .filter((s) => ![ROOT, AUDIT].includes(s) && s.length >= 3)
        .map((s) => ({ stage: s, typo: `${s.slice(0, -2)}${s[s.length - 1]}${s[s.length - 2]}` }))
        .filter(({ stage, typo }) => typo !== stage && base.stages.every((other) => other === stage || editDistance(typo, other) > 2));
    it("a clear typo of a stage the team has no grant in: renaming it grants that one role in that one stage", () => {
        const [{ stage, typo }] = typos;
        const dir = editedProject((files) => setStackConfig(files, ROOT, "refarch:teams", { ...base.teams, "typo-team": { access: { [typo]: role } } }), base.dir);
        const { fix } = onlyProblem(dir);
        expect(fix).to.include(`; or, if you meant ${stage}, `);
        applyFix(dir, fix, { alternative: 1 });
        expect(projectProblems(dir)).to.deep.equal([]);
        expect(grantsOf(dir, "typo-team")).to.deep.equal([`${stage}/${role}`]);
    });

    it("never a rename to root or audit, nor onto a stage the team already has a grant in (it would merge two grants)", () => {
        const swap = (s: string) => `${s.slice(0, -2)}${s[s.length - 1]}${s[s.length - 2]}`;
        for (const stage of [ROOT, AUDIT]) {
            const dir = editedProject((files) => setStackConfig(files, ROOT, "refarch:teams", { ...base.teams, "typo-team": { access: { [swap(stage)]: role } } }), base.dir);
            expect(onlyProblem(dir).fix, stage).not.to.match(/rename/);
        }
        const [{ stage, typo }] = typos;
        const dir = editedProject((files) => setStackConfig(files, ROOT, "refarch:teams", { ...base.teams, "typo-team": { access: { [stage]: role, [typo]: role } } }), base.dir);
        expect(onlyProblem(dir).fix).not.to.match(/rename/);
    });

    describe("a console user's PGP key: the fix names their own key, never another user's or the sample's", () => {
        const user = "dana-fixes";
        /** The project with `user` a console user with this key, beside the organization's users (each with their own key). */
        const withKey = (pgpKey: unknown) =>
            editedProject((files) => setStackConfig(files, ROOT, "refarch:users", { ...files["Pulumi.root.yaml"].config["refarch:users"], [user]: { teams: [team], pgpKey, console: true } }), base.dir);

        it("an ASCII-armored key: the fix sets the key's own base64 body, the bytes `gpg --export | base64 -w0` prints", () => {
            const dir = withKey(ARMORED_KEY);
            const { fix } = onlyProblem(dir);
            // Exactly the key's own body: nothing borrowed from another user or the sample (keybase:alice).
            expect(fix).to.equal(`in Pulumi.root.yaml, under config: refarch:users: ${user}: set pgpKey: ${JSON.stringify(BASE64_KEY)}`);
            applyFix(dir, fix);
            expect(projectProblems(dir)).to.deep.equal([]);
            expect(validated(dir, ROOT).users[user]).to.deep.equal({ teams: [team], console: { pgpKey: BASE64_KEY } });
        });

        it("a damaged armored key gets no body to set (its checksum does not hold): the fix says how to export the user's own", () => {
            // One letter of the body changed: still an armored block, its checksum no longer that of its data.
            const lines = ARMORED_KEY.split("\n");
            lines[3] = `${lines[3][0] === "A" ? "B" : "A"}${lines[3].slice(1)}`;
            const damaged = lines.join("\n");
            expect(lines[2]).to.match(/^[A-Za-z0-9+/]{64}$/);
            const { fix } = onlyProblem(withKey(damaged));
            expect(fix).to.equal(
                `in Pulumi.root.yaml, under config: refarch:users: ${user}:, set pgpKey to keybase:<${user}'s Keybase user name>, or ${user}'s public key on one line as \`gpg --export <${user}'s key id or email> | base64 -w0\` prints it`,
            );
        });

        it("an email or a fingerprint names the key: the fix is the gpg command for it", () => {
            for (const written of ["dana@example.com", "263C2212991B5C59555D7DEA0EEB8E809F69C55C"]) {
                expect(onlyProblem(withKey(written)).fix).to.include(`set pgpKey to the one line \`gpg --export ${written} | base64 -w0\` prints`);
            }
        });
    });

    describe("Pulumi.yaml", () => {
        it("a misspelt refarch:namespace key is told once, against Pulumi.yaml; renamed as the fix says, the namespace is the one written", () => {
            const dir = editedProject((files) => {
                const config = files["Pulumi.yaml"].config;
                config["refarch:namespce"] = config["refarch:namespace"];
                delete config["refarch:namespace"];
            }, base.dir);
            const { problem, fix } = onlyProblem(dir);
            expect(problem).to.match(/^Pulumi\.yaml: refarch:namespce: /);
            applyFix(dir, fix);
            expect(projectProblems(dir)).to.deep.equal([]);
            expect(validated(dir, ROOT).namespace).to.equal(base.namespace);
        });

        it("a namespace with capitals: the fix is the same name in lowercase, not the sample's", () => {
            const written = `${base.namespace[0].toUpperCase()}${base.namespace.slice(1)}Co`;
            const dir = editedProject((files) => setProjectConfig(files, "refarch:namespace", written), base.dir);
            const { fix } = onlyProblem(dir);
            applyFix(dir, fix);
            expect(projectProblems(dir)).to.deep.equal([]);
            expect(validated(dir, ROOT).namespace).to.equal(written.toLowerCase());
        });
    });

    describe("values derived from the one written", () => {
        const stack = base.trialStack;
        /** The stack with `key` set to a wrong value (and `beside` set right), its one fix applied. */
        const fixed = (key: string, value: unknown, beside: Record<string, unknown> = {}) => {
            const dir = editedProject((files) => Object.entries({ ...beside, [key]: value }).forEach(([k, v]) => setStackConfig(files, stack, k, v)), base.dir);
            applyFix(dir, onlyProblem(dir).fix);
            expect(projectProblems(dir)).to.deep.equal([]);
            return validated(dir, stack);
        };

        it("a region without its hyphen is that region", () => {
            const region = base.regionOf(stack);
            expect(fixed("aws:region", region.replace(/-(\d+)$/, "$1")).region).to.equal(region);
        });

        it("a CIDR block with host bits set is its network's block (10.30.1.0/16 -> 10.30.0.0/16)", () => {
            expect(fixed("refarch:network", { cidrBlock: "10.30.1.0/16" }).network?.cidrBlock).to.equal("10.30.0.0/16");
        });

        it("a URL where a domain name belongs is its host", () => {
            expect(fixed("refarch:acmCloudfront", { domainName: "https://www.Example.com/index.html" }).acmCloudfront?.domainName).to.equal("www.example.com");
        });

        it("a hosted zone id as Route 53 prints it (/hostedzone/...) is the id; an EC2 type where an RDS class belongs is that class", () => {
            const domainName = `www.${base.namespace}.example.com`;
            expect(fixed("refarch:acmCloudfront", { domainName, hostedZoneId: "/hostedzone/z0987654321zyxwvu" }).acmCloudfront?.hostedZoneId).to.equal("Z0987654321ZYXWVU");
            const inVpc = { "refarch:network": { cidrBlock: "10.30.0.0/16" } };
            expect(fixed("refarch:auroraPostgres", { instanceClass: "r6g.large" }, inVpc).auroraPostgres?.instanceClass).to.equal("db.r6g.large");
        });

        it("a user name with a space is the same name with a hyphen, in the same teams", () => {
            const dir = editedProject((files) => setStackConfig(files, ROOT, "refarch:users", { ...files["Pulumi.root.yaml"].config["refarch:users"], "frank smith": [team] }), base.dir);
            applyFix(dir, onlyProblem(dir).fix);
            expect(projectProblems(dir)).to.deep.equal([]);
            expect(validated(dir, ROOT).users["frank-smith"]).to.deep.equal({ teams: [team] });
        });
    });
});
