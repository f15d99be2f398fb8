import type { ResourceValidationPolicy } from "@pulumi/policy";
import { BUCKET_TYPES, matches } from "./support";

/**
 * Pulumi's analyzer protocol does not pass `retainOnDelete` to policy packs, so the rule enforces what a
 * pack can see of "never deleted": the audit bucket is protected and refuses to delete while it holds
 * objects. (The program also sets retainOnDelete; test/protection.test.ts checks that.)
 */
export const auditBucketRetained: ResourceValidationPolicy = {
    name: "audit-bucket-retained",
    description: "The audit log bucket can never be deleted by Pulumi: it is protected and forceDestroy is off, so its logs outlive any destroy.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { auditBuckets: { type: "array", items: { type: "string" }, default: ["*-audit-cloudtrail"] } } },
    validateResource: (args, reportViolation) => {
        if (!BUCKET_TYPES.includes(args.type) || typeof args.props.bucket !== "string") return;
        const { auditBuckets } = args.getConfig<{ auditBuckets: string[] }>();
        if (!auditBuckets.some((p) => matches(p, args.props.bucket))) return;
        if (args.opts.protect !== true) reportViolation(`Audit bucket ${args.props.bucket} is not protected: a destroy would delete the logs.`);
        if (args.props.forceDestroy === true) reportViolation(`Audit bucket ${args.props.bucket} has forceDestroy: true: deleting it would delete every log in it.`);
    },
};
