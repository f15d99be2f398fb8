// The Network component alone: its defaults, applied by itself, and what it registers.
import { expect } from "chai";
import { DEFAULT_AVAILABILITY_ZONES, Network } from "../src/components/network";
import { buildAlone, only } from "./componentHarness";

const VPC = "awsx:ec2:Vpc";
const CIDR = "10.42.0.0/16";

describe("Network component, built alone", () => {
    it(`defaults to ${DEFAULT_AVAILABILITY_ZONES} availability zones and a single NAT gateway`, async () => {
        const evaluation = await buildAlone(() => void new Network("net", { vpcName: "acme-dev", cidrBlock: CIDR }));
        expect(evaluation.error).to.equal(undefined);
        expect(only(evaluation, VPC).inputs).to.deep.include({ cidrBlock: CIDR, numberOfAvailabilityZones: DEFAULT_AVAILABILITY_ZONES, natGateways: { strategy: "Single" }, tags: { Name: "acme-dev" } });
    });

    it("with highAvailability, defaults to a NAT gateway per availability zone; a strategy given wins either way", async () => {
        const ha = await buildAlone(() => void new Network("net", { vpcName: "acme-prod", cidrBlock: CIDR, highAvailability: true }));
        expect(only(ha, VPC).inputs.natGateways).to.deep.equal({ strategy: "OnePerAz" });
        const given = await buildAlone(() => void new Network("net", { vpcName: "acme-prod", cidrBlock: CIDR, numberOfAvailabilityZones: 2, natGateways: { strategy: "None" }, highAvailability: true }));
        expect(only(given, VPC).inputs).to.deep.include({ numberOfAvailabilityZones: 2, natGateways: { strategy: "None" } });
    });

    it("registers every public output: the VPC, its range and both subnet lists, each as the VPC holds it", async () => {
        const evaluation = await buildAlone(() => void new Network("net", { vpcName: "acme-dev", cidrBlock: CIDR, numberOfAvailabilityZones: 2 }));
        const component = only(evaluation, "refarch:network:Network");
        const vpc = only(evaluation, VPC);
        expect(Object.keys(component.outputs)).to.have.members(["vpcId", "cidrBlock", "publicSubnetIds", "privateSubnetIds"]);
        expect(component.outputs.cidrBlock).to.equal(CIDR);
        expect(component.outputs.vpcId).to.equal(vpc.state.vpcId);
        expect(component.outputs.privateSubnetIds).to.deep.equal(vpc.state.privateSubnetIds).and.to.have.length(2);
        expect(component.outputs.publicSubnetIds).to.deep.equal(vpc.state.publicSubnetIds).and.to.have.length(2);
    });
});
