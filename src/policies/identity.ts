// The identity policies of root's people: what a team's group may assume, and what every user may do to their own credentials.
import { MFA_PRESENT, PolicyDocument } from "./document";

/** A team's policy in root: assume exactly these role ARNs (all or one chunk of the team's grants), and only with MFA. */
export function assumeRolesPolicy(roleArns: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeGrantedRolesWithMfa",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: [...roleArns].sort(),
                Condition: MFA_PRESENT,
            },
        ],
    };
}

/** What a user signed in without MFA may still do, on their own user only: enrol an MFA device and change their password. */
export const MFA_ENROLMENT_ACTIONS = [
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "iam:ChangePassword",
    "iam:GetUser",
    "iam:GetAccountPasswordPolicy",
    "sts:GetSessionToken",
];

/**
 * Every root user's own-credentials policy, after AWS's example: a device of any name (the console asks for one),
 * enabled only on the signed-in user; deactivating it needs MFA; no one deletes a device, whose ARN names no owner.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html
 */
export function selfServicePolicy(partition: string, rootAccountId: string): PolicyDocument {
    const self = `arn:${partition}:iam::${rootAccountId}:user/\${aws:username}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ViewAccountPasswordPolicyAndMfaDevices", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
            { Sid: "ManageOwnPassword", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser", "iam:GetLoginProfile", "iam:UpdateLoginProfile"], Resource: self },
            { Sid: "ManageOwnAccessKeys", Effect: "Allow", Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:GetAccessKeyLastUsed"], Resource: self },
            { Sid: "CreateVirtualMfaDeviceOfAnyName", Effect: "Allow", Action: "iam:CreateVirtualMFADevice", Resource: `arn:${partition}:iam::${rootAccountId}:mfa/*` },
            { Sid: "EnrolOwnMfaDevice", Effect: "Allow", Action: ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], Resource: self },
            { Sid: "DeactivateOwnMfaOnlyWithMfa", Effect: "Allow", Action: "iam:DeactivateMFADevice", Resource: self, Condition: MFA_PRESENT },
            {
                Sid: "DenyAllExceptMfaSetupWithoutMfa",
                Effect: "Deny",
                NotAction: MFA_ENROLMENT_ACTIONS,
                Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
        ],
    };
}
