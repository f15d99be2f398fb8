// The audit sink's config: its lifecycle in order, its bucket and key policies within S3's and KMS's size limits.
import { auditDeployerArn, cloudtrailBucketName, cloudtrailBucketPolicy, cloudtrailKeyPolicy, LOGS_READER_ROLE, POLICY_LIMITS, policySize, stageRoleArn } from "../../policies";
import { AUDIT_STAGE } from "../organization";
import { Problems } from "../problems";
import type { CloudtrailLogs } from "../settings/cloudtrailLogs";

/** Every account is named in the audit bucket and key policies, which must fit S3's and KMS's size limits. */
export function auditPolicySizeRule(partition: string, namespace: string, accounts: Record<string, string>, auditAccountId: string | undefined, problems: Problems): void {
    // Per-account trails: the organization trail's policies name one trail, not one per account, and are smaller.
    const writers = { partition, namespace, accounts };
    const audit = auditAccountId ?? "000000000000";
    const deployer = auditDeployerArn(partition, namespace, audit);
    const bucketPolicy = policySize(cloudtrailBucketPolicy(`arn:${partition}:s3:::${cloudtrailBucketName(namespace)}`, writers, deployer));
    const keyPolicy = policySize(cloudtrailKeyPolicy(audit, writers, stageRoleArn(partition, audit, namespace, AUDIT_STAGE, LOGS_READER_ROLE), deployer));
    if (bucketPolicy > POLICY_LIMITS.bucketPolicy || keyPolicy > POLICY_LIMITS.keyPolicy) {
        problems.add("refarch:accounts", `${Object.keys(accounts).length} accounts`, `make the audit bucket policy ${bucketPolicy} bytes (S3 allows ${POLICY_LIMITS.bucketPolicy}) and the key policy ${keyPolicy} (KMS allows ${POLICY_LIMITS.keyPolicy})`, {
            text: "use shorter stage names, or a second audit sink for some accounts",
        });
    }
}

/**
 * Logs move to Glacier before they expire, or the transition would never happen; and they expire no sooner than their
 * Object Lock ends, or the lifecycle would only hide current versions the lock still keeps (and bills).
 */
export function cloudtrailLogsRule(cloudtrailLogs: CloudtrailLogs, managesOrganization: boolean, problems: Problems): void {
    // Admitting the per-account trails beside the organization trail means nothing without one.
    if (cloudtrailLogs.admitAccountTrails && !managesOrganization) {
        problems.add("refarch:cloudtrailLogs.admitAccountTrails", true, "is only for switching a managed organization to its organization trail, and refarch:awsOrganization is not set", { remove: true });
    }
    const { expireAfterDays, glacierAfterDays, objectLockDays } = cloudtrailLogs;
    if (expireAfterDays <= glacierAfterDays) {
        problems.add("refarch:cloudtrailLogs.expireAfterDays", expireAfterDays, `must be later than glacierAfterDays (${glacierAfterDays})`, { set: String(Math.max(glacierAfterDays + 275, objectLockDays)) });
    } else if (expireAfterDays < objectLockDays) {
        problems.add("refarch:cloudtrailLogs.expireAfterDays", expireAfterDays, `must be at least objectLockDays (${objectLockDays}): logs cannot expire while their Object Lock holds them`, { set: String(objectLockDays) });
    }
}
