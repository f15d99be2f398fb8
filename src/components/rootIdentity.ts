// Only in the root account: the IAM users and one group per team, which may assume exactly the roles the team is
// granted, with MFA. A person's own resources are never protected, so offboarding is one edit and one `pulumi up`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolesPolicy, chunkGrants, groupName, selfServicePolicy } from "../policies";

/** One role a team may assume: `key` (`<stage>-<role>`) names it stably, `predictedArn` sizes the policies before the real ARN is known. */
export interface RoleGrant {
    key: string;
    predictedArn: string;
    arn: pulumi.Input<string>;
}

export interface RootIdentityArgs {
    partition: string;
    rootAccountId: string;
    /** `<namespace>-root`: groups are `<namePrefix>-<team>`. */
    namePrefix: string;
    /** team -> the roles it may assume. */
    teamGrants: Record<string, RoleGrant[]>;
    /** user -> teams, and for a console user the PGP key their initial password is encrypted to. */
    users: Record<string, { teams: string[]; console?: { pgpKey: string } }>;
    /** How recent, in seconds, a member's MFA sign-in must be to assume a granted role. Defaults to 3600. */
    mfaMaxAgeSeconds?: number;
}

/** What a new console user is sent: their initial password, encrypted to their PGP key. */
export interface InitialPassword {
    /** Base64 of the PGP message: `base64 -d | gpg --decrypt` (or `keybase pgp decrypt`) reveals the password. */
    encryptedPassword: string;
    /** The fingerprint of the key it is encrypted to, so the user can tell which key to use. */
    keyFingerprint: string;
}

export class RootIdentity extends pulumi.ComponentResource {
    /** user -> user ARN. */
    readonly userArns: pulumi.Output<Record<string, string>>;
    /** team -> group name. */
    readonly groupNames: pulumi.Output<Record<string, string>>;
    /** console user -> their initial password, encrypted to their PGP key. */
    readonly initialPasswords: pulumi.Output<Record<string, InitialPassword>>;

    constructor(name: string, args: RootIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:iam:RootIdentity", name, {}, opts);
        const selfService = new aws.iam.Policy(
            `${name}-self-service`,
            {
                name: `${args.namePrefix}-self-service`,
                description: "Users manage their own password, MFA device and access keys; nothing else without MFA",
                policy: JSON.stringify(selfServicePolicy(args.partition, args.rootAccountId)),
            },
            { parent: this },
        );

        const groups: Record<string, aws.iam.Group> = {};
        for (const [team, grants] of Object.entries(args.teamGrants)) {
            const group = new aws.iam.Group(`${name}-${team}`, { name: groupName(args.namePrefix, team) }, { parent: this });
            new aws.iam.GroupPolicyAttachment(`${name}-${team}-self-service`, { group: group.name, policyArn: selfService.arn }, { parent: this });
            for (const [index, chunk] of chunkGrants(grants).entries()) {
                // A team whose grants fit one policy (nearly every team) keeps one stable name however its grants change;
                // overflow policies are named after their first grant.
                const key = index === 0 ? "assume-roles" : `assume-${chunk[0].key}`;
                const policy = new aws.iam.Policy(
                    `${name}-${team}-${key}`,
                    {
                        name: `${groupName(args.namePrefix, team)}-${key}`,
                        description: `Team ${team} assumes its granted roles, with MFA; managed by refarch`,
                        policy: pulumi.all(chunk.map((g) => g.arn)).apply((arns) => JSON.stringify(assumeRolesPolicy(arns, args.mfaMaxAgeSeconds))),
                    },
                    { parent: this },
                );
                new aws.iam.GroupPolicyAttachment(`${name}-${team}-${key}`, { group: group.name, policyArn: policy.arn }, { parent: this });
            }
            groups[team] = group;
        }

        const userArns: Record<string, pulumi.Output<string>> = {};
        const initialPasswords: Record<string, pulumi.Output<InitialPassword>> = {};
        // Not protected whatever the stack's setting: offboarding is removing the user from config.
        const personal = { parent: this, protect: false };
        for (const [userName, { teams, console: consoleAccess }] of Object.entries(args.users)) {
            const user = new aws.iam.User(`${name}-user-${userName}`, { name: userName, forceDestroy: true }, personal);
            new aws.iam.UserGroupMembership(`${name}-user-${userName}-teams`, { user: user.name, groups: teams.map((t) => groups[t].name) }, personal);
            if (consoleAccess) {
                // The provider generates the password, creates the profile with it and keeps it only encrypted to
                // pgpKey; its plaintext `password` output is set only without a key (terraform-provider-aws
                // internal/service/iam/user_login_profile.go). Every input forces a new profile, which is how a
                // password is reset; IAM allows one profile per user, so the old one goes first.
                const profile = new aws.iam.UserLoginProfile(
                    `${name}-user-${userName}-console`,
                    { user: user.name, pgpKey: consoleAccess.pgpKey, passwordResetRequired: true },
                    { ...personal, deleteBeforeReplace: true },
                );
                initialPasswords[userName] = pulumi.all([profile.encryptedPassword, profile.keyFingerprint]).apply(([encryptedPassword, keyFingerprint]) => ({ encryptedPassword, keyFingerprint }));
            }
            userArns[userName] = user.arn;
        }

        this.userArns = pulumi.output(userArns);
        this.groupNames = pulumi.output(Object.fromEntries(Object.entries(groups).map(([team, g]) => [team, g.name])));
        this.initialPasswords = pulumi.output(initialPasswords);
        this.registerOutputs({ userArns: this.userArns, groupNames: this.groupNames, initialPasswords: this.initialPasswords });
    }
}
