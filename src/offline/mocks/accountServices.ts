// The account-wide services of the baseline and the trail: CloudTrail, IAM Access Analyzer and Budgets.
import type { ResourceMock } from "./context";

export const accountServiceResources: Record<string, ResourceMock> = {
    "aws:cloudtrail/trail:Trail": (inputs, r) => ({ id: inputs.name, state: { ...inputs, arn: r.arn("cloudtrail", `trail/${inputs.name}`), homeRegion: r.region } }),
    "aws:accessanalyzer/analyzer:Analyzer": (inputs, r) => ({ id: inputs.analyzerName, state: { ...inputs, arn: r.arn("access-analyzer", `analyzer/${inputs.analyzerName}`) } }),
    "aws:budgets/budget:Budget": (inputs, r) => ({
        id: `${r.accountId}:${inputs.name}`,
        state: { ...inputs, accountId: r.accountId, arn: `arn:${r.partition}:budgets::${r.accountId}:budget/${inputs.name}` },
    }),
};
