// EC2 and the VPC as the mocks answer for them: EC2-style ids (`sg-` and 17 hex digits), stable per resource.
import type { ResourceMock } from "./context";

export const ec2Resources: Record<string, ResourceMock> = {
    "aws:ebs/encryptionByDefault:EncryptionByDefault": (inputs, r) => ({ id: r.region, state: inputs }),
    // awsx v3 components run out of process: under mocks a Vpc is one resource, so its outputs are made here.
    "awsx:ec2:Vpc": (inputs, r) => {
        const zones = Number(inputs.numberOfAvailabilityZones ?? 3);
        const subnets = (kind: string) => Array.from({ length: zones }, (_, i) => r.ec2Id("subnet", `${kind}-${i}`));
        const natCount = { None: 0, Single: 1, OnePerAz: zones }[String(inputs.natGateways?.strategy ?? "OnePerAz")] ?? zones;
        return {
            id: "",
            state: {
                vpcId: r.ec2Id("vpc"),
                publicSubnetIds: subnets("public"),
                privateSubnetIds: subnets("private"),
                isolatedSubnetIds: [],
                natGateways: Array.from({ length: natCount }, (_, i) => ({ id: r.ec2Id("nat", String(i)) })),
            },
        };
    },
    "aws:ec2/securityGroup:SecurityGroup": (inputs, r) => {
        const id = r.ec2Id("sg");
        return { id, state: { ...inputs, arn: r.arn("ec2", `security-group/${id}`), ownerId: r.accountId } };
    },
};
