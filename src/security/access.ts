// Who can assume what, read from the policies the program produced on both sides of each trust: a root
// user reaches a role when a group they belong to may sts:AssumeRole its ARN and the role's trust policy
// admits the root account. Used by the tests and by the offline plan's access matrix.
import type { RecordedResource, StackEvaluation } from "../offline/engine";
import type { PolicyDocument, Statement } from "../policies";

export interface AccessEntry {
    user: string;
    stage: string;
    role: string;
    roleArn: string;
    /** True when both the group policy and the trust policy require MFA. */
    mfaRequired: boolean;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const document = (r: RecordedResource, field: string): PolicyDocument => JSON.parse(String(r.inputs[field])) as PolicyDocument;
const needsMfa = (s: Statement): boolean => s.Condition?.Bool?.["aws:MultiFactorAuthPresent"] === "true";

export function accessMatrix(evaluations: StackEvaluation[]): AccessEntry[] {
    const root = evaluations.find((e) => e.stage === "root" && !e.error);
    if (!root) return [];
    const rootAccount = String(root.outputs.accountId);
    const roles = evaluations.flatMap((e) =>
        e.resources
            .filter((r) => r.type === "aws:iam/role:Role")
            .map((r) => ({ stage: e.stage, name: String(r.inputs.name), arn: String(r.state.arn), trust: document(r, "assumeRolePolicy"), roleKey: roleKeyOf(e, String(r.state.arn)) })),
    );
    const entries: AccessEntry[] = [];
    for (const membership of root.resources.filter((r) => r.type === "aws:iam/userGroupMembership:UserGroupMembership")) {
        const user = String(membership.inputs.user);
        const groups = asList(membership.inputs.groups as string[]);
        const grants = root.resources
            .filter((r) => r.type === "aws:iam/groupPolicy:GroupPolicy" && groups.includes(String(r.inputs.group)))
            .flatMap((r) => document(r, "policy").Statement)
            .filter((s) => s.Effect === "Allow" && asList(s.Action).includes("sts:AssumeRole"));
        for (const role of roles) {
            const grant = grants.find((s) => asList(s.Resource).includes(role.arn));
            const trust = role.trust.Statement.find((s) => s.Effect === "Allow" && s.Principal !== "*" && asList(s.Principal?.AWS).includes(`arn:aws:iam::${rootAccount}:root`));
            if (grant && trust && !entries.some((e) => e.user === user && e.roleArn === role.arn)) {
                entries.push({ user, stage: role.stage, role: role.roleKey, roleArn: role.arn, mfaRequired: needsMfa(grant) && needsMfa(trust) });
            }
        }
    }
    return entries;
}

/** The config name of a role (`admin`), from the stack's `roles` output. */
function roleKeyOf(evaluation: StackEvaluation, arn: string): string {
    const roles = (evaluation.outputs.roles ?? {}) as Record<string, string>;
    return Object.keys(roles).find((k) => roles[k] === arn) ?? arn.slice(arn.lastIndexOf("/") + 1);
}
