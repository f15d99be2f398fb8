// What each kind of stage exports, as types: other stacks (and the tests) read these outputs by name, so a stage reads
// another's through StageReader<...> and renaming an output is a compile error on both sides.
import type * as pulumi from "@pulumi/pulumi";
import type { ValidationRecord } from "./components/acmCloudfront";
import type { InitialPassword } from "./components/rootIdentity";

export type StageKind = "organization" | "root" | "audit" | "workload";

export type In<T> = pulumi.Input<T>;

export interface NetworkOutputs {
    vpcId: In<string>;
    cidrBlock: In<string>;
    publicSubnetIds: In<string[]>;
    privateSubnetIds: In<string[]>;
}

export interface AuroraPostgresOutputs {
    clusterArn: In<string>;
    endpoint: In<string>;
    readerEndpoint: In<string>;
    port: In<number>;
    masterUsername: In<string>;
    /** The Secrets Manager secret RDS keeps the master password in; the password itself is in no Pulumi state. */
    masterUserSecretArn: In<string>;
    securityGroupId: In<string>;
}

export interface AcmCloudfrontOutputs {
    certificateArn: In<string>;
    domainName: string;
    validationRecords: In<ValidationRecord[]>;
}

/** Every account stage's outputs; the optional ones only where the stage has the component. */
export interface AccountOutputs {
    accountId: In<string>;
    /** role name -> ARN: root reads it to grant teams their roles. */
    roles: In<Record<string, string>>;
    trailArn?: In<string>;
    deployerRoleArn?: In<string>;
    previewerRoleArn?: In<string>;
    /** testing only: the review stacks' bounded role. */
    reviewerRoleArn?: In<string>;
    deploymentSettingsId?: In<string>;
    accountAlias?: In<string>;
    accessAnalyzerArn?: In<string>;
    budgetName?: In<string>;
    network?: NetworkOutputs;
    auroraPostgres?: AuroraPostgresOutputs;
    acmCloudfront?: AcmCloudfrontOutputs;
}

/** The audit stage's: every account's trail reads the sink's bucket and key. */
export interface AuditOutputs extends AccountOutputs {
    cloudtrailBucketName: In<string>;
    cloudtrailBucketArn: In<string>;
    cloudtrailKmsKeyArn: In<string>;
    cloudtrailAccessLogBucketName: In<string>;
}

export interface RootOutputs extends AccountOutputs {
    users: In<Record<string, string>>;
    groups: In<Record<string, string>>;
    signinUrl: In<string>;
    initialPasswords: In<Record<string, InitialPassword>>;
    /** The GitHub OIDC issuer's id in the Pulumi organization and the pipeline's team names (PulumiCloudAccess). */
    pulumiCloudAccess?: { issuerId: In<string>; teams: { preview: string; protectedPreview: string; deployPrefix: string } };
    /** With an organization: `<stage>-<key>` or `custom-<name>` -> the id of each member account's guardrail SCP (src/components/guardrails.ts). */
    guardrails?: In<Record<string, string>>;
    /** With an organization: the member stages whose accounts the guardrails are attached to (their deployer exists). */
    guardedStages?: string[];
}

/** The org stack's: every stack into a created account reads its id from accountIds. */
export interface OrganizationOutputs {
    organizationId: In<string>;
    accountIds: In<Record<string, string>>;
    accessRoleArns: In<Record<string, string>>;
    units: In<Record<string, string>>;
    /** The organization trail, once the audit sink exists (after org's run that follows audit's). */
    organizationTrailArn?: In<string>;
    deploymentSettingsId?: In<string>;
}

export interface StageOutputs {
    organization: OrganizationOutputs;
    root: RootOutputs;
    audit: AuditOutputs;
    workload: AccountOutputs;
}
