// refarch:auroraPostgres (backing-services/aurora-postgres): an encrypted Aurora PostgreSQL cluster in
// the private subnets of the stage's VPC, its master password made and kept by RDS in Secrets Manager (never in
// Pulumi's state or outputs); protected where the stage is, and in testing destroyable with no snapshot left behind.
import { expect } from "chai";
import { DEFAULT_AURORA_POSTGRES_MAJOR } from "../src/components/auroraPostgres";
import { RecordedResource, StackEvaluation } from "../src/offline/engine";
import { having, meeting, NEEDS, ofType, org as underTest, PROD, required, setStackConfig, single, succeeded, TESTING } from "./harness";

// The organization under test, or a variant of it with prod, testing, and protected and unprotected workload stages.
const org = meeting([NEEDS.prod, NEEDS.testing, NEEDS.plainWorkload, NEEDS.protectedStack, NEEDS.unprotectedWorkload], underTest);

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const NETWORK = { "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16" }) };
const withAurora = (stack: string, aurora: unknown = {}) => org.evaluateWith(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify(aurora) });
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
// A field that would hold a password in the clear: `password`, `masterPassword`, `masterPasswordWo` (not
// `encryptedPassword`, nor settings such as `minimumPasswordLength`).
const PASSWORD_FIELD = /(^|\.)(master)?password(wo)?$/i;

/** Every key/value pair in a JSON-like value, at any depth, keyed by its path. */
function entries(value: unknown, at = ""): [string, unknown][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => entries(v, `${at}[${i}]`));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => [[`${at}.${k}`, v] as [string, unknown], ...entries(v, `${at}.${k}`)]);
    return [];
}

/** A workload stack, without prod's or testing's defaults where the organization has one. */
const stack = org.trialStack;
const prefix = org.namePrefix(stack);
const auroraResources = (e: StackEvaluation): RecordedResource[] => {
    const component = single(e, "refarch:database:AuroraPostgres");
    return e.resources.filter((r) => r.parent === component.urn);
};

describe("aurora-postgres", () => {
    it("is on exactly in the stacks whose config sets refarch:auroraPostgres", async () => {
        for (const s of org.stacks) expect(ofType(await org.evaluation(s), CLUSTER), s).to.have.length(org.value(s, "refarch:auroraPostgres") ? 1 : 0);
    });

    it("puts the cluster in the VPC's private subnets, reachable on 5432 from inside the VPC only", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const vpc = single(evaluation, "awsx:ec2:Vpc").state;
        const subnetGroup = single(evaluation, "aws:rds/subnetGroup:SubnetGroup");
        expect(subnetGroup.inputs.subnetIds).to.deep.equal(vpc.privateSubnetIds);
        const securityGroup = single(evaluation, "aws:ec2/securityGroup:SecurityGroup");
        expect(securityGroup.inputs.vpcId).to.equal(vpc.vpcId);
        // Named and described after the cluster in the EC2 and RDS consoles, where its network pieces are listed apart from it.
        const id = single(evaluation, CLUSTER).inputs.clusterIdentifier;
        expect(securityGroup.inputs).to.deep.include({ name: id, description: `PostgreSQL from inside the VPC to ${id}`, tags: { Name: id } });
        expect(subnetGroup.inputs).to.deep.include({ name: id, description: `Private subnets of ${id}` });
        expect(securityGroup.inputs.ingress).to.deep.equal([{ description: "PostgreSQL from the VPC", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.20.0.0/16"] }]);
        expect(securityGroup.inputs.egress).to.equal(undefined);
        const cluster = single(evaluation, CLUSTER);
        expect(cluster.inputs.dbSubnetGroupName).to.equal(subnetGroup.state.name);
        const { securityGroupId } = evaluation.outputs.auroraPostgres as { securityGroupId: string };
        expect(securityGroup.state.arn).to.match(new RegExp(`:security-group/${securityGroupId}$`));
        expect(cluster.inputs.vpcSecurityGroupIds).to.deep.equal([securityGroupId]);
        for (const instance of ofType(evaluation, INSTANCE)) {
            expect(instance.inputs.publiclyAccessible).to.equal(false);
            expect(instance.inputs.dbSubnetGroupName).to.equal(subnetGroup.state.name);
        }
    });

    it("with {} takes the defaults outside prod: encrypted Aurora PostgreSQL on its default major version, one db.t4g.medium, a week of backups copied with their tags", async function () {
        const evaluation = succeeded(await withAurora(required(org.stageOf(stack) !== PROD && stack, "no stage but prod to try non-production defaults on")));
        expect(single(evaluation, CLUSTER).inputs).to.deep.include({
            clusterIdentifier: `${prefix}-aurora-postgres`,
            engine: "aurora-postgresql",
            engineVersion: DEFAULT_AURORA_POSTGRES_MAJOR,
            masterUsername: "postgres",
            storageEncrypted: true,
            backupRetentionPeriod: 7,
            // Snapshots carry the cluster's tags, so cost allocation and tag-based access cover them too.
            copyTagsToSnapshot: true,
            port: 5432,
        });
        const instances = ofType(evaluation, INSTANCE);
        expect(instances.map((i) => [i.inputs.identifier, i.inputs.instanceClass, i.inputs.clusterIdentifier])).to.deep.equal([
            [`${prefix}-aurora-postgres-1`, "db.t4g.medium", `${prefix}-aurora-postgres`],
        ]);
    });

    // A child's URN includes its parent's type: one registered outside the component would be a new resource, and a
    // replaced cluster loses its data.
    it("parents every resource it makes to the component, so their URNs stay put", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const component = single(evaluation, "refarch:database:AuroraPostgres");
        const made = evaluation.resources.filter((r) => r.name.startsWith("aurora-postgres-"));
        expect(made.map((r) => r.type)).to.include.members([CLUSTER, INSTANCE, "aws:rds/subnetGroup:SubnetGroup", "aws:ec2/securityGroup:SecurityGroup", "random:index/randomId:RandomId"]);
        expect(made.filter((r) => r.parent !== component.urn).map((r) => r.name)).to.deep.equal([]);
    });

    it("lets RDS make the master password and keep it in Secrets Manager: the cluster is given none, and no password is generated", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const cluster = single(evaluation, CLUSTER);
        expect(cluster.inputs.manageMasterUserPassword).to.equal(true);
        expect(cluster.inputs).not.to.have.any.keys("masterPassword", "masterPasswordWo");
        expect(ofType(evaluation, RANDOM_PASSWORD)).to.deep.equal([]);
        // Nothing the stack exports is secret any more: there is no secret to export.
        expect(evaluation.secretOutputs).to.deep.equal([]);
    });

    it("exports the ARN of the secret RDS made, in the stack's partition, region and account, and no password", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const aurora = evaluation.outputs.auroraPostgres as Record<string, unknown>;
        const [secret] = single(evaluation, CLUSTER).state.masterUserSecrets as { secretArn: string; secretStatus: string }[];
        expect(aurora.masterUserSecretArn).to.equal(secret.secretArn);
        // RDS names its secrets rds!cluster-<uuid>; Secrets Manager appends six characters to the ARN.
        const secretArn = new RegExp(`^arn:${org.partitionOf(stack)}:secretsmanager:${org.regionOf(stack)}:${org.accountOf(stack)}:secret:rds!cluster-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-[A-Za-z0-9]{6}$`);
        expect(aurora.masterUserSecretArn).to.match(secretArn);
        expect(Object.keys(aurora).filter((key) => /password/i.test(key))).to.deep.equal([]);
    });

    it("no stack holds a password: not in any resource's inputs or state, nor in any stack output", async () => {
        // The organization under test with Aurora on in a stack (a variant of it where no stack has Aurora).
        const { org: withDatabase } = having(
            "Aurora PostgreSQL on in a workload stack",
            (o) => o.stacks.find((s) => o.value(s, "refarch:auroraPostgres")),
            (files, o) => {
                setStackConfig(files, o.trialStack, "refarch:network", JSON.parse(NETWORK["refarch:network"]));
                setStackConfig(files, o.trialStack, "refarch:auroraPostgres", {});
            },
            org,
        );
        const evaluations = await Promise.all(withDatabase.stacks.map((s) => withDatabase.evaluation(s)));
        expect(evaluations.flatMap((e) => ofType(succeeded(e), CLUSTER)), "Aurora is on somewhere").to.not.deep.equal([]);
        // A password generated anywhere (today none is) would leak through another resource's inputs or a stack output.
        const generated = new Set(evaluations.flatMap((e) => ofType(e, RANDOM_PASSWORD).map((r) => r.state.result)));
        for (const evaluation of evaluations) {
            const held = evaluation.resources.flatMap((r) => [...entries(r.inputs, `${r.name} inputs`), ...(r.type === RANDOM_PASSWORD ? [] : entries(r.state, `${r.name} state`))]);
            const fields = [...held, ...entries(evaluation.outputs, "outputs")];
            expect(fields.filter(([key, value]) => PASSWORD_FIELD.test(key) && value !== undefined).map(([key]) => key), evaluation.stack).to.deep.equal([]);
            expect(fields.filter(([, value]) => generated.has(value)).map(([key]) => key), evaluation.stack).to.deep.equal([]);
        }
    });

    it("exports what an application needs to connect", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const cluster = single(evaluation, CLUSTER).state;
        expect(evaluation.outputs.auroraPostgres).to.deep.include({
            clusterArn: `arn:${org.partitionOf(stack)}:rds:${org.regionOf(stack)}:${org.accountOf(stack)}:cluster:${prefix}-aurora-postgres`,
            endpoint: cluster.endpoint,
            readerEndpoint: cluster.readerEndpoint,
            port: 5432,
            masterUsername: "postgres",
        });
    });

    it("prod: a writer and a reader on r6g by default", async function () {
        const prod = succeeded(await withAurora(required(org.has(PROD) && PROD, "no prod stage")));
        expect(ofType(prod, INSTANCE).map((i) => i.inputs.instanceClass)).to.deep.equal(["db.r6g.large", "db.r6g.large"]);
    });

    it("a protected stage: deletion protection, a final snapshot, every resource protected", async function () {
        const protectedStack = required(org.find((s) => org.isProtected(s)), "no protected stage");
        const evaluation = succeeded(await withAurora(protectedStack));
        const cluster = single(evaluation, CLUSTER);
        const identifier = `${org.namePrefix(protectedStack)}-aurora-postgres`;
        expect(cluster.inputs).to.deep.include({ deletionProtection: true, skipFinalSnapshot: false });
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal(`${identifier}-final-${single(evaluation, "random:index/randomId:RandomId").state.hex}`);
        expect(auroraResources(evaluation).filter((r) => !r.protect).map((r) => r.name)).to.deep.equal([]);
    });

    it("an unprotected stage: no deletion protection, but a final snapshot", async function () {
        const unprotected = required(org.find((s) => !org.isProtected(s) && org.stageOf(s) !== TESTING), "no unprotected stage besides testing");
        const evaluation = succeeded(await withAurora(unprotected));
        const cluster = single(evaluation, CLUSTER);
        expect(cluster.inputs).to.deep.include({ deletionProtection: false, skipFinalSnapshot: false });
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal(`${org.namePrefix(unprotected)}-aurora-postgres-final-${single(evaluation, "random:index/randomId:RandomId").state.hex}`);
    });

    it("testing: no deletion protection, no final snapshot, nothing protected, so pulumi destroy needs no manual step", async function () {
        const testing = succeeded(await withAurora(required(org.has(TESTING) && TESTING, "no testing stage")));
        const cluster = single(testing, CLUSTER);
        expect(cluster.inputs).to.deep.include({ deletionProtection: false, skipFinalSnapshot: true });
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal(undefined);
        expect(auroraResources(testing).filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        expect(ofType(testing, "random:index/randomId:RandomId")).to.deep.equal([]);
    });

    // AWS upgrades a cluster's minor version on its own; a default that names a minor would then fail the next up.
    it("by default names only the major version, which AWS's automatic minor upgrades never contradict", async () => {
        expect(single(succeeded(await withAurora(stack)), CLUSTER).inputs.engineVersion).to.match(/^\d+$/);
    });

    // DBClusterSnapshotAlreadyExists on a second destroy: each cluster gets its own snapshot name, drawn with the cluster.
    it("names the final snapshot with a suffix drawn per cluster: a valid RDS snapshot identifier, new whenever the cluster is", async () => {
        const evaluation = succeeded(await withAurora(stack));
        const cluster = single(evaluation, CLUSTER);
        const suffix = single(evaluation, "random:index/randomId:RandomId");
        expect(suffix.parent, "the suffix lives and dies with the Aurora component").to.equal(single(evaluation, "refarch:database:AuroraPostgres").urn);
        expect(suffix.inputs.keepers ?? {}).to.deep.equal({});
        const snapshot = String(cluster.inputs.finalSnapshotIdentifier);
        expect(snapshot).to.equal(`${cluster.inputs.clusterIdentifier}-final-${suffix.state.hex}`);
        expect(String(suffix.state.hex)).to.match(/^[0-9a-f]{8}$/);
        // RDS: 1 to 255 letters, digits and hyphens; a letter first; no two hyphens in a row; no hyphen last.
        expect(snapshot).to.match(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,253}[A-Za-z0-9]$/);
    });

    it("takes the instance class, count and engine version from config", async () => {
        const evaluation = succeeded(await withAurora(stack, { instanceClass: "db.r7g.xlarge", instances: 3, engineVersion: "15.10" }));
        expect(single(evaluation, CLUSTER).inputs.engineVersion).to.equal("15.10");
        expect(ofType(evaluation, INSTANCE).map((i) => `${i.inputs.identifier} ${i.inputs.instanceClass}`)).to.deep.equal([
            `${prefix}-aurora-postgres-1 db.r7g.xlarge`,
            `${prefix}-aurora-postgres-2 db.r7g.xlarge`,
            `${prefix}-aurora-postgres-3 db.r7g.xlarge`,
        ]);
    });

    it("refuses to run without refarch:network, saying what to set", async () => {
        const message = await org.refused(stack, { "refarch:auroraPostgres": "{}", "refarch:network": undefined });
        expect(message).to.include(
            "refarch:network.cidrBlock: (not set) is required by refarch:auroraPostgres: the cluster lives in the private subnets of this stack's VPC. " +
                `Fix: in Pulumi.${stack}.yaml, under config: refarch:network: set cidrBlock: 10.0.0.0/16`,
        );
    });

    it("refuses a VPC in one availability zone, which no Aurora subnet group accepts", async () => {
        const message = await org.refused(stack, { "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 1 }), "refarch:auroraPostgres": "{}" });
        expect(message).to.include(
            "refarch:network.numberOfAvailabilityZones: 1 must be at least 2 with refarch:auroraPostgres: an Aurora subnet group spans two or more availability zones. " +
                `Fix: in Pulumi.${stack}.yaml, under config: refarch:network: set numberOfAvailabilityZones: 2`,
        );
        // Two is enough.
        const two = await org.evaluateWith(stack, { "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 2 }), "refarch:auroraPostgres": "{}" });
        expect(two.error, two.error?.message).to.equal(undefined);
    });

    it("refuses bad settings, all at once", async () => {
        const message = await org.refused(stack, {
            ...NETWORK,
            "refarch:auroraPostgres": JSON.stringify({ instanceClass: "t4g.medium", instances: 0, engineVersion: 16.6, storage: 100 }),
        });
        expect(message).to.include("has 4 problems");
        expect(message).to.include(`refarch:auroraPostgres.storage: 100 is not a setting of refarch:auroraPostgres (valid: instanceClass, instances, engineVersion)`);
        expect(message).to.include(`refarch:auroraPostgres.instanceClass: "t4g.medium" is not an RDS instance class`);
        expect(message).to.include(`refarch:auroraPostgres.instances: 0 must be a whole number from 1 to 16`);
        expect(message).to.include(`refarch:auroraPostgres.engineVersion: 16.6 is not an Aurora PostgreSQL engine version (quote it`);
    });

    it("takes the largest settings it allows, and refuses anything around a valid value, each with the value to set", async () => {
        const largest = { instanceClass: "db.r7g.2xlarge", engineVersion: "16.6", instances: 16 };
        expect(single(succeeded(await withAurora(stack, largest)), "aws:rds/cluster:Cluster").inputs.engineVersion).to.equal("16.6");
        expect(single(succeeded(await withAurora(stack, { engineVersion: "17" })), "aws:rds/cluster:Cluster").inputs.engineVersion, "a major alone").to.equal("17");
        expect(await org.refused(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify({ engineVersion: "v16" }) })).to.include(`"v16" is not an Aurora PostgreSQL engine version`);
        const fix = `Fix: in Pulumi.${stack}.yaml, under config:`;
        expect(await org.refused(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify("on") })).to.include(
            `refarch:auroraPostgres: "on" must be { instanceClass?, instances?, engineVersion? } ({} takes the defaults). ${fix} set refarch:auroraPostgres: {}`,
        );
        const message = await org.refused(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify({ instanceClass: "xdb.t4g.medium", engineVersion: "16.6.1", instances: 17 }) });
        expect(message).to.include(`refarch:auroraPostgres.instanceClass: "xdb.t4g.medium" is not an RDS instance class. ${fix} refarch:auroraPostgres: set instanceClass: db.t4g.medium`);
        expect(message).to.include(`refarch:auroraPostgres.instances: 17 must be a whole number from 1 to 16. ${fix} refarch:auroraPostgres: set instances: 2`);
        expect(message).to.include(
            `refarch:auroraPostgres.engineVersion: "16.6.1" is not an Aurora PostgreSQL engine version (quote it; a major alone, e.g. "16", follows AWS's minor upgrades). ${fix} refarch:auroraPostgres: set engineVersion: "16"`,
        );
        expect(await org.refused(stack, { ...NETWORK, "refarch:auroraPostgres": JSON.stringify({ instanceClass: "db.t4g.medium.x" }) })).to.include(`"db.t4g.medium.x" is not an RDS instance class`);
    });
});
