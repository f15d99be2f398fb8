import type { ResourceValidationPolicy } from "@pulumi/policy";

/**
 * An AWS account is never closed by a destroy: an organizations Account is protected and keeps
 * closeOnDeletion off, so deleting the resource at most removes it from state (the program also sets
 * retainOnDelete, which the analyzer protocol does not pass to packs; test/organization.test.ts checks it).
 */
export const accountsNeverClosed: ResourceValidationPolicy = {
    name: "accounts-never-closed",
    description: "An AWS account the organization created is protected and has closeOnDeletion off, so no destroy closes it.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:organizations/account:Account") return;
        const account = String(args.props.name ?? args.name);
        if (args.opts.protect !== true) reportViolation(`Account ${account} is not protected: a destroy would try to remove it from the organization.`);
        if (args.props.closeOnDeletion === true) reportViolation(`Account ${account} has closeOnDeletion: true: deleting the resource would close the AWS account.`);
    },
};
