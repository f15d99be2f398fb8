// The identity policies of root's people: what a team's group may assume, and what every user may do to their own credentials.
import { DEFAULT_MFA_MAX_AGE_SECONDS, MFA_PRESENT, PolicyDocument, recentMfa } from "./document";

/**
 * A team's policy in root: assume exactly these role ARNs (all or one chunk of the team's grants), and only with an MFA
 * sign-in less than `mfaMaxAgeSeconds` old (defaults to DEFAULT_MFA_MAX_AGE_SECONDS, one hour).
 */
export function assumeRolesPolicy(roleArns: string[], mfaMaxAgeSeconds: number = DEFAULT_MFA_MAX_AGE_SECONDS): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeGrantedRolesWithMfa",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: [...roleArns].sort(),
                Condition: recentMfa(mfaMaxAgeSeconds),
            },
        ],
    };
}

/** What a user signed in without MFA may still do, on their own user only: enrol an MFA device (from the console: DenyMfaEnrolmentWithAccessKeys) and change their password. */
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
 * The actions that add an MFA device to a user: only from a console sign-in or an MFA session, never from access keys.
 * (sts:GetSessionToken cannot be limited by policy, and its session without MFA may call no IAM API, so it adds none:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html)
 */
export const MFA_DEVICE_ADDING_ACTIONS = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"];

/**
 * Every root user's own-credentials policy, after AWS's example (which allows a device of any name) but closed to a
 * stolen access key: a virtual device only named after the user (`mfa/<user name>`, so no one squats another's name;
 * the console asks for the name), enabled only on the signed-in user; deactivating it needs MFA; no one deletes a device.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html ("type a Device name")
 */
export function selfServicePolicy(partition: string, rootAccountId: string): PolicyDocument {
    const self = `arn:${partition}:iam::${rootAccountId}:user/\${aws:username}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ViewAccountPasswordPolicyAndMfaDevices", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
            { Sid: "ManageOwnPassword", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser", "iam:GetLoginProfile", "iam:UpdateLoginProfile"], Resource: self },
            { Sid: "ManageOwnAccessKeys", Effect: "Allow", Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:GetAccessKeyLastUsed"], Resource: self },
            { Sid: "CreateVirtualMfaDeviceNamedAfterSelf", Effect: "Allow", Action: "iam:CreateVirtualMFADevice", Resource: `arn:${partition}:iam::${rootAccountId}:mfa/\${aws:username}` },
            { Sid: "EnrolOwnMfaDevice", Effect: "Allow", Action: ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], Resource: self },
            { Sid: "DeactivateOwnMfaOnlyWithMfa", Effect: "Allow", Action: "iam:DeactivateMFADevice", Resource: self, Condition: MFA_PRESENT },
            // Long-term access keys carry no aws:MultiFactorAuthPresent, a console session without MFA carries false: a
            // stolen key cannot add the thief's device (and then GetSessionToken with it), a console user still enrols.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
            {
                Sid: "DenyMfaEnrolmentWithAccessKeys",
                Effect: "Deny",
                Action: MFA_DEVICE_ADDING_ACTIONS,
                Resource: "*",
                Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } },
            },
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
