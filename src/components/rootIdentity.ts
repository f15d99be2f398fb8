// Only in the root account: the IAM users, one group per team, and what the groups may do. A team's
// group may assume exactly the role ARNs the team is granted, with MFA; every user may manage their own
// password, MFA device and access keys, and without MFA can do nothing else.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolesPolicy, groupName, selfServicePolicy } from "../policies";

export interface RootIdentityArgs {
    partition: string;
    rootAccountId: string;
    /** `<namespace>-root`: groups are `<namePrefix>-<team>`. */
    namePrefix: string;
    /** team -> the ARNs of the roles it may assume. */
    teamRoleArns: Record<string, pulumi.Input<string>[]>;
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
        for (const [team, roleArns] of Object.entries(args.teamRoleArns)) {
            const group = new aws.iam.Group(`${name}-${team}`, { name: groupName(args.namePrefix, team) }, { parent: this });
            new aws.iam.GroupPolicyAttachment(`${name}-${team}-self-service`, { group: group.name, policyArn: selfService.arn }, { parent: this });
            if (roleArns.length > 0) {
                new aws.iam.GroupPolicy(
                    `${name}-${team}-assume-roles`,
                    { group: group.name, name: "assume-granted-roles", policy: pulumi.all(roleArns).apply((arns) => JSON.stringify(assumeRolesPolicy(arns))) },
                    { parent: this },
                );
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
