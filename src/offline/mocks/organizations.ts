// AWS Organizations as the mocks answer for it, in the id formats of its API reference: o-[a-z0-9]{10,32},
// r-[0-9a-z]{4,32}, ou-<root part>-[a-z0-9]{8,32}, p-[0-9a-z_]{8,128}; ARNs arn:<partition>:organizations::<management account>:...
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html (and API_Parent, API_Policy)
import { createHash } from "crypto";
import { asList } from "../../policies";
import type { InvokeMock, ResourceMock } from "./context";

/**
 * The account id the mocks give an account the org stack creates: 12 digits from its email, so the org
 * stack's mock and the mocks of the stacks deploying into the account agree on it with no id written.
 */
export function mockAccountId(email: string): string {
    const digits = BigInt(`0x${createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 15)}`) % 900000000000n;
    return String(100000000000n + digits);
}

/** The one organization a management account has: its id and its root's, stable per account. */
function organizationIds(managementAccountId: string): { organizationId: string; rootId: string } {
    const hash = createHash("sha256").update(`organization/${managementAccountId}`).digest("hex");
    return { organizationId: `o-${hash.slice(0, 10)}`, rootId: `r-${hash.slice(10, 14)}` };
}

export const organizationsResources: Record<string, ResourceMock> = {
    "aws:organizations/organization:Organization": (inputs, r) => {
        const { organizationId, rootId } = organizationIds(r.accountId);
        const orgArn = (kind: string, id: string) => `arn:${r.partition}:organizations::${r.accountId}:${kind}/${organizationId}/${id}`;
        return {
            id: organizationId,
            state: {
                ...inputs,
                arn: `arn:${r.partition}:organizations::${r.accountId}:organization/${organizationId}`,
                masterAccountId: r.accountId,
                masterAccountArn: orgArn("account", r.accountId),
                roots: [{ id: rootId, arn: orgArn("root", rootId), name: "Root", policyTypes: asList(inputs.enabledPolicyTypes as string[]).map((type) => ({ type, status: "ENABLED" })) }],
                accounts: [],
                nonMasterAccounts: [],
            },
        };
    },
    "aws:organizations/organizationalUnit:OrganizationalUnit": (inputs, r) => {
        const { organizationId, rootId } = organizationIds(r.accountId);
        const id = `ou-${rootId.slice(2)}-${r.digest.slice(0, 8)}`;
        return { id, state: { ...inputs, arn: `arn:${r.partition}:organizations::${r.accountId}:ou/${organizationId}/${id}`, accounts: [] } };
    },
    "aws:organizations/account:Account": (inputs, r) => {
        const { organizationId } = organizationIds(r.accountId);
        const id = mockAccountId(String(inputs.email));
        return { id, state: { ...inputs, arn: `arn:${r.partition}:organizations::${r.accountId}:account/${organizationId}/${id}`, status: "ACTIVE", joinedMethod: "CREATED" } };
    },
    "aws:organizations/policy:Policy": (inputs, r) => {
        const { organizationId } = organizationIds(r.accountId);
        const id = `p-${r.digest.slice(0, 8)}`;
        return { id, state: { ...inputs, arn: `arn:${r.partition}:organizations::${r.accountId}:policy/${organizationId}/service_control_policy/${id}`, awsManaged: false } };
    },
    "aws:organizations/policyAttachment:PolicyAttachment": (inputs) => ({ id: `${inputs.targetId}:${inputs.policyId}`, state: inputs }),
};

export const organizationsInvokes: Record<string, InvokeMock> = {
    // DescribeOrganization, for an organization that exists already.
    "aws:organizations/getOrganization:getOrganization": ({ partition, existingOrganization: existing, organizationReadError }) => {
        if (organizationReadError) throw new Error(organizationReadError);
        if (!existing) throw new Error("AWSOrganizationsNotInUseException: Your account is not a member of an organization.");
        const rootId = organizationIds(existing.managementAccountId).rootId;
        const types = existing.enabledPolicyTypes ?? [];
        const orgArn = (kind: string, id: string) => `arn:${partition}:organizations::${existing.managementAccountId}:${kind}/${existing.id}/${id}`;
        const accounts = (existing.accounts ?? []).map((a) => ({ ...a, arn: orgArn("account", a.id), status: "ACTIVE", state: "ACTIVE" }));
        return {
            id: existing.id,
            arn: `arn:${partition}:organizations::${existing.managementAccountId}:organization/${existing.id}`,
            featureSet: existing.featureSet ?? "ALL",
            enabledPolicyTypes: types,
            awsServiceAccessPrincipals: existing.awsServiceAccessPrincipals ?? [],
            masterAccountId: existing.managementAccountId,
            masterAccountArn: orgArn("account", existing.managementAccountId),
            masterAccountEmail: "",
            masterAccountName: "",
            accounts,
            nonMasterAccounts: accounts.filter((a) => a.id !== existing.managementAccountId),
            roots: [{ id: rootId, arn: orgArn("root", rootId), name: "Root", policyTypes: types.map((type) => ({ type, status: "ENABLED" })) }],
        };
    },
    // ListOrganizationalUnitsForParent.
    "aws:organizations/getOrganizationalUnits:getOrganizationalUnits": ({ inputs, partition, existingOrganization }) => {
        const units = existingOrganization?.units ?? {};
        const arnOf = (id: string) => `arn:${partition}:organizations::${existingOrganization?.managementAccountId}:ou/${existingOrganization?.id}/${id}`;
        return { id: String(inputs.parentId), parentId: inputs.parentId, children: Object.entries(units).map(([name, id]) => ({ id, name, arn: arnOf(id) })) };
    },
};
