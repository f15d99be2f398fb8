// The stage table: which components each kind of stage gets, and the StackReferences between stages.
// A component is a function of the stage context that returns the stack outputs it adds; the table is a
// map checked by the compiler, so a new stage kind cannot be half-wired.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/accountBaseline";
import { AcmCloudfront } from "./components/acmCloudfront";
import { AuroraPostgres } from "./components/auroraPostgres";
import { AccountRoles } from "./components/accountRoles";
import { Deployer, githubSubjectPrefixOf, retainedDeployer } from "./components/deployer";
import { DeploymentRoles, pipelineOf, StackDeploymentSettings } from "./components/deploymentSettings";
import { PulumiCloudAccess, pullRequestPreviewsOf } from "./components/pulumiCloudAccess";
import { Network } from "./components/network";
import { guardedAccounts, memberGuardrails } from "./components/guardrails";
import { existingOrganization, Organization } from "./components/organization";
import { RootIdentity } from "./components/rootIdentity";
import { AUDIT_STAGE, CatalogConfig, ORGANIZATION_STAGE, PRODUCTION_STAGE, RefarchConfig, ROOT_STAGE, stackReferenceName, TESTING_STAGE } from "./config";
import { deployerRoleName, ORGANIZATION_TRAIL_SERVICE, previewerRoleName, reviewBoundaryArn, reviewPolicyArns, roleArn, rootRolesDenyPolicy, signinUrl, stageRoleArn } from "./policies";
import { describeDeployOrder, projectStages, stageDependencies } from "./project/stackGraph";
import { accountTrail, auditLogSink, hasAudit, organizationTrail } from "./auditTrails";
import { Component, isReviewStack, ReadOutput, reading, StageContext, StageReader } from "./stageContext";
import type { AccountOutputs, OrganizationOutputs, RootOutputs, StageKind, StageOutputs } from "./stageOutputs";

export type { Component, ReadOutput, StageContext, StageReader } from "./stageContext";

export type { StageKind } from "./stageOutputs";

export function kindOf(stage: string): StageKind {
    if (stage === ORGANIZATION_STAGE) return "organization";
    return stage === ROOT_STAGE ? "root" : stage === AUDIT_STAGE ? "audit" : "workload";
}

const accountRoles: Component<AccountOutputs> = ({ config, componentOptions }) => {
    const roles = new AccountRoles(
        "roles",
        {
            partition: config.partition,
            rootAccountId: config.accounts[ROOT_STAGE],
            namePrefix: config.namePrefix,
            roles: config.roles,
            mfaMaxAgeSeconds: config.mfaMaxAgeSeconds,
            // A review stack's roles are made by testing's review role, inside its boundary (components/deployer.ts).
            permissionsBoundary: config.deployer.enabled && isReviewStack(config) ? reviewBoundaryArn(config.partition, config.accountId, config.namespace) : undefined,
            // No SCP binds the management account: root's human roles are held by their own explicit denies (docs/security.md).
            denyPolicy: config.stage === ROOT_STAGE ? rootRolesDenyPolicy({ partition: config.partition, namespace: config.namespace, stage: config.stage, accountId: config.accountId }) : undefined,
        },
        componentOptions,
    );
    return { accountId: config.accountId, roles: roles.arns };
};

/**
 * The stacks whose deployments the account's deployer and previewer admit: the stage's own stack; in root, also the
 * org stack, which deploys into the same (management) account and so gets no identity of its own (an account holds
 * one OIDC provider per URL, and one deployer is enough). Review stacks reach only testing's review role.
 */
function deployedStacks(config: RefarchConfig): string[] {
    if (config.stage === ROOT_STAGE && config.awsOrganization) return [config.stack, ORGANIZATION_STAGE];
    return [config.stack];
}

const deployer: Component<AccountOutputs> = async ({ config, componentOptions }) => {
    // The account's OIDC providers and roles belong to the stage's own stack; in testing, a review role is made for
    // the review stacks, whose deployments run in the same account.
    if (!config.deployer.enabled || isReviewStack(config)) return {};
    const lookup = { provider: (componentOptions.providers as Record<string, pulumi.ProviderResource>).aws };
    const adoptRetained = await retainedDeployer(deployerRoleName(config.namePrefix), stackReferenceName(config, config.stack), lookup);
    const { reviewStacks } = config.deployer;
    const review = { pattern: reviewStacks, namePattern: `${config.namespace}-${reviewStacks}-*`, policyArns: reviewPolicyArns(config.partition) };
    const stacks = deployedStacks(config);
    const identity = new Deployer(
        "deployer",
        {
            namePrefix: config.namePrefix,
            organization: config.organization,
            project: config.project,
            stacks,
            // The org stack's own refarch:protect is not visible here: it changes only through GitHub's deploy job.
            pulumiChanges: config.protect ? [] : [config.stack],
            deployBranch: config.deployments.branch,
            reviewStacks: config.stage === TESTING_STAGE ? review : undefined,
            policyArns: config.deployer.policyArns,
            previewerPolicyArns: config.deployer.previewerPolicyArns,
            pullRequestPreviews: pullRequestPreviewsOf(stacks, config.pulumiCloud.protectedPreviews),
            githubSubjectPrefix: githubSubjectPrefixOf(config.deployer),
            existingProviders: config.deployer.existingOidcProviders[config.stage],
            adoptRetained,
            account: { partition: config.partition, id: config.accountId },
        },
        componentOptions,
    );
    // Only the outputs that exist: an undefined one would be a warning, not an output.
    const { roleArn: deployerRoleArn, previewerRoleArn, reviewerRoleArn } = identity;
    return { ...(deployerRoleArn && { deployerRoleArn }), previewerRoleArn, ...(reviewerRoleArn && { reviewerRoleArn }) };
};

/**
 * The stack's own Pulumi Deployments settings, with OIDC to the account role they may use (settingsRoleOf): the roles
 * are undefined only where deployments are off, the deployer being off too.
 */
function deploymentSettings(config: RefarchConfig, componentOptions: pulumi.ComponentResourceOptions, roles: DeploymentRoles, protect = config.protect): { deploymentSettingsId?: pulumi.Output<string> } {
    // The settings need the repository to deploy from; review stacks copy the template's instead.
    const repository = config.deployer.githubRepository;
    if (!config.deployer.enabled || !config.deployments.enabled || !repository || isReviewStack(config)) return {};
    const [pipeline] = pipelineOf([{ stage: config.stage, protect }], TESTING_STAGE);
    const settings = new StackDeploymentSettings(
        "deployments",
        { organization: config.organization, project: config.project, stack: config.stack, repository, branch: config.deployments.branch, roles, pipeline },
        componentOptions,
    );
    return { deploymentSettingsId: settings.settingsId };
}

/** Every account stage's settings use its own roles. */
const accountDeploymentSettings: Component<AccountOutputs> = ({ config, componentOptions, outputs }) =>
    deploymentSettings(config, componentOptions, { deployer: outputs.deployerRoleArn, previewer: outputs.previewerRoleArn, reviewer: outputs.reviewerRoleArn });

/**
 * The org stack runs as root's roles, in the management account the organization reports (deployedStacks). Root's
 * deployer never admits Pulumi Deployments' changes of it, so its settings are a protected stack's whatever refarch:protect says.
 */
const organizationDeploymentSettings: Component<OrganizationOutputs> = ({ config, componentOptions, outputs }) => {
    const rootRole = (name: string) => outputs.accountIds && pulumi.output(outputs.accountIds).apply((ids) => roleArn(config.partition, ids[ROOT_STAGE], name));
    const rootPrefix = `${config.namespace}-${ROOT_STAGE}`;
    return deploymentSettings(config, componentOptions, { deployer: rootRole(deployerRoleName(rootPrefix)), previewer: rootRole(previewerRoleName(rootPrefix)) }, true);
};

/** Root's Pulumi Cloud access: the GitHub issuer's policies and the pipeline's teams, for every stage's stack. */
const pulumiCloudAccess: Component<RootOutputs> = ({ config, componentOptions }) => {
    const subjectPrefix = githubSubjectPrefixOf(config.deployer);
    if (!config.pulumiCloud.enabled || subjectPrefix === undefined || isReviewStack(config)) return {};
    const emails = Object.fromEntries(Object.keys(config.accountEmails).map((stage) => [stage, { email: config.accountEmails[stage] }]));
    const stacks = projectStages({ ...emails, ...config.accounts }, config.awsOrganization);
    const access = new PulumiCloudAccess(
        "pulumi-cloud",
        {
            organization: config.organization,
            project: config.project,
            namespace: config.namespace,
            subjectPrefix,
            branch: config.deployments.branch,
            stacks,
            reads: stageDependencies(stacks),
            protectedPreviews: config.pulumiCloud.protectedPreviews,
        },
        componentOptions,
    );
    return { pulumiCloudAccess: { issuerId: access.issuerId, teams: access.teams } };
};

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
            existing,
            // An organization trail needs CloudTrail's trusted access: https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-ct.html
            trustedServices: hasAudit(config) ? [ORGANIZATION_TRAIL_SERVICE] : [],
        },
        componentOptions,
    );
    return { organizationId: org.organizationId, accountIds: org.accountIds, accessRoleArns: org.accessRoleArns, units: org.unitIds };
};

/** The member accounts' guardrails: made by root, in the management account, after every stage (docs/organization.md). */
const guardrails: Component<RootOutputs> = reading(
    async (config, read) => void (config.awsOrganization && (await guardedAccounts(config, (stage, name) => read(stage, name, true)))),
    ({ config, componentOptions, read }) => memberGuardrails(config, (stage, name) => read(stage, name, true), componentOptions),
);

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
    organization: [organization, organizationTrail, organizationDeploymentSettings],
    root: [CATALOG_COMPONENTS.baseline, accountRoles, accountTrail, rootIdentity, deployer, accountDeploymentSettings, pulumiCloudAccess, ...OPTIONAL_COMPONENTS, guardrails],
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
        read: read.output,
        found: read.found,
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
    const output: ReadOutput = async (stage, name, optional = false) => {
        const stackName = stackReferenceName(config, stage);
        if (!references.has(stage)) references.set(stage, new pulumi.StackReference(stackName));
        const details = await references.get(stage)!.getOutputDetails(name);
        const value = details.value ?? details.secretValue;
        if (value === undefined && optional) return undefined;
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
    const found = (stage: string, name: string): boolean => values.has(key(stage, name));
    return { output, resolved, found };
}
