// Account ids no one types: a stage given as `{ email }` in refarch:accounts gets its account id from the
// org stack that created the account, read once before anything is registered, so the stack's provider,
// its trust policies and the audit sink's policies see plain ids exactly as for an account given by id.
// The audit stack of a managed organization reads the organization's id the same way.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_STAGE, ORGANIZATION_STAGE, RefarchConfig, ROOT_STAGE, stackReferenceName, validateResolvedAccounts } from "./config";
import { ORGANIZATION_ACCESS_ROLE, roleArn } from "./policies";

/**
 * The config with every created account's id filled in from the org stack's `accountIds` output, and in the audit
 * stack of a managed organization its `organizationId` (the sink's organization trail writes under it): one
 * StackReference to the org stack either way.
 */
export async function resolveAccounts(config: RefarchConfig): Promise<RefarchConfig> {
    if (config.stage === ORGANIZATION_STAGE) return pinnedToManagementAccount(config);
    const pending = Object.keys(config.accountEmails).filter((stage) => !(stage in config.accounts));
    const needsOrganizationId = config.awsOrganization !== undefined && config.stage === AUDIT_STAGE;
    if (pending.length === 0 && !needsOrganizationId) return config;
    const reference = organizationStack(config);
    if (needsOrganizationId) config = { ...config, organizationId: await organizationIdOf(config, reference) };
    if (pending.length === 0) return config;
    const ids = await organizationAccountIds(reference);
    const missing = pending.filter((stage) => !ids[stage]);
    if (missing.length > 0) {
        throw new Error(
            `Stack "${stackReferenceName(config, ORGANIZATION_STAGE)}" reports no account id for ${missing.join(", ")} in its "accountIds" output, which stack "${config.stack}" deploys into or trusts. ` +
                `Deploy the organization first: pulumi up -s ${ORGANIZATION_STAGE}`,
        );
    }
    const accounts = { ...config.accounts, ...Object.fromEntries(pending.map((stage) => [stage, ids[stage]])) };
    validateResolvedAccounts(config, accounts);
    const accountId = accounts[config.stage];
    const assumeRoles = (await entersThroughAccessRole(config, accountId))
        ? [{ roleArn: roleArn(config.partition, accountId, ORGANIZATION_ACCESS_ROLE), sessionName: `${config.namePrefix}-pulumi` }]
        : undefined;
    return {
        ...config,
        accounts,
        accountId,
        awsProvider: { ...config.awsProvider, allowedAccountIds: [accountId], ...(assumeRoles ? { assumeRoles } : {}) },
    };
}

/** The one StackReference to the org stack. */
function organizationStack(config: RefarchConfig): pulumi.StackReference {
    const stackName = stackReferenceName(config, ORGANIZATION_STAGE);
    return new pulumi.StackReference(stackName, { name: stackName });
}

/** The org stack's last `accountIds` output (stage -> id); empty before its first deploy. */
async function organizationAccountIds(reference: pulumi.StackReference): Promise<Record<string, string>> {
    return ((await reference.getOutputDetails("accountIds")).value ?? {}) as Record<string, string>;
}

/** The org stack's `organizationId`; fails, before anything is registered, when org has not deployed. */
async function organizationIdOf(config: RefarchConfig, reference: pulumi.StackReference): Promise<string> {
    const id = (await reference.getOutputDetails("organizationId")).value as string | undefined;
    if (id) return id;
    throw new Error(
        `Stack "${stackReferenceName(config, ORGANIZATION_STAGE)}" reports no "organizationId" output, which stack "${config.stack}" needs: the audit bucket admits the organization trail under AWSLogs/<organization id>/. ` +
            `Deploy the organization first: pulumi up -s ${ORGANIZATION_STAGE}`,
    );
}

/**
 * A created account's first deploy enters through the role Organizations made in it; later ones run inside already.
 * Unless refarch:accessRole says which, the credentials' account decides (sts:GetCallerIdentity needs no permission:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
async function entersThroughAccessRole(config: RefarchConfig, accountId: string): Promise<boolean> {
    if (config.enterThroughAccessRole === undefined) return false;
    // Registered whatever refarch:accessRole says, and protected like the stack's own provider, so setting or
    // unsetting it never deletes a provider from the stack.
    const { allowedAccountIds: _pinned, ...credentials } = config.awsProvider;
    const provider = new aws.Provider("credentials", { ...credentials, region: config.region }, { protect: config.protect });
    if (config.enterThroughAccessRole !== "auto") return config.enterThroughAccessRole;
    const caller = await aws.getCallerIdentity({}, { provider });
    return caller.accountId !== accountId;
}

/** The org stack's provider pinned to the management account its last outputs report (accountIds.root), so another
 * account's credentials are refused; a first deploy, with no id written anywhere, runs with whichever credentials. */
async function pinnedToManagementAccount(config: RefarchConfig): Promise<RefarchConfig> {
    if (config.accounts[ROOT_STAGE] !== undefined) return config;
    const managementAccountId = (await organizationAccountIds(organizationStack(config)))[ROOT_STAGE];
    if (!managementAccountId) return config;
    return { ...config, accountId: managementAccountId, awsProvider: { ...config.awsProvider, allowedAccountIds: [managementAccountId] } };
}
