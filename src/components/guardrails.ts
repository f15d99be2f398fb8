// The guardrails of the organization's member accounts, deployed by the root stack in the management account, last:
// each member account gets its own SCPs, whose one exempt principal is that account's deployer by its exact ARN, and
// they are attached only once the account's stage has deployed that deployer (its stack exports deployerRoleArn). So a
// stage's first `up` (bootstrap) runs before its guardrails, and no look-alike role is ever exempt.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_STAGE, RefarchConfig, ROOT_STAGE, stackReferenceName } from "../config";
import { accountGuardrailPolicies, exemptPrincipalArn, GuardedAccount, GuardrailSettings, sharedGuardrailPolicies } from "../policies";
import { githubSubjectPrefixOf } from "./deployer";

/** What of a stack's config names the accounts to guard. */
type GuardedConfig = Pick<RefarchConfig, "accounts" | "deployer" | "partition" | "namespace" | "organization" | "project">;
/** Reads a stage's output: undefined when its stack has none (not deployed yet). */
type OptionalRead = (stage: string, name: string) => Promise<unknown>;

export interface AccountGuardrailsArgs {
    partition: string;
    namespace: string;
    /** The member accounts to guard now: those whose stage has deployed its deployer (or, with the deployer off, its stack). */
    accounts: GuardedAccount[];
    settings: GuardrailSettings;
}

export class AccountGuardrails extends pulumi.ComponentResource {
    /** `<stage>-<key>` (an account's own SCP) or `custom-<name>` (shared) -> SCP id. */
    readonly policyIds: pulumi.Output<Record<string, string>>;
    /** The stages whose accounts the guardrails are attached to. */
    readonly guardedStages: string[];

    constructor(name: string, args: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:guardrails:AccountGuardrails", name, {}, opts);
        const scope = { partition: args.partition, namespace: args.namespace };
        const scp = (key: string, description: string, content: unknown) =>
            new aws.organizations.Policy(`${name}-${key}`, { name: `${args.namespace}-${key}`, description, type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(content) }, { parent: this });
        const attach = (key: string, policy: aws.organizations.Policy, account: GuardedAccount) =>
            new aws.organizations.PolicyAttachment(`${name}-${key}-${account.stage}`, { policyId: policy.id, targetId: account.accountId }, { parent: this });

        const accounts = args.accounts;
        const policies: Record<string, aws.organizations.Policy> = {};
        // The custom SCPs name no account: made once, attached to every guarded account, and only while there is one.
        for (const [key, document] of Object.entries(accounts.length > 0 ? sharedGuardrailPolicies(args.settings) : {})) {
            policies[key] = scp(key, `${args.namespace} guardrail: ${key}`, document);
            for (const account of accounts) attach(key, policies[key], account);
        }
        for (const account of accounts) {
            for (const [key, document] of Object.entries(accountGuardrailPolicies(scope, account, args.settings))) {
                const own = `${account.stage}-${key}`;
                policies[own] = scp(own, `${args.namespace} guardrail: ${key}, account ${account.stage} (${account.accountId})`, document);
                new aws.organizations.PolicyAttachment(`${name}-${own}`, { policyId: policies[own].id, targetId: account.accountId }, { parent: this });
            }
        }
        this.guardedStages = accounts.map((a) => a.stage);
        this.policyIds = pulumi.all(Object.fromEntries(Object.entries(policies).map(([key, policy]) => [key, policy.id])));
        this.registerOutputs({ policyIds: this.policyIds });
    }
}

/**
 * The member accounts to guard, each once its stage has bootstrapped: its stack exports deployerRoleArn (or, with the
 * deployer off, accountId). A stack with no outputs yet reads as not bootstrapped: its account stays unguarded until
 * its first `up`, which the guardrails would otherwise deny (issue 25: an adopted account has no deployer yet).
 * `read` returns a stage's output, or undefined when its stack has none.
 */
export async function guardedAccounts(config: GuardedConfig, read: OptionalRead): Promise<GuardedAccount[]> {
    const accounts: GuardedAccount[] = [];
    for (const stage of Object.keys(config.accounts).filter((s) => s !== ROOT_STAGE)) {
        const deployerArn = config.deployer.enabled ? await read(stage, "deployerRoleArn") : undefined;
        // A stage deployed without a deployer (the deployer off, or, with no repository, a protected stage: deployer.ts)
        // is bootstrapped once its stack exports its accountId; the access role is then its one exempt principal.
        const deployerOptional = !config.deployer.enabled || githubSubjectPrefixOf(config.deployer) === undefined;
        if (deployerArn === undefined && !(deployerOptional && (await read(stage, "accountId")) !== undefined)) continue;
        const exempt = deployerArn !== undefined ? "deployer" : "accessRole";
        const account: GuardedAccount = { stage, accountId: config.accounts[stage], auditAccountId: config.accounts[AUDIT_STAGE], exempt };
        const expected = exemptPrincipalArn(config, account);
        // The exemption names the deployer by the ARN its stack makes: a deployer made elsewhere (another path) would be denied its own work.
        if (exempt === "deployer" && deployerArn !== expected) {
            throw new Error(`Stack "${stackReferenceName(config, stage)}" exports deployerRoleArn ${String(deployerArn)}, but the guardrails exempt exactly ${expected}: deploy ${stage} with this program's deployer first`);
        }
        accounts.push(account);
    }
    return accounts;
}

/** What a member account's people can do with no organization managed: the warning `pulumi up` and `npm start` show for root. */
export const UNGUARDED_WARNING =
    "refarch:awsOrganization is not set: no guardrail (SCP) binds the member accounts. Each account's admins, and its deployer, can stop or delete its trail, " +
    "weaken or empty the audit bucket and its access logs, schedule the audit key's deletion or change its policy, delete the OIDC providers the deployers trust, " +
    "rewrite the deployer's trust, and leave the organization; a member's root user is unrestricted. Set refarch:awsOrganization in Pulumi.yaml (docs/organization.md).";

/** Root's entry in the stage table: the guardrails of every bootstrapped member account, or, with no organization managed, the warning. */
export async function memberGuardrails(
    config: GuardedConfig & Pick<RefarchConfig, "awsOrganization">,
    read: OptionalRead,
    componentOptions: pulumi.ComponentResourceOptions,
): Promise<{ guardrails?: pulumi.Output<Record<string, string>>; guardedStages?: string[] }> {
    if (!config.awsOrganization) {
        pulumi.log.warn(UNGUARDED_WARNING);
        return {};
    }
    const accounts = await guardedAccounts(config, read);
    const created = new AccountGuardrails("guardrails", { partition: config.partition, namespace: config.namespace, accounts, settings: config.awsOrganization.guardrails }, componentOptions);
    return { guardrails: created.policyIds, guardedStages: created.guardedStages };
}
