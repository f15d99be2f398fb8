import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stackOf } from "./support";

export const protectedStagesProtect: ResourceValidationPolicy = {
    name: "protected-stages-protect-resources",
    description: "In the protected stages (org, root, prod, audit by default) every resource is protected, so no `pulumi destroy` or replacement deletes it without a deliberate unprotect.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { protectedStacks: { type: "array", items: { type: "string" }, default: ["org", "root", "prod", "audit"] } } },
    validateResource: (args, reportViolation) => {
        if (args.type.startsWith("pulumi:")) return;
        const { protectedStacks } = args.getConfig<{ protectedStacks: string[] }>();
        const stack = stackOf(args.urn);
        if (protectedStacks.includes(stack) && args.opts.protect !== true) {
            reportViolation(`${args.type} ${args.name} in protected stack "${stack}" is not protected: create it with the stage's componentOptions (protect: true).`);
        }
    },
};
