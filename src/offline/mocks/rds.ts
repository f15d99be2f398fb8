// RDS as the mocks answer for it (backing-services/aurora-postgres): endpoints in the resource's region.
import { hashOf, ResourceContext, ResourceMock } from "./context";

const SECRET_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The secret RDS makes when it manages a cluster's master password (MasterUserSecret,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html): named `rds!cluster-<uuid>`,
 * its ARN ending in the six characters Secrets Manager appends, encrypted with the key given or else the account's
 * aws/secretsmanager key (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html).
 */
function managedMasterUserSecret(inputs: Record<string, any>, r: ResourceContext) {
    const seed = hashOf(`${r.digest}/master-user-secret`);
    const suffix = Array.from({ length: 6 }, (_, i) => SECRET_SUFFIX_ALPHABET[parseInt(seed.slice(2 * i, 2 * i + 2), 16) % SECRET_SUFFIX_ALPHABET.length]).join("");
    const awsManagedKey = `${seed.slice(12, 20)}-${seed.slice(20, 24)}-4${seed.slice(25, 28)}-8${seed.slice(29, 32)}-${seed.slice(32, 44)}`;
    return {
        secretArn: r.arn("secretsmanager", `secret:rds!cluster-${r.uuid}-${suffix}`),
        secretStatus: "active",
        kmsKeyId: inputs.masterUserSecretKmsKeyId ?? r.arn("kms", `key/${awsManagedKey}`),
    };
}

export const rdsResources: Record<string, ResourceMock> = {
    "aws:rds/subnetGroup:SubnetGroup": (inputs, r) => ({ id: inputs.name, state: { ...inputs, arn: r.arn("rds", `subgrp:${inputs.name}`) } }),
    "aws:rds/cluster:Cluster": (inputs, r) => {
        const host = `cluster-${r.digest.slice(0, 12)}.${r.region}.rds.amazonaws.com`;
        return {
            id: inputs.clusterIdentifier,
            state: {
                ...inputs,
                arn: r.arn("rds", `cluster:${inputs.clusterIdentifier}`),
                endpoint: `${inputs.clusterIdentifier}.${host}`,
                readerEndpoint: `${inputs.clusterIdentifier}.${host.replace("cluster-", "cluster-ro-")}`,
                port: 5432,
                clusterResourceId: `cluster-${r.uniqueId}`,
                masterUserSecrets: inputs.manageMasterUserPassword === true ? [managedMasterUserSecret(inputs, r)] : [],
            },
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (inputs, r) => ({
        id: inputs.identifier,
        state: { ...inputs, arn: r.arn("rds", `db:${inputs.identifier}`), endpoint: `${inputs.identifier}.${r.digest.slice(0, 12)}.${r.region}.rds.amazonaws.com`, port: 5432 },
    }),
};
