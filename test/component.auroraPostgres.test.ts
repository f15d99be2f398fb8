// The AuroraPostgres component alone: its per-grade defaults, applied by itself, and what it registers.
import { expect } from "chai";
import { AuroraPostgres, AuroraPostgresArgs, DEFAULT_AURORA_POSTGRES_MAJOR } from "../src/components/auroraPostgres";
import { resourceContext } from "../src/offline/mocks/context";
import { rdsResources } from "../src/offline/mocks/rds";
import { buildAlone, only, resourcesOf } from "./componentHarness";

const VPC: Omit<AuroraPostgresArgs, "deletionProtection" | "skipFinalSnapshot"> = { clusterIdentifier: "acme-dev-db", vpcId: "vpc-0123", vpcCidrBlock: "10.42.0.0/16", subnetIds: ["subnet-a", "subnet-b"] };
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

describe("AuroraPostgres component, built alone", () => {
    it(`defaults to one db.t4g.medium instance on major ${DEFAULT_AURORA_POSTGRES_MAJOR}, as postgres, 7 days of backups`, async () => {
        const evaluation = await buildAlone(() => void new AuroraPostgres("db", { ...VPC, deletionProtection: false, skipFinalSnapshot: true }));
        expect(evaluation.error).to.equal(undefined);
        expect(only(evaluation, "aws:rds/cluster:Cluster").inputs).to.deep.include({ engineVersion: DEFAULT_AURORA_POSTGRES_MAJOR, masterUsername: "postgres", backupRetentionPeriod: 7, storageEncrypted: true });
        expect(resourcesOf(evaluation, INSTANCE).map((i) => [i.inputs.identifier, i.inputs.instanceClass])).to.deep.equal([["acme-dev-db-1", "db.t4g.medium"]]);
    });

    it("with highAvailability, defaults to a writer and a reader on db.r6g.large; values given win either way", async () => {
        const ha = await buildAlone(() => void new AuroraPostgres("db", { ...VPC, deletionProtection: true, skipFinalSnapshot: false, highAvailability: true }));
        expect(resourcesOf(ha, INSTANCE).map((i) => [i.inputs.identifier, i.inputs.instanceClass])).to.deep.equal([
            ["acme-dev-db-1", "db.r6g.large"],
            ["acme-dev-db-2", "db.r6g.large"],
        ]);
        const given = await buildAlone(() => void new AuroraPostgres("db", { ...VPC, deletionProtection: true, skipFinalSnapshot: false, highAvailability: true, instances: 3, instanceClass: "db.r7g.xlarge", engineVersion: "15" }));
        expect(resourcesOf(given, INSTANCE).map((i) => i.inputs.instanceClass)).to.deep.equal(["db.r7g.xlarge", "db.r7g.xlarge", "db.r7g.xlarge"]);
        expect(only(given, "aws:rds/cluster:Cluster").inputs.engineVersion).to.equal("15");
    });

    it("registers every public output: the ARN of the secret RDS keeps the master password in, and no password", async () => {
        const evaluation = await buildAlone(() => void new AuroraPostgres("db", { ...VPC, deletionProtection: false, skipFinalSnapshot: true }));
        const component = only(evaluation, "refarch:database:AuroraPostgres");
        expect(Object.keys(component.outputs)).to.have.members(["clusterArn", "endpoint", "readerEndpoint", "port", "masterUsername", "masterUserSecretArn", "securityGroupId"]);
        const cluster = only(evaluation, "aws:rds/cluster:Cluster");
        expect(cluster.inputs.manageMasterUserPassword).to.equal(true);
        expect(component.outputs.masterUserSecretArn).to.equal((cluster.state.masterUserSecrets as { secretArn: string }[])[0].secretArn);
        expect(resourcesOf(evaluation, "random:index/randomPassword:RandomPassword")).to.deep.equal([]);
        expect(component.outputs.securityGroupId).to.equal(only(evaluation, "aws:ec2/securityGroup:SecurityGroup").id);
    });

    // The mock answers as RDS does (MasterUserSecret, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html):
    // a secret only while RDS manages the password, encrypted with the key asked for, else one of the account's.
    it("the mock RDS reports a managed secret only when asked to manage the password", () => {
        const cluster = rdsResources["aws:rds/cluster:Cluster"];
        const at = (partition: string, region: string, account: string) => resourceContext(account, region, partition, "aws:rds/cluster:Cluster", "db-cluster");
        expect(cluster({ clusterIdentifier: "db", masterPassword: "given" }, at("aws", "us-east-1", "111122223333")).state.masterUserSecrets).to.deep.equal([]);
        expect(cluster({ clusterIdentifier: "db", manageMasterUserPassword: false }, at("aws", "us-east-1", "111122223333")).state.masterUserSecrets).to.deep.equal([]);
        const [managed] = cluster({ clusterIdentifier: "db", manageMasterUserPassword: true }, at("aws-us-gov", "us-gov-west-1", "444455556666")).state.masterUserSecrets as Record<string, string>[];
        expect(managed.secretArn).to.match(/^arn:aws-us-gov:secretsmanager:us-gov-west-1:444455556666:secret:rds!cluster-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-[A-Za-z0-9]{6}$/);
        expect(managed.secretStatus).to.equal("active");
        expect(managed.kmsKeyId).to.match(/^arn:aws-us-gov:kms:us-gov-west-1:444455556666:key\/[0-9a-f-]{36}$/);
        const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const [ownKey] = cluster({ clusterIdentifier: "db", manageMasterUserPassword: true, masterUserSecretKmsKeyId: key }, at("aws", "us-east-1", "111122223333")).state.masterUserSecrets as Record<string, string>[];
        expect(ownKey.kmsKeyId).to.equal(key);
    });
});
