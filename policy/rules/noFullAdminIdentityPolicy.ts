import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, matches, readDocument, statements } from "./support";

const INLINE_AND_MANAGED = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy"];
const ADMINISTRATOR_ACCESS = /^arn:aws(-cn|-us-gov)?:iam::aws:policy\/AdministratorAccess$/;
const ATTACHMENTS: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "role",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "group",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "user",
};

export const noFullAdminIdentityPolicy: ResourceValidationPolicy = {
    name: "no-full-admin-identity-policy",
    description: "No identity policy allows every action on every resource; full administration comes only from AWS's AdministratorAccess attached to an admin role (by default roles named *-admin or *-deployer).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { adminRoles: { type: "array", items: { type: "string" }, default: ["*-admin", "*-deployer"] } } },
    validateResource: (args, reportViolation) => {
        if (INLINE_AND_MANAGED.includes(args.type)) {
            for (const s of statements(readDocument(args.props.policy)).filter((s) => s.Effect === "Allow")) {
                const everyResource = asList(s.Resource).includes("*");
                const everyAction = asList(s.Action).some((a) => a === "*" || a === "*:*") || s.NotAction !== undefined;
                if (everyResource && everyAction) {
                    reportViolation(`${args.name} allows ${s.NotAction ? "everything but a few actions" : "every action"} on every resource (statement ${s.Sid ?? "(no Sid)"}). Attach AdministratorAccess to an admin role instead, or narrow the statement.`);
                }
            }
        }
        const holder = ATTACHMENTS[args.type];
        if (holder && ADMINISTRATOR_ACCESS.test(String(args.props.policyArn))) {
            const { adminRoles } = args.getConfig<{ adminRoles: string[] }>();
            const name = args.props[holder];
            if (holder !== "role") {
                reportViolation(`AdministratorAccess is attached to ${holder} ${name}: only admin roles (${adminRoles.join(", ")}) may hold it.`);
            } else if (typeof name === "string" && !adminRoles.some((p) => matches(p, name))) {
                reportViolation(`AdministratorAccess is attached to role ${name}, which is not an admin role (${adminRoles.join(", ")}).`);
            }
        }
    },
};
