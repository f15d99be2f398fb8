// A role of refarch:roles must not be named like the role the guardrails exempt: every account gets
// `<namespace>-<stage>-<role>`, and each account's SCPs leave alone exactly one ARN, its deployer's (exemptPrincipalArn).
import { exemptPrincipalArn, roleArn } from "../../policies";
import { Problems } from "../problems";
import { NAME_PART } from "../schema";
import type { DeployerSettings } from "../settings/deployer";

/**
 * Refuses each role that would be an account's exempt role: `deployer` with the deployer switched off (with it on,
 * roleRules refuses that name with its own reason). A look-alike such as `release-deployer` is another ARN, held by the
 * guardrails like any role (test/security.guardrails.test.ts proves it), so it is accepted.
 */
export function exemptRoleNameRule(roleNames: string[], scope: { partition: string; namespace: string; stages: string[] }, deployer: DeployerSettings, problems: Problems): void {
    if (!NAME_PART.test(scope.namespace)) return;
    // The same placeholder account on both sides: an ARN equals the exempt one only if its name does.
    const physical = (stage: string, role: string) => roleArn(scope.partition, "000000000000", `${scope.namespace}-${stage}-${role}`);
    const exempt = (stage: string) => exemptPrincipalArn(scope, { stage, accountId: "000000000000", exempt: "deployer" });
    const isExempt = (role: string) => scope.stages.some((stage) => physical(stage, role) === exempt(stage));
    for (const role of roleNames.filter((r) => NAME_PART.test(r) && isExempt(r) && !(r === "deployer" && deployer.enabled))) {
        const base = role.replace(/-?deployer$/, "") || "deploy";
        const renameTo = [base, `${base}-admin`, `${base}-operator`].find((candidate) => !roleNames.includes(candidate) && !isExempt(candidate));
        const example = physical(scope.stages[0], role).split("/")[1];
        problems.add(`refarch:roles.${role}`, role, `makes roles named like "${example}", which the guardrails (SCPs) exempt as a deployer's: only the deployers may be named so`, { remove: true, renameTo });
    }
}
