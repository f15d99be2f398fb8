// The organization: with accounts given as { email }, the org stack creates them before anything else and
// every other stack gets its account id from it; with ids given, nothing changes. Runs on a fixture of its
// own (test/fixtures/create-accounts: no account id in any file) and on the shipped, id-form example.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { evaluateStack, mockAccountId, MockOrganization, StackEvaluation } from "../src/offline/engine";
import { stackConfig, stacksInDeployOrder } from "../src/project";
import { ORGANIZATION_ACCESS_ROLE } from "../src/policies";
import { created, ofType, program } from "./harness";
import { deployedFixtureOutputs, FIXTURE_DIR, fixture, fixtureAccounts, fixtureStack, fixtureUnits, json, memberStages, providerOf } from "./organizationFixture";

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
        // org runs once more, right after audit, for the organization trail (src/project/stackGraph.ts laterReads).
        expect([...new Set(waves.flat())].sort()).to.deep.equal(Object.keys(fixture.stackConfigs).sort());
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
        // A new organization with an audit stage trusts CloudTrail, for its organization trail; an adopted one gets it on the run after adoption.
        expect(organizationOf(fresh).inputs.awsServiceAccessPrincipals).to.deep.equal(["cloudtrail.amazonaws.com"]);
        expect(organizationOf(await orgStack({ existing: { ...existing, awsServiceAccessPrincipals: [] }, deployed: { [`acme-org/${fixture.name}/org`]: adopted.outputs } })).inputs.awsServiceAccessPrincipals).to.deep.equal([
            "cloudtrail.amazonaws.com",
        ]);
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
