// The registry of config areas: every key the program reads, each with its schema. A component's settings are
// one line of CATALOG (an account-level component) or of AREAS; RefarchConfig's catalog fields follow from CATALOG.
import { z } from "zod";
import { teamsSettings, usersSettings } from "./identity";
import { accountsSettings, namespaceSettings, organizationSettings, protectSettings, regionSettings, rolesSettings, stageSettings } from "./organization";
import { areaList, ConfigArea } from "./schema";
import { acmCloudfrontSettings } from "./settings/acmCloudfront";
import { auroraPostgresSettings } from "./settings/auroraPostgres";
import { accessRoleSettings, awsOrganizationSettings } from "./settings/awsOrganization";
import { baselineSettings } from "./settings/baseline";
import { cloudtrailLogsSettings } from "./settings/cloudtrailLogs";
import { deployerSettings } from "./settings/deployer";
import { deploymentsSettings } from "./settings/deployments";
import { mfaMaxAgeSettings } from "./settings/mfa";
import { networkSettings } from "./settings/network";
import { pulumiCloudSettings } from "./settings/pulumiCloud";

/** The components any account stage may switch on in its own stack file (and the org stack refuses): config field -> area. */
export const CATALOG = {
    baseline: baselineSettings,
    network: networkSettings,
    auroraPostgres: auroraPostgresSettings,
    acmCloudfront: acmCloudfrontSettings,
};
/** The catalog's areas, each checked against ConfigArea on its own (see areaList for why not as one union). */
export const CATALOG_AREAS: Record<keyof typeof CATALOG, ConfigArea> = CATALOG;
/** Each catalog component's settings, as its schema parses them (z.infer): the component applies its own defaults. */
export type CatalogConfig = { [K in keyof typeof CATALOG]: z.infer<(typeof CATALOG)[K]["schema"]> };

/** Every `refarch:*` key the program reads, and `aws:region`. */
export const AREAS = areaList(
    namespaceSettings,
    accountsSettings,
    rolesSettings,
    mfaMaxAgeSettings,
    organizationSettings,
    deployerSettings,
    deploymentsSettings,
    pulumiCloudSettings,
    stageSettings,
    protectSettings,
    regionSettings,
    teamsSettings,
    usersSettings,
    cloudtrailLogsSettings,
    awsOrganizationSettings,
    accessRoleSettings,
    ...Object.values(CATALOG_AREAS),
);
/** The AWS provider settings the program passes on to the stack's provider; any other aws:* key would be ignored. */
export const AWS_KEYS = ["aws:region", "aws:profile", "aws:assumeRoles"];
/** Every config key the program reads. */
export const CONFIG_KEYS: readonly string[] = [...new Set([...AREAS.map((a) => a.key), ...AWS_KEYS])];
