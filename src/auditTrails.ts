// The stage table's entries for the audit trail: the audit sink (audit stack), one trail per account where the
// organization is not managed, and the organization trail (org stack) where it is.
import * as pulumi from "@pulumi/pulumi";
import { AccountTrail } from "./components/accountTrail";
import { AuditLogSink } from "./components/auditLogSink";
import { OrganizationTrail } from "./components/organizationTrail";
import { AUDIT_STAGE, ORGANIZATION_STAGE, RefarchConfig, ROOT_STAGE } from "./config";
import { LOGS_READER_ROLE, organizationTrailName, roleName, trailName } from "./policies";
import { Component, isReviewStack, reading } from "./stageContext";
import type { AccountOutputs, AuditOutputs, OrganizationOutputs } from "./stageOutputs";

/** The organization is managed (an org stack exists): one organization trail replaces the per-account trails. */
const managesOrganization = (config: RefarchConfig): boolean => config.awsOrganization !== undefined;

/** The project has an audit stage, given by id or created (the org stack's config.accounts lists only the former). */
export const hasAudit = (config: RefarchConfig): boolean => AUDIT_STAGE in config.accounts || AUDIT_STAGE in config.accountEmails;

/** The managed organization's id comes with the config, read before anything is registered (src/accountIds.ts). */
export const auditLogSink: Component<AuditOutputs> = ({ config, componentOptions, stage }) => {
    const organizationId = config.organizationId;
    if (managesOrganization(config) && organizationId === undefined) throw new Error(`stage "${config.stage}": the audit sink needs the organization's id, which resolveAccounts did not read`);
    const sink = new AuditLogSink(
        "cloudtrail",
        {
            namespace: config.namespace,
            auditAccountId: config.accountId,
            writers: { partition: config.partition, namespace: config.namespace, accounts: config.accounts },
            ...(organizationId !== undefined ? { organization: { id: organizationId, managementAccountId: config.accounts[ROOT_STAGE] } } : {}),
            lifecycle: config.cloudtrailLogs,
            logsReader: { roleName: roleName(config.namePrefix, LOGS_READER_ROLE), rootAccountId: config.accounts[ROOT_STAGE] },
            mfaMaxAgeSeconds: config.mfaMaxAgeSeconds,
        },
        componentOptions,
    );
    // The reader joins the account's roles output, which root reads to grant teams `audit: logs-reader`.
    const roles = pulumi.all([stage<AuditOutputs>(config.stage)("roles"), sink.logsReaderRoleArn]).apply(([arns, reader]) => ({ ...arns, [LOGS_READER_ROLE]: reader }));
    return {
        roles,
        cloudtrailBucketName: sink.bucketName,
        cloudtrailBucketArn: sink.bucketArn,
        cloudtrailKmsKeyArn: sink.kmsKeyArn,
        cloudtrailAccessLogBucketName: sink.accessLogBucketName,
    };
};

/**
 * One trail per account, owned by the stage's own stack, where the organization is not managed; the audit bucket
 * admits exactly that trail's name. A managed organization has the org stack's organization trail instead.
 */
const hasTrail = (config: RefarchConfig): boolean => AUDIT_STAGE in config.accounts && !isReviewStack(config) && !managesOrganization(config);

/** The audit sink's outputs a trail reads. */
const SINK_OUTPUTS = ["cloudtrailBucketName", "cloudtrailKmsKeyArn"] satisfies (keyof AuditOutputs)[];

/**
 * The organization trail, in the org stack: created once the audit sink exists, so on org's run after audit
 * (stackGraph.ts laterReads); org's first run, before audit's, creates the organization and accounts only.
 */
export const organizationTrail: Component<OrganizationOutputs> = reading(
    async (config, read) => {
        if (!hasAudit(config)) return;
        for (const name of SINK_OUTPUTS) await read(AUDIT_STAGE, name, true);
    },
    (ctx) => {
        const { config } = ctx;
        if (!hasAudit(config)) return {};
        if (!SINK_OUTPUTS.every((name) => ctx.found(AUDIT_STAGE, name))) {
            pulumi.log.warn(`No organization trail yet: stack "${AUDIT_STAGE}" has no audit sink. Deploy ${AUDIT_STAGE}, then ${ORGANIZATION_STAGE} again, before the member stacks.`);
            return {};
        }
        const audit = ctx.stage<AuditOutputs>(AUDIT_STAGE);
        const trail = new OrganizationTrail(
            "organization-trail",
            { trailName: organizationTrailName(config.namespace), bucketName: audit("cloudtrailBucketName"), kmsKeyArn: audit("cloudtrailKmsKeyArn") },
            ctx.componentOptions,
        );
        return { organizationTrailArn: trail.trailArn };
    },
);

export const accountTrail: Component<AccountOutputs> = reading(
    async (config, read) => {
        if (!hasTrail(config) || config.stage === AUDIT_STAGE) return;
        for (const name of SINK_OUTPUTS) await read(AUDIT_STAGE, name);
    },
    (ctx) => {
        const { config } = ctx;
        if (!hasTrail(config)) return {};
        const audit = ctx.stage<AuditOutputs>(AUDIT_STAGE);
        const trail = new AccountTrail(
            "audit-trail",
            { trailName: trailName(config.namespace, config.stage), bucketName: audit("cloudtrailBucketName"), kmsKeyArn: audit("cloudtrailKmsKeyArn") },
            ctx.componentOptions,
        );
        return { trailArn: trail.trailArn };
    },
);
