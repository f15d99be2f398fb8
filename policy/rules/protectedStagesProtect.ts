import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stackOf } from "./support";

/**
 * A person's own resources in root: never protected and the user force-destroyed, so that removing someone
 * from refarch:users is one edit and one `pulumi up` (README: Offboarding).
 */
export const PERSONAL_RESOURCE_TYPES = ["aws:iam/user:User", "aws:iam/userGroupMembership:UserGroupMembership", "aws:iam/userLoginProfile:UserLoginProfile"];

export const protectedStagesProtect: ResourceValidationPolicy = {
    name: "protected-stages-protect-resources",
    description: "In the protected stages (org, root, prod, audit by default) every resource but a person's own (their IAM user, group memberships and login profile) is protected, so no `pulumi destroy` or replacement deletes it without a deliberate unprotect.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { protectedStacks: { type: "array", items: { type: "string" }, default: ["org", "root", "prod", "audit"] } } },
    validateResource: (args, reportViolation) => {
        if (args.type.startsWith("pulumi:") || PERSONAL_RESOURCE_TYPES.includes(args.type)) return;
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const stack = stackOf(args.urn);
        if (protectedStacks.includes(stack) && args.opts.protect !== true) {
            reportViolation(`${args.type} ${args.name} in protected stack "${stack}" is not protected: create it with the stage's componentOptions (protect: true).`);
        }
    },
};
