// The organization's config, its limits and its place in the plan; and an organization whose accounts are given by
// id, which has no org stack unless refarch:awsOrganization asks for one. Runs on the create-accounts fixture and,
// for ids, on the organization under test when it gives ids (else on the initech fixture, which does).
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, RawConfig, validateConfig } from "../src/config";
import { evaluateProject, evaluateStack } from "../src/offline/engine";
import { ProjectFiles, readProject, stackConfig, stacksInDeployOrder } from "../src/project";
import { guardrailPolicies, SCP_LIMITS } from "../src/policies";
import { fixture as fixtureOrganization, ofType, org, program } from "./harness";
import { FIXTURE_DIR, fixtureStack, fixtureUnits, json, memberStages, providerOf } from "./organizationFixture";

/** An organization whose accounts are all given by id: the one under test, or a fixture when it creates accounts. */
const byIds = org.managesOrganization ? fixtureOrganization("initech") : org;
const shippedProject = byIds.project;

describe("organization: accounts given by id", function () {
    this.timeout(120_000);

    it("an organization given by ids has no org stack and plans no organization resource", async () => {
        expect(stacksInDeployOrder(shippedProject).flat()).not.to.include("org");
        for (const e of (await byIds.evaluations()).values()) expect(e.resources.filter((r) => r.type.startsWith("aws:organizations/")), e.stack).to.deep.equal([]);
    });

    it("without refarch:awsOrganization, npm start warns, naming what no guardrail then protects", async () => {
        const { run } = await import("../src/plan/cli");
        const { UNGUARDED_WARNING } = await import("../src/components/guardrails");
        const withoutOrganization = Object.fromEntries(Object.entries(shippedProject.projectConfig).filter(([key]) => key !== "refarch:awsOrganization"));
        expect(withoutOrganization["refarch:accounts"], "an organization given by ids").to.be.a("string");
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "no-org-"));
        for (const file of fs.readdirSync(shippedProject.dir).filter((f) => /^Pulumi\.(?!org\.).+\.yaml$/.test(f))) fs.copyFileSync(path.join(shippedProject.dir, file), path.join(dir, file));
        const yaml = fs.readFileSync(path.join(shippedProject.dir, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${path.join(__dirname, "..", "src", "index.ts")}`);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.replace(/^  refarch:awsOrganization:\n(    .*\n|\s*#.*\n)*/m, ""));
        const out: string[] = [];
        const code = await run(["--project", dir, "--out", path.join(dir, "plan")], { stdout: () => undefined, stderr: (t) => out.push(t), color: false, cwd: dir });
        expect(code, out.join("\n")).to.equal(0);
        expect(out).to.include(`warning: root: ${UNGUARDED_WARNING}`);
        for (const unprotected of ["trail", "audit bucket", "access logs", "audit key", "OIDC providers", "deployer's trust", "leave the organization", "root user"]) expect(UNGUARDED_WARNING).to.include(unprotected);
    });

    it("with refarch:awsOrganization set, existing accounts are adopted: no account is created; root, last, attaches each account's own guardrails to its id", async () => {
        const accounts = JSON.parse(shippedProject.projectConfig["refarch:accounts"]) as Record<string, string>;
        const withOrganization: ProjectFiles = {
            ...shippedProject,
            projectConfig: { ...shippedProject.projectConfig, "refarch:awsOrganization": JSON.stringify({}) },
            stackConfigs: { ...shippedProject.stackConfigs, org: { "aws:region": "us-east-1" } },
        };
        expect(stacksInDeployOrder(withOrganization)[0]).to.deep.equal(["org"]);
        const org = await evaluateStack(program, shippedProject.name, "org", stackConfig(withOrganization, "org"));
        if (org.error) throw org.error;
        expect(ofType(org, "aws:organizations/account:Account")).to.deep.equal([]);
        expect(json(providerOf(org).inputs.allowedAccountIds)).to.deep.equal([accounts.root]);
        // The org stack attaches nothing: no account has its deployer when it deploys, first (bootstrap order, issue 25).
        expect(ofType(org, "aws:organizations/policyAttachment:PolicyAttachment")).to.deep.equal([]);
        expect(org.outputs.accountIds).to.deep.equal(accounts);
        // An adopted account stays where it is; root, after every stage, attaches that account's own guardrails to it.
        const root = (await evaluateProject(program, withOrganization)).find((e) => e.stack === "root")!;
        if (root.error) throw root.error;
        const targets = new Set(ofType(root, "aws:organizations/policyAttachment:PolicyAttachment").map((a) => String(a.inputs.targetId)));
        expect([...targets].sort()).to.deep.equal(Object.entries(accounts).filter(([s]) => s !== "root").map(([, id]) => id).sort());
    });
});

describe("organization: config", () => {
    const raw = (stack: string, values: Record<string, unknown>): RawConfig => ({
        organization: "initech",
        project: "refarch",
        stack,
        values: Object.fromEntries(Object.entries({ "refarch:namespace": "initech", "aws:region": "eu-west-1", ...values }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    });
    const problemsOf = (config: RawConfig): string[] => {
        try {
            validateConfig(config);
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            return (err as ConfigError).problems;
        }
        throw new Error("config unexpectedly valid");
    };
    const accounts = { root: "101010101010", prod: { email: "ops+prod@initech.test" }, audit: { email: "ops+audit@initech.test" } };
    const prodAccount = { stage: "prod", accountId: "202020202020", auditAccountId: "303030303030", exempt: "deployer" as const };

    it("an account is an id or { email }; a bad email, a shared email and a stage named org are refused with the fix", () => {
        // The fix is the address written, at the same mailbox, when there is one: never a sample domain, whose mail the
        // account's root user would never get.
        const own = `{ email: "<an address of the prod account's root user, its own>" }`;
        for (const [prod, fix] of [
            [{ email: "not-an-email" }, own],
            [{ email: "ops+prod@initech.test", name: "Production" }, `{ email: "ops+prod@initech.test" }`],
            [{ email: 7 }, own],
            [{ email: "ops prod@initech.test" }, own],
            [{ email: "ops+prod@initech" }, own],
        ] as const) {
            expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, prod } })), JSON.stringify(prod)).to.deep.equal([
                `Pulumi.yaml: refarch:accounts.prod: ${JSON.stringify(prod)} is not { email } with the email address of the account's root user. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set prod: ${fix}`,
            ]);
        }
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, audit: { email: "OPS+prod@initech.test" } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.audit: "OPS+prod@initech.test" is also the email of stage "prod": AWS gives every account its own email address. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set audit: { email: "OPS+audit@initech.test" }`,
        ]);
        // Applied, each fix is valid.
        expect(validateConfig(raw("prod", { "refarch:accounts": { ...accounts, audit: { email: "OPS+audit@initech.test" } } })).accountEmails.audit).to.equal("OPS+audit@initech.test");
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, org: "303030303030" } }))[0]).to.include("refarch:accounts.org: \"org\" is the name of the stack that manages the AWS Organization");
    });

    it("the default units put audit in security and every other member in workloads; a stage in no unit, or in two, is refused", () => {
        const org = validateConfig(raw("org", { "refarch:accounts": accounts }));
        expect(org.awsOrganization?.units).to.deep.equal({ security: ["audit"], workloads: ["prod"] });
        expect(org.accountId).to.equal("101010101010");
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { units: { security: ["audit"] } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.units: "prod" is a stage in no unit: its account would get no guardrails. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: units: security:, add prod`,
        ]);
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { units: { a: ["audit", "prod"], b: ["prod", "root"] } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.units.b: "prod" is also in unit "a": an account sits in one unit. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: units: b:, remove prod`,
            `Pulumi.yaml: refarch:awsOrganization.units.b: "root" is not a stage of refarch:accounts other than root (the management account, in no unit) (valid: prod, audit). Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: units: b:, remove root`,
        ]);
    });

    it("a member stack in a region the region guardrail leaves out is refused, with the list that fixes it", () => {
        const awsOrganization = { guardrails: { allowedRegions: ["us-east-1"] } };
        expect(problemsOf(raw("prod", { "refarch:accounts": accounts, "refarch:awsOrganization": awsOrganization }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: ["us-east-1"] leaves out eu-west-1, where stage "prod" deploys: its own stack would be denied. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails: set allowedRegions: ["us-east-1","eu-west-1"]`,
        ]);
    });

    it("more SCPs than a target holds, or one over 5,120 characters, is refused before anything is created", () => {
        const deny = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: action, Resource: "*" }] });
        const tooMany = { guardrails: { allowedRegions: ["eu-west-1"], custom: { a: deny("ec2:*"), b: deny("rds:*"), c: deny("sqs:*") } } };
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": tooMany }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails: "(as set)" makes 5 SCPs for every member account; AWS allows 5 per target, one of them FullAWSAccess, so at most 4. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails:, merge or remove custom policies`,
        ]);
        const huge = { guardrails: { custom: { big: deny(Array.from({ length: 400 }, (_, i) => `ec2:Action${i}`) as unknown as string) } } };
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": huge }))[0]).to.match(/makes the SCP "custom-big" of stage \S+ \d+ characters; AWS allows 5120/);
    });

    it("a guardrail region, region list, custom SCP name or document, and a unit name that AWS would refuse are each named with the edit that fixes it", () => {
        const refused = (awsOrganization: unknown) => problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": awsOrganization }));
        const under = "Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value:";
        expect(refused({ guardrails: { allowedRegions: ["eu-west-1", "mars-1", 7] } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: "mars-1" is not an AWS region (the nearest name is "ca-west-1"). ${under} guardrails: in the list allowedRegions, replace "mars-1" with ca-west-1`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: 7 is not an AWS region. ${under} guardrails: in the list allowedRegions, replace 7 with <a region your stages deploy to, such as us-east-1>`,
        ]);
        expect(refused({ guardrails: { allowedRegions: [] } })).to.deep.equal([`Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: [] must list at least one region. ${under} guardrails: set allowedRegions: [us-east-1]`]);
        expect(refused({ guardrails: { allowedRegions: "eu-west-1" } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: "eu-west-1" must be a list of AWS regions. ${under} guardrails: set allowedRegions: [us-east-1, eu-west-1]`,
        ]);
        const denyAll = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };
        expect(refused({ guardrails: { custom: { Deny_All: denyAll } } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.Deny_All: "Deny_All" is not a usable policy name: use lowercase letters, digits and single hyphens. ${under} guardrails: custom:, rename Deny_All to a name like deny-all`,
        ]);
        const statements = '[{ Effect: Deny, Action: "ec2:*", Resource: "*" }]';
        expect(refused({ guardrails: { custom: { a: { Version: "2008-10-17", Statement: [] }, b: { Version: "2012-10-17", Statement: "x", Extra: 1 }, c: "x" } } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.a.Version: "2008-10-17" must be "2012-10-17"; did you mean "2012-10-17"? ${under} guardrails: custom: a: set Version: 2012-10-17`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.a.Statement: [] must hold at least one statement. ${under} guardrails: custom: a: set Statement: ${statements}`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.b.Statement: "x" must be a list of policy statements. ${under} guardrails: custom: b: set Statement: ${statements}`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.b.Extra: 1 is not a setting of refarch:awsOrganization.guardrails.custom.b (valid: Version, Statement). ${under} guardrails: custom: b: remove Extra`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.custom.c: "x" must be an SCP document { Version, Statement }. ${under} guardrails: custom: set c: { Version: "2012-10-17", Statement: ${statements} }`,
        ]);
        expect(refused({ guardrails: { leaveOrganization: "yes", extra: 1 } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.leaveOrganization: "yes" must be true or false. ${under} guardrails: set leaveOrganization: true`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.extra: 1 is not a setting of refarch:awsOrganization.guardrails (valid: leaveOrganization, auditTrail, rootUser, allowedRegions, accessRole, custom). ${under} guardrails: remove extra`,
        ]);
        expect(refused({ guardrails: "x" })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails: "x" must be { leaveOrganization?, auditTrail?, rootUser?, allowedRegions?, accessRole?, custom? }. ${under} set guardrails: { allowedRegions: [us-east-1] }`,
        ]);
        // A unit name that forms nothing usable is renamed to the example.
        expect(refused({ units: { "Work Loads": ["prod"], "9": ["audit"] } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.units.9: "9" is not a usable unit name: use lowercase letters, digits and single hyphens. ${under} units:, rename 9 to a name like workloads`,
            `Pulumi.yaml: refarch:awsOrganization.units.Work Loads: "Work Loads" is not a usable unit name: use lowercase letters, digits and single hyphens. ${under} units:, rename "Work Loads" to a name like work-loads`,
        ]);
    });

    it("the org stack refuses a baseline or component setting, which belongs to root's stack (the management account's)", () => {
        const why = "is not read by the org stack, which only manages the AWS Organization: the management account's baseline and components belong to the root stack";
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:baseline": { accessAnalyzer: false }, "refarch:network": { cidrBlock: "10.0.0.0/16" } }))).to.deep.equal([
            `Pulumi.org.yaml: refarch:baseline: "(set)" ${why}. Fix: move refarch:baseline from Pulumi.org.yaml to Pulumi.root.yaml`,
            `Pulumi.org.yaml: refarch:network: "(set)" ${why}. Fix: move refarch:network from Pulumi.org.yaml to Pulumi.root.yaml`,
        ]);
    });

    it("refarch:accessRole is true or false", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": accounts, "refarch:accessRole": "sometimes" }))).to.deep.equal([
            `Pulumi.prod.yaml: refarch:accessRole: "sometimes" must be true or false. Fix: in Pulumi.prod.yaml, under config: set refarch:accessRole: true`,
        ]);
    });

    it("refarch:accessRole on a stack whose account is given by id would be ignored, so it is refused", () => {
        expect(problemsOf(raw("root", { "refarch:accounts": accounts, "refarch:accessRole": false }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:accessRole: "false" is read only for an account the org stack creates, and stage "root" is not one (its account is given by id, or is the management account). Fix: in Pulumi.root.yaml, under config: remove refarch:accessRole`,
        ]);
    });

    it("every guardrail is on unless switched off: with no guardrails settings, or settings naming only the regions", () => {
        const allOn = { leaveOrganization: true, auditTrail: true, rootUser: true, accessRole: "mfa" };
        const policiesOf = (awsOrganization: unknown) =>
            guardrailPolicies({ partition: "aws", namespace: "initech" }, prodAccount, validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": awsOrganization })).awsOrganization!.guardrails);
        expect(policiesOf({})).to.deep.equal(policiesOf({ guardrails: allOn }));
        expect(policiesOf({ guardrails: { allowedRegions: ["eu-west-1"] } })).to.deep.equal(policiesOf({ guardrails: { ...allOn, allowedRegions: ["eu-west-1"] } }));
    });

    it("each guardrail can be switched off: with all off and no regions, only the access role's limit is left, and with the deployer off (the access role exempt) no SCP is made", () => {
        const off = validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { guardrails: { leaveOrganization: false, auditTrail: false, rootUser: false } } }));
        const { protect, ...rest } = guardrailPolicies({ partition: "aws", namespace: "initech" }, prodAccount, off.awsOrganization!.guardrails);
        expect(rest).to.deep.equal({});
        expect(protect.Statement.map((st) => st.Sid)).to.deep.equal(["LimitAccessRole"]);
        expect(guardrailPolicies({ partition: "aws", namespace: "initech" }, { ...prodAccount, exempt: "accessRole" }, off.awsOrganization!.guardrails)).to.deep.equal({});
    });

    it("refarch:awsOrganization.guardrails.accessRole takes mfa (the default) or denied; anything else is named with its fix", () => {
        expect(validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": {} })).awsOrganization!.guardrails.accessRole).to.equal("mfa");
        expect(validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { guardrails: { accessRole: "denied" } } })).awsOrganization!.guardrails.accessRole).to.equal("denied");
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { guardrails: { accessRole: "open" } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.accessRole: "open" must be one of mfa, denied. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails: set accessRole: mfa`,
        ]);
    });
});

describe("organization: 100 accounts and an 18-character namespace", function () {
    this.timeout(240_000);
    const namespace = "acmecorp-platforms";
    const stages = ["root", "audit", ...Array.from({ length: 98 }, (_, i) => `workload-${String(i + 1).padStart(3, "0")}`)];
    const values = {
        "refarch:namespace": namespace,
        "refarch:accounts": JSON.stringify(Object.fromEntries(stages.map((s) => [s, { email: `aws+${s}@acmecorp.example` }]))),
        "refarch:awsOrganization": JSON.stringify({ guardrails: { allowedRegions: ["us-east-1", "eu-west-1"], custom: { "deny-expensive": { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["ec2:PurchaseReservedInstancesOffering"], Resource: "*" }] } } } }),
        "aws:region": "us-east-1",
        "pulumi:disable-default-providers": JSON.stringify(["aws"]),
    };

    it("every SCP root attaches stays inside 5,120 characters (as the SDK sends it) and every account inside 5 SCPs; the audit stack's policies fit too", async () => {
        expect(namespace).to.have.length(18);
        expect(() => validateConfig({ organization: "acme-org", project: "refarch", stack: "audit", values })).not.to.throw();
        const org = await evaluateStack(program, "refarch", "org", values);
        if (org.error) throw org.error;
        expect(ofType(org, "aws:organizations/account:Account")).to.have.length(99);
        const ids = org.outputs.accountIds as Record<string, string>;
        // Every member stage deployed its deployer; root, last, attaches the guardrails.
        const reference = (stack: string) => `acme-org/refarch/${stack}`;
        const audit = await evaluateStack(program, "refarch", "audit", values, { deployedOutputs: { [reference("org")]: org.outputs }, organization: "acme-org" });
        if (audit.error) throw audit.error;
        const deployedOutputs = Object.fromEntries([
            [reference("org"), org.outputs],
            ...stages.filter((s) => s !== "root").map((s) => [reference(s), { accountId: ids[s], roles: {}, deployerRoleArn: `arn:aws:iam::${ids[s]}:role/${namespace}-${s}-deployer` }]),
            [reference("audit"), audit.outputs],
        ]);
        const root = await evaluateStack(program, "refarch", "root", values, { deployedOutputs, organization: "acme-org" });
        if (root.error) throw root.error;
        const policies = ofType(root, "aws:organizations/policy:Policy");
        // The SDK sends the content string as given: its length is what AWS counts.
        for (const p of policies) expect(String(p.inputs.content).length, String(p.inputs.name)).to.be.at.most(SCP_LIMITS.characters);
        expect(policies.length).to.be.at.most(SCP_LIMITS.perOrganization);
        const perTarget = new Map<unknown, number>();
        for (const a of ofType(root, "aws:organizations/policyAttachment:PolicyAttachment")) perTarget.set(a.inputs.targetId, (perTarget.get(a.inputs.targetId) ?? 0) + 1);
        expect(perTarget.size).to.equal(99);
        for (const [target, count] of perTarget) expect(count + 1, String(target)).to.be.at.most(SCP_LIMITS.perTarget);
    });
});

describe("organization: in the plan", function () {
    this.timeout(180_000);

    it("npm start shows the organization tree and the guardrails before the stacks, and draws them in architecture.md", async () => {
        const { run } = await import("../src/plan/cli");
        const out: string[] = [];
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "org-plan-"));
        const code = await run(["--project", FIXTURE_DIR, "--out", dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), color: false, cwd: FIXTURE_DIR });
        expect(code, out.join("\n")).to.equal(0);
        const text = out.join("\n");
        const ids = (await fixtureStack("org")).outputs.accountIds as Record<string, string>;
        const tree = text.slice(text.indexOf("Organization "), text.indexOf("\norg "));
        for (const [unit, stages] of Object.entries(fixtureUnits)) {
            expect(tree).to.match(new RegExp(`${unit} ou-[0-9a-z]+-[0-9a-z]+\n`));
            for (const stage of stages) expect(tree).to.include(`${stage} ${ids[stage]}  created, protected, retained on delete  guardrails: protect, regions`);
        }
        for (const stage of memberStages) expect(text).to.match(new RegExp(`\\n  ${stage} +(\\d+)/\\1 denied`));
        const architecture = fs.readFileSync(path.join(dir, "architecture.md"), "utf8");
        for (const stage of memberStages) expect(architecture).to.include(`account_${stage}["${stage}<br/>${ids[stage]}<br/>guardrails: protect, regions"]`);
    });
});

describe("organization: project files", () => {
    it("accounts to create with no Pulumi.org.yaml are refused, naming the file to create and its two lines", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "org-files-"));
        for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f) && f !== "Pulumi.org.yaml")) fs.copyFileSync(path.join(FIXTURE_DIR, file), path.join(dir, file));
        expect(() => readProject(dir)).to.throw(/need the "org" stack that manages the AWS Organization, and it has no stack file\. Fix: create Pulumi\.org\.yaml with these two lines/);
    });
});
