import type { StackValidationPolicy } from "@pulumi/policy";
import { decide } from "../../src/security/simulator";
import { BUCKET_TYPES, bucketSettings, readDocument } from "./support";

const OWNER = "000000000000";
const EVERYTHING = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "*", Resource: "*" }] };

export const s3BucketDeniesInsecureTransport: StackValidationPolicy = {
    name: "s3-bucket-denies-insecure-transport",
    description: "Every S3 bucket's policy explicitly denies requests not made over TLS, as an IAM simulator judges it: even the bucket's own administrators cannot read or write in plain HTTP.",
    enforcementLevel: "mandatory",
    validateStack: async (args, reportViolation) => {
        for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            const policies = bucketSettings(args.resources, bucket, ["aws:s3/bucketPolicy:BucketPolicy"]);
            if (policies.length === 0) {
                reportViolation(`Bucket ${bucket.name} has no bucket policy, so nothing denies plain-HTTP requests. Add one with a Deny on aws:SecureTransport = false.`, bucket.urn);
                continue;
            }
            const arn = typeof bucket.props.arn === "string" ? bucket.props.arn : typeof bucket.props.bucket === "string" ? `arn:aws:s3:::${bucket.props.bucket}` : undefined;
            const documents = policies.map((p) => readDocument(p.props.policy));
            // Unknown until the bucket exists (a first preview): judged again by `pulumi up`.
            if (!arn || documents.some((d) => d === undefined)) continue;
            for (const [action, resource] of [["s3:GetObject", `${arn}/any-object`], ["s3:PutObject", `${arn}/any-object`], ["s3:ListBucket", arn]]) {
                for (const document of documents) {
                    const decision = await decide({
                        principal: `arn:aws:iam::${OWNER}:role/administrator`,
                        action,
                        resource,
                        resourceAccount: OWNER,
                        context: { "aws:SecureTransport": "false" },
                        identityPolicies: [EVERYTHING],
                        resourcePolicy: document!,
                    }).catch(() => "unreadable");
                    if (decision === "ExplicitlyDenied") break;
                    if (document === documents[documents.length - 1]) {
                        reportViolation(`Bucket ${bucket.name}: ${action} over plain HTTP is not explicitly denied (${decision}). Add a statement denying s3:* on the bucket and its objects when aws:SecureTransport is false.`, bucket.urn);
                    }
                }
            }
        }
    },
};
