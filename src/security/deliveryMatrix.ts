// The delivery path's threat model, decided: every identity that can act on an account without a person's IAM user
// (a GitHub job per event, ref and repository; a Pulumi Deployments token per operation and organization; a review
// stack), and a person for contrast, against every account: which deployment role it can assume, and what it can then
// do there (read an S3 object, change the trail that logs the account, change the account's guardrail-exempt role).
// Assuming is decided by the IAM simulator over the trust policies, with the OIDC claims it cannot evaluate checked on
// the documents (assumeRoleWithWebIdentity); what a role can do by the simulator over the plan's identity policies,
// the role's permissions boundary and the account's SCPs, with every AWS managed policy stood in for by Allow-all (the
// widest grant, so a denial proved holds for any managed policy, and an allowance is what the role's admin grants).
import type { StackEvaluation } from "../offline/engine";
import { githubDeploySubject, githubJobSubject, githubPullRequestSubject, GITHUB_OIDC_AUDIENCE, issuerName, FULL_AWS_ACCESS, GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER, pulumiDeploySubject, PulumiOperation } from "../policies";
import { assumeRole, assumeRoleWithWebIdentity, rolePolicies, rolesOf, SimulatedRole, WebIdentityToken, WITH_MFA } from "./access";
import { organizationOf, regionOf, scpLevels } from "./guardrailProofs";
import { decide } from "./simulator";

/** What an identity can reach in one account. */
export const CAPABILITIES = ["assume deployer", "assume previewer", "assume review role", "read an S3 object", "change the trail", "change the exempt role"] as const;
export type Capability = (typeof CAPABILITIES)[number];
export type DeploymentRoleKind = "deployer" | "previewer" | "review role";

/** Where the identities come from: the organization's GitHub repository, Pulumi organization and project, deploy branch. */
export interface DeliverySetting {
    /** GitHub's subject prefix (`repo:owner/name` or the immutable form); undefined when no repository is trusted. */
    githubPrefix?: string;
    organization: string;
    project: string;
    branch: string;
    /** The review stacks' name pattern (`pr-*`): a review stack is one such name. */
    reviewStacks: string;
    partition: string;
    /** The root (identity) account: where the people's IAM users are. */
    rootAccountId: string;
}

/** One row: an identity that may act on the stacks, named relative to a target stack `T`. */
export interface DeliveryIdentity {
    name: string;
    /** The OIDC token it presents for target `T`, or a principal of an account (a person, another account's admin). */
    present(target: string, setting: DeliverySetting): { token: WebIdentityToken } | { principal: string; context: Record<string, string> } | undefined;
}

const github = (sub: string): { token: WebIdentityToken } => ({ token: { issuerHost: issuerName(GITHUB_OIDC_ISSUER), sub, aud: GITHUB_OIDC_AUDIENCE } });
const pulumi = (setting: DeliverySetting, stack: string, operation: PulumiOperation, organization = setting.organization) => ({
    token: { issuerHost: issuerName(PULUMI_OIDC_ISSUER), sub: pulumiDeploySubject(organization, setting.project, stack, operation), aud: organization },
});
/** GitHub rows exist only where a repository is trusted; without one, no GitHub token can be minted for it. */
const fromGithub = (sub: (prefix: string, target: string, branch: string) => string) => (target: string, s: DeliverySetting) => (s.githubPrefix ? github(sub(s.githubPrefix, target, s.branch)) : undefined);
/** The repository's owner and name out of its subject prefix, ids dropped: what a look-alike imitates. */
const ownerAndName = (prefix: string): [string, string] => prefix.replace(/^repo:/, "").replace(/@\d+/g, "").split("/") as [string, string];

/** Every identity of the threat model (docs/security.md "Who can reach what"). */
export const DELIVERY_IDENTITIES: DeliveryIdentity[] = [
    { name: "GitHub pull_request job", present: fromGithub((p) => githubPullRequestSubject(p).replace("*", "7/merge")) },
    { name: "GitHub pull_request job naming environment T", present: fromGithub((p, t) => githubJobSubject(p, `environment:${t}`, "refs/pull/7/merge")) },
    { name: "GitHub deploy job: main, environment T", present: fromGithub((p, t, b) => githubDeploySubject(p, t, b)) },
    { name: "GitHub job from another branch in environment T", present: fromGithub((p, t, b) => githubJobSubject(p, `environment:${t}`, `refs/heads/${b}-feature`)) },
    { name: "GitHub job on main outside any environment", present: fromGithub((p, _t, b) => githubJobSubject(p, `ref:refs/heads/${b}`, `refs/heads/${b}`)) },
    {
        name: "GitHub deploy job of a look-alike repository",
        present: fromGithub((p, t, b) => {
            const [owner, name] = ownerAndName(p);
            return githubDeploySubject(`repo:${owner}/${name}-fork`, t, b);
        }),
    },
    {
        name: "GitHub deploy job of another owner's repository of the same name",
        present: fromGithub((p, t, b) => {
            const [owner, name] = ownerAndName(p);
            return githubDeploySubject(`repo:${owner}-evil/${name}`, t, b);
        }),
    },
    { name: "Pulumi Deployments preview of T", present: (t, s) => pulumi(s, t, "preview") },
    { name: "Pulumi Deployments update of T", present: (t, s) => pulumi(s, t, "update") },
    { name: "Pulumi Deployments refresh of T (drift)", present: (t, s) => pulumi(s, t, "refresh") },
    { name: "Pulumi Deployments update of T by another Pulumi organization", present: (t, s) => pulumi(s, t, "update", `${s.organization}-other`) },
    { name: "Pulumi Deployments update of a review stack", present: (_t, s) => pulumi(s, s.reviewStacks.replace("*", "7"), "update") },
    {
        name: "a root user with MFA and full rights",
        present: (_t, s) => ({ principal: `arn:${s.partition}:iam::${s.rootAccountId}:user/alice`, context: { ...WITH_MFA, "aws:username": "alice" } }),
    },
];

/** One cell: an identity presented for target stack `target`, in the account of stage `stage`. */
export interface DeliveryCell {
    identity: string;
    target: string;
    stage: string;
    capability: Capability;
    allowed: boolean;
}

/** A role the plan made, with what it may do in its account: decided once per role. */
interface RoleReach {
    role: SimulatedRole;
    kind: DeploymentRoleKind;
    can: Record<"read an S3 object" | "change the trail" | "change the exempt role", boolean>;
}

/** The kind of a deployment role, by its name `<namespace>-<stage>-<suffix>`; undefined for every other role. */
function kindOf(role: SimulatedRole, namespace: string): DeploymentRoleKind | undefined {
    const name = role.arn.slice(role.arn.lastIndexOf("/") + 1);
    const suffixes: [string, DeploymentRoleKind][] = [["deployer", "deployer"], ["previewer", "previewer"], ["reviewer", "review role"]];
    return suffixes.find(([suffix]) => name === `${namespace}-${role.stage}-${suffix}`)?.[1];
}

/** What each deployment role may do in its account, under its policies, its boundary and the account's SCPs. */
async function roleReaches(evaluations: StackEvaluation[], namespace: string): Promise<RoleReach[]> {
    const organization = organizationOf(evaluations);
    const trailOf = (stage: string): string | undefined =>
        (evaluations.find((e) => e.stack === stage && !e.error)?.outputs.trailArn as string | undefined) ?? (organization?.outputs.organizationTrailArn as string | undefined);
    const reaches: RoleReach[] = [];
    for (const role of rolesOf(evaluations)) {
        const kind = kindOf(role, namespace);
        if (!kind) continue;
        const owner = evaluations.find((e) => !e.error && e.resources.some((r) => r.type === "aws:iam/role:Role" && String(r.state.arn) === role.arn))!;
        const { identity, boundary } = rolePolicies(owner, role.arn.slice(role.arn.lastIndexOf("/") + 1));
        const region = regionOf(owner);
        // SCPs bind member accounts only, never the management account (root's).
        const management = (organization?.outputs.accountIds as Record<string, string> | undefined)?.root;
        const levels = organization && role.accountId !== management ? scpLevels(organization, role.accountId) : undefined;
        const partition = role.arn.split(":")[1];
        const attempt = (action: string, resource: string, resourceAccount = role.accountId) =>
            decide({
                principal: role.arn,
                action,
                resource,
                resourceAccount,
                context: { "aws:PrincipalArn": role.arn, "aws:RequestedRegion": region },
                identityPolicies: identity,
                permissionBoundaries: boundary,
                serviceControlPolicies: levels,
            }).then((d) => d === "Allowed");
        const trail = trailOf(role.stage);
        const exempt = `arn:${partition}:iam::${role.accountId}:role/${namespace}-${role.stage}-deployer`;
        reaches.push({
            role,
            kind,
            can: {
                "read an S3 object": await attempt("s3:GetObject", `arn:${partition}:s3:::${namespace}-${role.stage}-application-data/orders/1.json`),
                "change the trail": trail ? await attempt("cloudtrail:StopLogging", trail, trail.split(":")[4]) : false,
                "change the exempt role": await attempt("iam:UpdateAssumeRolePolicy", exempt),
            },
        });
    }
    return reaches;
}

/**
 * Every cell of the matrix: each identity, presented for each target stack, against each account's deployment roles
 * and what those let it do. `stages` are the account stages, `targets` the stacks an identity may name.
 */
export async function deliveryMatrix(evaluations: StackEvaluation[], setting: DeliverySetting, namespace: string, targets: string[], stages: string[]): Promise<DeliveryCell[]> {
    const reaches = await roleReaches(evaluations, namespace);
    const cells: DeliveryCell[] = [];
    for (const identity of DELIVERY_IDENTITIES) {
        for (const target of targets) {
            const presented = identity.present(target, setting);
            const reached: RoleReach[] = [];
            for (const reach of reaches) {
                if (!presented) continue;
                const decision =
                    "token" in presented
                        ? await assumeRoleWithWebIdentity(presented.token, reach.role)
                        : await assumeRole(presented.principal, [FULL_AWS_ACCESS], reach.role, presented.context);
                if (decision === "Allowed") reached.push(reach);
            }
            for (const stage of stages) {
                const here = reached.filter((r) => r.role.stage === stage);
                const add = (capability: Capability, allowed: boolean) => cells.push({ identity: identity.name, target, stage, capability, allowed });
                add("assume deployer", here.some((r) => r.kind === "deployer"));
                add("assume previewer", here.some((r) => r.kind === "previewer"));
                add("assume review role", here.some((r) => r.kind === "review role"));
                for (const capability of ["read an S3 object", "change the trail", "change the exempt role"] as const) add(capability, here.some((r) => r.can[capability]));
            }
        }
    }
    return cells;
}

/**
 * The matrix as README's table: a row per identity, a column per capability, each cell the accounts it reaches —
 * "T's account" when an identity presented for T reaches exactly T's (listing the Ts when not every one), else the
 * accounts themselves, or "no".
 */
export function threatModelTable(cells: DeliveryCell[], targets: string[], accountOf: (stack: string) => string): string {
    const summary = (identity: string, capability: Capability): string => {
        const allowed = cells.filter((c) => c.identity === identity && c.capability === capability && c.allowed);
        if (allowed.length === 0) return "no";
        const withTarget = targets.filter((t) => allowed.some((c) => c.target === t));
        if (allowed.every((c) => c.stage === accountOf(c.target))) {
            return withTarget.length === targets.length ? "T's account" : `T's account, for T in ${withTarget.join(", ")}`;
        }
        const stages = [...new Set(allowed.map((c) => c.stage))];
        return stages.join(", ");
    };
    const header = `| identity | ${CAPABILITIES.join(" | ")} |`;
    const rule = `| --- | ${CAPABILITIES.map(() => "---").join(" | ")} |`;
    const rows = DELIVERY_IDENTITIES.map((i) => `| ${i.name} | ${CAPABILITIES.map((c) => summary(i.name, c)).join(" | ")} |`);
    return [header, rule, ...rows].join("\n");
}
