// What the rules share: reading a policy document however a provider hands it over, the stack a
// resource belongs to (from its URN), and which resources refer to which.
import type { PolicyResource } from "@pulumi/policy";
import { asList, PolicyDocument, Statement } from "../../src/policies";

export { asList };


/** A policy input as a document: a JSON string or an object; undefined while unknown (in a preview). */
export function readDocument(value: unknown): PolicyDocument | undefined {
    if (typeof value === "string") {
        try {
            return JSON.parse(value) as PolicyDocument;
        } catch {
            return undefined;
        }
    }
    return typeof value === "object" && value !== null ? (value as PolicyDocument) : undefined;
}

export const statements = (document: PolicyDocument | undefined): Statement[] => asList(document?.Statement as Statement | Statement[] | undefined);

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> `<stack>`. */
export const stackOf = (urn: string): string => urn.split(":")[2]?.split("::")[0] ?? "";

/** Simple `*` patterns, as IAM writes them. */
export const matches = (pattern: string, value: string): boolean =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(value);

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** The resources of `types` that refer to `bucket` through their `bucket` input: by value, or (in a preview, before the name is known) by dependency. */
export function bucketSettings(resources: PolicyResource[], bucket: PolicyResource, types: string[]): PolicyResource[] {
    const names = [bucket.props.bucket, bucket.props.id].filter((v) => typeof v === "string");
    return resources.filter(
        (r) => types.includes(r.type) && (names.includes(r.props.bucket) || (r.propertyDependencies?.bucket ?? []).some((d) => d.urn === bucket.urn)),
    );
}
