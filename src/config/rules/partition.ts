// ARNs in the stack's partition: defaults moved into it, ARNs written for another refused.
import type { RoleSpec } from "../organization";
import { Problems } from "../problems";
import type { DeployerSettings } from "../settings/deployer";
import { isMap } from "../values";

/** An ARN with its partition (`arn:<partition>:...`) replaced. */
export function inPartition(arn: string, partition: string): string {
    return arn.replace(/^arn:[^:]*:/, `arn:${partition}:`);
}

export function rolesInPartition(roles: Record<string, RoleSpec>, partition: string): Record<string, RoleSpec> {
    return Object.fromEntries(Object.entries(roles).map(([role, spec]) => [role, { ...spec, policyArns: spec.policyArns.map((arn) => inPartition(arn, partition)) }]));
}

/** The deployer's and previewer's default policies, in the stack's partition; policies given stay as written. */
export function deployerInPartition(deployer: DeployerSettings, given: unknown, partition: string): DeployerSettings {
    const defaulted = (key: string) => !isMap(given) || given[key] === undefined;
    return {
        ...deployer,
        policyArns: defaulted("policyArns") ? deployer.policyArns.map((arn) => inPartition(arn, partition)) : deployer.policyArns,
        previewerPolicyArns: defaulted("previewerPolicyArns") ? deployer.previewerPolicyArns.map((arn) => inPartition(arn, partition)) : deployer.previewerPolicyArns,
    };
}

/**
 * Every ARN the config names is in the stack's partition: the China Regions (aws-cn) and GovCloud (aws-us-gov) are
 * partitions of their own, whose accounts cannot attach or trust anything of another
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */
export function partitionRules(partition: string, region: string, roles: Record<string, RoleSpec>, deployer: DeployerSettings, problems: Problems): void {
    const check = (key: string, arns: string[]) => {
        for (const arn of arns.filter((a) => a.split(":")[1] !== partition)) {
            problems.add(key, arn, `is in the ${arn.split(":")[1]} partition, and this stack deploys to ${region}, in ${partition}`, { replace: arn, with: `"${inPartition(arn, partition)}"` });
        }
    };
    if (!region) return;
    for (const [role, spec] of Object.entries(roles)) check(`refarch:roles.${role}.policyArns`, spec.policyArns);
    check("refarch:deployer.policyArns", deployer.policyArns);
    check("refarch:deployer.previewerPolicyArns", deployer.previewerPolicyArns);
}
