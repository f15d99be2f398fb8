// The audit sink's config: its lifecycle in order, its bucket and key policies within S3's and KMS's size limits.
import { cloudtrailBucketName, cloudtrailBucketPolicy, cloudtrailKeyPolicy, LOGS_READER_ROLE, POLICY_LIMITS, policySize, stageRoleArn } from "../../policies";
import { AUDIT_STAGE } from "../organization";
import { Problems } from "../problems";
import type { CloudtrailLogs } from "../settings/cloudtrailLogs";

/** Every account is named in the audit bucket and key policies, which must fit S3's and KMS's size limits. */
export function auditPolicySizeRule(partition: string, namespace: string, accounts: Record<string, string>, auditAccountId: string | undefined, problems: Problems): void {
    const writers = { partition, namespace, accounts };
    const bucketPolicy = policySize(cloudtrailBucketPolicy(`arn:${partition}:s3:::${cloudtrailBucketName(namespace)}`, writers));
    const keyPolicy = policySize(cloudtrailKeyPolicy(auditAccountId ?? "000000000000", writers, stageRoleArn(partition, auditAccountId ?? "000000000000", namespace, AUDIT_STAGE, LOGS_READER_ROLE)));
    if (bucketPolicy > POLICY_LIMITS.bucketPolicy || keyPolicy > POLICY_LIMITS.keyPolicy) {
        problems.add("refarch:accounts", `${Object.keys(accounts).length} accounts`, `make the audit bucket policy ${bucketPolicy} bytes (S3 allows ${POLICY_LIMITS.bucketPolicy}) and the key policy ${keyPolicy} (KMS allows ${POLICY_LIMITS.keyPolicy})`, {
            text: "use shorter stage names, or a second audit sink for some accounts",
        });
    }
}

/** Logs move to Glacier before they expire, or the transition would never happen. */
export function cloudtrailLogsRule(cloudtrailLogs: CloudtrailLogs, problems: Problems): void {
    if (cloudtrailLogs.expireAfterDays <= cloudtrailLogs.glacierAfterDays) {
        problems.add("refarch:cloudtrailLogs.expireAfterDays", cloudtrailLogs.expireAfterDays, `must be later than glacierAfterDays (${cloudtrailLogs.glacierAfterDays})`, { set: String(cloudtrailLogs.glacierAfterDays + 275) });
    }
}
