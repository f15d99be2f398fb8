// Who can assume what, decided by the IAM policy evaluator over a root user's group policies and each role's trust
// policy. The tests and the offline plan's access matrix share it, so the matrix printed is the matrix proved.
import type { RecordedResource, StackEvaluation } from "../offline/engine";
import { asList, FULL_AWS_ACCESS, PolicyDocument } from "../policies";
import { decide, Decision, isUnsimulated } from "./simulator";

export interface AccessEntry {
    user: string;
    stage: string;
    role: string;
    roleArn: string;
    /** True when the simulator denies the same request without MFA (MFA absent, or present as false). */
    mfaRequired: boolean;
}

/** A role as the evaluator sees it: where it lives and who it trusts. */
export interface SimulatedRole {
    stage: string;
    /** The role's name in refarch:roles (`admin`), or its IAM name for a role the config does not list. */
    role: string;
    arn: string;
    accountId: string;
    trust: PolicyDocument;
}

const document = (r: RecordedResource, field: string): PolicyDocument => JSON.parse(String(r.inputs[field])) as PolicyDocument;

/** The contexts of a request made without MFA: long-term keys carry no MFA key at all; a console session may say false. */
export const WITHOUT_MFA: Record<string, string>[] = [{}, { "aws:MultiFactorAuthPresent": "false" }];
/** A session that signed in with MFA just now: AWS sets aws:MultiFactorAuthAge, in seconds, beside it (roles require it recent). */
export const WITH_MFA: Record<string, string> = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0" };

/** Every IAM role the evaluated stacks created. */
export function rolesOf(evaluations: StackEvaluation[]): SimulatedRole[] {
    return evaluations
        .filter((e) => !e.error)
        .flatMap((e) =>
            e.resources
                .filter((r) => r.type === "aws:iam/role:Role")
                .map((r) => {
                    const arn = String(r.state.arn);
                    return { stage: e.stage, role: roleKeyOf(e, arn), arn, accountId: arn.split(":")[4], trust: document(r, "assumeRolePolicy") };
                }),
        );
}

/**
 * A role's policies in the plan: its customer managed policies as written, every AWS managed one as FULL_AWS_ACCESS (the
 * simulator cannot read them; the widest grant, so a denial proved with it holds for any), its inline policies apart
 * (`inline`, and within `identity`), and its permissions boundary if it has one.
 */
export function rolePolicies(evaluation: StackEvaluation, roleName: string): { identity: PolicyDocument[]; inline: PolicyDocument[]; boundary?: PolicyDocument[] } {
    const ofType = (type: string) => evaluation.resources.filter((r) => r.type === type);
    const managed = new Map(ofType("aws:iam/policy:Policy").map((p) => [String(p.state.arn), document(p, "policy")]));
    const attached = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === roleName)
        .map((a) => managed.get(String(a.inputs.policyArn)) ?? FULL_AWS_ACCESS);
    const inline = ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === roleName)
        .map((p) => document(p, "policy"));
    const boundaryArn = ofType("aws:iam/role:Role").find((r) => r.inputs.name === roleName)?.inputs.permissionsBoundary as string | undefined;
    return { identity: [...attached, ...inline], inline, boundary: boundaryArn ? [managed.get(boundaryArn) ?? FULL_AWS_ACCESS] : undefined };
}

/**
 * The identity policies of each root user: every inline and customer managed policy of every group the
 * user belongs to, and of the user itself. (AWS managed policies are not in the stack; this program
 * attaches none in root.)
 */
export function rootUserPolicies(root: StackEvaluation): Map<string, PolicyDocument[]> {
    // Indexed once by the user or group each resource names, so a thousand users are not a scan each.
    const named = (type: string, key: string): Map<string, RecordedResource[]> => {
        const by = new Map<string, RecordedResource[]>();
        for (const r of root.resources.filter((r) => r.type === type)) {
            const name = String(r.inputs[key]);
            const list = by.get(name);
            if (list) list.push(r);
            else by.set(name, [r]);
        }
        return by;
    };
    const managed = new Map(root.resources.filter((r) => r.type === "aws:iam/policy:Policy").map((r) => [String(r.state.arn), document(r, "policy")]));
    // Parsed once per group or user, so a group's members share its documents and the simulator validates each once.
    const policiesOf = (inline: string, attachment: string, key: string) => {
        const inlineBy = named(inline, key);
        const attachedBy = named(attachment, key);
        const parsed = new Map<string, PolicyDocument[]>();
        return (name: string): PolicyDocument[] => {
            let documents = parsed.get(name);
            // Stryker disable next-line ConditionalExpression: a cache: parsing again on every call gives the same documents.
            if (!documents) {
                documents = [
                    ...asList(inlineBy.get(name)).map((r) => document(r, "policy")),
                    ...asList(attachedBy.get(name)).flatMap((r) => asList(managed.get(String(r.inputs.policyArn)))),
                ];
                parsed.set(name, documents);
            }
            return documents;
        };
    };
    const ofGroup = policiesOf("aws:iam/groupPolicy:GroupPolicy", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "group");
    const ofUser = policiesOf("aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "user");
    const memberships = named("aws:iam/userGroupMembership:UserGroupMembership", "user");
    const users = new Map<string, PolicyDocument[]>();
    for (const user of root.resources.filter((r) => r.type === "aws:iam/user:User")) {
        const name = String(user.inputs.name);
        const groups = asList(memberships.get(name)).flatMap((r) => asList(r.inputs.groups as string[]));
        users.set(name, [...ofUser(name), ...groups.flatMap(ofGroup)]);
    }
    return users;
}

/** AWS's decision on `principal` assuming `role` with these identity policies and this request context. */
export function assumeRole(principal: string, identityPolicies: PolicyDocument[], role: SimulatedRole, context: Record<string, string>): Promise<Decision> {
    return decide({ principal, action: "sts:AssumeRole", resource: role.arn, resourceAccount: role.accountId, context, identityPolicies, resourcePolicy: role.trust });
}

/** Every (root user, role) pair the simulator allows with MFA, and whether it also allows it without. */
export async function accessMatrix(evaluations: StackEvaluation[]): Promise<AccessEntry[]> {
    const root = evaluations.find((e) => e.stage === "root" && !e.error);
    if (!root) return [];
    const userArns = new Map(root.resources.filter((r) => r.type === "aws:iam/user:User").map((r) => [String(r.inputs.name), String(r.state.arn)]));
    const roles = rolesOf(evaluations);
    const entries: AccessEntry[] = [];
    for (const [user, policies] of rootUserPolicies(root)) {
        const principal = userArns.get(user)!;
        // Stryker disable next-line MethodExpression: asking about every role decides the same; the filter saves the simulator's time.
        for (const role of roles.filter(mayTrustAnIamUser)) {
            const context = { ...WITH_MFA, "aws:username": user };
            if ((await assumeRole(principal, policies, role, context)) !== "Allowed") continue;
            const withoutMfa = await Promise.all(WITHOUT_MFA.map((c) => assumeRole(principal, policies, role, { ...c, "aws:username": user })));
            entries.push({ user, stage: role.stage, role: role.role, roleArn: role.arn, mfaRequired: withoutMfa.every((d) => d !== "Allowed") });
        }
    }
    return entries;
}

/**
 * Whether a role's trust can admit an IAM user at all (an Allow with Principal `*`, an `AWS` entry, or NotPrincipal), so
 * roles trusting only services or OIDC providers are skipped. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function mayTrustAnIamUser(role: SimulatedRole): boolean {
    return asList(role.trust.Statement).some(
        // Stryker disable next-line ConditionalExpression,LogicalOperator: admitting more roles only asks the simulator more; it still decides each.
        (s) => s.Effect === "Allow" && ("NotPrincipal" in s || s.Principal === "*" || (typeof s.Principal === "object" && s.Principal.AWS !== undefined)),
    );
}

/** The config name of a role (`admin`), from the stack's `roles` output. */
function roleKeyOf(evaluation: StackEvaluation, arn: string): string {
    const roles = (evaluation.outputs.roles ?? {}) as Record<string, string>;
    return Object.keys(roles).find((k) => roles[k] === arn) ?? arn.slice(arn.lastIndexOf("/") + 1);
}

/** An OIDC token presented to sts:AssumeRoleWithWebIdentity: the issuer's host and the claims roles test. */
export interface WebIdentityToken {
    /** `api.pulumi.com/oidc` or `token.actions.githubusercontent.com`: the account's provider for it is the principal. */
    issuerHost: string;
    sub: string;
    aud: string;
}

/**
 * AWS's decision on a web-identity token assuming `role`. The simulator cannot evaluate OIDC claim keys, so it decides
 * without them and the claims are checked here on the document; sound only for trust policies without Deny statements.
 */
export async function assumeRoleWithWebIdentity(token: WebIdentityToken, role: SimulatedRole): Promise<Decision> {
    if (role.trust.Statement.some((s) => s.Effect === "Deny")) throw new Error(`${role.arn}: a trust policy with Deny statements needs the full evaluator`);
    const partition = role.arn.split(":")[1];
    const providerArn = `arn:${partition}:iam::${role.accountId}:oidc-provider/${token.issuerHost}`;
    const claims: Record<string, string> = { [`${token.issuerHost}:sub`]: token.sub, [`${token.issuerHost}:aud`]: token.aud };
    const simulated = await decide({ principal: providerArn, action: "sts:AssumeRoleWithWebIdentity", resource: role.arn, resourceAccount: role.accountId, context: claims, resourcePolicy: role.trust });
    if (simulated !== "Allowed") return simulated;
    // Every statement is an Allow (Deny was refused above); one for this provider and action must have its claims hold.
    const claimsHold = role.trust.Statement.some(
        (s) =>
            // Stryker disable next-line ConditionalExpression: for the type only: a string Principal ("*") has no Federated either.
            typeof s.Principal === "object" &&
            asList(s.Principal.Federated).includes(providerArn) &&
            asList(s.Action).includes("sts:AssumeRoleWithWebIdentity") &&
            claimConditionsHold(s.Condition ?? {}, claims),
    );
    return claimsHold ? "Allowed" : "ImplicitlyDenied";
}

/**
 * IAM's StringEquals and StringLike (keys ANDed, a key's values ORed) over the condition keys the simulator does not
 * evaluate (simulator.ts isUnsimulated); any other operator on such a key throws rather than pass unproved.
 */
export function claimConditionsHold(condition: Record<string, Record<string, string | string[]>>, claims: Record<string, string>): boolean {
    return Object.entries(condition).every(([operator, keys]) =>
        Object.entries(keys)
            .filter(([key]) => isUnsimulated(key))
            .every(([key, values]) => {
                const actual = claims[key];
                if (actual === undefined) return false;
                if (operator === "StringEquals") return asList(values).includes(actual);
                if (operator === "StringLike") return asList(values).some((pattern) => likePattern(pattern).test(actual));
                throw new Error(`claim condition ${operator} on ${key} is not evaluated here`);
            }),
    );
}

/** IAM's StringLike as a regular expression: `*` any run of characters, `?` one, everything else literal. */
export const likePattern = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
