// refarch:cloudtrailLogs: how long the AuditLogSink keeps the CloudTrail logs (audit stack only).
import { z } from "zod";
import { AUDIT_STAGE } from "../organization";
import { area, hint } from "../schema";

const days = (example: number) => {
    const why = hint("must be a whole number of days, at least 1", String(example));
    return z.number(why).int(why).min(1, why);
};

export const cloudtrailLogsSettings = area(
    "refarch:cloudtrailLogs",
    "stack",
    z.strictObject(
        {
            /** Days before log objects move to Glacier Instant Retrieval. */
            glacierAfterDays: days(90).default(90),
            /** Days before log objects expire. */
            expireAfterDays: days(365).default(365),
            /** Days before the CloudTrail bucket's S3 server access logs expire. */
            accessLogExpireAfterDays: days(365).default(365),
        },
        hint("must be { glacierAfterDays?, expireAfterDays?, accessLogExpireAfterDays? }", "{ glacierAfterDays: 90, expireAfterDays: 365, accessLogExpireAfterDays: 365 }"),
    ).prefault({}),
    AUDIT_STAGE,
);
export type CloudtrailLogs = z.infer<typeof cloudtrailLogsSettings.schema>;
