import type { StackValidationPolicy } from "@pulumi/policy";
import { asList, readDocument, statements } from "./support";

const ACCOUNT_ROOT = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):root$/;
const mfaRequired = (condition: any): boolean => String(condition?.Bool?.["aws:MultiFactorAuthPresent"]) === "true";

/**
 * A human role is a role whose trust policy admits an AWS principal (a service or an OIDC provider's
 * Federated principal is not a person). Those must admit only the root account, and only with MFA.
 */
export const humanRoleTrust: StackValidationPolicy = {
    name: "human-role-trust-root-with-mfa",
    description: "Roles that people assume (trust names an AWS principal) trust only the root account, as the account itself (`:root`), and only with MFA.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { rootAccountId: { type: "string", pattern: "^\\d{12}$" } } },
    validateStack: (args, reportViolation) => {
        const { rootAccountId } = args.getConfig<{ rootAccountId?: string }>();
        const trusted = new Map<string, string[]>();
        for (const role of args.resources.filter((r) => r.type === "aws:iam/role:Role")) {
            const trust = readDocument(role.props.assumeRolePolicy);
            if (!trust) continue;
            for (const s of statements(trust).filter((s) => s.Effect === "Allow")) {
                const principals = s.Principal === "*" ? ["*"] : asList(s.Principal?.AWS);
                if (principals.length === 0) continue;
                for (const principal of principals) {
                    const account = ACCOUNT_ROOT.exec(principal)?.[2];
                    if (!account) {
                        reportViolation(`Role ${role.name} trusts ${JSON.stringify(principal)}: a human role may trust only the root account as arn:aws:iam::<root id>:root.`, role.urn);
                    } else if (rootAccountId && account !== rootAccountId) {
                        reportViolation(`Role ${role.name} trusts account ${account}, not the root account ${rootAccountId}.`, role.urn);
                    } else {
                        trusted.set(account, [...(trusted.get(account) ?? []), role.name]);
                    }
                }
                if (!mfaRequired(s.Condition)) {
                    reportViolation(`Role ${role.name} can be assumed without MFA: add Condition { Bool: { "aws:MultiFactorAuthPresent": "true" } } to statement ${s.Sid ?? "(no Sid)"}.`, role.urn);
                }
            }
        }
        if (trusted.size > 1) {
            reportViolation(`Human roles in this stack trust ${trusted.size} different accounts (${[...trusted.keys()].join(", ")}); all must trust the one root account.`);
        }
    },
};
