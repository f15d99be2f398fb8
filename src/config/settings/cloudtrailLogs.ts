// refarch:cloudtrailLogs: how long the AuditLogSink keeps the CloudTrail logs (audit stack only).
import { z } from "zod";
import { AUDIT_STAGE } from "../organization";
import { area, flag, hint } from "../schema";

const days = (example: number, min = 1, why = "") => {
    const refused = hint(`must be a whole number of days, at least ${min}${why}`, String(example));
    return z.number(refused).int(refused).min(min, refused);
};

/**
 * The shortest Object Lock retention accepted: 90 days, as long as CloudTrail's own event history keeps management
 * events (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html). A shorter lock would
 * leave the sink's logs erasable while AWS still holds its own copy, so the lock would prove nothing AWS does not.
 */
export const OBJECT_LOCK_MIN_DAYS = 90;

export const cloudtrailLogsSettings = area(
    "refarch:cloudtrailLogs",
    "stack",
    z.strictObject(
        {
            /** Days before log objects move to Glacier Instant Retrieval. */
            glacierAfterDays: days(90).default(90),
            /** Days before log objects expire; not before their Object Lock retention ends (refarch:cloudtrailLogs.objectLockDays). */
            expireAfterDays: days(365).default(365),
            /** Days each log version stays locked in COMPLIANCE mode: nobody, the account root user included, deletes or shortens it. */
            objectLockDays: days(365, OBJECT_LOCK_MIN_DAYS, ", as long as CloudTrail's own event history keeps events").default(365),
            /**
             * While switching a live organization to the organization trail (docs/organization.md): the sink admits the
             * per-account trails too, until the member stacks have removed them. Default false.
             */
            admitAccountTrails: flag(true).default(false),
            /** Days before the CloudTrail bucket's S3 server access logs expire. */
            accessLogExpireAfterDays: days(365).default(365),
        },
        hint("must be { glacierAfterDays?, expireAfterDays?, objectLockDays?, admitAccountTrails?, accessLogExpireAfterDays? }", "{ glacierAfterDays: 90, expireAfterDays: 365, objectLockDays: 365, accessLogExpireAfterDays: 365 }"),
    ).prefault({}),
    AUDIT_STAGE,
);
export type CloudtrailLogs = z.infer<typeof cloudtrailLogsSettings.schema>;
