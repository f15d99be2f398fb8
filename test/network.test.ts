// refarch:network gives a stage a VPC from awsx; off unless the stack's config sets it. Under mocks the
// awsx Vpc (an out-of-process component) is one resource: these tests check what the program passes it
// and that the stack exports the ids it returns.
import { expect } from "chai";
import { meeting, NEEDS, ofType, org as underTest, PROD, required, single } from "./harness";

// The organization under test, or a variant of it with prod and a plain workload stage to compare.
const org = meeting([NEEDS.prod, NEEDS.plainWorkload], underTest);

const VPC = "awsx:ec2:Vpc";
const on = (network: unknown) => ({ "refarch:network": JSON.stringify(network) });
const stack = org.trialStack;

describe("network", () => {
    it("is on exactly in the stacks whose config sets refarch:network", async () => {
        for (const s of org.stacks) {
            const evaluation = await org.evaluation(s);
            const network = org.value(s, "refarch:network");
            expect(ofType(evaluation, VPC), s).to.have.length(network ? 1 : 0);
            expect(evaluation.outputs.network !== undefined, s).to.equal(network !== undefined);
        }
    });

    it("builds the VPC from the stack's settings, with one NAT gateway outside prod", async function () {
        required(org.stageOf(stack) !== PROD, "no stage but prod");
        const evaluation = await org.evaluateWith(stack, on({ cidrBlock: "10.20.0.0/16" }));
        expect(evaluation.error).to.equal(undefined);
        const vpc = single(evaluation, VPC);
        expect(vpc.parent).to.equal(single(evaluation, "refarch:network:Network").urn);
        expect(vpc.inputs).to.deep.equal({
            cidrBlock: "10.20.0.0/16",
            numberOfAvailabilityZones: 3,
            natGateways: { strategy: "Single" },
            subnetStrategy: "Auto",
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: org.namePrefix(stack) },
        });
    });

    it("exports the VPC id and the subnet ids the VPC returns", async () => {
        const evaluation = await org.evaluateWith(stack, on({ cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 2 }));
        const vpc = single(evaluation, VPC).state;
        expect(vpc.privateSubnetIds).to.have.length(2);
        expect(evaluation.outputs.network).to.deep.equal({
            vpcId: vpc.vpcId,
            cidrBlock: "10.20.0.0/16",
            publicSubnetIds: vpc.publicSubnetIds,
            privateSubnetIds: vpc.privateSubnetIds,
        });
        expect(vpc.vpcId).to.match(/^vpc-[0-9a-f]{17}$/);
    });

    it("gives prod a NAT gateway per availability zone", async function () {
        const prod = required(org.has(PROD) && PROD, "no prod stage");
        const vpc = single(await org.evaluateWith(prod, on({ cidrBlock: "10.0.0.0/16" })), VPC);
        expect(vpc.inputs.natGateways).to.deep.equal({ strategy: "OnePerAz" });
        expect(vpc.protect).to.equal(org.isProtected(prod));
    });

    it("takes an explicit NAT strategy in any stage", async () => {
        for (const s of [org.trialStack, ...org.stacks.filter((s) => org.stageOf(s) === PROD)]) {
            const evaluation = await org.evaluateWith(s, on({ cidrBlock: "10.9.0.0/20", natGateways: { strategy: "None" } }));
            expect(single(evaluation, VPC).inputs.natGateways, s).to.deep.equal({ strategy: "None" });
        }
    });

    // The fix is the block of the address written (its network address, at the nearest size a VPC may have); only
    // a value with no IPv4 address in it gets an example block.
    for (const [cidrBlock, why, fix] of [
        ["10.30.0.0/8", "must be a /16 to /24", "10.30.0.0/16"],
        ["10.30.5.77/28", "must be a /16 to /24", "10.30.5.0/24"],
        ["10.30.1.0/16", "has host bits set: the block starting there is 10.30.0.0/16", "10.30.0.0/16"],
        ["10.0.0.256/16", "is not an IPv4 CIDR block", "10.0.0.0/16"],
        ["10.30.0.0", "is not an IPv4 CIDR block (no /prefix)", "10.30.0.0/16"],
        ["fd00::/56", "is not an IPv4 CIDR block", "10.0.0.0/16"],
    ]) {
        it(`refuses the CIDR block ${cidrBlock}, with ${fix} as the fix`, async () => {
            const message = await org.refused(stack, on({ cidrBlock }));
            expect(message).to.include(`refarch:network.cidrBlock: "${cidrBlock}" ${why}`);
            expect(message).to.include(`Fix: in Pulumi.${stack}.yaml, under config: refarch:network: set cidrBlock: ${fix}`);
        });
    }

    it("takes a /24, the smallest VPC it allows", async () => {
        expect(single(await org.evaluateWith(stack, on({ cidrBlock: "10.0.0.0/24" })), VPC).inputs.cidrBlock).to.equal("10.0.0.0/24");
    });

    it("refuses refarch:network, natGateways and a strategy of the wrong shape, each with the shape to write", async () => {
        const fix = `Fix: in Pulumi.${stack}.yaml, under config:`;
        expect(await org.refused(stack, on("10.0.0.0/16"))).to.include(
            `refarch:network: "10.0.0.0/16" must be { cidrBlock, numberOfAvailabilityZones?, natGateways? }. ${fix} set refarch:network: { cidrBlock: 10.0.0.0/16 }`,
        );
        expect(await org.refused(stack, on({ cidrBlock: "10.0.0.0/16", natGateways: "Single" }))).to.include(
            `refarch:network.natGateways: "Single" must be { strategy: None | Single | OnePerAz }. ${fix} refarch:network: set natGateways: { strategy: Single }`,
        );
        expect(await org.refused(stack, on({ cidrBlock: "10.0.0.0/16", natGateways: { strategy: 5 } }))).to.include(
            `refarch:network.natGateways.strategy: 5 must be one of None, Single, OnePerAz. ${fix} refarch:network: natGateways: set strategy: Single`,
        );
    });

    it("refuses a missing CIDR block, an unknown setting, a bad AZ count and a bad NAT strategy, all at once", async () => {
        const message = await org.refused(stack, on({ cidr: "10.0.0.0/16", numberOfAvailabilityZones: 0, natGateways: { strategy: "single" } }));
        expect(message).to.include("has 4 problems");
        expect(message).to.include(`refarch:network.cidr: "10.0.0.0/16" is not a setting of refarch:network (valid: cidrBlock, numberOfAvailabilityZones, natGateways)`);
        expect(message).to.include(`refarch:network.cidrBlock: (not set) is not an IPv4 CIDR block`);
        expect(message).to.include(`refarch:network.numberOfAvailabilityZones: 0 must be a whole number from 1 to 6`);
        expect(message).to.include(`refarch:network.natGateways.strategy: "single" must be one of None, Single, OnePerAz; did you mean "Single"?`);
    });
});
