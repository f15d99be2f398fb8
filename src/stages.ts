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
import { AUDIT_STAGE, CatalogConfig, ORGANIZATION_STAGE, PRODUCTION_STAGE, RefarchConfig, ROOT_STAGE, stackReferenceName, TESTING_STAGE } from "./config";
import { deployerRoleName, guardrailPolicies, LOGS_READER_ROLE, roleArn, roleName, signinUrl, stageRoleArn, trailName } from "./policies";
import { describeDeployOrder, projectStages } from "./project/stackGraph";
import type { AccountOutputs, AuditOutputs, In, OrganizationOutputs, RootOutputs, StageKind, StageOutputs } from "./stageOutputs";

export type { StageKind } from "./stageOutputs";

export function kindOf(stage: string): StageKind {
    if (stage === ORGANIZATION_STAGE) return "organization";
    return stage === ROOT_STAGE ? "root" : stage === AUDIT_STAGE ? "audit" : "workload";
}

/** Reads one output of a stage by its typed name: from this stack if it is the stage itself, else through a StackReference. */
export type StageReader<O> = <K extends keyof O & string>(name: K) => pulumi.Output<pulumi.Unwrap<NonNullable<O[K]>>>;

export interface StageContext<O> {
    config: RefarchConfig;
    /** Options for every component: `protect` per `refarch:protect` and the stack's AWS provider, which children inherit. */
    componentOptions: pulumi.ComponentResourceOptions;
    /** The outputs this stack has produced so far: a component reads those of the components before it in the table. */
    outputs: Readonly<Partial<O>>;
    /** The outputs of a stage, whichever stack it is read from; every account stage has AccountOutputs. */
    stage<P = AccountOutputs>(stage: string): StageReader<P>;
}

/** Reads one output of another stage before anything is registered; fails naming the stage and the deploy order when it is missing. */
export type ReadOutput = (stage: string, name: string) => Promise<unknown>;

/**
 * A table entry: builds its component from the stage context and returns the stack outputs it adds. `reads` reads,
 * before any entry is built, every output of another stage the entry will read, so a stage deployed out of order
 * fails having registered nothing (issue 24).
 */
export type Component<O> = ((ctx: StageContext<O>) => Partial<O> | Promise<Partial<O>>) & { reads?: (config: RefarchConfig, read: ReadOutput) => Promise<void> };

/** A table entry that reads other stages' outputs, declared next to the component that uses them. */
const reading = <O>(reads: NonNullable<Component<O>["reads"]>, build: Component<O>): Component<O> => Object.assign(build, { reads });

const accountRoles: Component<AccountOutputs> = ({ config, componentOptions }) => {
    const roles = new AccountRoles(
        "roles",
        { partition: config.partition, rootAccountId: config.accounts[ROOT_STAGE], namePrefix: config.namePrefix, roles: config.roles, mfaMaxAgeSeconds: config.mfaMaxAgeSeconds },
        componentOptions,
    );
    return { accountId: config.accountId, roles: roles.arns };
};

const auditLogSink: Component<AuditOutputs> = ({ config, componentOptions, stage }) => {
    const sink = new AuditLogSink(
        "cloudtrail",
        {
            namespace: config.namespace,
            auditAccountId: config.accountId,
            writers: { partition: config.partition, namespace: config.namespace, accounts: config.accounts },
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

/** A stack named other than its stage (a review stack) shares that stage's account with the stage's own stack. */
const isReviewStack = (config: RefarchConfig): boolean => config.stack !== config.stage;

/** One trail per account, owned by the stage's own stack; the audit bucket admits exactly that trail's name. */
const hasTrail = (config: RefarchConfig): boolean => AUDIT_STAGE in config.accounts && !isReviewStack(config);

const accountTrail: Component<AccountOutputs> = reading(
    async (config, read) => {
        if (!hasTrail(config) || config.stage === AUDIT_STAGE) return;
        for (const name of ["cloudtrailBucketName", "cloudtrailKmsKeyArn"] satisfies (keyof AuditOutputs)[]) await read(AUDIT_STAGE, name);
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

const deployer: Component<AccountOutputs> = async ({ config, componentOptions }) => {
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

/**
 * The stack's own Pulumi Deployments settings, with OIDC to the deployer role `deployerRoleArn` (undefined only where
 * deployments are off, the deployer being off too).
 */
function deploymentSettings(config: RefarchConfig, componentOptions: pulumi.ComponentResourceOptions, deployerRoleArn: In<string> | undefined): { deploymentSettingsId?: pulumi.Output<string> } {
    // The settings need the repository to deploy from; review stacks copy the template's instead.
    const repository = config.deployer.githubRepository;
    if (!config.deployer.enabled || !config.deployments.enabled || !repository || isReviewStack(config)) return {};
    if (deployerRoleArn === undefined) throw new Error(`stage "${config.stage}": Pulumi Deployments settings need the account's deployer role, which no component before them made`);
    return { deploymentSettingsId: stackDeploymentSettings(config, componentOptions, repository, deployerRoleArn) };
}

/** Every account stage's settings use its own deployer. */
const accountDeploymentSettings: Component<AccountOutputs> = ({ config, componentOptions, outputs }) => deploymentSettings(config, componentOptions, outputs.deployerRoleArn);

/** The org stack runs as root's deployer, in the management account the organization reports (deployedStacks). */
const organizationDeploymentSettings: Component<OrganizationOutputs> = ({ config, componentOptions, outputs }) =>
    deploymentSettings(
        config,
        componentOptions,
        outputs.accountIds && pulumi.output(outputs.accountIds).apply((ids) => roleArn(config.partition, ids[ROOT_STAGE], deployerRoleName(`${config.namespace}-${ROOT_STAGE}`))),
    );

function stackDeploymentSettings(config: RefarchConfig, componentOptions: pulumi.ComponentResourceOptions, repository: string, deployerRoleArn: In<string>): pulumi.Output<string> {
    const [pipeline] = pipelineOf([{ stage: config.stage, protect: config.protect }], TESTING_STAGE);
    const settings = new StackDeploymentSettings(
        "deployments",
        { organization: config.organization, project: config.project, stack: config.stack, repository, branch: config.deployments.branch, deployerRoleArn, pipeline },
        componentOptions,
    );
    return settings.settingsId;
}

/** The message when a granted stage's `roles` output lacks a role a team is granted there. */
const missingGrantedRole = (stage: string, role: string, team: string) =>
    `Stack "${stage}" exports no ARN for role "${role}" in its "roles" output, which team "${team}" is granted. Run pulumi up -s ${stage} with the current refarch:roles first.`;

const rootIdentity: Component<RootOutputs> = reading(
    async (config, read) => {
        // Root's own roles are made by this stack, before this entry; every other granted stage's are read first.
        for (const [team, grants] of Object.entries(config.teams)) {
            for (const { stage, role } of grants.filter((grant) => grant.stage !== config.stage)) {
                const roles = (await read(stage, "roles")) as Record<string, string>;
                if (!roles[role]) throw new Error(missingGrantedRole(stage, role, team));
            }
        }
    },
    (ctx) => {
        const { config } = ctx;
        const teamGrants = Object.fromEntries(
            Object.entries(config.teams).map(([team, grants]) => [
                team,
                grants.map(({ stage, role }) => ({
                    key: `${stage}-${role}`,
                    predictedArn: stageRoleArn(config.partition, config.accounts[stage], config.namespace, stage, role),
                    arn: ctx.stage(stage)("roles").apply((roles: Record<string, string> | undefined) => {
                        if (!roles?.[role]) throw new Error(missingGrantedRole(stage, role, team));
                        return roles[role];
                    }),
                })),
            ]),
        );
        const identity = new RootIdentity(
            "identity",
            { partition: config.partition, rootAccountId: config.accountId, namePrefix: config.namePrefix, teamGrants, users: config.users, mfaMaxAgeSeconds: config.mfaMaxAgeSeconds },
            ctx.componentOptions,
        );
        // With the baseline's account alias, users sign in at <alias>.signin...; the URL waits for the alias to exist.
        const signinName = pulumi.output(ctx.outputs.accountAlias ?? config.accountId);
        // initialPasswords: each console user's first password, encrypted to their PGP key (README: Onboarding).
        return { users: identity.userArns, groups: identity.groupNames, signinUrl: signinName.apply(signinUrl), initialPasswords: identity.initialPasswords };
    },
);

const organization: Component<OrganizationOutputs> = async ({ config, componentOptions }) => {
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

const accountBaseline: Component<AccountOutputs> = ({ config, componentOptions }) => {
    // The account alias `<namespace>-<stage>` needs no length check of its own: IAM allows it 63 characters, and the
    // stage's roles `<namespace>-<stage>-<role>` (64 at most, checked by config) are longer.
    const created = new AccountBaseline(
        "baseline",
        { ...config.baseline, namePrefix: config.namePrefix, alias: `${config.namespace}-${config.stage}`, ownsAccount: !isReviewStack(config) },
        componentOptions,
    );
    // Only the parts that are on: an undefined output would show up as a warning on every run.
    const outputs = { accountAlias: created.accountAlias, accessAnalyzerArn: created.accessAnalyzerArn, budgetName: created.budgetName };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
};

/** Production gets the components' high-availability defaults (a NAT gateway per AZ, two Aurora instances on r-class). */
const highAvailability = (config: RefarchConfig): boolean => config.stage === PRODUCTION_STAGE;

const network: Component<AccountOutputs> = ({ config, componentOptions }) => {
    if (!config.network) return {};
    const vpc = new Network("network", { ...config.network, vpcName: config.namePrefix, highAvailability: highAvailability(config) }, componentOptions);
    return { network: { vpcId: vpc.vpcId, cidrBlock: vpc.cidrBlock, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds } };
};

const auroraPostgres: Component<AccountOutputs> = ({ config, componentOptions, outputs }) => {
    if (!config.auroraPostgres) return {};
    // validateConfig refuses auroraPostgres without network, and the network component comes first in the table.
    const vpc = outputs.network;
    if (!vpc) throw new Error(`stage "${config.stage}": refarch:auroraPostgres needs the VPC of refarch:network, which no component before it made`);
    const db = new AuroraPostgres(
        "aurora-postgres",
        {
            ...config.auroraPostgres,
            clusterIdentifier: `${config.namePrefix}-aurora-postgres`,
            vpcId: vpc.vpcId,
            vpcCidrBlock: vpc.cidrBlock,
            subnetIds: vpc.privateSubnetIds,
            highAvailability: highAvailability(config),
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
            masterUserSecretArn: db.masterUserSecretArn,
            securityGroupId: db.securityGroupId,
        },
    };
};

const acmCloudfront: Component<AccountOutputs> = ({ config, componentOptions }) => {
    if (!config.acmCloudfront) return {};
    const certificate = new AcmCloudfront("acm-cloudfront", { ...config.acmCloudfront, provider: config.awsProvider }, componentOptions);
    return {
        acmCloudfront: { certificateArn: certificate.certificateArn, domainName: config.acmCloudfront.domainName, validationRecords: certificate.validationRecords },
    };
};

/**
 * The catalog: one entry per field of config's CATALOG, so a component added there fails to compile until it is here.
 * The optional ones follow in this order (network before Aurora, which lives in it); each returns nothing when off.
 */
const CATALOG_COMPONENTS: { [K in keyof CatalogConfig]: Component<AccountOutputs> } = { baseline: accountBaseline, network, auroraPostgres, acmCloudfront };
const { baseline: _first, ...optional } = CATALOG_COMPONENTS;
const OPTIONAL_COMPONENTS = Object.values(optional);

/** What each kind of stage gets, in order: later components may read the outputs of earlier ones. */
export const STAGE_COMPONENTS: { [K in StageKind]: Component<StageOutputs[K]>[] } = {
    organization: [organization, organizationDeploymentSettings],
    root: [CATALOG_COMPONENTS.baseline, accountRoles, accountTrail, rootIdentity, deployer, accountDeploymentSettings, ...OPTIONAL_COMPONENTS],
    audit: [CATALOG_COMPONENTS.baseline, accountRoles, auditLogSink, accountTrail, deployer, accountDeploymentSettings, ...OPTIONAL_COMPONENTS],
    workload: [CATALOG_COMPONENTS.baseline, accountRoles, accountTrail, deployer, accountDeploymentSettings, ...OPTIONAL_COMPONENTS],
};

/** The whole program for one stack: its stage's components, wired to the other stages; returns the stack outputs. */
export function defineStack(config: RefarchConfig): Promise<Partial<StageOutputs[StageKind]>> {
    return buildStage(config, kindOf(config.stage));
}

async function buildStage<K extends StageKind>(config: RefarchConfig, kind: K): Promise<Partial<StageOutputs[K]>> {
    const components = STAGE_COMPONENTS[kind] as Component<StageOutputs[K]>[];
    // Every other stage's output the table reads, read before the first registration below.
    const read = otherStageReader(config);
    for (const component of components) await component.reads?.(config, read.output);
    const outputs: Partial<StageOutputs[K]> = {};
    // The stack's one AWS provider, built from refarch:accounts and aws:region: the account id is written once, in
    // Pulumi.yaml, and the provider refuses any other account's credentials. Pulumi.yaml disables the default aws
    // provider, so a resource that missed this one fails instead of deploying with whatever credentials are about.
    const provider = new aws.Provider("aws", { ...config.awsProvider, region: config.region }, { protect: config.protect });
    // The one place a stage's outputs are read by name; StageReader's signature keeps the name and its type together.
    const ownReader = (name: string) => pulumi.output((outputs as Record<string, unknown>)[name]);
    const ctx: StageContext<StageOutputs[K]> = {
        config,
        componentOptions: { protect: config.protect, providers: { aws: provider } },
        outputs,
        stage: <P>(stage: string) => (stage === config.stage ? ownReader : read.resolved(stage)) as StageReader<P>,
    };
    for (const component of components) {
        Object.assign(outputs, await component(ctx));
    }
    return outputs;
}

/**
 * Reads other stages' outputs through one StackReference per stage: `output` awaits one (the table's `reads`),
 * `resolved` hands a component one already read.
 */
function otherStageReader(config: RefarchConfig) {
    const references = new Map<string, pulumi.StackReference>();
    const values = new Map<string, pulumi.Output<unknown>>();
    const key = (stage: string, name: string) => `${stage}/${name}`;
    const output: ReadOutput = async (stage, name) => {
        const stackName = stackReferenceName(config, stage);
        if (!references.has(stage)) references.set(stage, new pulumi.StackReference(stackName));
        const details = await references.get(stage)!.getOutputDetails(name);
        const value = details.value ?? details.secretValue;
        if (value === undefined) {
            throw new Error(
                `Stack "${stackName}" has no output "${name}", which stage "${config.stage}" reads: it is not deployed yet, or was deployed before it had that output. ` +
                    `Deploy in this order: ${describeDeployOrder(projectStages(Object.fromEntries(config.stages.map((s) => [s, s])), config.awsOrganization))} (pulumi up -s ${stage} first).`,
            );
        }
        // From the reference's outputs, as before this read existed, so what uses it depends on the StackReference.
        values.set(key(stage, name), references.get(stage)!.outputs.apply((all) => all[name]));
        return value;
    };
    const resolved =
        (stage: string) =>
        (name: string): pulumi.Output<unknown> => {
            const value = values.get(key(stage, name));
            if (value === undefined) throw new Error(`stage "${config.stage}" reads output "${name}" of stage "${stage}", which no entry of the stage table declares in its reads`);
            return value;
        };
    return { output, resolved };
}
