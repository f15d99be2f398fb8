// The AWS Organization, deployed only by the `org` stack in the management account (root), before every
// other stack: the organization (all features, SCPs enabled), its organizational units, one member account
// per stage given as `{ email }` in refarch:accounts, and the guardrails (SCPs) attached to every unit and
// to every adopted account. Accounts are protected and retained on delete: destroy never closes one.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { area, flag, hint, NAME_PART } from "../config/schema";
import { GuardrailSettings, ORGANIZATION_ACCESS_ROLE } from "../guardrails";
import { PolicyDocument, roleArn } from "../policies";

export interface OrganizationArgs {
    partition: string;
    namespace: string;
    /** Stages whose accounts the program creates: stage -> the email of the account's root user. */
    createdAccounts: Record<string, string>;
    /** Stages whose accounts already exist (adopted): stage -> id. Root is the management account and is never in a unit. */
    existingAccounts: Record<string, string>;
    /** OU name -> its stages. */
    units: Record<string, string[]>;
    /** policy key -> SCP document, from guardrailPolicies. */
    guardrails: Record<string, PolicyDocument>;
}

export class Organization extends pulumi.ComponentResource {
    readonly organizationId: pulumi.Output<string>;
    /** stage -> account id, for every stage; root's is the organization's management account. */
    readonly accountIds: pulumi.Output<Record<string, string>>;
    /** stage -> the access role ARN of each created account: how the first deploy reaches it from root. */
    readonly accessRoleArns: pulumi.Output<Record<string, string>>;
    /** OU name -> its id. */
    readonly unitIds: pulumi.Output<Record<string, string>>;
    /** policy key -> SCP id. */
    readonly guardrailIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:organization:Organization", name, {}, opts);
        // The organization and its accounts outlive any stack: never deleted, only forgotten, on destroy.
        const kept = { parent: this, protect: true, retainOnDelete: true };
        const organization = new aws.organizations.Organization(
            `${name}-organization`,
            { featureSet: "ALL", enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"] },
            kept,
        );
        const rootId = organization.roots.apply((roots) => roots[0].id);

        const units = Object.fromEntries(
            Object.keys(args.units).map((unit) => [unit, new aws.organizations.OrganizationalUnit(`${name}-${unit}`, { name: unit, parentId: rootId }, { parent: this })]),
        );
        const unitOf = (stage: string) => Object.keys(args.units).find((unit) => args.units[unit].includes(stage));

        const accounts: Record<string, aws.organizations.Account> = {};
        for (const [stage, email] of Object.entries(args.createdAccounts)) {
            const unit = unitOf(stage);
            accounts[stage] = new aws.organizations.Account(
                `${name}-${stage}`,
                {
                    name: `${args.namespace}-${stage}`,
                    email,
                    parentId: unit ? units[unit].id : rootId,
                    roleName: ORGANIZATION_ACCESS_ROLE,
                    closeOnDeletion: false,
                    iamUserAccessToBilling: "ALLOW",
                },
                // AWS cannot report roleName or iamUserAccessToBilling of an existing account, so an imported one must not diff on them.
                { ...kept, ignoreChanges: ["roleName", "iamUserAccessToBilling"] },
            );
        }

        const policies = Object.fromEntries(
            Object.entries(args.guardrails).map(([key, document]) => [
                key,
                new aws.organizations.Policy(
                    `${name}-${key}`,
                    { name: `${args.namespace}-${key}`, description: `${args.namespace} guardrail: ${key}`, type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(document) },
                    { parent: this, dependsOn: [organization] },
                ),
            ]),
        );
        // Created accounts get the guardrails through their unit; adopted accounts, which the program does not move, directly.
        const targets: Record<string, pulumi.Input<string>> = Object.fromEntries(Object.entries(units).map(([unit, ou]) => [unit, ou.id]));
        for (const [stage, id] of Object.entries(args.existingAccounts)) if (unitOf(stage)) targets[stage] = id;
        for (const [target, targetId] of Object.entries(targets)) {
            for (const [key, policy] of Object.entries(policies)) {
                new aws.organizations.PolicyAttachment(`${name}-${key}-${target}`, { policyId: policy.id, targetId }, { parent: this });
            }
        }

        this.organizationId = organization.id;
        const createdIds = Object.fromEntries(Object.entries(accounts).map(([stage, account]) => [stage, account.id]));
        this.accountIds = pulumi.all({ ...args.existingAccounts, ...createdIds, root: args.existingAccounts.root ?? organization.masterAccountId }) as pulumi.Output<Record<string, string>>;
        this.accessRoleArns = pulumi.all(createdIds).apply((ids) => Object.fromEntries(Object.entries(ids).map(([stage, id]) => [stage, roleArn(args.partition, id, ORGANIZATION_ACCESS_ROLE)])));
        this.unitIds = pulumi.all(Object.fromEntries(Object.entries(units).map(([unit, ou]) => [unit, ou.id])));
        this.guardrailIds = pulumi.all(Object.fromEntries(Object.entries(policies).map(([key, policy]) => [key, policy.id])));
        this.registerOutputs({ organizationId: this.organizationId, accountIds: this.accountIds, accessRoleArns: this.accessRoleArns });
    }
}

// ---- Config: refarch:awsOrganization, in Pulumi.yaml ----

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const scpDocument = z.strictObject(
    {
        Version: z.literal("2012-10-17", hint('must be "2012-10-17"', '"2012-10-17"')),
        Statement: z.array(z.record(z.string(), z.unknown()), hint("must be a list of policy statements", '[{ Effect: Deny, Action: "ec2:*", Resource: "*" }]')).min(1, hint("must hold at least one statement", '[{ Effect: Deny, Action: "ec2:*", Resource: "*" }]')),
    },
    hint("must be an SCP document { Version, Statement }", '{ Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "ec2:*", Resource: "*" }] }'),
);

export const guardrailSettingsSchema = z.strictObject(
    {
        leaveOrganization: flag(true).default(true),
        auditTrail: flag(true).default(true),
        rootUser: flag(true).default(true),
        allowedRegions: z.array(z.string().regex(REGION, hint("is not an AWS region", "us-east-1")), hint("must be a list of AWS regions", "[us-east-1, eu-west-1]")).min(1, hint("must list at least one region", "[us-east-1]")).optional(),
        custom: z.record(z.string().regex(NAME_PART, hint("is not a usable policy name: use lowercase letters, digits and single hyphens", "deny-expensive")), scpDocument).default({}),
    },
    hint("must be { leaveOrganization?, auditTrail?, rootUser?, allowedRegions?, custom? }", "{ allowedRegions: [us-east-1] }"),
);

/** Defaults: units `security` (the audit stage) and `workloads` (every other stage but root); every guardrail on, no region limit. */
export const awsOrganizationSettings = area(
    "refarch:awsOrganization",
    "project",
    z
        .strictObject(
            {
                /** OU name -> its stages; every stage but root in exactly one. */
                units: z.record(z.string().regex(NAME_PART, hint("is not a usable unit name: use lowercase letters, digits and single hyphens", "workloads")), z.array(z.string(), hint("must be a list of stages", "[prod, staging]"))).optional(),
                guardrails: guardrailSettingsSchema.default({ leaveOrganization: true, auditTrail: true, rootUser: true, custom: {} }),
            },
            hint("must be { units?, guardrails? }", "{ guardrails: { allowedRegions: [us-east-1] } }"),
        )
        .optional(),
);

/** Per stack: whether its provider enters a created account through the organization's access role (a first deploy with root's credentials). */
export const accessRoleSettings = area("refarch:accessRole", "stack", flag(true).optional());

export interface AwsOrganizationConfig {
    units: Record<string, string[]>;
    guardrails: GuardrailSettings;
}
