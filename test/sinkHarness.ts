// What the audit sink's security tests share: the sink's documents as the audit stack produced them, and who writes
// each account's logs (its own trail, or the organization trail where the organization is managed), all read from
// the plan of the organization under test.
import type { PolicyDocument } from "../src/policies";
import { AUDIT, ORG, Organization, policyDocument, ROOT, single } from "./harness";

/** An identity policy that allows everything: the worst an account's administrator can hold. */
export const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** An account id no stage of the organization uses. */
export const foreignAccount = (org: Organization): string => ["999999999999", "999999999998"].find((id) => !Object.values(org.accounts).includes(id))!;

export interface Sink {
    bucketArn: string;
    bucketPolicy: PolicyDocument;
    keyArn: string;
    keyPolicy: PolicyDocument;
    accessLogBucketArn: string;
    accessLogBucketPolicy: PolicyDocument;
}

export async function sinkOf(org: Organization): Promise<Sink> {
    const audit = await org.evaluation(AUDIT);
    const key = single(audit, "aws:kms/key:Key");
    return {
        bucketArn: String(single(audit, "aws:s3/bucket:Bucket", "cloudtrail-bucket").state.arn),
        bucketPolicy: policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-policy")),
        keyArn: String(key.state.arn),
        keyPolicy: policyDocument(key),
        accessLogBucketArn: String(single(audit, "aws:s3/bucket:Bucket", "cloudtrail-access-logs-bucket").state.arn),
        accessLogBucketPolicy: policyDocument(single(audit, "aws:s3/bucketPolicy:BucketPolicy", "cloudtrail-access-logs-policy")),
    };
}

/** Who delivers a stage's logs: the trail's ARN (aws:SourceArn), its account (aws:SourceAccount) and the folder under AWSLogs/. */
export interface Writer {
    trail: string;
    sourceAccount: string;
    folder: string;
}

/** stage -> its logs' writer, as the plan has it: the organization trail (org stack) or the stage's own trail. */
export async function writersOf(org: Organization): Promise<Record<string, Writer>> {
    if (org.hasOrganizationTrail) {
        const outputs = (await org.evaluation(ORG)).outputs;
        const trail = String(outputs.organizationTrailArn);
        return Object.fromEntries(Object.entries(org.accounts).map(([stage, id]) => [stage, { trail, sourceAccount: org.accountOf(ROOT), folder: `${String(outputs.organizationId)}/${id}` }]));
    }
    const entries = await Promise.all(
        Object.entries(org.accounts).map(async ([stage, id]) => {
            const stack = org.stacks.find((s) => org.stageOf(s) === stage && org.ownsAccount(s))!;
            return [stage, { trail: String((await org.evaluation(stack)).outputs.trailArn), sourceAccount: id, folder: id }] as const;
        }),
    );
    return Object.fromEntries(entries);
}

/** KMS's StringLike: `*` any run of characters, `?` one, everything else literal. */
export function stringLike(pattern: string): RegExp {
    const literal = (text: string) => text.replace(/[.+^${}()|[\]\\/]/g, "\\$&");
    return new RegExp(`^${pattern.split("*").map((part) => part.split("?").map(literal).join(".")).join(".*")}$`);
}
