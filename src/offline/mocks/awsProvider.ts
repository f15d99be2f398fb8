// What the AWS provider reports of its own credentials and region (aws:index invokes).
import type { InvokeMock } from "./context";

export const awsProviderInvokes: Record<string, InvokeMock> = {
    "aws:index/getCallerIdentity:getCallerIdentity": ({ partition, callerAccount }) => ({
        accountId: callerAccount,
        arn: `arn:${partition}:sts::${callerAccount}:assumed-role/deployer/pulumi`,
        userId: "AROAEXAMPLE:pulumi",
        id: callerAccount,
    }),
    "aws:index/getRegion:getRegion": ({ region }) => ({ name: region, region: region, id: region, endpoint: `ec2.${region}.amazonaws.com` }),
    "aws:index/getPartition:getPartition": ({ partition }) => ({ partition, dnsSuffix: "amazonaws.com", id: partition }),
};
