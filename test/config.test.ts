// Bad config gets one error naming every problem: the file and key, the bad value, why, and a fix that is
// correct as written. These tests run on an organization of their own (test/configFixture.ts), so their exact
// messages do not depend on the shipped Pulumi.*.yaml; the shipped config is checked like any other by the other files.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, validateConfig } from "../src/config";
import { run } from "../src/plan/cli";
import { readProject } from "../src/project";
import { ACCOUNTS, problemsOf, raw, ROLES, TEAMS } from "./configFixture";
import { created, org, repoRoot } from "./harness";

describe("config errors: file, key, value, why and a fix that is correct as written", () => {
    it("accepts the organization these tests start from", () => {
        for (const stack of Object.keys(ACCOUNTS)) expect(() => validateConfig(raw(stack)), stack).not.to.throw();
    });

    it("a stack whose name is not a stage: says so, lists the stages, and gives the edit to Pulumi.yaml", () => {
        expect(problemsOf(raw("qa"))).to.deep.equal([
            `Pulumi.qa.yaml: "qa" (the stack's name, which is its stage unless refarch:stage says otherwise) is not a stage of refarch:accounts (valid: root, prod, staging, audit). ` +
                `Fix: in Pulumi.yaml, under config: refarch:accounts: value:, add qa: "<its 12-digit account id>"; or use the stack of an existing stage (pulumi stack select root)`,
        ]);
    });

    it("a misspelt refarch:stage gets a did-you-mean and the edit to the stack file", () => {
        expect(problemsOf(raw("pr-7", { "refarch:stage": "stagin" }))).to.deep.equal([
            `Pulumi.pr-7.yaml: refarch:stage: "stagin" is not a stage of refarch:accounts (valid: root, prod, staging, audit); did you mean "staging"? ` +
                `Fix: in Pulumi.pr-7.yaml, set refarch:stage to one of root, prod, staging, audit, or add stagin with its account id under refarch:accounts in Pulumi.yaml`,
        ]);
    });

    it("an unquoted 12-digit id is told to be quoted; one that lost its leading zero gets its digits back", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, prod: 202020202020, staging: 30303030303 } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.prod: 202020202020 is a YAML number, not text: quote it so no tool reads it as a number. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set prod: "202020202020"`,
            `Pulumi.yaml: refarch:accounts.staging: 30303030303 was read as the number 30303030303: YAML dropped its leading zeros. Quote it. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set staging: "030303030303"`,
        ]);
    });

    it("a stage with a bad id is reported once, as a bad id: it is still a stage, so nothing else cascades from it", () => {
        const accounts = { ...ACCOUNTS, prod: "2020" };
        const expected = `Pulumi.yaml: refarch:accounts.prod: "2020" is not a 12-digit AWS account id. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set prod: "<the 12-digit id of the prod account>"`;
        expect(problemsOf(raw("root", { "refarch:accounts": accounts }))).to.deep.equal([expected]);
        expect(problemsOf(raw("prod", { "refarch:accounts": accounts }))).to.deep.equal([expected]);
    });

    it("two stages in one account, and no root stage", () => {
        const { root: _root, ...withoutRoot } = ACCOUNTS;
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...withoutRoot, staging: ACCOUNTS.prod } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.staging: "${ACCOUNTS.prod}" is also the account of stage "prod": every stage needs its own account. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set staging: "<the 12-digit id of the staging account>"`,
            `Pulumi.yaml: refarch:accounts.root: (not set) is missing: root holds the users who reach every other account. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set root: "<the 12-digit id of your management account>"`,
        ]);
    });

    it("an unknown key gets a did-you-mean and the rename to make", () => {
        expect(problemsOf(raw("staging", { "refarch:netwrok": { cidrBlock: "10.1.0.0/16" } }))).to.deep.equal([
            `Pulumi.staging.yaml: refarch:netwrok: "{\\"cidrBlock\\":\\"10.1.0.0/16\\"}" is not a key this program reads; did you mean "refarch:network"? Fix: in Pulumi.staging.yaml, under config: rename refarch:netwrok to refarch:network (or remove it)`,
        ]);
    });

    it("an unknown key like none the program reads is refused with the keys it does read", () => {
        const [problem, ...more] = problemsOf(raw("prod", { "refarch:qqqqqqqq": "1" }));
        expect(more).to.deep.equal([]);
        expect(problem).to.match(/^Pulumi\.prod\.yaml: refarch:qqqqqqqq: "1" is not a key this program reads \(it reads refarch:namespace, refarch:accounts, .*, aws:region, .*\)\. Fix: in Pulumi\.prod\.yaml, under config: remove refarch:qqqqqqqq$/);
    });

    it("aws:allowedAccountIds is refused: the account is written once, in refarch:accounts", () => {
        expect(problemsOf(raw("prod", { "aws:allowedAccountIds": [ACCOUNTS.prod] }))).to.deep.equal([
            `Pulumi.prod.yaml: aws:allowedAccountIds: "[\\"${ACCOUNTS.prod}\\"]" is no longer read: the stack's AWS provider takes its one allowed account from refarch:accounts in Pulumi.yaml. Fix: in Pulumi.prod.yaml, under config: remove aws:allowedAccountIds`,
        ]);
    });

    it("any other aws: key the provider would ignore is refused, naming the keys the program does read", () => {
        expect(problemsOf(raw("prod", { "aws:skipCredentialsValidation": "true" }))).to.deep.equal([
            `Pulumi.prod.yaml: aws:skipCredentialsValidation: "true" would be ignored: the stack's AWS provider is built by the program from refarch:accounts and aws:region, aws:profile, aws:assumeRoles. Fix: in Pulumi.prod.yaml, under config: remove aws:skipCredentialsValidation`,
        ]);
    });

    it("a misspelt team, stage and role in root's config each get a did-you-mean and the edit", () => {
        const teams = { ...TEAMS, developers: { access: { stagng: "admin", prod: "readonli" } } };
        expect(problemsOf(raw("root", { "refarch:teams": teams, "refarch:users": { dana: ["platfrom"] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:teams.developers.access.stagng: "stagng" is not a stage of refarch:accounts (stages: root, prod, staging, audit, or "*" for every one). Fix: in Pulumi.yaml, under config: refarch:accounts: value:, add stagng: "<its 12-digit account id>" (or { email: <its address> } for the org stack to create it), and create Pulumi.stagng.yaml with its aws:region; or, if you meant staging, in Pulumi.root.yaml, under config: refarch:teams: developers: access:, rename stagng to staging`,
            `Pulumi.root.yaml: refarch:teams.developers.access.prod: "readonli" is not a role of refarch:roles (valid: admin, readonly); did you mean "readonly"? Fix: in Pulumi.root.yaml, under config: refarch:teams: developers: access:, for prod, write readonly instead of readonli`,
            `Pulumi.root.yaml: refarch:users.dana: "platfrom" is not a team of refarch:teams (valid: platform, developers); did you mean "platform"? Fix: in Pulumi.root.yaml, under config: refarch:users:, in the list dana, replace platfrom with platform`,
        ]);
    });

    it("a key read only by another stage says which file to move it to, not a command", () => {
        expect(problemsOf(raw("prod", { "refarch:teams": TEAMS }))).to.deep.equal([
            `Pulumi.prod.yaml: refarch:teams: "(set)" is read only by the root stack, and this stack deploys stage "prod". Fix: move refarch:teams from Pulumi.prod.yaml to Pulumi.root.yaml`,
        ]);
    });

    it("structural problems come from the schema, one per key, each with the value to set", () => {
        const roles = { admin: { policyArns: ["AdministratorAccess"], maxSessionDuration: 60, requireMfa: "yes", mfa: true } };
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin.policyArns: "AdministratorAccess" is not an IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: in the list policyArns, replace "AdministratorAccess" with "arn:aws:iam::aws:policy/ReadOnlyAccess"`,
            `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set maxSessionDuration: 3600`,
            `Pulumi.yaml: refarch:roles.admin.requireMfa: "yes" must be true or false. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set requireMfa: true`,
            `Pulumi.yaml: refarch:roles.admin.mfa: true is not a setting of refarch:roles.admin (valid: policyArns, maxSessionDuration, requireMfa). Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: remove mfa`,
        ]);
    });

    it("a policy ARN must be the whole value, and policyArns a list of them", () => {
        const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        const roles = { admin: { policyArns: [` ${arn}`, `${arn} `, `x${arn}`] }, readonly: { policyArns: arn } };
        const fix = (role: string) => `Fix: in Pulumi.yaml, under config: refarch:roles: value: ${role}:`;
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            ...[` ${arn}`, `${arn} `, `x${arn}`].map((bad) => `Pulumi.yaml: refarch:roles.admin.policyArns: "${bad}" is not an IAM managed policy ARN. ${fix("admin")} in the list policyArns, replace "${bad}" with "${arn}"`),
            `Pulumi.yaml: refarch:roles.readonly.policyArns: "${arn}" must be a list of IAM managed policy ARNs. ${fix("readonly")} set policyArns: ["${arn}"]`,
        ]);
    });

    it("a map written as something else says what it must be, with a map to set", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": "101010101010" }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts: 101010101010 must be a map of stage -> 12-digit account id (quoted) or { email } that includes root. ` +
                `Fix: in Pulumi.yaml, under config: refarch:accounts: set value: { root: "<your management account's 12-digit id>" }`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:roles": ["admin"] }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles: ["admin"] must be a map of role name -> { policyArns, maxSessionDuration?, requireMfa? }. ` +
                `Fix: in Pulumi.yaml, under config: refarch:roles: set value: { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } }`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:roles": { ...ROLES, admin: "AdministratorAccess" } }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin: "AdministratorAccess" must be { policyArns, maxSessionDuration?, requireMfa? }. ` +
                `Fix: in Pulumi.yaml, under config: refarch:roles: value: set admin: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }`,
        ]);
    });

    it("an empty refarch:organization is refused with a name to set", () => {
        expect(problemsOf(raw("prod", { "refarch:organization": "" }))).to.deep.equal([
            `Pulumi.yaml: refarch:organization: "" must be the name of a Pulumi Cloud organization. Fix: in Pulumi.yaml, under config: refarch:organization: set value: <your Pulumi Cloud organization's name>`,
        ]);
    });

    it("aws:region must be a region AWS has, in a partition whose ARNs the program forms (the cases and their fixes: config.regions.test.ts)", () => {
        for (const region of ["ap-southeast-7", "eu-central-2", "mx-central-1"]) expect(validateConfig(raw("prod", { "aws:region": region })).region, region).to.equal(region);
        for (const region of ["us-east-1a", "aus-east-1", "ap-southeast-10", "us-iso-east-1"]) expect(problemsOf(raw("prod", { "aws:region": region })), region).to.have.length(1);
    });

    it("a Pulumi organization named with digits alone is read as the text written, not as a number", () => {
        expect(validateConfig(raw("prod", { "refarch:organization": "2024" })).organization).to.equal("2024");
    });

    it("a misspelt setting inside an area gets the rename, and a misspelt choice the right spelling", () => {
        expect(problemsOf(raw("staging", { "refarch:network": { cidrBlok: "10.1.0.0/16", natGateways: { strategy: "single" } } }))).to.deep.equal([
            `Pulumi.staging.yaml: refarch:network.cidrBlock: (not set) is not an IPv4 CIDR block. Fix: in Pulumi.staging.yaml, under config: refarch:network: set cidrBlock: 10.0.0.0/16`,
            `Pulumi.staging.yaml: refarch:network.natGateways.strategy: "single" must be one of None, Single, OnePerAz; did you mean "Single"? Fix: in Pulumi.staging.yaml, under config: refarch:network: natGateways: set strategy: Single`,
            `Pulumi.staging.yaml: refarch:network.cidrBlok: "10.1.0.0/16" is not a setting of refarch:network (valid: cidrBlock, numberOfAvailabilityZones, natGateways). Fix: in Pulumi.staging.yaml, under config: refarch:network: rename cidrBlok to cidrBlock (or remove it)`,
        ]);
    });

    it("protect must be a boolean, and cannot be true in testing", () => {
        expect(problemsOf(raw("prod", { "refarch:protect": "yes" }))).to.deep.equal([`Pulumi.prod.yaml: refarch:protect: "yes" must be true or false. Fix: in Pulumi.prod.yaml, under config: set refarch:protect: true`]);
        const testing = raw("testing", { "refarch:accounts": { ...ACCOUNTS, testing: "505050505050" }, "refarch:protect": true });
        expect(problemsOf(testing)).to.deep.equal([
            `Pulumi.testing.yaml: refarch:protect: true cannot be true in testing: testing is destroyed often and must destroy with no manual step. Fix: in Pulumi.testing.yaml, under config: set refarch:protect: false`,
        ]);
    });

    // The fix is the name written made usable, never the sample's namespace.
    for (const [bad, fixed] of [["Acme", "acme"], ["Umbrella", "umbrella"], ["acme_co", "acme-co"], ["-acme", "acme"], ["acme-", "acme"], ["xn--acme", "xn-acme"]]) {
        it(`refuses the namespace ${JSON.stringify(bad)}, which cannot form bucket and IAM names, with ${fixed} as the fix`, () => {
            const [problem, ...rest] = problemsOf(raw("prod", { "refarch:namespace": bad }));
            expect(rest).to.deep.equal([]);
            expect(problem).to.match(new RegExp(`^Pulumi\\.yaml: refarch:namespace: ${JSON.stringify(bad)} .*\\. Fix: in Pulumi\\.yaml, under config: refarch:namespace: set value: ${fixed}$`));
            expect(validateConfig(raw("prod", { "refarch:namespace": fixed })).namespace).to.equal(fixed);
        });
    }

    it("a missing namespace and region are each named with the value to set", () => {
        expect(problemsOf(raw("prod", { "refarch:namespace": undefined, "aws:region": undefined }))).to.deep.equal([
            `Pulumi.yaml: refarch:namespace: (not set) is not a usable namespace (it prefixes S3 bucket and IAM names): use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: <a short lowercase name for your organization>`,
            `Pulumi.prod.yaml: aws:region: (not set) is not an AWS region. Fix: in Pulumi.prod.yaml, under config: set aws:region: <the region this stack deploys to, such as us-east-1>`,
        ]);
    });

    it("the error lists every problem, numbered, under one header", () => {
        expect(() => validateConfig(raw("prod", { "refarch:namespace": "ACME", "aws:region": "moon-1" }))).to.throw(
            ConfigError,
            /^Config of stack "prod" \(Pulumi\.yaml \+ Pulumi\.prod\.yaml\) has 2 problems; nothing was created:\n {2}1\. Pulumi\.yaml: refarch:namespace: "ACME" .*\n {2}2\. Pulumi\.prod\.yaml: aws:region: "moon-1" is not an AWS region \(the nearest name is "/,
        );
    });

    it("nothing is registered from a config that failed (the real program under the engine)", async () => {
        const evaluation = await org.evaluateWith(org.trialStack, { "refarch:netwrok": "{}" });
        expect(evaluation.error).to.be.instanceOf(ConfigError);
        expect(evaluation.resources).to.deep.equal([]);
        expect(created(evaluation)).to.deep.equal([]);
    });
});

describe("config defaults", () => {
    it("defaults roles to admin and readonly with MFA and one-hour sessions", () => {
        const config = validateConfig(raw("prod", { "refarch:roles": undefined }));
        expect(config.roles).to.deep.equal({
            admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], maxSessionDuration: 3600, requireMfa: true },
            readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], maxSessionDuration: 3600, requireMfa: true },
        });
    });

    it("protects root, prod and audit by default and nothing else; refarch:protect overrides", () => {
        const accounts = { ...ACCOUNTS, dev: "606060606060" };
        const protect = (stack: string, changes = {}) => validateConfig(raw(stack, { "refarch:accounts": accounts, ...changes })).protect;
        expect(Object.fromEntries(Object.keys(accounts).map((s) => [s, protect(s)]))).to.deep.equal({ root: true, prod: true, staging: false, audit: true, dev: false });
        expect(protect("prod", { "refarch:protect": false })).to.equal(false);
        expect(protect("dev", { "refarch:protect": true })).to.equal(true);
    });

    it("takes the stage from refarch:stage over the stack name, and names a review stack's resources after the stack", () => {
        const config = validateConfig(raw("pr-42", { "refarch:accounts": { ...ACCOUNTS, testing: "505050505050" }, "refarch:stage": "testing" }));
        expect(config.stage).to.equal("testing");
        expect(config.namePrefix).to.equal("initrode-pr-42");
    });

    it("expands a \"*\" grant to every stage, and the stack's provider allows only its own account", () => {
        const config = validateConfig(raw("root"));
        expect(config.teams.platform.map((g) => g.stage)).to.deep.equal(Object.keys(ACCOUNTS));
        expect(config.awsProvider.allowedAccountIds).to.deep.equal([ACCOUNTS.root]);
    });
});

describe("project files: problems found before any stack runs, reported once", () => {
    const temporary: string[] = [];
    after(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    /** A project directory of its own, running the repository's program. */
    function projectDir(files: Record<string, string>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-config-"));
        temporary.push(dir);
        const main = path.join(repoRoot, "src", "index.ts");
        const pulumiYaml =
            `name: refarch\nruntime: nodejs\nmain: ${JSON.stringify(main)}\nconfig:\n  pulumi:disable-default-providers: ["aws"]\n  refarch:namespace:\n    value: initrode\n` +
            `  refarch:accounts:\n    value:\n${Object.entries(ACCOUNTS).map(([s, id]) => `      ${s}: "${id}"\n`).join("")}`;
        const all: Record<string, string> = { "Pulumi.yaml": pulumiYaml, ...Object.fromEntries(Object.keys(ACCOUNTS).map((s) => [`Pulumi.${s}.yaml`, "config:\n  aws:region: eu-west-1\n"])), ...files };
        for (const [name, text] of Object.entries(all)) if (text !== "") fs.writeFileSync(path.join(dir, name), text);
        return dir;
    }

    async function plan(dir: string): Promise<{ code: number; stderr: string }> {
        const err: string[] = [];
        const code = await run(["--project", dir, "--out", path.join(dir, "out")], { stdout: () => undefined, stderr: (t) => err.push(t), color: false, cwd: dir });
        expect(fs.existsSync(path.join(dir, "out")), "a plan was written").to.equal(false);
        return { code, stderr: err.join("\n") };
    }

    it("a YAML syntax error names the file, line and column, and says no plan was written", async () => {
        const { code, stderr } = await plan(projectDir({ "Pulumi.staging.yaml": "config:\n  aws:region: [eu-west-1\n" }));
        expect(code).to.equal(2);
        expect(stderr).to.match(/^ {2}1\. Pulumi\.staging\.yaml: line 3, column 1: not valid YAML: unexpected end of the stream within a flow collection\. Fix: correct Pulumi\.staging\.yaml at that place/m);
        expect(stderr).to.include("No plan written;");
    });

    it("a stage with no stack file is reported as exactly that, with the two lines to write", async () => {
        const { code, stderr } = await plan(projectDir({ "Pulumi.staging.yaml": "" }));
        expect(code).to.equal(2);
        expect(stderr).to.include(
            `Pulumi.yaml: refarch:accounts.staging: stage "staging" has no stack file, so no stack deploys its account. Fix: create Pulumi.staging.yaml with these two lines (any region you like):\n       config:\n         aws:region: eu-west-1\n`,
        );
        expect(stderr).not.to.include("not deployed yet");
    });

    it("a problem in Pulumi.yaml is reported once for every stack, not once per stack", async () => {
        const dir = projectDir({});
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8").replace(`prod: "${ACCOUNTS.prod}"`, "prod: 2020"));
        const { code, stderr } = await plan(dir);
        expect(code).to.equal(2);
        const problem = `Pulumi.yaml: refarch:accounts.prod: 2020 was read as the number 2020`;
        expect(stderr.split(problem).length - 1, stderr).to.equal(1);
        expect(stderr).to.match(/^Pulumi\.yaml, read by every stack, has 1 problem; nothing was created:\n {2}1\. Pulumi\.yaml: refarch:accounts\.prod: 2020 /);
        expect(stderr).not.to.include("is not a stage");
    });

    /** A project directory whose Pulumi.yaml also sets `extra` (YAML lines under config:). */
    const withProjectLines = (extra: string, files: Record<string, string> = {}) => {
        const dir = projectDir(files);
        fs.appendFileSync(path.join(dir, "Pulumi.yaml"), extra);
        return dir;
    };
    const stackFiles = Object.keys(ACCOUNTS).sort().map((s) => `Pulumi.${s}.yaml`);

    it("a per-stack key in Pulumi.yaml (it would put a VPC into every account) is refused once, with the stack files it reaches", async () => {
        const { code, stderr } = await plan(withProjectLines("  refarch:network:\n    value:\n      cidrBlock: 10.1.0.0/16\n"));
        expect(code).to.equal(2);
        const problem =
            `Pulumi.yaml: refarch:network: {"cidrBlock":"10.1.0.0/16"} is set per stack, in Pulumi.<stack>.yaml: in Pulumi.yaml it applies to every stack that does not set its own. ` +
            `Fix: move refarch:network from Pulumi.yaml to the Pulumi.<stack>.yaml of each stage that needs it (it now applies to ${stackFiles.join(", ")})`;
        expect(stderr, stderr).to.include(`have 1 problem; nothing was evaluated:\n  1. ${problem}\n`);
        expect(stderr.split("refarch:network").length - 1, stderr).to.equal(2);
    });

    it("aws:region in Pulumi.yaml: moved to the stack files that lack their own, or removed when every one has it; the fix applied is valid", async () => {
        const { stderr } = await plan(withProjectLines("  aws:region: eu-west-2\n", { "Pulumi.prod.yaml": "config:\n  refarch:protect: true\n" }));
        expect(stderr).to.include(`Pulumi.yaml: aws:region: "eu-west-2" is set per stack, in Pulumi.<stack>.yaml: in Pulumi.yaml it applies to every stack that does not set its own. Fix: move aws:region from Pulumi.yaml to the Pulumi.<stack>.yaml of each stage that needs it (it now applies to Pulumi.prod.yaml)`);
        const everyStackSetsIt = withProjectLines("  aws:region: eu-west-2\n");
        expect((await plan(everyStackSetsIt)).stderr).to.include(`Pulumi.yaml: aws:region: "eu-west-2" is set per stack, in Pulumi.<stack>.yaml: in Pulumi.yaml it applies to every stack that does not set its own. Fix: in Pulumi.yaml, under config: remove aws:region (every stack file sets its own)`);
        // The fix as written: Pulumi.yaml without it, Pulumi.prod.yaml with it.
        const fixed = projectDir({ "Pulumi.prod.yaml": "config:\n  refarch:protect: true\n  aws:region: eu-west-2\n" });
        expect(() => readProject(fixed)).not.to.throw();
    });

    it("a key only root reads, in Pulumi.yaml, is told to move to Pulumi.root.yaml", async () => {
        const { stderr } = await plan(withProjectLines("  refarch:teams:\n    value:\n      platform: { access: { \"*\": admin } }\n"));
        expect(stderr).to.include(
            `Pulumi.yaml: refarch:teams: {"platform":{"access":{"*":"admin"}}} is read only by the root stack, from Pulumi.root.yaml. Fix: move refarch:teams from Pulumi.yaml to Pulumi.root.yaml`,
        );
    });
});
