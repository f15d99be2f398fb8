// A role of refarch:roles must not be named like a role the guardrails exempt: every account gets
// `<namespace>-<stage>-<role>`, and the SCPs leave alone every role matching exemptRolePatterns (the deployers').
import { exemptRolePatterns } from "../../policies";
import { Problems } from "../problems";
import { NAME_PART } from "../schema";
import type { DeployerSettings } from "../settings/deployer";

/** IAM's ArnLike: `*` any run of characters, `?` one. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN */
const arnLike = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);

/** Refuses each role whose name in some account would be exempt from the guardrails: `release-deployer` becomes `<ns>-prod-release-deployer`. */
export function exemptRoleNameRule(roleNames: string[], scope: { partition: string; namespace: string; stages: string[] }, deployer: DeployerSettings, problems: Problems): void {
    if (!NAME_PART.test(scope.namespace)) return;
    const exempt = exemptRolePatterns(scope).map(arnLike);
    const physical = (stage: string, role: string) => `arn:${scope.partition}:iam::000000000000:role/${scope.namespace}-${stage}-${role}`;
    const isExempt = (role: string) => scope.stages.some((stage) => exempt.some((pattern) => pattern.test(physical(stage, role))));
    // roleRules already refuses "deployer" beside the deployment roles, with its own reason.
    for (const role of roleNames.filter((r) => NAME_PART.test(r) && isExempt(r) && !(r === "deployer" && deployer.enabled))) {
        const base = role.replace(/-?deployer$/, "") || "deploy";
        const renameTo = [base, `${base}-admin`, `${base}-operator`].find((candidate) => !roleNames.includes(candidate) && !isExempt(candidate));
        const example = physical(scope.stages[0], role).split("/")[1];
        problems.add(`refarch:roles.${role}`, role, `makes roles named like "${example}", which the guardrails (SCPs) exempt as a deployer's: only the deployers may be named so`, { remove: true, renameTo });
    }
}
