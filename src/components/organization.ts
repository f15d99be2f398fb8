// The AWS Organization, deployed only by the `org` stack in the management account (root), before every
// other stack: the organization (all features, SCPs enabled), its organizational units and one member account
// per stage given as `{ email }` in refarch:accounts. Accounts are protected and retained on delete: destroy never
// closes one. The guardrails (SCPs) come last, from the root stack, once each account's deployer exists (guardrails.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORGANIZATION_ACCESS_ROLE, roleArn } from "../policies";

export interface OrganizationArgs {
    partition: string;
    namespace: string;
    /** Stages whose accounts the program creates: stage -> the email of the account's root user. */
    createdAccounts: Record<string, string>;
    /** Stages whose accounts already exist (adopted): stage -> id. Root is the management account and is never in a unit. */
    existingAccounts: Record<string, string>;
    /** OU name -> its stages. */
    units: Record<string, string[]>;
    /** The organization the management account already has, if any (existingOrganization): adopted, never recreated. Defaults to none: a new organization. */
    existing?: ExistingOrganization;
    /** Service principals given trusted access (CloudTrail, for the organization trail). Defaults to none. */
    trustedServices?: string[];
}

/** What AWS reports of an organization that exists before this stack manages it, and what of it to import. */
export interface ExistingOrganization {
    id: string;
    enabledPolicyTypes: string[];
    awsServiceAccessPrincipals: string[];
    /** Import the organization itself: it exists, and this stack's last outputs do not name it. */
    adopt: boolean;
    /** unit name -> id, for the units of that name directly under the root that this stack does not manage yet. */
    adoptUnits: Record<string, string>;
}

export class Organization extends pulumi.ComponentResource {
    readonly organizationId: pulumi.Output<string>;
    /** stage -> account id, for every stage; root's is the organization's management account. */
    readonly accountIds: pulumi.Output<Record<string, string>>;
    /** stage -> the access role ARN of each created account: how the first deploy reaches it from root. */
    readonly accessRoleArns: pulumi.Output<Record<string, string>>;
    /** OU name -> its id. */
    readonly unitIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:organization:Organization", name, {}, opts);
        // The organization and its accounts outlive any stack: never deleted, only forgotten, on destroy.
        const kept = { parent: this, protect: true, retainOnDelete: true };
        // An existing organization keeps the policy types and trusted services it has (IAM Identity Center, an
        // organization trail...): the program only adds SCPs, and never switches off what others rely on.
        const existing = args.existing;
        // Services this program needs are added after adoption: an import must match what exists.
        const trusted = [...new Set([...(existing?.awsServiceAccessPrincipals ?? []), ...(existing?.adopt ? [] : (args.trustedServices ?? []))])].sort();
        const organization = new aws.organizations.Organization(
            `${name}-organization`,
            {
                featureSet: "ALL",
                enabledPolicyTypes: [...new Set([...(existing?.enabledPolicyTypes ?? []), SCP])].sort(),
                ...(trusted.length > 0 ? { awsServiceAccessPrincipals: trusted } : {}),
            },
            { ...kept, ...(existing?.adopt ? { import: existing.id } : {}) },
        );
        const rootId = organization.roots.apply((roots) => roots[0].id);

        const units = Object.fromEntries(
            Object.keys(args.units).map((unit) => {
                const adopted = existing?.adoptUnits[unit];
                return [unit, new aws.organizations.OrganizationalUnit(`${name}-${unit}`, { name: unit, parentId: rootId }, { parent: this, ...(adopted ? { import: adopted } : {}) })];
            }),
        );
        const unitOf = (stage: string) => Object.keys(args.units).find((unit) => args.units[unit].includes(stage));

        const accounts: Record<string, aws.organizations.Account> = {};
        for (const [stage, email] of Object.entries(args.createdAccounts)) {
            const unit = unitOf(stage);
            accounts[stage] = new aws.organizations.Account(
                `${name}-${stage}`,
                {
                    name: `${args.namespace}-${stage}`,
                    email,
                    parentId: unit ? units[unit].id : rootId,
                    roleName: ORGANIZATION_ACCESS_ROLE,
                    closeOnDeletion: false,
                    iamUserAccessToBilling: "ALLOW",
                },
                // AWS cannot report roleName or iamUserAccessToBilling of an existing account, so an imported one must not diff on them.
                { ...kept, ignoreChanges: ["roleName", "iamUserAccessToBilling"] },
            );
        }

        this.organizationId = organization.id;
        const createdIds = Object.fromEntries(Object.entries(accounts).map(([stage, account]) => [stage, account.id]));
        this.accountIds = pulumi.all({ ...args.existingAccounts, ...createdIds, root: args.existingAccounts.root ?? organization.masterAccountId }) as pulumi.Output<Record<string, string>>;
        this.accessRoleArns = pulumi.all(createdIds).apply((ids) => Object.fromEntries(Object.entries(ids).map(([stage, id]) => [stage, roleArn(args.partition, id, ORGANIZATION_ACCESS_ROLE)])));
        this.unitIds = pulumi.all(Object.fromEntries(Object.entries(units).map(([unit, ou]) => [unit, ou.id])));
        this.registerOutputs({ organizationId: this.organizationId, accountIds: this.accountIds, accessRoleArns: this.accessRoleArns, unitIds: this.unitIds });
    }
}

const SCP = "SERVICE_CONTROL_POLICY";

/**
 * The organization the management account is already in, or undefined when none (AWSOrganizationsNotInUseException:
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html), and what of it to adopt
 * with `import`: an import whose inputs differ is then updated, which is how SCPs get enabled (pulumi/pulumi#19339).
 * Refused, each with its fix: a member account instead of the management account, consolidated billing only
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html), and an
 * account to create whose email the organization already has.
 */
export async function existingOrganization(selfStack: string, createdAccounts: Record<string, string>, opts: pulumi.InvokeOptions): Promise<ExistingOrganization | undefined> {
    let found: aws.organizations.GetOrganizationResult;
    try {
        found = await aws.organizations.getOrganization({}, opts);
    } catch (err) {
        // The invoke's error carries AWS's error code in its message; String() of an Error includes the message.
        if (/AWSOrganizationsNotInUseException/.test(String(err))) return undefined;
        throw err;
    }
    const problems: string[] = [];
    const { accountId } = await aws.getCallerIdentity({}, opts);
    if (found.masterAccountId !== accountId) {
        problems.push(
            `account ${accountId} is a member of organization ${found.id}, whose management account is ${found.masterAccountId}: the org stack deploys from the management account. ` +
                `Fix: make root in refarch:accounts (Pulumi.yaml) the management account ${found.masterAccountId}, and deploy org with its credentials`,
        );
    }
    if (found.featureSet !== "ALL") {
        problems.push(`organization ${found.id} has feature set ${found.featureSet}: guardrails need all features. Enable them first (aws organizations enable-all-features; every member account must accept), then deploy org again`);
    }
    for (const [stage, email] of Object.entries(createdAccounts)) {
        const account = found.accounts.find((a) => a.email.toLowerCase() === email.toLowerCase());
        if (account) problems.push(`refarch:accounts.${stage}: { email: "${email}" } is the email of account ${account.id} (${account.name}), already in organization ${found.id}. Fix: in Pulumi.yaml, under refarch:accounts, write ${stage}: "${account.id}"`);
    }
    if (problems.length > 0) throw new Error(`The org stack cannot adopt the existing organization:\n${problems.map((p, i) => `  ${i + 1}. ${p}`).join("\n")}`);

    const self = new pulumi.StackReference(`${selfStack}-self`, { name: selfStack });
    const managed = {
        organizationId: (await self.getOutputDetails("organizationId")).value as string | undefined,
        units: ((await self.getOutputDetails("units")).value ?? {}) as Record<string, string>,
    };
    const rootId = found.roots[0].id;
    const { children } = await aws.organizations.getOrganizationalUnits({ parentId: rootId }, opts);
    return {
        id: found.id,
        enabledPolicyTypes: found.enabledPolicyTypes,
        awsServiceAccessPrincipals: found.awsServiceAccessPrincipals,
        adopt: managed.organizationId === undefined,
        adoptUnits: Object.fromEntries(children.filter((unit) => managed.units[unit.name] === undefined).map((unit) => [unit.name, unit.id])),
    };
}
