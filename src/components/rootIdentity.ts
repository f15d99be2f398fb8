// Only in the root account: the IAM users, one group per team, and what the groups may do. A team's
// group may assume exactly the role ARNs the team is granted, with MFA; every user may manage their own
// password, MFA device and access keys, and without MFA can do nothing else. A team's grants live in
// managed policies, split so that none passes IAM's size limit however many accounts the team reaches.
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
    /** user -> teams. */
    users: Record<string, string[]>;
}

export class RootIdentity extends pulumi.ComponentResource {
    /** user -> user ARN. */
    readonly userArns: pulumi.Output<Record<string, string>>;
    /** team -> group name. */
    readonly groupNames: pulumi.Output<Record<string, string>>;

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
                        policy: pulumi.all(chunk.map((g) => g.arn)).apply((arns) => JSON.stringify(assumeRolesPolicy(arns))),
                    },
                    { parent: this },
                );
                new aws.iam.GroupPolicyAttachment(`${name}-${team}-${key}`, { group: group.name, policyArn: policy.arn }, { parent: this });
            }
            groups[team] = group;
        }

        const userArns: Record<string, pulumi.Output<string>> = {};
        for (const [userName, teams] of Object.entries(args.users)) {
            const user = new aws.iam.User(`${name}-user-${userName}`, { name: userName, forceDestroy: false }, { parent: this });
            new aws.iam.UserGroupMembership(`${name}-user-${userName}-teams`, { user: user.name, groups: teams.map((t) => groups[t].name) }, { parent: this });
            userArns[userName] = user.arn;
        }

        this.userArns = pulumi.output(userArns);
        this.groupNames = pulumi.output(Object.fromEntries(Object.entries(groups).map(([team, g]) => [team, g.name])));
        this.registerOutputs({ userArns: this.userArns, groupNames: this.groupNames });
    }
}
