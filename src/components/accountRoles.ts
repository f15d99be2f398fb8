// Every account, root included: the assumable roles of `refarch:roles`, named `<namespace>-<stage>-<role>`,
// trusted only by the root account (with MFA where required). Root's team groups assume exactly these.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RoleSpec } from "../config/organization";
import { PolicyDocument, policyName, roleName, roleTrustPolicy } from "../policies";

export interface AccountRolesArgs {
    partition: string;
    /** The only account whose principals may assume these roles. */
    rootAccountId: string;
    /** `<namespace>-<stage>`: role names are `<namePrefix>-<role>`. */
    namePrefix: string;
    roles: Record<string, RoleSpec>;
    /** How recent, in seconds, the MFA sign-in of a role requiring it must be. Defaults to 3600. */
    mfaMaxAgeSeconds?: number;
    /** A review stack's roles carry testing's review boundary, without which its review role may not create them. Defaults to none. */
    permissionsBoundary?: string;
    /**
     * Explicit denies put inline on every role, as `<namePrefix>-denies` (root's: rootRolesDenyPolicy). Inline, not managed:
     * it lives and dies with its role, takes none of the role's 10 managed-policy slots, and changes only through
     * Put/DeleteRolePolicy on that role, which it can deny itself. Defaults to none.
     */
    denyPolicy?: PolicyDocument;
}

export class AccountRoles extends pulumi.ComponentResource {
    /** role name in config -> role ARN. */
    readonly arns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: AccountRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:iam:AccountRoles", name, {}, opts);
        const arns: Record<string, pulumi.Output<string>> = {};
        for (const [role, spec] of Object.entries(args.roles)) {
            const created = new aws.iam.Role(
                `${name}-${role}`,
                {
                    name: roleName(args.namePrefix, role),
                    description: `Assumed from the root account${spec.requireMfa ? " with MFA" : ""}; managed by refarch`,
                    assumeRolePolicy: JSON.stringify(roleTrustPolicy(args.partition, args.rootAccountId, spec.requireMfa, args.mfaMaxAgeSeconds)),
                    maxSessionDuration: spec.maxSessionDuration,
                    permissionsBoundary: args.permissionsBoundary,
                },
                { parent: this },
            );
            for (const policyArn of spec.policyArns) {
                new aws.iam.RolePolicyAttachment(`${name}-${role}-${policyName(policyArn)}`, { role: created.name, policyArn }, { parent: this });
            }
            if (args.denyPolicy) {
                new aws.iam.RolePolicy(`${name}-${role}-denies`, { role: created.name, name: `${args.namePrefix}-denies`, policy: JSON.stringify(args.denyPolicy) }, { parent: this });
            }
            arns[role] = created.arn;
        }
        this.arns = pulumi.output(arns);
        this.registerOutputs({ arns: this.arns });
    }
}
