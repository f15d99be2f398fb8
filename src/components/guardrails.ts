// The guardrails of the organization's member accounts, deployed by the root stack in the management account, last:
// each member account gets its own SCPs, whose one exempt principal is that account's deployer by its exact ARN, and
// they are attached only once the account's stage has deployed that deployer (its stack exports deployerRoleArn). So a
// stage's first `up` (bootstrap) runs before its guardrails, and no look-alike role is ever exempt.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountGuardrailPolicies, GuardedAccount, GuardrailSettings, sharedGuardrailPolicies } from "../policies";

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
