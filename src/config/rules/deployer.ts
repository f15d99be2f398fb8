// refarch:deployer's existing OIDC providers: named under a real stage, and in that stage's account.
import { ConfigError, closest, Problems } from "../problems";
import type { DeployerSettings } from "../settings/deployer";
import type { RefarchConfig } from "../types";

/** An existing OIDC provider is named under a stage of refarch:accounts, and in that stage's account where its id is written. */
export function existingOidcProviderRules(deployer: DeployerSettings, stages: string[], accounts: Record<string, string>, problems: Problems): void {
    for (const stage of Object.keys(deployer.existingOidcProviders).filter((s) => !stages.includes(s))) {
        problems.add(`refarch:deployer.existingOidcProviders.${stage}`, stage, `is not a stage of refarch:accounts (valid: ${stages.join(", ")})`, { remove: true, renameTo: closest(stage, stages) });
    }
    oidcProviderAccountRule(deployer, accounts, problems);
}

/** An existing OIDC provider named for a stage must be in that stage's account: IAM trusts only its own account's providers. */
export function oidcProviderAccountRule(deployer: DeployerSettings, accounts: Record<string, string>, problems: Problems): void {
    for (const [stage, providers] of Object.entries(deployer.existingOidcProviders)) {
        for (const [issuer, arn] of Object.entries(providers)) {
            if (arn && accounts[stage] !== undefined && arn.split(":")[4] !== accounts[stage]) {
                problems.add(`refarch:deployer.existingOidcProviders.${stage}.${issuer}`, arn, `is in account ${arn.split(":")[4]}, not ${stage}'s account ${accounts[stage]}`, { set: `"${arn.replace(/iam::\d{12}:/, `iam::${accounts[stage]}:`)}"` });
            }
        }
    }
}

/**
 * The rules that need the id of an account the org stack creates, which validateConfig cannot know: run once
 * src/accountIds.ts has read every id. Throws a ConfigError before anything is created.
 */
export function validateResolvedAccounts(config: RefarchConfig, accounts: Record<string, string>): void {
    const problems = new Problems(() => "Pulumi.yaml");
    oidcProviderAccountRule(config.deployer, accounts, problems);
    if (problems.list.length > 0) throw new ConfigError(config.stack, problems.list);
}
