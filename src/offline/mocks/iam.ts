// IAM as the mocks answer for it: ARNs and unique ids in the stack's account, ids as the provider forms them.
import { createHash } from "crypto";
import type { InvokeMock, ResourceMock } from "./context";

export const iamResources: Record<string, ResourceMock> = {
    "aws:iam/accountAlias:AccountAlias": (inputs) => ({ id: inputs.accountAlias, state: inputs }),
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy": (inputs) => ({
        id: "iam-account-password-policy",
        state: { ...inputs, expirePasswords: (inputs.maxPasswordAge ?? 0) > 0 },
    }),
    "aws:iam/role:Role": (inputs, r) => ({
        id: inputs.name,
        state: { ...inputs, arn: r.iamArn("role", inputs.name, inputs.path ?? "/"), uniqueId: `AROA${r.uniqueId}`, createDate: "2026-01-01T00:00:00Z" },
    }),
    "aws:iam/user:User": (inputs, r) => ({ id: inputs.name, state: { ...inputs, arn: r.iamArn("user", inputs.name, inputs.path ?? "/"), uniqueId: `AIDA${r.uniqueId}` } }),
    "aws:iam/userLoginProfile:UserLoginProfile": (inputs, r) => ({ id: inputs.user, state: loginProfile(inputs, r.digest) }),
    "aws:iam/group:Group": (inputs, r) => ({ id: inputs.name, state: { ...inputs, arn: r.iamArn("group", inputs.name, inputs.path ?? "/"), uniqueId: `AGPA${r.uniqueId}` } }),
    "aws:iam/policy:Policy": (inputs, r) => {
        const arn = r.iamArn("policy", inputs.name, inputs.path ?? "/");
        return { id: arn, state: { ...inputs, arn, policyId: `ANPA${r.uniqueId}` } };
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (inputs, r) => ({ id: `${inputs.role}-${r.digest.slice(0, 20)}`, state: inputs }),
    "aws:iam/groupPolicy:GroupPolicy": (inputs) => ({ id: `${inputs.group}:${inputs.name}`, state: inputs }),
    // aws_iam_role_policy's id is `<role>:<policy name>`, like a group's inline policy.
    "aws:iam/rolePolicy:RolePolicy": (inputs) => ({ id: `${inputs.role}:${inputs.name}`, state: inputs }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (inputs, r) => {
        // IAM's own naming, written here rather than taken from src/policies: the mock stands for AWS, so a wrong
        // issuerName() there shows up as a trust naming a provider this ARN does not match.
        const providerArn = r.iamArn("oidc-provider", String(inputs.url).replace(/^https:\/\//, ""));
        return { id: providerArn, state: { ...inputs, arn: providerArn } };
    },
};

export const iamInvokes: Record<string, InvokeMock> = {
    // The roles an account holds before this stack runs, filtered as IAM's ListRoles is by the data source's nameRegex.
    "aws:iam/getRoles:getRoles": ({ inputs, accountId, partition, region, accountRoles }) => {
        const names = accountRoles.filter((n) => new RegExp(String(inputs.nameRegex ?? ".*")).test(n));
        return { names, arns: names.map((n) => `arn:${partition}:iam::${accountId}:role/${n}`), id: region };
    },
};

/**
 * A login profile as pulumi-aws's UserLoginProfile returns it: with `pgpKey`, the password only as `encryptedPassword`
 * and the key's `keyFingerprint`; the plaintext `password` only when no key was given. With no real key to encrypt
 * to, the "ciphertext" is random-looking bytes that hold no password at all.
 */
function loginProfile(inputs: Record<string, any>, digest: string): Record<string, unknown> {
    const state = { ...inputs, passwordResetRequired: Boolean(inputs.passwordResetRequired), passwordLength: inputs.passwordLength ?? 20 };
    if (inputs.pgpKey === undefined) {
        return { ...state, password: createHash("sha256").update(`password/${digest}`).digest("base64").slice(0, state.passwordLength) };
    }
    // An OpenPGP message: a public-key encrypted session key packet (tag 1, 0xc1) then encrypted data.
    const body = Buffer.concat([Buffer.from([0xc1, 0x4c, 0x03]), ...[0, 1, 2, 3, 4].map((i) => createHash("sha512").update(`message/${digest}/${i}`).digest())]);
    const keyFingerprint = createHash("sha1").update(`pgp-key/${inputs.pgpKey}`).digest("hex");
    return { ...state, encryptedPassword: body.toString("base64"), keyFingerprint };
}
