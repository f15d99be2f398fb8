// refarch:awsOrganization and refarch:accessRole: the settings of the Organization component, deployed by the org stack.
import { z } from "zod";
import type { AccessRoleAfterBootstrap, GuardrailSettings } from "../../policies";
import { regionOf } from "../regions";
import { area, flag, hint, NAME_PART } from "../schema";

/** OrganizationAccountAccessRole once an account's deployer exists: acting only with MFA, or not at all (docs/organization.md "Break-glass"). */
const ACCESS_ROLE_CHOICES = ["mfa", "denied"] as const satisfies readonly AccessRoleAfterBootstrap[];

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
        allowedRegions: z.array(regionOf("<a region your stages deploy to, such as us-east-1>"), hint("must be a list of AWS regions", "[us-east-1, eu-west-1]")).min(1, hint("must list at least one region", "[us-east-1]")).optional(),
        accessRole: z.enum(ACCESS_ROLE_CHOICES, hint(`must be one of ${ACCESS_ROLE_CHOICES.join(", ")}`, "mfa")).default("mfa"),
        custom: z.record(z.string().regex(NAME_PART, hint("is not a usable policy name: use lowercase letters, digits and single hyphens", "deny-expensive")), scpDocument).default({}),
    },
    hint("must be { leaveOrganization?, auditTrail?, rootUser?, allowedRegions?, accessRole?, custom? }", "{ allowedRegions: [us-east-1] }"),
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
                guardrails: guardrailSettingsSchema.default({ leaveOrganization: true, auditTrail: true, rootUser: true, accessRole: "mfa", custom: {} }),
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
