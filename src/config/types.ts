// What validateConfig hands the program: the stack's config, typed, every default of the program-wide areas applied.
// The components' own settings keep their optional fields: each component applies its defaults itself.
import type { CatalogConfig } from "./areas";
import type { RoleSpec } from "./organization";
import type { AwsOrganizationConfig } from "./settings/awsOrganization";
import type { CloudtrailLogs } from "./settings/cloudtrailLogs";
import type { DeployerSettings } from "./settings/deployer";
import type { DeploymentsSettings } from "./settings/deployments";
import type { PulumiCloudSettings } from "./settings/pulumiCloud";

/** One role in one account that a team may assume. */
export interface Grant {
    stage: string;
    role: string;
}

/** A root user: the teams they belong to and, for console sign-in, the PGP key their first password is encrypted to. */
export interface User {
    teams: string[];
    /** Set for a console user: the login profile's initial password is encrypted to this key, never stored in the clear. */
    console?: { pgpKey: string };
}

/** The settings of the stack's one AWS provider, and of any provider a component makes for another region. */
export interface AwsProviderSettings {
    /** The stage's account from refarch:accounts: the provider refuses any other account's credentials. Unset only
     * for the org stack when root is given as `{ email }`: the management account is then whichever runs it. */
    allowedAccountIds?: string[];
    assumeRoles?: Record<string, unknown>[];
    profile?: string;
}

export interface RefarchConfig extends CatalogConfig {
    organization: string;
    project: string;
    stack: string;
    stage: string;
    namespace: string;
    region: string;
    partition: string;
    /** Prefix of this stack's physical names: `<namespace>-<stage>`, or `<namespace>-<stack>` for a stack
     * that borrows another stage's account (a review stack), so the two never collide. */
    namePrefix: string;
    /** stage -> 12-digit account id, for every stage whose id is known: given in refarch:accounts, or (once
     * resolveAccounts has run) read from the org stack for an account it created. */
    accounts: Record<string, string>;
    /** Stages whose account the org stack creates (root's: the management account, found by the organization): stage -> email. */
    accountEmails: Record<string, string>;
    /** The stages of refarch:accounts in the order written, ids and `{ email }` alike: the order messages list them in. */
    stages: string[];
    /** Set when the program manages the AWS Organization (an `org` stack exists): its units and guardrails. */
    awsOrganization?: AwsOrganizationConfig;
    /** The managed organization's id, read from the org stack by resolveAccounts (src/accountIds.ts): audit stack only, for its sink's paths. */
    organizationId?: string;
    /**
     * Whether this stack's provider enters its created account through the organization's access role
     * (refarch:accessRole): "auto" (unset) decides by the credentials' account at deploy time. Undefined where
     * there is nothing to decide: an account given by id, the management account, or a stack with aws:assumeRoles.
     */
    enterThroughAccessRole?: boolean | "auto";
    /** The stage's account id; empty until resolveAccounts has read it, for an account the org stack creates. */
    accountId: string;
    roles: Record<string, RoleSpec>;
    /** How recent, in seconds, the MFA sign-in behind a role assumption must be (aws:MultiFactorAuthAge). */
    mfaMaxAgeSeconds: number;
    /** team -> grants, "*" expanded to every stage. Only the root stage reads these. */
    teams: Record<string, Grant[]>;
    /** user -> teams and console access. Only the root stage reads these. */
    users: Record<string, User>;
    protect: boolean;
    /** Only the audit stage reads these. */
    cloudtrailLogs: CloudtrailLogs;
    deployer: DeployerSettings;
    deployments: DeploymentsSettings;
    pulumiCloud: PulumiCloudSettings;
    awsProvider: AwsProviderSettings;
}

/** What a stack was given: Pulumi hands every config value over as a string, objects as JSON. */
export interface RawConfig {
    organization: string;
    project: string;
    stack: string;
    values: Record<string, string>;
}
