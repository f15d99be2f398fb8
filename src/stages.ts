// The stage table: which components each kind of stage gets, and the StackReferences between stages.
// A component is a function of the stage context that returns the stack outputs it adds; the table is a
// map checked by the compiler, so a new stage kind cannot be half-wired.
import * as pulumi from "@pulumi/pulumi";
import { AccountRoles } from "./components/accountRoles";
import { AccountTrail } from "./components/accountTrail";
import { AuditLogSink } from "./components/auditLogSink";
import { RootIdentity } from "./components/rootIdentity";
import { AUDIT_STAGE, RefarchConfig, ROOT_STAGE } from "./config";
import { signinUrl, stageRoleArn, trailName } from "./policies";
import { describeDeployOrder } from "./stackGraph";

export type StageKind = "root" | "audit" | "workload";

export function kindOf(stage: string): StageKind {
    return stage === ROOT_STAGE ? "root" : stage === AUDIT_STAGE ? "audit" : "workload";
}

/** Reads one named output of a stage: from this stack if it is the stage itself, else through a StackReference. */
export type OutputReader = (name: string) => pulumi.Output<any>;

export interface StageContext {
    config: RefarchConfig;
    /** Options for every component: `protect` per `refarch:protect`, which children inherit. */
    componentOptions: pulumi.ComponentResourceOptions;
    /** The outputs this stack has produced so far. */
    outputs: Record<string, pulumi.Input<unknown>>;
    /** The outputs of a stage, whichever stack it is read from. */
    stage(stage: string): OutputReader;
}

export type Component = (ctx: StageContext) => Record<string, pulumi.Input<unknown>>;

const accountRoles: Component = ({ config, componentOptions }) => {
    const roles = new AccountRoles(
        "roles",
        { partition: config.partition, rootAccountId: config.accounts[ROOT_STAGE], namePrefix: config.namePrefix, roles: config.roles },
        componentOptions,
    );
    return { accountId: config.accountId, roles: roles.arns };
};

const auditLogSink: Component = ({ config, componentOptions }) => {
    const sink = new AuditLogSink(
        "cloudtrail",
        {
            namespace: config.namespace,
            auditAccountId: config.accountId,
            writers: { partition: config.partition, namespace: config.namespace, accounts: config.accounts },
            lifecycle: config.cloudtrailLogs,
        },
        componentOptions,
    );
    return { cloudtrailBucketName: sink.bucketName, cloudtrailBucketArn: sink.bucketArn, cloudtrailKmsKeyArn: sink.kmsKeyArn };
};

const accountTrail: Component = (ctx) => {
    const { config } = ctx;
    if (!(AUDIT_STAGE in config.accounts)) return {};
    const audit = ctx.stage(AUDIT_STAGE);
    const trail = new AccountTrail(
        "audit-trail",
        { trailName: trailName(config.namespace, config.stage), bucketName: audit("cloudtrailBucketName"), kmsKeyArn: audit("cloudtrailKmsKeyArn") },
        ctx.componentOptions,
    );
    return { trailArn: trail.trailArn };
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
    return { users: identity.userArns, groups: identity.groupNames, signinUrl: signinUrl(config.accountId) };
};

/** What each kind of stage gets, in order: later components may read the outputs of earlier ones. */
export const STAGE_COMPONENTS: Record<StageKind, Component[]> = {
    root: [accountRoles, accountTrail, rootIdentity],
    audit: [accountRoles, auditLogSink, accountTrail],
    workload: [accountRoles, accountTrail],
};

/** The whole program for one stack: its stage's components, wired to the other stages; returns the stack outputs. */
export function defineStack(config: RefarchConfig): Record<string, pulumi.Input<unknown>> {
    const references = new Map<string, pulumi.StackReference>();
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    const ctx: StageContext = {
        config,
        componentOptions: { protect: config.protect },
        outputs,
        stage: (stage) => (stage === config.stage ? (name) => pulumi.output(outputs[name]) : referenceReader(stage)),
    };

    function referenceReader(stage: string): OutputReader {
        const stackName = `${config.organization}/${config.project}/${stage}`;
        if (!references.has(stage)) references.set(stage, new pulumi.StackReference(stackName, { name: stackName }));
        const reference = references.get(stage)!;
        return (name) =>
            reference.outputs.apply((values) => {
                if (values[name] === undefined) {
                    throw new Error(
                        `Stack "${stackName}" has no output "${name}", which stage "${config.stage}" reads: it is not deployed yet, or was deployed before it had that output. ` +
                            `Deploy in this order: ${describeDeployOrder(Object.keys(config.accounts))} (pulumi up -s ${stage} first).`,
                    );
                }
                return values[name];
            });
    }

    for (const component of STAGE_COMPONENTS[kindOf(config.stage)]) {
        Object.assign(outputs, component(ctx));
    }
    return outputs;
}
