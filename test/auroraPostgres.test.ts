// refarch:auroraPostgres (backing-services/aurora-postgres): an encrypted Aurora PostgreSQL cluster in
// the private subnets of the stage's VPC, its master password a generated Pulumi secret; protected
// where the stage is, and in testing destroyable with no snapshot left behind.
import { expect } from "chai";
import { RecordedResource, StackEvaluation } from "../src/offline/engine";
import { DEFAULT_AURORA_POSTGRES_MAJOR } from "../src/components/auroraPostgres";
import { evaluateWith, ofType, refused, SHIPPED_STACKS, shippedStack, single } from "./harness";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const NETWORK = { "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16" }) };
const withAurora = (stack: string, aurora: unknown = {}) => evaluateWith(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify(aurora) });
// Pulumi's wire marker of a secret value, as the engine receives it.
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function ok(evaluation: StackEvaluation): StackEvaluation {
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}
const auroraResources = (e: StackEvaluation): RecordedResource[] => {
    const component = single(e, "refarch:database:AuroraPostgres");
    return e.resources.filter((r) => r.parent === component.urn);
};

describe("aurora-postgres", () => {
    it("is off in every shipped stack", async () => {
        for (const stack of SHIPPED_STACKS) expect(ofType(await shippedStack(stack), CLUSTER), stack).to.deep.equal([]);
    });

    it("puts the cluster in the VPC's private subnets, reachable on 5432 from inside the VPC only", async () => {
        const dev = ok(await withAurora("dev"));
        const vpc = single(dev, "awsx:ec2:Vpc").state;
        const subnetGroup = single(dev, "aws:rds/subnetGroup:SubnetGroup");
        expect(subnetGroup.inputs.subnetIds).to.deep.equal(vpc.privateSubnetIds);
        const securityGroup = single(dev, "aws:ec2/securityGroup:SecurityGroup");
        expect(securityGroup.inputs.vpcId).to.equal(vpc.vpcId);
        expect(securityGroup.inputs.ingress).to.deep.equal([{ description: "PostgreSQL from the VPC", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.20.0.0/16"] }]);
        expect(securityGroup.inputs.egress).to.equal(undefined);
        const cluster = single(dev, CLUSTER);
        expect(cluster.inputs.dbSubnetGroupName).to.equal(subnetGroup.state.name);
        const { securityGroupId } = dev.outputs.auroraPostgres as { securityGroupId: string };
        expect(securityGroup.state.arn).to.match(new RegExp(`:security-group/${securityGroupId}$`));
        expect(cluster.inputs.vpcSecurityGroupIds).to.deep.equal([securityGroupId]);
        for (const instance of ofType(dev, INSTANCE)) {
            expect(instance.inputs.publiclyAccessible).to.equal(false);
            expect(instance.inputs.dbSubnetGroupName).to.equal(subnetGroup.state.name);
        }
    });

    it("with {} takes the defaults: encrypted Aurora PostgreSQL, one db.t4g.medium, a week of backups", async () => {
        const dev = ok(await withAurora("dev"));
        expect(single(dev, CLUSTER).inputs).to.deep.include({
            clusterIdentifier: "acme-dev-aurora-postgres",
            engine: "aurora-postgresql",
            engineVersion: DEFAULT_AURORA_POSTGRES_MAJOR,
            masterUsername: "postgres",
            storageEncrypted: true,
            backupRetentionPeriod: 7,
            port: 5432,
        });
        const instances = ofType(dev, INSTANCE);
        expect(instances.map((i) => [i.inputs.identifier, i.inputs.instanceClass, i.inputs.clusterIdentifier])).to.deep.equal([
            ["acme-dev-aurora-postgres-1", "db.t4g.medium", "acme-dev-aurora-postgres"],
        ]);
        for (const r of auroraResources(dev)) expect(r.parent, r.name).to.equal(single(dev, "refarch:database:AuroraPostgres").urn);
    });

    it("generates the master password and hands it over only as a secret", async () => {
        const dev = ok(await withAurora("dev"));
        const generated = single(dev, "random:index/randomPassword:RandomPassword");
        expect(generated.inputs.length).to.equal(32);
        for (const forbidden of ["/", "@", '"', " "]) expect(String(generated.inputs.overrideSpecial)).to.not.include(forbidden);
        const password = single(dev, CLUSTER).inputs.masterPassword as Record<string, unknown>;
        expect(password[Object.keys(password)[0]], "masterPassword reaches the engine as a secret").to.equal(SECRET_SIG);
        expect(password.value).to.equal(generated.state.result);
        // The stack output is the one a person reads (pulumi stack output --show-secrets): it must be a secret, and the only one.
        expect((dev.outputs.auroraPostgres as Record<string, unknown>).masterPassword).to.equal(generated.state.result);
        expect(dev.secretOutputs).to.deep.equal(["auroraPostgres.masterPassword"]);
    });

    it("exports what an application needs to connect", async () => {
        const dev = ok(await withAurora("dev"));
        const cluster = single(dev, CLUSTER).state;
        expect(dev.outputs.auroraPostgres).to.deep.include({
            clusterArn: "arn:aws:rds:us-east-1:555555555555:cluster:acme-dev-aurora-postgres",
            endpoint: cluster.endpoint,
            readerEndpoint: cluster.readerEndpoint,
            port: 5432,
            masterUsername: "postgres",
        });
    });

    it("prod: deletion protection, a final snapshot, every resource protected, a writer and a reader on r6g", async () => {
        const prod = ok(await withAurora("prod"));
        const cluster = single(prod, CLUSTER);
        expect(cluster.inputs).to.deep.include({ deletionProtection: true, skipFinalSnapshot: false });
        const suffix = single(prod, "random:index/randomId:RandomId");
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal(`${cluster.inputs.clusterIdentifier}-final-${suffix.state.hex}`);
        expect(ofType(prod, INSTANCE).map((i) => i.inputs.instanceClass)).to.deep.equal(["db.r6g.large", "db.r6g.large"]);
        expect(auroraResources(prod).filter((r) => !r.protect).map((r) => r.name)).to.deep.equal([]);
    });

    it("testing: no deletion protection, no final snapshot, nothing protected, so pulumi destroy needs no manual step", async () => {
        const testing = ok(await withAurora("testing"));
        const cluster = single(testing, CLUSTER);
        expect(cluster.inputs).to.deep.include({ deletionProtection: false, skipFinalSnapshot: true });
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal(undefined);
        expect(auroraResources(testing).filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        expect(ofType(testing, "random:index/randomId:RandomId")).to.deep.equal([]);
    });

    // AWS upgrades a cluster's minor version on its own; a default that names a minor would then fail the next up.
    it("by default names only the major version, which AWS's automatic minor upgrades never contradict", async () => {
        expect(single(ok(await withAurora("dev")), CLUSTER).inputs.engineVersion).to.match(/^\d+$/);
    });

    // DBClusterSnapshotAlreadyExists on a second destroy: each cluster gets its own snapshot name, drawn with the cluster.
    it("names the final snapshot with a suffix drawn per cluster: a valid RDS snapshot identifier, new whenever the cluster is", async () => {
        const staging = ok(await withAurora("staging"));
        const cluster = single(staging, CLUSTER);
        const suffix = single(staging, "random:index/randomId:RandomId");
        expect(suffix.parent, "the suffix lives and dies with the Aurora component").to.equal(single(staging, "refarch:database:AuroraPostgres").urn);
        expect(suffix.inputs.keepers ?? {}).to.deep.equal({});
        const snapshot = String(cluster.inputs.finalSnapshotIdentifier);
        expect(snapshot).to.equal(`${cluster.inputs.clusterIdentifier}-final-${suffix.state.hex}`);
        expect(String(suffix.state.hex)).to.match(/^[0-9a-f]{8}$/);
        // RDS: 1 to 255 letters, digits and hyphens; a letter first; no two hyphens in a row; no hyphen last.
        expect(snapshot).to.match(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,253}[A-Za-z0-9]$/);
    });

    it("takes the instance class, count and engine version from config", async () => {
        const staging = ok(await withAurora("staging", { instanceClass: "db.r7g.xlarge", instances: 3, engineVersion: "15.10" }));
        expect(single(staging, CLUSTER).inputs.engineVersion).to.equal("15.10");
        expect(ofType(staging, INSTANCE).map((i) => `${i.inputs.identifier} ${i.inputs.instanceClass}`)).to.deep.equal([
            "acme-staging-aurora-postgres-1 db.r7g.xlarge",
            "acme-staging-aurora-postgres-2 db.r7g.xlarge",
            "acme-staging-aurora-postgres-3 db.r7g.xlarge",
        ]);
    });

    it("refuses to run without refarch:network, saying what to set", async () => {
        const message = await refused("dev", { "refarch:auroraPostgres": "{}" });
        expect(message).to.include(
            "refarch:network.cidrBlock: (not set) is required by refarch:auroraPostgres: the cluster lives in the private subnets of this stack's VPC. " +
                "Fix: in Pulumi.dev.yaml, under config: refarch:network: set cidrBlock: 10.0.0.0/16",
        );
    });

    it("refuses a VPC in one availability zone, which no Aurora subnet group accepts", async () => {
        const message = await refused("dev", { "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 1 }), "refarch:auroraPostgres": "{}" });
        expect(message).to.include("refarch:network.numberOfAvailabilityZones: 1 must be at least 2 with refarch:auroraPostgres");
    });

    it("refuses bad settings, all at once", async () => {
        const message = await refused("dev", {
            ...NETWORK,
            "refarch:auroraPostgres": JSON.stringify({ instanceClass: "t4g.medium", instances: 0, engineVersion: 16.6, storage: 100 }),
        });
        expect(message).to.include("has 4 problems");
        expect(message).to.include(`refarch:auroraPostgres.storage: 100 is not a setting of refarch:auroraPostgres (valid: instanceClass, instances, engineVersion)`);
        expect(message).to.include(`refarch:auroraPostgres.instanceClass: "t4g.medium" is not an RDS instance class`);
        expect(message).to.include(`refarch:auroraPostgres.instances: 0 must be a whole number from 1 to 16`);
        expect(message).to.include(`refarch:auroraPostgres.engineVersion: 16.6 is not an Aurora PostgreSQL engine version (quote it`);
    });
});
