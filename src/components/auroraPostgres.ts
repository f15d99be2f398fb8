// Any stage whose config sets `refarch:auroraPostgres` (Cloud Posse's backing-services/aurora-postgres):
// an encrypted Aurora PostgreSQL cluster in the private subnets of the stage's VPC, reachable only from
// inside that VPC. RDS generates the master password and keeps it in Secrets Manager, so it is never in Pulumi's
// state or outputs; the stack exports the secret's ARN.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AuroraPostgresSettings } from "../config";

export const POSTGRES_PORT = 5432;
/** The Aurora PostgreSQL major version a cluster gets unless refarch:auroraPostgres.engineVersion says otherwise. */
export const DEFAULT_AURORA_POSTGRES_MAJOR = "16";

/** refarch:auroraPostgres as written, plus the VPC it lives in and what the stage decides. */
export interface AuroraPostgresArgs extends AuroraPostgresSettings {
    /** The cluster identifier; instances are `<clusterIdentifier>-<n>`. */
    clusterIdentifier: string;
    vpcId: pulumi.Input<string>;
    /** Clients inside this range may connect. */
    vpcCidrBlock: pulumi.Input<string>;
    /** The VPC's private subnets, in two or more availability zones. */
    subnetIds: pulumi.Input<string[]>;
    /** Defaults to db.r6g.large with `highAvailability`, else db.t4g.medium. */
    instanceClass?: AuroraPostgresSettings["instanceClass"];
    /** Cluster instances: the first is the writer, the rest readers. Defaults to 2 with `highAvailability` (a reader to fail over to), else 1. */
    instances?: AuroraPostgresSettings["instances"];
    /** A major version alone ("16") follows AWS's automatic minor upgrades, which a pinned minor would clash with. Defaults to DEFAULT_AURORA_POSTGRES_MAJOR. */
    engineVersion?: AuroraPostgresSettings["engineVersion"];
    /** Production-grade defaults for the instances. Defaults to false. */
    highAvailability?: boolean;
    /** Defaults to postgres. */
    masterUsername?: string;
    /** Refuse deletion at the AWS level too. */
    deletionProtection: boolean;
    /** Destroy without a final snapshot (so a throwaway stage destroys with no leftovers). When false, a snapshot `<clusterIdentifier>-final-<8 hex>` is kept, its suffix new with every cluster, so each destroy names a new snapshot. */
    skipFinalSnapshot: boolean;
    /** Days of automated backups. Defaults to 7. */
    backupRetentionDays?: number;
}

export class AuroraPostgres extends pulumi.ComponentResource {
    readonly clusterArn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly masterUsername: pulumi.Output<string>;
    /** The Secrets Manager secret RDS keeps the master user's credentials in: an ARN, no password. */
    readonly masterUserSecretArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: AuroraPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:database:AuroraPostgres", name, {}, opts);
        const id = args.clusterIdentifier;
        const instanceClass = args.instanceClass ?? (args.highAvailability ? "db.r6g.large" : "db.t4g.medium");
        const instances = args.instances ?? (args.highAvailability ? 2 : 1);

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                name: id,
                description: `PostgreSQL from inside the VPC to ${id}`,
                vpcId: args.vpcId,
                ingress: [{ description: "PostgreSQL from the VPC", protocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, cidrBlocks: [args.vpcCidrBlock] }],
                tags: { Name: id },
            },
            { parent: this },
        );
        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, { name: id, description: `Private subnets of ${id}`, subnetIds: args.subnetIds }, { parent: this });

        // A fixed final-snapshot name fails the second destroy of a stage (DBClusterSnapshotAlreadyExists): the suffix
        // is drawn once per cluster, kept in state, and drawn anew when the cluster is created again after a destroy.
        const finalSnapshotSuffix = args.skipFinalSnapshot
            ? undefined
            : new random.RandomId(`${name}-final-snapshot-suffix`, { byteLength: 4 }, { parent: this });

        const cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: id,
                engine: aws.rds.EngineType.AuroraPostgresql,
                // A major alone ("16") is a partial version RDS accepts, so AWS's minor upgrades leave no diff
                // (engineVersion in https://www.pulumi.com/registry/packages/aws/api-docs/rds/cluster/).
                engineVersion: args.engineVersion ?? DEFAULT_AURORA_POSTGRES_MAJOR,
                masterUsername: args.masterUsername ?? "postgres",
                // RDS makes the password and its secret (manageMasterUserPassword, @pulumi/aws 7.48 rds/cluster.d.ts; ManageMasterUserPassword in
                // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html).
                manageMasterUserPassword: true,
                port: POSTGRES_PORT,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [securityGroup.id],
                storageEncrypted: true,
                backupRetentionPeriod: args.backupRetentionDays ?? 7,
                copyTagsToSnapshot: true,
                deletionProtection: args.deletionProtection,
                skipFinalSnapshot: args.skipFinalSnapshot,
                ...(finalSnapshotSuffix ? { finalSnapshotIdentifier: pulumi.interpolate`${id}-final-${finalSnapshotSuffix.hex}` } : {}),
            },
            { parent: this },
        );
        for (let n = 1; n <= instances; n++) {
            new aws.rds.ClusterInstance(
                `${name}-${n}`,
                {
                    identifier: `${id}-${n}`,
                    clusterIdentifier: cluster.id,
                    engine: aws.rds.EngineType.AuroraPostgresql,
                    engineVersion: cluster.engineVersion,
                    instanceClass,
                    dbSubnetGroupName: subnetGroup.name,
                    publiclyAccessible: false,
                },
                { parent: this },
            );
        }

        this.clusterArn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = cluster.port;
        this.masterUsername = cluster.masterUsername;
        // RDS reports exactly one secret while it manages the password (MasterUserSecret, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html).
        this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            masterUsername: this.masterUsername,
            masterUserSecretArn: this.masterUserSecretArn,
            securityGroupId: this.securityGroupId,
        });
    }
}
