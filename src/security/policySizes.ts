// Prints the size of every policy document the program forms for an organization of N accounts, the widest team's
// managed policies included, against AWS's limits.
// Run: npx ts-node --transpile-only src/security/policySizes.ts [accounts=100] [roles=3] [namespace=acmecorp]
import {
    accountGuardrailPolicies,
    assumeRolesPolicy,
    auditDeployerArn,
    chunkGrants,
    cloudtrailBucketName,
    cloudtrailBucketPolicy,
    cloudtrailKeyPolicy,
    DEFAULT_GUARDRAILS,
    guardrailPolicies,
    GuardrailSettings,
    LOGS_READER_ROLE,
    logsReaderPolicy,
    POLICY_LIMITS,
    policySize,
    roleTrustPolicy,
    SCP_LIMITS,
    selfServicePolicy,
    sharedGuardrailPolicies,
    stageRoleArn,
} from "../policies";

/** Every built-in guardrail on, with a region limit: the largest SCPs the program makes. */
export const GUARDRAILS_AT_MOST: GuardrailSettings = { ...DEFAULT_GUARDRAILS, allowedRegions: ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"] };

export function policySizes(accountCount: number, roleCount: number, namespace = "acmecorp"): Record<string, { size: number; limit: number }> {
    const stages = ["root", "audit", ...Array.from({ length: accountCount - 2 }, (_, i) => `workload-${String(i + 1).padStart(3, "0")}`)];
    const accounts = Object.fromEntries(stages.map((s, i) => [s, String(100000000000 + i * 7919)]));
    const roles = ["admin", "readonly", "poweruser", ...Array.from({ length: Math.max(0, roleCount - 3) }, (_, i) => `role${i + 4}`)].slice(0, roleCount);
    const writers = { partition: "aws", namespace, accounts };
    const grants = stages.flatMap((stage) => roles.map((role) => ({ key: `${stage}-${role}`, predictedArn: stageRoleArn("aws", accounts[stage], namespace, stage, role) })));
    const chunks = chunkGrants(grants);
    return {
        "role trust policy": { size: policySize(roleTrustPolicy("aws", accounts.root, true)), limit: POLICY_LIMITS.roleTrustPolicy },
        "self-service managed policy": { size: policySize(selfServicePolicy("aws", accounts.root)), limit: POLICY_LIMITS.managedPolicy },
        [`widest team: largest of ${chunks.length} managed policies for ${grants.length} roles`]: {
            size: Math.max(...chunks.map((c) => policySize(assumeRolesPolicy(c.map((g) => g.predictedArn))))),
            limit: POLICY_LIMITS.managedPolicy,
        },
        "audit bucket policy": { size: policySize(cloudtrailBucketPolicy(`arn:aws:s3:::${cloudtrailBucketName(namespace)}`, writers, auditDeployerArn("aws", namespace, accounts.audit))), limit: POLICY_LIMITS.bucketPolicy },
        "audit key policy": { size: policySize(cloudtrailKeyPolicy(accounts.audit, writers, stageRoleArn("aws", accounts.audit, namespace, "audit", LOGS_READER_ROLE), auditDeployerArn("aws", namespace, accounts.audit))), limit: POLICY_LIMITS.keyPolicy },
        "logs reader role policy": {
            size: policySize(logsReaderPolicy(`arn:aws:s3:::${cloudtrailBucketName(namespace)}`, `arn:aws:kms:us-east-1:${accounts.audit}:key/00000000-0000-4000-a000-000000000000`, writers)),
            limit: POLICY_LIMITS.roleInlinePolicies,
        },
        // Each account's guardrails name that account alone, so their size does not grow with the organization: the largest,
        // the audit account's (its deployer exempt from the sink guardrails) under the longest stage name, is shown.
        ...Object.fromEntries(
            Object.entries(guardrailPolicies({ partition: "aws", namespace }, { stage: stages[stages.length - 1], accountId: accounts.audit, auditAccountId: accounts.audit, exempt: "deployer" }, GUARDRAILS_AT_MOST)).map(
                ([key, document]) => [`guardrail SCP "${key}"`, { size: policySize(document), limit: SCP_LIMITS.characters }],
            ),
        ),
        [`guardrail SCPs in the organization (${accountCount - 1} member accounts)`]: {
            size: Object.keys(sharedGuardrailPolicies(GUARDRAILS_AT_MOST)).length + (accountCount - 1) * Object.keys(accountGuardrailPolicies({ partition: "aws", namespace }, { stage: "x", accountId: accounts.audit, exempt: "deployer" }, GUARDRAILS_AT_MOST)).length,
            limit: SCP_LIMITS.perOrganization,
        },
    };
}

if (require.main === module) {
    const [accounts = 100, roles = 3] = process.argv.slice(2, 4).map(Number);
    const namespace = process.argv[4] ?? "acmecorp";
    console.log(`${accounts} accounts, ${roles} roles each, namespace ${namespace} (${namespace.length} characters):`);
    for (const [what, { size, limit }] of Object.entries(policySizes(accounts, roles, namespace))) {
        // Every row is a size in characters but the organization's count of SCPs.
        const unit = what.startsWith("guardrail SCPs in the organization") ? "SCPs" : "characters";
        console.log(`  ${what}: ${size} of ${limit} ${unit} (${Math.round((100 * size) / limit)}%)`);
    }
}
