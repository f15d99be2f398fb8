// The stage table: which components each kind of stage gets, and the StackReferences between stages.
// A component is a function of the stage context that returns the stack outputs it adds; the table is a
// map checked by the compiler, so a new stage kind cannot be half-wired.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/accountBaseline";
import { AcmCloudfront } from "./components/acmCloudfront";
import { AuroraPostgres } from "./components/auroraPostgres";
import { AccountRoles } from "./components/accountRoles";
import { AccountTrail } from "./components/accountTrail";
import { AuditLogSink } from "./components/auditLogSink";
import { Deployer, githubSubjectPrefixOf, retainedDeployer } from "./components/deployer";
import { pipelineOf, StackDeploymentSettings } from "./components/deploymentSettings";
import { Network } from "./components/network";
import { existingOrganization, Organization } from "./components/organization";
import { RootIdentity } from "./components/rootIdentity";
import { AUDIT_STAGE, ORGANIZATION_STAGE, RefarchConfig, ROOT_STAGE, stackReferenceName, TESTING_STAGE } from "./config";
import { guardrailPolicies } from "./guardrails";
import { deployerRoleName, LOGS_READER_ROLE, roleArn, roleName, signinUrl, stageRoleArn, trailName } from "./policies";
import { describeDeployOrder, projectStages } from "./project/stackGraph";

export type StageKind = "organization" | "root" | "audit" | "workload";

export function kindOf(stage: string): StageKind {
    if (stage === ORGANIZATION_STAGE) return "organization";
    return stage === ROOT_STAGE ? "root" : stage === AUDIT_STAGE ? "audit" : "workload";
}

/** Reads one named output of a stage: from this stack if it is the stage itself, else through a StackReference. */
export type OutputReader = (name: string) => pulumi.Output<any>;

export interface StageContext {
    config: RefarchConfig;
    /** Options for every component: `protect` per `refarch:protect` and the stack's AWS provider, which children inherit. */
    componentOptions: pulumi.ComponentResourceOptions;
    /** The outputs this stack has produced so far. */
    outputs: Record<string, pulumi.Input<unknown>>;
    /** The outputs of a stage, whichever stack it is read from. */
    stage(stage: string): OutputReader;
}

export type Component = (ctx: StageContext) => Record<string, pulumi.Input<unknown>> | Promise<Record<string, pulumi.Input<unknown>>>;

const accountRoles: Component = ({ config, componentOptions }) => {
    const roles = new AccountRoles(
        "roles",
        { partition: config.partition, rootAccountId: config.accounts[ROOT_STAGE], namePrefix: config.namePrefix, roles: config.roles },
        componentOptions,
    );
    return { accountId: config.accountId, roles: roles.arns };
};

const auditLogSink: Component = ({ config, componentOptions, outputs }) => {
    const sink = new AuditLogSink(
        "cloudtrail",
        {
            namespace: config.namespace,
            auditAccountId: config.accountId,
            writers: { partition: config.partition, namespace: config.namespace, accounts: config.accounts },
            lifecycle: config.cloudtrailLogs,
            logsReader: { roleName: roleName(config.namePrefix, LOGS_READER_ROLE), rootAccountId: config.accounts[ROOT_STAGE] },
        },
        componentOptions,
    );
    // The reader joins the account's roles output, which root reads to grant teams `audit: logs-reader`.
    const roles = pulumi.all([pulumi.output(outputs.roles as pulumi.Input<Record<string, string>>), sink.logsReaderRoleArn]).apply(([arns, reader]) => ({ ...arns, [LOGS_READER_ROLE]: reader }));
    return {
        roles,
        cloudtrailBucketName: sink.bucketName,
        cloudtrailBucketArn: sink.bucketArn,
        cloudtrailKmsKeyArn: sink.kmsKeyArn,
        cloudtrailAccessLogBucketName: sink.accessLogBucketName,
    };
};

/** A stack named other than its stage (a review stack) shares that stage's account with the stage's own stack. */
const isReviewStack = (config: RefarchConfig): boolean => config.stack !== config.stage;

const accountTrail: Component = (ctx) => {
    const { config } = ctx;
    // One trail per account, owned by the stage's own stack; the audit bucket admits exactly that trail's name.
    if (!(AUDIT_STAGE in config.accounts) || isReviewStack(config)) return {};
    const audit = ctx.stage(AUDIT_STAGE);
    const trail = new AccountTrail(
        "audit-trail",
        { trailName: trailName(config.namespace, config.stage), bucketName: audit("cloudtrailBucketName"), kmsKeyArn: audit("cloudtrailKmsKeyArn") },
        ctx.componentOptions,
    );
    return { trailArn: trail.trailArn };
};

/**
 * The stacks whose deployments the account's deployer and previewer admit: the stage's own stack; in testing,
 * also its review stacks; in root, also the org stack, which deploys into the same (management) account and so
 * gets no identity of its own (an account holds one OIDC provider per URL, and one deployer is enough).
 */
function deployedStacks(config: RefarchConfig): string[] {
    if (config.stage === TESTING_STAGE) return [config.stack, config.deployer.reviewStacks];
    if (config.stage === ROOT_STAGE && config.awsOrganization) return [config.stack, ORGANIZATION_STAGE];
    return [config.stack];
}

const deployer: Component = async ({ config, componentOptions }) => {
    // The account's OIDC providers and roles belong to the stage's own stack; in testing, the roles also admit the
    // review stacks, whose deployments run in the same account.
    if (!config.deployer.enabled || isReviewStack(config)) return {};
    const lookup = { provider: (componentOptions.providers as Record<string, pulumi.ProviderResource>).aws };
    const adoptRetained = await retainedDeployer(deployerRoleName(config.namePrefix), stackReferenceName(config, config.stack), lookup);
    const identity = new Deployer(
        "deployer",
        {
            namePrefix: config.namePrefix,
            organization: config.organization,
            project: config.project,
            stacks: deployedStacks(config),
            policyArns: config.deployer.policyArns,
            previewerPolicyArns: config.deployer.previewerPolicyArns,
            githubSubjectPrefix: githubSubjectPrefixOf(config.deployer),
            existingProviders: config.deployer.existingOidcProviders[config.stage],
            adoptRetained,
            account: { partition: config.partition, id: config.accountId },
        },
        componentOptions,
    );
    return { deployerRoleArn: identity.roleArn, previewerRoleArn: identity.previewerRoleArn };
};

/** The stack's own Pulumi Deployments settings, with OIDC to the deployer of its account. */
const deploymentSettings: Component = ({ config, componentOptions, outputs }) => {
    // The settings need the repository to deploy from; review stacks copy the template's instead.
    const repository = config.deployer.githubRepository;
    if (!config.deployer.enabled || !config.deployments.enabled || !repository || isReviewStack(config)) return {};
    // The org stack runs as root's deployer, in the management account the organization reports (deployedStacks).
    const deployerRoleArn =
        config.stage === ORGANIZATION_STAGE
            ? pulumi.output(outputs.accountIds as pulumi.Input<Record<string, string>>).apply((ids) => roleArn(config.partition, ids[ROOT_STAGE], deployerRoleName(`${config.namespace}-${ROOT_STAGE}`)))
            : (outputs.deployerRoleArn as pulumi.Input<string>);
    const [pipeline] = pipelineOf([{ stage: config.stage, protect: config.protect }], TESTING_STAGE);
    const settings = new StackDeploymentSettings(
        "deployments",
        { organization: config.organization, project: config.project, stack: config.stack, repository, branch: config.deployments.branch, deployerRoleArn, pipeline },
        componentOptions,
    );
    return { deploymentSettingsId: settings.settingsId };
};

const rootIdentity: Component = (ctx) => {
    const { config } = ctx;
    const teamGrants = Object.fromEntries(
        Object.entries(config.teams).map(([team, grants]) => [
            team,
            grants.map(({ stage, role }) => ({
                key: `${stage}-${role}`,
                predictedArn: stageRoleArn(config.partition, config.accounts[stage], config.namespace, stage, role),
                arn: ctx.stage(stage)("roles").apply((roles: Record<string, string> | undefined) => {
                    if (!roles?.[role]) throw new Error(`Stack "${stage}" exports no ARN for role "${role}" in its "roles" output, which team "${team}" is granted. Run pulumi up -s ${stage} with the current refarch:roles first.`);
                    return roles[role];
                }),
            })),
        ]),
    );
    const identity = new RootIdentity(
        "identity",
        { partition: config.partition, rootAccountId: config.accountId, namePrefix: config.namePrefix, teamGrants, users: config.users },
        ctx.componentOptions,
    );
    // With the baseline's account alias, users sign in at <alias>.signin...; the URL waits for the alias to exist.
    const signinName = pulumi.output((ctx.outputs.accountAlias as pulumi.Input<string> | undefined) ?? config.accountId);
    // initialPasswords: each console user's first password, encrypted to their PGP key (README: Onboarding).
    return { users: identity.userArns, groups: identity.groupNames, signinUrl: signinName.apply(signinUrl), initialPasswords: identity.initialPasswords };
};

const organization: Component = async ({ config, componentOptions }) => {
    const { awsOrganization } = config;
    if (!awsOrganization) return {};
    const createdAccounts = Object.fromEntries(Object.entries(config.accountEmails).filter(([stage]) => stage !== ROOT_STAGE));
    const lookup = { provider: (componentOptions.providers as Record<string, pulumi.ProviderResource>).aws };
    const existing = await existingOrganization(stackReferenceName(config, config.stack), createdAccounts, lookup);
    const org = new Organization(
        "organization",
        {
            partition: config.partition,
            namespace: config.namespace,
            createdAccounts,
            // In the org stack, config.accounts holds exactly the stages given by id, the accounts that exist already
            // (only the other stacks read the created accounts' ids into it, src/accountIds.ts).
            existingAccounts: config.accounts,
            units: awsOrganization.units,
            guardrails: guardrailPolicies({ partition: config.partition, namespace: config.namespace }, awsOrganization.guardrails),
            existing,
        },
        componentOptions,
    );
    return { organizationId: org.organizationId, accountIds: org.accountIds, accessRoleArns: org.accessRoleArns, units: org.unitIds, guardrails: org.guardrailIds };
};

// ---- The component catalog: the account baseline, and the optional components a stage's config turns on ----

const accountBaseline: Component = ({ config, componentOptions }) => {
    const { baseline } = config;
    const created = new AccountBaseline(
        "baseline",
        {
            namePrefix: config.namePrefix,
            accountAlias: baseline.accountAlias ? `${config.namespace}-${config.stage}` : undefined,
            passwordPolicy: baseline.passwordPolicy,
            ebsEncryption: baseline.ebsEncryption,
            s3PublicAccessBlock: baseline.s3PublicAccessBlock,
            accessAnalyzer: baseline.accessAnalyzer,
            budget: baseline.budget,
        },
        componentOptions,
    );
    // Only the parts that are on: an undefined output would show up as a warning on every run.
    const outputs = { accountAlias: created.accountAlias, accessAnalyzerArn: created.accessAnalyzerArn, budgetName: created.budgetName };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
};

const network: Component = ({ config, componentOptions }) => {
    if (!config.network) return {};
    const vpc = new Network("network", { vpcName: config.namePrefix, ...config.network }, componentOptions);
    return { network: { vpcId: vpc.vpcId, cidrBlock: vpc.cidrBlock, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds } };
};

const auroraPostgres: Component = ({ config, componentOptions, outputs }) => {
    if (!config.auroraPostgres) return {};
    // validateConfig refuses auroraPostgres without network, and the network component comes first in the table.
    const vpc = pulumi.output(outputs.network as pulumi.Input<{ vpcId: string; privateSubnetIds: string[] }>);
    const db = new AuroraPostgres(
        "aurora-postgres",
        {
            clusterIdentifier: `${config.namePrefix}-aurora-postgres`,
            vpcId: vpc.vpcId,
            vpcCidrBlock: config.network!.cidrBlock,
            subnetIds: vpc.privateSubnetIds,
            ...config.auroraPostgres,
            deletionProtection: config.protect,
            skipFinalSnapshot: config.stage === TESTING_STAGE,
        },
        componentOptions,
    );
    return {
        auroraPostgres: {
            clusterArn: db.clusterArn,
            endpoint: db.endpoint,
            readerEndpoint: db.readerEndpoint,
            port: db.port,
            masterUsername: db.masterUsername,
            masterPassword: db.masterPassword,
            securityGroupId: db.securityGroupId,
        },
    };
};

const acmCloudfront: Component = ({ config, componentOptions }) => {
    if (!config.acmCloudfront) return {};
    const certificate = new AcmCloudfront("acm-cloudfront", { ...config.acmCloudfront, provider: config.awsProvider }, componentOptions);
    return {
        acmCloudfront: { certificateArn: certificate.certificateArn, domainName: config.acmCloudfront.domainName, validationRecords: certificate.validationRecords },
    };
};

/** Switched on per stack by its config; each returns no outputs when off. Network comes before Aurora, which lives in it. */
const OPTIONAL_COMPONENTS: Component[] = [network, auroraPostgres, acmCloudfront];

/** What each kind of stage gets, in order: later components may read the outputs of earlier ones. */
export const STAGE_COMPONENTS: Record<StageKind, Component[]> = {
    organization: [organization, deploymentSettings],
    root: [accountBaseline, accountRoles, accountTrail, rootIdentity, deployer, deploymentSettings, ...OPTIONAL_COMPONENTS],
    audit: [accountBaseline, accountRoles, auditLogSink, accountTrail, deployer, deploymentSettings, ...OPTIONAL_COMPONENTS],
    workload: [accountBaseline, accountRoles, accountTrail, deployer, deploymentSettings, ...OPTIONAL_COMPONENTS],
};

/** The whole program for one stack: its stage's components, wired to the other stages; returns the stack outputs. */
export async function defineStack(config: RefarchConfig): Promise<Record<string, pulumi.Input<unknown>>> {
    const references = new Map<string, pulumi.StackReference>();
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    // The stack's one AWS provider, built from refarch:accounts and aws:region: the account id is written once, in
    // Pulumi.yaml, and the provider refuses any other account's credentials. Pulumi.yaml disables the default aws
    // provider, so a resource that missed this one fails instead of deploying with whatever credentials are about.
    const provider = new aws.Provider("aws", { ...config.awsProvider, region: config.region }, { protect: config.protect });
    const ctx: StageContext = {
        config,
        componentOptions: { protect: config.protect, providers: { aws: provider } },
        outputs,
        stage: (stage) => (stage === config.stage ? (name) => pulumi.output(outputs[name]) : referenceReader(stage)),
    };

    function referenceReader(stage: string): OutputReader {
        const stackName = stackReferenceName(config, stage);
        if (!references.has(stage)) references.set(stage, new pulumi.StackReference(stackName));
        const reference = references.get(stage)!;
        return (name) =>
            reference.outputs.apply((values) => {
                if (values[name] === undefined) {
                    throw new Error(
                        `Stack "${stackName}" has no output "${name}", which stage "${config.stage}" reads: it is not deployed yet, or was deployed before it had that output. ` +
                            `Deploy in this order: ${describeDeployOrder(projectStages({ ...config.accountEmails, ...config.accounts }, config.awsOrganization))} (pulumi up -s ${stage} first).`,
                    );
                }
                return values[name];
            });
    }

    for (const component of STAGE_COMPONENTS[kindOf(config.stage)]) {
        Object.assign(outputs, await component(ctx));
    }
    return outputs;
}
