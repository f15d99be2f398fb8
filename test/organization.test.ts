// The organization: with accounts given as { email }, the org stack creates them before anything else and
// every other stack gets its account id from it; with ids given, nothing changes. Runs on a fixture of its
// own (test/fixtures/create-accounts: no account id in any file) and on the shipped, id-form example.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, RawConfig, validateConfig } from "../src/config";
import { evaluateStack, mockAccountId, MockOrganization, StackEvaluation } from "../src/offline/engine";
import { ProjectFiles, readProject, stackConfig, stacksInDeployOrder } from "../src/project";
import { guardrailPolicies, ORGANIZATION_ACCESS_ROLE, policySize, SCP_LIMITS } from "../src/policies";
import { created, ofType, org, organizationAt, orSkip, program } from "./harness";

/** The organization under test (the shipped example unless REFARCH_PROJECT says otherwise), in id form. */
const shippedProject = org.project;

const FIXTURE_DIR = path.join(__dirname, "fixtures", "create-accounts");
const fixture: ProjectFiles = readProject(FIXTURE_DIR);
const fixtureAccounts = JSON.parse(fixture.projectConfig["refarch:accounts"]) as Record<string, { email: string }>;
const fixtureUnits = (JSON.parse(fixture.projectConfig["refarch:awsOrganization"]) as { units: Record<string, string[]> }).units;
const memberStages = Object.keys(fixtureAccounts).filter((s) => s !== "root");

const fixtureStacks = () => organizationAt(FIXTURE_DIR).evaluations();
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

    it("an account's roleName and iamUserAccessToBilling, which AWS cannot report back, never make a deploy update or replace it", async () => {
        // AWS's DescribeAccount returns neither (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html),
        // so an imported or refreshed account would otherwise always differ from its inputs.
        for (const account of ofType(await fixtureStack("org"), "aws:organizations/account:Account")) {
            expect(account.ignoreChanges, account.name).to.have.members(["roleName", "iamUserAccessToBilling"]);
        }
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

    it("unset, refarch:accessRole follows the credentials: the account's own (its deployer, in CI) enter directly, the management account's through the access role", async () => {
        const deployed = await deployedFixtureOutputs();
        const ids = deployed[`acme-org/${fixture.name}/org`].accountIds as Record<string, string>;
        for (const stage of memberStages) {
            const asItsDeployer = await evaluateStack(program, fixture.name, stage, stackConfig(fixture, stage), { deployedOutputs: deployed, credentialsAccount: ids[stage] });
            expect(asItsDeployer.error, stage).to.equal(undefined);
            expect(providerOf(asItsDeployer).inputs.assumeRoles, stage).to.equal(undefined);
            expect(json(providerOf(asItsDeployer).inputs.allowedAccountIds), stage).to.deep.equal([ids[stage]]);
            const asManagement = await evaluateStack(program, fixture.name, stage, stackConfig(fixture, stage), { deployedOutputs: deployed, credentialsAccount: ids.root });
            expect(json(providerOf(asManagement).inputs.assumeRoles), stage).to.deep.equal([{ roleArn: `arn:aws:iam::${ids[stage]}:role/${ORGANIZATION_ACCESS_ROLE}`, sessionName: `acme-${stage}-pulumi` }]);
            // Set, it wins over the credentials.
            const forced = await evaluateStack(program, fixture.name, stage, { ...stackConfig(fixture, stage), "refarch:accessRole": "true" }, { deployedOutputs: deployed, credentialsAccount: ids[stage] });
            expect(json(providerOf(forced).inputs.assumeRoles), stage).to.have.length(1);
        }
    });

    it("the org stack is pinned to the management account from its second deploy on: the id its own last outputs report", async () => {
        const first = await fixtureStack("org");
        expect(providerOf(first).inputs.allowedAccountIds, "no id exists before the organization does").to.equal(undefined);
        const again = await evaluateStack(program, fixture.name, "org", stackConfig(fixture, "org"), { deployedOutputs: await deployedFixtureOutputs() });
        expect(again.error).to.equal(undefined);
        const managementId = (first.outputs.accountIds as Record<string, string>).root;
        expect(json(providerOf(again).inputs.allowedAccountIds)).to.deep.equal([managementId]);
        expect(managementId).to.equal(mockAccountId(fixtureAccounts.root.email));
    });

    it("the provider that reads the credentials assumes nothing and deploys nothing: every resource goes through the stack's pinned provider", async () => {
        for (const stage of memberStages) {
            const e = await fixtureStack(stage);
            const credentials = e.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "credentials")!;
            expect(credentials.inputs.assumeRoles, stage).to.equal(undefined);
            expect(credentials.inputs.allowedAccountIds, stage).to.equal(undefined);
            const through = e.resources.filter((r) => r.provider?.includes("::credentials::"));
            expect(through.map((r) => r.name), stage).to.deep.equal([]);
        }
        // Nothing to decide where the account is given by id or is the management account.
        expect((await fixtureStack("root")).resources.filter((r) => r.name === "credentials")).to.deep.equal([]);
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

describe("organization: one that exists already is adopted, never recreated", function () {
    this.timeout(120_000);
    const managementId = mockAccountId(fixtureAccounts.root.email);
    const [adoptedUnit, ...newUnits] = Object.keys(fixtureUnits);
    const existing: MockOrganization = {
        id: "o-a1b2c3d4e5",
        managementAccountId: managementId,
        enabledPolicyTypes: ["TAG_POLICY"],
        awsServiceAccessPrincipals: ["sso.amazonaws.com", "cloudtrail.amazonaws.com"],
        units: { [adoptedUnit]: "ou-a1b2-c3d4e5f6" },
        accounts: [{ id: managementId, email: fixtureAccounts.root.email, name: "management" }],
    };
    const orgStack = (options: { existing?: MockOrganization; deployed?: Record<string, Record<string, unknown>>; readError?: string }) =>
        evaluateStack(program, fixture.name, "org", stackConfig(fixture, "org"), { existingOrganization: options.existing, deployedOutputs: options.deployed ?? {}, organizationReadError: options.readError });
    const organizationOf = (e: StackEvaluation) => ofType(e, "aws:organizations/organization:Organization")[0];
    const unitsOf = (e: StackEvaluation) => Object.fromEntries(ofType(e, "aws:organizations/organizationalUnit:OrganizationalUnit").map((u) => [u.inputs.name as string, u]));

    it("imports the organization by its id, keeps its trusted services and policy types and adds SCPs; imports a unit of a configured name, creates the rest", async () => {
        const e = await orgStack({ existing });
        expect(e.error).to.equal(undefined);
        const organization = organizationOf(e);
        expect(organization.importId).to.equal(existing.id);
        expect(organization.inputs.enabledPolicyTypes).to.deep.equal(["SERVICE_CONTROL_POLICY", "TAG_POLICY"]);
        expect(organization.inputs.awsServiceAccessPrincipals).to.deep.equal(["cloudtrail.amazonaws.com", "sso.amazonaws.com"]);
        expect(e.outputs.organizationId).to.equal(existing.id);
        const units = unitsOf(e);
        expect(units[adoptedUnit].importId).to.equal("ou-a1b2-c3d4e5f6");
        expect((e.outputs.units as Record<string, string>)[adoptedUnit]).to.equal("ou-a1b2-c3d4e5f6");
        for (const unit of newUnits) expect(units[unit].importId, unit).to.equal("");
        for (const account of ofType(e, "aws:organizations/account:Account")) expect(account.importId, account.name).to.equal("");
    });

    it("once the stack's outputs name them, nothing is imported again; a new organization imports nothing", async () => {
        const adopted = await orgStack({ existing });
        const again = await orgStack({ existing, deployed: { [`acme-org/${fixture.name}/org`]: adopted.outputs } });
        expect(again.error).to.equal(undefined);
        expect(organizationOf(again).importId).to.equal("");
        for (const unit of Object.values(unitsOf(again))) expect(unit.importId, unit.name).to.equal("");
        const fresh = await orgStack({});
        expect(fresh.error).to.equal(undefined);
        expect(organizationOf(fresh).importId).to.equal("");
        expect(organizationOf(fresh).inputs.enabledPolicyTypes).to.deep.equal(["SERVICE_CONTROL_POLICY"]);
        expect(organizationOf(fresh).inputs.awsServiceAccessPrincipals).to.equal(undefined);
    });

    it("an adopted organization with no trusted services is given none to manage: the stack takes over only what the organization uses", async () => {
        const e = await orgStack({ existing: { ...existing, awsServiceAccessPrincipals: [] } });
        expect(e.error).to.equal(undefined);
        expect(organizationOf(e).importId).to.equal(existing.id);
        expect(organizationOf(e).inputs).to.not.have.property("awsServiceAccessPrincipals");
    });

    it("credentials that may not read the organization fail the org stack with AWS's error, instead of planning a new organization", async () => {
        const denied = "AccessDeniedException: You don't have permissions to access this resource.";
        const e = await orgStack({ existing, readError: denied });
        expect(e.error?.message).to.include(denied);
        expect(ofType(e, "aws:organizations/organization:Organization")).to.deep.equal([]);
    });

    it("refuses, each with its fix and creating nothing: consolidated billing only, a root that is a member, an email an existing account has", async () => {
        const [stage] = memberStages;
        const e = await orgStack({
            existing: {
                ...existing,
                managementAccountId: "999999999999",
                featureSet: "CONSOLIDATED_BILLING",
                accounts: [...existing.accounts!, { id: "555555555555", email: fixtureAccounts[stage].email.toUpperCase(), name: "legacy" }],
            },
        });
        const message = e.error?.message ?? "";
        // One error for all three, each problem numbered on its own line.
        expect(message.split("\n").map((line) => line.slice(0, 5))).to.deep.equal(["The o", "  1. ", "  2. ", "  3. "]);
        expect(message).to.include(`The org stack cannot adopt the existing organization:\n  1. account ${managementId} is a member`);
        expect(message).to.include(`\n  2. organization ${existing.id} has feature set`);
        expect(message).to.include(`\n  3. refarch:accounts.${stage}: `);
        expect(message).to.include(`account ${managementId} is a member of organization ${existing.id}, whose management account is 999999999999: the org stack deploys from the management account. Fix: make root in refarch:accounts (Pulumi.yaml) the management account 999999999999`);
        expect(message).to.include(`organization ${existing.id} has feature set CONSOLIDATED_BILLING: guardrails need all features. Enable them first (aws organizations enable-all-features`);
        expect(message).to.include(`refarch:accounts.${stage}: { email: "${fixtureAccounts[stage].email}" } is the email of account 555555555555 (legacy), already in organization ${existing.id}. Fix: in Pulumi.yaml, under refarch:accounts, write ${stage}: "555555555555"`);
        expect(created(e).filter((r) => !r.type.startsWith("pulumi:providers:"))).to.deep.equal([]);
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
        for (const prod of [{ email: "ops+prod@initech.test", name: "Production" }, { email: 7 }, { email: "ops prod@initech.test" }, { email: "ops+prod@initech" }]) {
            expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, prod } })), JSON.stringify(prod)).to.deep.equal([
                `Pulumi.yaml: refarch:accounts.prod: ${JSON.stringify(prod)} is not { email } with the email address of the account's root user. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set prod: { email: "aws+prod@example.com" }`,
            ]);
        }
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...accounts, audit: { email: "OPS+prod@initech.test" } } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.audit: "OPS+prod@initech.test" is also the email of stage "prod": AWS gives every account its own email address. Fix: in Pulumi.yaml, under config: refarch:accounts: value: set audit: { email: "aws+audit@example.com" }`,
        ]);
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
            `Pulumi.yaml: refarch:awsOrganization.guardrails: "(as set)" makes 5 SCPs for every organizational unit; AWS allows 5 per target, one of them FullAWSAccess, so at most 4. Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value: guardrails:, merge or remove custom policies`,
        ]);
        const huge = { guardrails: { custom: { big: deny(Array.from({ length: 400 }, (_, i) => `ec2:Action${i}`) as unknown as string) } } };
        expect(problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": huge }))[0]).to.match(/makes the SCP "custom-big" \d+ characters; AWS allows 5120/);
    });

    it("a guardrail region, region list, custom SCP name or document, and a unit name that AWS would refuse are each named with the edit that fixes it", () => {
        const refused = (awsOrganization: unknown) => problemsOf(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": awsOrganization }));
        const under = "Fix: in Pulumi.yaml, under config: refarch:awsOrganization: value:";
        expect(refused({ guardrails: { allowedRegions: ["eu-west-1", "mars-1", 7] } })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: "mars-1" is not an AWS region. ${under} guardrails: in the list allowedRegions, replace "mars-1" with us-east-1`,
            `Pulumi.yaml: refarch:awsOrganization.guardrails.allowedRegions: 7 is not an AWS region. ${under} guardrails: in the list allowedRegions, replace 7 with us-east-1`,
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
            `Pulumi.yaml: refarch:awsOrganization.guardrails.extra: 1 is not a setting of refarch:awsOrganization.guardrails (valid: leaveOrganization, auditTrail, rootUser, allowedRegions, custom). ${under} guardrails: remove extra`,
        ]);
        expect(refused({ guardrails: "x" })).to.deep.equal([
            `Pulumi.yaml: refarch:awsOrganization.guardrails: "x" must be { leaveOrganization?, auditTrail?, rootUser?, allowedRegions?, custom? }. ${under} set guardrails: { allowedRegions: [us-east-1] }`,
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
        const allOn = { leaveOrganization: true, auditTrail: true, rootUser: true };
        const policiesOf = (awsOrganization: unknown) =>
            guardrailPolicies({ partition: "aws", namespace: "initech" }, validateConfig(raw("org", { "refarch:accounts": accounts, "refarch:awsOrganization": awsOrganization })).awsOrganization!.guardrails);
        expect(policiesOf({})).to.deep.equal(policiesOf({ guardrails: allOn }));
        expect(policiesOf({ guardrails: { allowedRegions: ["eu-west-1"] } })).to.deep.equal(policiesOf({ guardrails: { ...allOn, allowedRegions: ["eu-west-1"] } }));
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
