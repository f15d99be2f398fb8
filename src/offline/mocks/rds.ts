// RDS as the mocks answer for it (backing-services/aurora-postgres): endpoints in the resource's region.
import type { ResourceMock } from "./context";

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
            },
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (inputs, r) => ({
        id: inputs.identifier,
        state: { ...inputs, arn: r.arn("rds", `db:${inputs.identifier}`), endpoint: `${inputs.identifier}.${r.digest.slice(0, 12)}.${r.region}.rds.amazonaws.com`, port: 5432 },
    }),
};
