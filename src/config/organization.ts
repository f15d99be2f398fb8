// The organization's shape, set once in Pulumi.yaml for every stack: the namespace, the stages' accounts
// and the roles every account gets; and per stack, its stage, region and protection.
import { z } from "zod";
import { usableName } from "./problems";
import { regionSchema } from "./regions";
import { area, flag, hint, namePart, policyArns, textArea, wholeNumber } from "./schema";

export const ROOT_STAGE = "root";
export const AUDIT_STAGE = "audit";
export const TESTING_STAGE = "testing";
/** The stack that manages the AWS Organization from the management account (root's), deployed before every other. */
export const ORGANIZATION_STAGE = "org";
/** The stage that gets production-grade defaults (a NAT gateway per AZ, two Aurora instances on r-class). */
export const PRODUCTION_STAGE = "prod";
/** Stages whose resources are protected unless `refarch:protect` says otherwise. */
export const PROTECTED_BY_DEFAULT = ["org", "root", "prod", "audit"];

// S3 reserves names that start with "xn--"; a name part has single hyphens only, so it never does.
// The fix is the value written made usable (`Umbrella` -> umbrella), never the sample's namespace; with nothing to derive
// it from, only the user knows their organization's name.
export const namespaceSettings = textArea(
    "refarch:namespace",
    "project",
    namePart("namespace (it prefixes S3 bucket and IAM names)", (written) => usableName(written) ?? "<a short lowercase name for your organization>"),
);

/**
 * stage -> its account: a 12-digit id (quoted) for an account that exists, or `{ email }` for one the `org`
 * stack creates (root's `{ email }` names the management account, whose id the organization reports).
 * Each entry is checked by accountRules, which can say why a YAML number is wrong.
 */
export const accountsSettings = area(
    "refarch:accounts",
    "project",
    z.record(z.string(), z.unknown(), hint("must be a map of stage -> 12-digit account id (quoted) or { email } that includes root", `{ root: "<your management account's 12-digit id>" }`)),
);

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const roleSpec = z.strictObject(
    {
        /** Managed policies attached to the role. */
        policyArns: policyArns("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        /** Longest session, in seconds (3600 to 43200). */
        maxSessionDuration: wholeNumber(3600, 43200, "of seconds ", 3600).default(3600),
        /** Whether assuming the role needs `aws:MultiFactorAuthPresent`. */
        requireMfa: flag(true).default(true),
    },
    hint("must be { policyArns, maxSessionDuration?, requireMfa? }", `{ policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }`),
);
export type RoleSpec = z.infer<typeof roleSpec>;

/** The roles of an organization whose refarch:roles is unset, in the aws partition (validateConfig moves them to the stack's). */
export const DEFAULT_ROLES: Record<string, RoleSpec> = {
    admin: { policyArns: [ADMINISTRATOR_ACCESS], maxSessionDuration: 3600, requireMfa: true },
    readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], maxSessionDuration: 3600, requireMfa: true },
};

export const rolesSettings = area(
    "refarch:roles",
    "project",
    z
        .record(z.string(), roleSpec, hint("must be a map of role name -> { policyArns, maxSessionDuration?, requireMfa? }", `{ admin: { policyArns: ["${ADMINISTRATOR_ACCESS}"] } }`))
        .refine((roles) => Object.keys(roles).length > 0, hint("must define at least one role", `{ admin: { policyArns: ["${ADMINISTRATOR_ACCESS}"] } }`))
        .optional(),
);

// Text areas are handed the text as written (a string whenever the key is set), so only the text's rules need words.
export const organizationSettings = textArea("refarch:organization", "project", z.string().min(1, hint("must be the name of a Pulumi Cloud organization", "<your Pulumi Cloud organization's name>")).optional());

/** Which stage of refarch:accounts the stack deploys; validateConfig checks it names one, with a did-you-mean. */
export const stageSettings = textArea("refarch:stage", "stack", z.string().optional());

export const protectSettings = area("refarch:protect", "stack", flag(true).optional());

/** The stack's region: one AWS has, in a partition whose ARNs the program forms (./regions.ts). */
export const regionSettings = textArea("aws:region", "stack", regionSchema);

export { partitionOf } from "./regions";
