import type { ResourceValidationPolicy } from "@pulumi/policy";

export const cloudtrailTrailSecure: ResourceValidationPolicy = {
    name: "cloudtrail-trail-secure",
    description: "Every CloudTrail trail records all regions, signs its log files (validation) and encrypts them with KMS: a single-region or unsigned trail leaves gaps an intruder can use.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:cloudtrail/trail:Trail") return;
        if (args.props.isMultiRegionTrail !== true) reportViolation(`Trail ${args.name} is not multi-region: set isMultiRegionTrail: true.`);
        if (args.props.enableLogFileValidation !== true) reportViolation(`Trail ${args.name} does not validate its log files: set enableLogFileValidation: true.`);
        if (typeof args.props.kmsKeyId !== "string" || args.props.kmsKeyId === "") reportViolation(`Trail ${args.name} does not encrypt with KMS: set kmsKeyId to the audit key.`);
    },
};
