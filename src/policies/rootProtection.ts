// Root's (the management account's) human roles: SCPs never bind the management account
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html), so the guardrails that hold a
// member account's admins cannot hold root's. An explicit deny in each human role's own inline policy holds them instead; the
// deployer, which has no such policy, still deploys root and org. The management account stays the trust anchor: docs/security.md.
import { PolicyDocument } from "./document";
import { organizationTrailArnPattern } from "./logSink";
import { roleArn, trailArnPattern } from "./names";
import { GITHUB_OIDC_ISSUER, oidcProviderArn, PULUMI_OIDC_ISSUER } from "./oidc";
import { GUARDED_ACTIONS, ROLE_CHANGING_ACTIONS } from "./serviceControlPolicies";

/**
 * Organizations and CloudTrail actions that would weaken the member accounts' guardrails or the organization trail: detach,
 * change or delete an SCP; switch SCPs off; end CloudTrail's trusted access (the organization trail's); take an account out
 * of the organization (and out of its SCPs) or close it (and its logs with it); and hand the management account's policy or
 * trail powers to a member account, whose own deployer the SCPs exempt. Names from the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html (delegation by resource policy),
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_RegisterOrganizationDelegatedAdmin.html
 */
export const GUARDRAIL_WEAKENING_ACTIONS = [
    "organizations:DetachPolicy",
    "organizations:UpdatePolicy",
    "organizations:DeletePolicy",
    "organizations:DisablePolicyType",
    "organizations:DisableAWSServiceAccess",
    "organizations:RemoveAccountFromOrganization",
    "organizations:CloseAccount",
    "organizations:PutResourcePolicy",
    "organizations:RegisterDelegatedAdministrator",
    "cloudtrail:RegisterOrganizationDelegatedAdmin",
];

export interface RootScope {
    partition: string;
    namespace: string;
    /** Root's stage name (`root`): its roles are `<namespace>-<stage>-*`, its own trail `<namespace>-<stage>-cloudtrail`. */
    stage: string;
    /** The management account's id. */
    accountId: string;
}

/**
 * The explicit denies put inline on each of root's human roles (refarch:roles in root). The trails are both names root's
 * account can hold, the organization trail and root's own: whichever the plan has, and both while a live organization
 * switches from one to the other (README). The roles are `<namespace>-<stage>-*`: the deployer, the previewer and the
 * human roles themselves, so no one removes this policy, rewrites a trust or re-creates a role without it. Constant in
 * size whatever the number of roles.
 */
export function rootRolesDenyPolicy({ partition, namespace, stage, accountId }: RootScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyTrailTamper",
                Effect: "Deny",
                Action: GUARDED_ACTIONS.trail,
                Resource: [organizationTrailArnPattern(partition, namespace, accountId), trailArnPattern(partition, namespace, stage, accountId)],
            },
            // Most of these actions take no resource ARN but the policy's or the account's, and none is a person's work here: the org and root stacks own them.
            { Sid: "DenyGuardrailWeakening", Effect: "Deny", Action: GUARDRAIL_WEAKENING_ACTIONS, Resource: "*" },
            { Sid: "ProtectRootRoles", Effect: "Deny", Action: ROLE_CHANGING_ACTIONS, Resource: roleArn(partition, accountId, `${namespace}-${stage}-*`) },
            {
                Sid: "ProtectOidcProviders",
                Effect: "Deny",
                Action: GUARDED_ACTIONS.oidcProvider,
                Resource: [GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER].map((issuer) => oidcProviderArn(partition, accountId, issuer)),
            },
        ],
    };
}
