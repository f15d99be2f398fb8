import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stackOf } from "./support";

const USER_TYPES = ["aws:iam/user:User", "aws:iam/userLoginProfile:UserLoginProfile", "aws:iam/accessKey:AccessKey"];

export const iamUsersOnlyInRoot: ResourceValidationPolicy = {
    name: "iam-users-only-in-root",
    description: "IAM users (and their passwords and keys) exist only in the root stage: every other account is entered by assuming a role from root.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { rootStacks: { type: "array", items: { type: "string" }, default: ["root"] } } },
    validateResource: (args, reportViolation) => {
        if (!USER_TYPES.includes(args.type)) return;
        const { rootStacks } = args.getConfig<{ rootStacks: string[] }>();
        const stack = stackOf(args.urn);
        if (!rootStacks.includes(stack)) {
            reportViolation(`${args.type} ${args.name} in stack "${stack}": IAM users belong only in ${rootStacks.join(", ")}. Grant a root team a role in this account instead.`);
        }
    },
};
