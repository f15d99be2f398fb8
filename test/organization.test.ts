// The organization: with accounts given as { email }, the org stack creates them before anything else and
// every other stack gets its account id from it; with ids given, nothing changes. Runs on a fixture of its
// own (test/fixtures/create-accounts: no account id in any file) and on the shipped, id-form example.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, RawConfig, validateConfig } from "../src/config";
import { evaluateProject, evaluateStack, mockAccountId, ProjectFiles, readProject, stackConfig, StackEvaluation, stacksInDeployOrder } from "../src/offline/engine";
import { guardrailPolicies, ORGANIZATION_ACCESS_ROLE, SCP_LIMITS } from "../src/guardrails";
import { policySize } from "../src/policies";
import { ofType, oncePerMutant, org, orSkip, program } from "./harness";

/** The organization under test (the shipped example unless REFARCH_PROJECT says otherwise), in id form. */
const shippedProject = org.project;

const FIXTURE_DIR = path.join(__dirname, "fixtures", "create-accounts");
const fixture: ProjectFiles = readProject(FIXTURE_DIR);
const fixtureAccounts = JSON.parse(fixture.projectConfig["refarch:accounts"]) as Record<string, { email: string }>;
const fixtureUnits = (JSON.parse(fixture.projectConfig["refarch:awsOrganization"]) as { units: Record<string, string[]> }).units;
const memberStages = Object.keys(fixtureAccounts).filter((s) => s !== "root");

const fixtureStacks = oncePerMutant(() => evaluateProject(program, fixture).then((all) => new Map(all.map((e) => [e.stack, e]))));
async function fixtureStack(stack: string): Promise<StackEvaluation> {
    const e = (await fixtureStacks()).get(stack)!;
    if (e.error) throw e.error;
    return e;
}

const providerOf = (e: StackEvaluation) => e.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws")!;
const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

describe("organization: accounts created from { email }", function () {
    this.timeout(120_000);

    it("no account id is written in any file of the create-accounts project", () => {
        for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
            expect(fs.readFileSync(path.join(FIXTURE_DIR, file), "utf8"), file).not.to.match(/\d{12}/);
        }
    });

    it("the org stack deploys first, alone, and every other stack after it", async () => {
        const waves = stacksInDeployOrder(fixture);
        expect(waves[0]).to.deep.equal(["org"]);
        expect(waves.flat().sort()).to.deep.equal(Object.keys(fixture.stackConfigs).sort());
        for (const stack of Object.keys(fixture.stackConfigs).filter((s) => s !== "org")) expect((await fixtureStack(stack)).error).to.equal(undefined);
    });

    it("plans the organization with SCPs enabled, one unit per configured unit, and one member account per stage, in its unit", async () => {
        const org = await fixtureStack("org");
        const [organization] = ofType(org, "aws:organizations/organization:Organization");
        expect(organization.inputs.featureSet).to.equal("ALL");
        expect(organization.inputs.enabledPolicyTypes).to.deep.equal(["SERVICE_CONTROL_POLICY"]);
        expect(organization.id).to.match(/^o-[a-z0-9]{10,32}$/);

        const units = ofType(org, "aws:organizations/organizationalUnit:OrganizationalUnit");
        expect(units.map((u) => u.inputs.name).sort()).to.deep.equal(Object.keys(fixtureUnits).sort());
        const rootId = (organization.state.roots as { id: string }[])[0].id;
        expect(rootId).to.match(/^r-[0-9a-z]{4,32}$/);
        for (const unit of units) {
            expect(unit.inputs.parentId).to.equal(rootId);
            expect(unit.id).to.match(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/);
        }

        const accounts = ofType(org, "aws:organizations/account:Account");
        expect(accounts.map((a) => a.inputs.email).sort()).to.deep.equal(memberStages.map((s) => fixtureAccounts[s].email).sort());
        const ids = org.outputs.accountIds as Record<string, string>;
        for (const stage of memberStages) {
            const account = accounts.find((a) => a.inputs.email === fixtureAccounts[stage].email)!;
            const unit = units.find((u) => fixtureUnits[String(u.inputs.name)].includes(stage))!;
            expect(account.inputs.parentId, stage).to.equal(unit.id);
            expect(account.inputs.roleName).to.equal(ORGANIZATION_ACCESS_ROLE);
            expect(account.id).to.match(/^\d{12}$/).and.to.equal(ids[stage]);
            expect((org.outputs.accessRoleArns as Record<string, string>)[stage]).to.equal(`arn:aws:iam::${ids[stage]}:role/${ORGANIZATION_ACCESS_ROLE}`);
        }
        expect(ids.root).to.equal(organization.state.masterAccountId);
    });

    it("never closes or deletes an account, nor the organization: protected, retained on delete, closeOnDeletion false", async () => {
        const org = await fixtureStack("org");
        const kept = [...ofType(org, "aws:organizations/account:Account"), ...ofType(org, "aws:organizations/organization:Organization")];
        expect(kept).to.have.length(memberStages.length + 1);
        for (const r of kept) {
            expect(r.protect, r.name).to.equal(true);
            expect(r.retainOnDelete, r.name).to.equal(true);
        }
        for (const account of ofType(org, "aws:organizations/account:Account")) expect(account.inputs.closeOnDeletion).to.equal(false);
    });

    it("every stack deploys into the account the org stack created, first through the organization's access role; root into the management account, directly", async () => {
        const ids = (await fixtureStack("org")).outputs.accountIds as Record<string, string>;
        for (const stack of Object.keys(fixture.stackConfigs).filter((s) => s !== "org")) {
            const e = await fixtureStack(stack);
            const provider = providerOf(e);
            expect(json(provider.inputs.allowedAccountIds), stack).to.deep.equal([ids[e.stage]]);
            const assumeRoles = json(provider.inputs.assumeRoles);
            if (e.stage === "root") expect(assumeRoles, stack).to.equal(undefined);
            else expect(assumeRoles, stack).to.deep.equal([{ roleArn: `arn:aws:iam::${ids[e.stage]}:role/${ORGANIZATION_ACCESS_ROLE}`, sessionName: `acme-${stack}-pulumi` }]);
        }
        // Roles in every account trust the management account the organization reported.
        const prodAdmin = ofType(await fixtureStack("prod"), "aws:iam/role:Role").find((r) => String(r.inputs.name).endsWith("-admin"))!;
        expect(String(prodAdmin.inputs.assumeRolePolicy)).to.include(`arn:aws:iam::${ids.root}:root`);
    });

    it("refarch:accessRole: false (once the account's deployer exists) leaves the stack's own credentials", async () => {
        const deployed = await deployedFixtureOutputs();
        const e = await evaluateStack(program, fixture.name, "prod", { ...stackConfig(fixture, "prod"), "refarch:accessRole": "false" }, { deployedOutputs: deployed });
        expect(e.error).to.equal(undefined);
        expect(providerOf(e).inputs.assumeRoles).to.equal(undefined);
    });

    it("a stack planned before the org stack has created its account fails, saying to deploy the organization first", async () => {
        const e = await evaluateStack(program, fixture.name, "prod", stackConfig(fixture, "prod"), { deployedOutputs: {} });
        expect(e.error?.message).to.match(/reports no account id for .*prod.*Deploy the organization first: pulumi up -s org/);
        expect(e.resources.filter((r) => r.custom && !r.read)).to.deep.equal([]);
    });

    it("the offline mocks give each created account the same 12-digit id in the org stack and in its own stack", async () => {
        const e = await fixtureStack("dev");
        expect(json(providerOf(e).inputs.allowedAccountIds)).to.deep.equal([mockAccountId(fixtureAccounts.dev.email)]);
    });
});

describe("organization: accounts given by id", function () {
    this.timeout(120_000);
    before(function () {
        orSkip(this, !org.managesOrganization, "the organization is managed by an org stack (accounts created from { email })");
    });

    it("an organization given by ids has no org stack and plans no organization resource", async () => {
        expect(stacksInDeployOrder(shippedProject).flat()).not.to.include("org");
        for (const e of (await org.evaluations()).values()) expect(e.resources.filter((r) => r.type.startsWith("aws:organizations/")), e.stack).to.deep.equal([]);
    });

    it("with refarch:awsOrganization set, existing accounts are adopted: no account is created, the guardrails attach to each account's id", async () => {
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
        // The units are made for accounts created later; an adopted account stays where it is, its guardrails attached to it.
        const units = ofType(org, "aws:organizations/organizationalUnit:OrganizationalUnit").map((u) => u.id);
        const targets = new Set(ofType(org, "aws:organizations/policyAttachment:PolicyAttachment").map((a) => String(a.inputs.targetId)));
        expect([...targets].filter((t) => !units.includes(t)).sort()).to.deep.equal(Object.entries(accounts).filter(([s]) => s !== "root").map(([, id]) => id).sort());
        expect(org.outputs.accountIds).to.deep.equal(accounts);
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

    it("an account is an id or { email }; a bad email, a shared email and a stage named org are refused with the fix", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, prod: { email: "not-an-email" } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.prod: {"email":"not-an-email"} is not { email } with the email address of the account's root user. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set prod: { email: "aws+prod@example.com" }`,
        ]);
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, audit: { email: "OPS+prod@initech.test" } } }))[0]).to.include('refarch:accounts.audit: "OPS+prod@initech.test" is also the email of stage "prod"');
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, org: "303030303030" } }))[0]).to.include("refarch:accounts.org: \"org\" is the name of the stack that manages the AWS Organization");
    });

    it("the default units put audit in security and every other member in workloads; a stage in no unit, or in two, is refused", () => {
        const org = validateConfig(raw("org", { "refarch:accounts": accounts }));
        expect(org.awsOrganization?.units).to.deep.equal({ security: ["audit"], workloads: ["prod"] });
        expect(org.accountId).to.equal("101010101010");
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { units: { security: ["audit"] } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.units: "prod" is a stage in no unit: its account would get no guardrails. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: units: security:, add prod`,
        ]);
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { units: { a: ["audit", "prod"], b: ["prod", "root"] } } }))).to.have.length(2);
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
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": tooMany }))[0]).to.include("makes 5 SCPs for every organizational unit; AWS allows 5 per target, one of them FullAWSAccess, so at most 4");
        const huge = { guardrails: { custom: { big: deny(Array.from({ length: 400 }, (_, i) => `ec2:Action${i}`) as unknown as string) } } };
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": huge }))[0]).to.match(/makes the SCP "custom-big" \d+ characters; AWS allows 5120/);
    });

    it("refarch:accessRole on a stack whose account is given by id would be ignored, so it is refused", () => {
        expect(problemsOf(raw("root", { "refarch:accounts": accounts, "refarch:accessRole": false }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:accessRole: "false" is read only for an account the org stack creates, and stage "root" is not one (its account is given by id, or is the management account). Fix: in Pulumi.root.yaml, under config: remove refarch:accessRole`,
        ]);
    });

    it("each guardrail can be switched off: with all off and no regions, no SCP is made", () => {
        const off = validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": { guardrails: { leaveOrganization: false, auditTrail: false, rootUser: false } } }));
        expect(guardrailPolicies({ partition: "aws", namespace: "initech" }, off.awsOrganization!.guardrails)).to.deep.equal({});
    });
});

describe("organization: 100 accounts", function () {
    this.timeout(120_000);
    const stages = ["root", "audit", ...Array.from({ length: 98 }, (_, i) => `workload-${String(i + 1).padStart(3, "0")}`)];
    const values = {
        "refarch:namespace": "acmecorp",
        "refarch:accounts": JSON.stringify(Object.fromEntries(stages.map((s) => [s, { email: `aws+${s}@acmecorp.example` }]))),
        "refarch:awsOrganization": JSON.stringify({ guardrails: { allowedRegions: ["us-east-1", "eu-west-1"], custom: { "deny-expensive": { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["ec2:PurchaseReservedInstancesOffering"], Resource: "*" }] } } } }),
        "aws:region": "us-east-1",
        "pulumi:disable-default-providers": JSON.stringify(["aws"]),
    };

    it("every SCP stays inside 5,120 characters and every target inside 5 SCPs; the audit stack's policies fit too", async () => {
        const config = validateConfig({ organization: "acme-org", project: "refarch", stack: "org", values });
        const policies = guardrailPolicies({ partition: "aws", namespace: "acmecorp" }, config.awsOrganization!.guardrails);
        for (const [name, document] of Object.entries(policies)) expect(policySize(document), name).to.be.at.most(SCP_LIMITS.characters);
        expect(() => validateConfig({ organization: "acme-org", project: "refarch", stack: "audit", values })).not.to.throw();

        const org = await evaluateStack(program, "refarch", "org", values);
        if (org.error) throw org.error;
        expect(ofType(org, "aws:organizations/account:Account")).to.have.length(99);
        const perTarget = new Map<unknown, number>();
        for (const a of ofType(org, "aws:organizations/policyAttachment:PolicyAttachment")) perTarget.set(a.inputs.targetId, (perTarget.get(a.inputs.targetId) ?? 0) + 1);
        for (const [target, count] of perTarget) expect(count + 1, String(target)).to.be.at.most(SCP_LIMITS.perTarget);
    });
});

/** Every fixture stack's outputs, keyed as StackReferences name them. */
async function deployedFixtureOutputs(): Promise<Record<string, Record<string, unknown>>> {
    return Object.fromEntries([...(await fixtureStacks()).values()].map((e) => [`acme-org/${fixture.name}/${e.stack}`, e.outputs]));
}

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
            expect(tree).to.match(new RegExp(`${unit} ou-[0-9a-z]+-[0-9a-z]+  guardrails: protect, regions`));
            for (const stage of stages) expect(tree).to.include(`${stage} ${ids[stage]}  created, protected, retained on delete`);
        }
        for (const stage of memberStages) expect(text).to.match(new RegExp(`\\n  ${stage} +(\\d+)/\\1 denied`));
        const architecture = fs.readFileSync(path.join(dir, "architecture.md"), "utf8");
        for (const stage of memberStages) expect(architecture).to.include(`account_${stage}["${stage}<br/>${ids[stage]}"]`);
    });
});

describe("organization: project files", () => {
    it("accounts to create with no Pulumi.org.yaml are refused, naming the file to create and its two lines", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "org-files-"));
        for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f) && f !== "Pulumi.org.yaml")) fs.copyFileSync(path.join(FIXTURE_DIR, file), path.join(dir, file));
        expect(() => readProject(dir)).to.throw(/need the "org" stack that manages the AWS Organization, and it has no stack file\. Fix: create Pulumi\.org\.yaml with these two lines/);
    });
});
