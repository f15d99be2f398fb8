// The only reader of Pulumi config: each area's schema declared once (./organization.ts, ./identity.ts and a file per
// component under ./settings), parsed and checked by validateConfig (./validate.ts) with the cross-area rules in ./rules.
export { CATALOG, CONFIG_KEYS } from "./areas";
export type { CatalogConfig } from "./areas";
export { loadConfig } from "./load";
export * from "./organization";
export { ConfigError, describeConfigErrors } from "./problems";
export { validateResolvedAccounts } from "./rules/deployer";
export { stackKeysInProject, unknownKeysInProject } from "./rules/keys";
export type { AcmCloudfrontSettings } from "./settings/acmCloudfront";
export type { AuroraPostgresSettings } from "./settings/auroraPostgres";
export type { AwsOrganizationConfig } from "./settings/awsOrganization";
export { BASELINE_SWITCHES } from "./settings/baseline";
export type { BaselineSettings, BaselineSwitch, BudgetSpec } from "./settings/baseline";
export type { CloudtrailLogs } from "./settings/cloudtrailLogs";
export { deployerSettings } from "./settings/deployer";
export type { DeployerSettings } from "./settings/deployer";
export type { DeploymentsSettings } from "./settings/deployments";
export type { PulumiCloudSettings } from "./settings/pulumiCloud";
export type { NatGatewayStrategy, NetworkSettings } from "./settings/network";
export type { AwsProviderSettings, Grant, RawConfig, RefarchConfig, User } from "./types";
export { stackReferenceName, stageOf, validateConfig } from "./validate";
