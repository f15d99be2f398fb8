// What a service family's mock is handed: the account and region a resource or invoke lands in, and the ids
// AWS would form for it, all stable per account, type and name so a plan never changes between runs.
import { createHash } from "crypto";

export interface ResourceContext {
    accountId: string;
    /** The region of the provider the resource is made through, else the stack's. */
    region: string;
    partition: string;
    /** The registration's logical name. */
    name: string;
    /** sha256 of `<account>/<type>/<name>`: the seed of every id made up for the resource. */
    digest: string;
    /** A version-4-shaped UUID from the digest (KMS key ids, ACM certificate ids). */
    uuid: string;
    /** 17 characters of the digest in upper case: the tail of IAM's unique ids (AROA..., AIDA...). */
    uniqueId: string;
    /** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
    arn(service: string, resource: string): string;
    /** IAM's global ARN: `arn:<partition>:iam::<account>:<kind><path><name>`. */
    iamArn(kind: string, name: string, pathPrefix?: string): string;
    /** EC2-style ids: `vpc-0a1b2c...` (17 hex digits), stable per resource and `salt`. */
    ec2Id(prefix: string, salt?: string): string;
}

export interface MockResource {
    id: string;
    state: Record<string, unknown>;
}

/** A resource type's mock: what AWS (or the provider) returns for these inputs. */
export type ResourceMock = (inputs: Record<string, any>, resource: ResourceContext) => MockResource;

/** What an invoke is answered from: the stack's account as it stands before the stack runs. */
export interface InvokeContext {
    inputs: Record<string, any>;
    accountId: string;
    region: string;
    partition: string;
    /** The account of the credentials the call is made with, as STS reports it through this provider. */
    callerAccount: string;
    /** IAM roles the account holds outside any state. */
    accountRoles: string[];
    existingOrganization?: MockOrganization;
    /** The error DescribeOrganization fails with instead, when set. */
    organizationReadError?: string;
}

export type InvokeMock = (call: InvokeContext) => Record<string, unknown>;

export function hashOf(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

export function resourceContext(accountId: string, region: string, partition: string, type: string, name: string): ResourceContext {
    const digest = hashOf(`${accountId}/${type}/${name}`);
    return {
        accountId,
        region,
        partition,
        name,
        digest,
        uuid: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`,
        uniqueId: digest.slice(0, 17).toUpperCase(),
        arn: (service, resource) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`,
        iamArn: (kind, resourceName, pathPrefix = "/") => `arn:${partition}:iam::${accountId}:${kind}${pathPrefix}${resourceName}`,
        ec2Id: (prefix, salt = "") => `${prefix}-${hashOf(`${digest}/${salt}`).slice(0, 17)}`,
    };
}

/** An organization that exists before the org stack manages it: what aws.organizations.getOrganization and getOrganizationalUnits report. */
export interface MockOrganization {
    id: string;
    managementAccountId: string;
    featureSet?: "ALL" | "CONSOLIDATED_BILLING";
    enabledPolicyTypes?: string[];
    awsServiceAccessPrincipals?: string[];
    /** unit name -> id, directly under the root. */
    units?: Record<string, string>;
    accounts?: { id: string; email: string; name: string }[];
}
