// Root's IAM users in the organization under test, as the MFA proofs ask about them: their ARNs, the policies the
// plan gives them, and AWS's decision on an IAM call one of them makes in root.
import { DEFAULT_MFA_MAX_AGE_SECONDS, PolicyDocument } from "../../src/policies";
import { rootUserPolicies } from "../../src/security/access";
import { decide, Decision } from "../../src/security/simulator";
import { org, Organization, ROOT } from "./organization";

export const rootAccount = org.accountOf(ROOT);
export const partition = org.partitionOf(ROOT);
export const users = Object.keys(org.users);
export const userArn = (user: string) => `arn:${partition}:iam::${rootAccount}:user/${user}`;
export const mfaArn = (device: string) => `arn:${partition}:iam::${rootAccount}:mfa/${device}`;

/** The MFA age limit an organization sets project-wide (refarch:mfaMaxAgeSeconds), or the program's default. */
export const mfaMaxAgeOf = (o: Organization = org): number => o.value<number>(ROOT, "refarch:mfaMaxAgeSeconds") ?? DEFAULT_MFA_MAX_AGE_SECONDS;

/** A console sign-in without MFA: the session is temporary, so the key is present, and false. */
export const CONSOLE_WITHOUT_MFA = { "aws:MultiFactorAuthPresent": "false" };
/** What a team could grant at most: everything. Only an explicit deny still holds against it. */
export const EVERYTHING: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** The identity policies the plan gives `user` in root. */
export async function policiesOf(user: string): Promise<PolicyDocument[]> {
    const policies = rootUserPolicies(await org.evaluation(ROOT)).get(user);
    if (!policies) throw new Error(`root has no user ${user}`);
    return policies;
}

/** AWS's decision on `user` calling `action` on `resource` in root; `aws:username` is what AWS sets for an IAM user. */
export function iamRequest(user: string, policies: PolicyDocument[], action: string, resource: string, context: Record<string, string>): Promise<Decision> {
    return decide({ principal: userArn(user), action, resource, resourceAccount: rootAccount, context: { ...context, "aws:username": user }, identityPolicies: policies });
}
