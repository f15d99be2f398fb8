// KMS as the mocks answer for it: a key's id is a UUID, its alias ARN names the alias itself.
import type { ResourceMock } from "./context";

export const kmsResources: Record<string, ResourceMock> = {
    "aws:kms/key:Key": (inputs, r) => ({ id: r.uuid, state: { ...inputs, keyId: r.uuid, arn: r.arn("kms", `key/${r.uuid}`) } }),
    "aws:kms/alias:Alias": (inputs, r) => ({ id: inputs.name, state: { ...inputs, arn: r.arn("kms", inputs.name), targetKeyArn: r.arn("kms", `key/${inputs.targetKeyId}`) } }),
};
