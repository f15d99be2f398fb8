// Pulumi Cloud's side of the delivery path: which GitHub job may exchange its OIDC token for which Pulumi access token,
// as the authorization policies of the GitHub issuer registered in the Pulumi organization, and the teams they name.
// Semantics: https://www.pulumi.com/docs/administration/concepts/oidc-issuers/ (an exchange is granted when an allow
// policy of the requested token type and team matches and no deny policy of that type and team does; deny always wins;
// in rule values and team scopes `*` matches zero or more characters, `?` zero or one, `.` exactly one).
import { githubBranchJobSubject, githubDeploySubject, githubPullRequestSubject, githubReviewedPreviewSubject } from "./oidc";

/** The token types an issuer policy can grant (@pulumi/pulumiservice 1.3.0 AuthPolicyTokenType). */
export type PulumiTokenType = "organization" | "team" | "personal" | "runner";

/** One authorization policy, as @pulumi/pulumiservice 1.3.0's AuthPolicyDefinitionArgs takes it. */
export interface IssuerPolicy {
    decision: "allow" | "deny";
    tokenType: PulumiTokenType;
    /** For team tokens: the team the token acts as. */
    teamName?: string;
    /** Claim -> pattern; every rule must match. */
    rules: Record<string, string>;
}

/** The Pulumi teams of the pipeline: who may read, and who may write, the project's stacks. */
export interface PipelineTeams {
    /** Read on the stacks previewed without a reviewer: pull-request previews and `stacks --json`. */
    preview: string;
    /** Read on the protected stacks: only jobs in a `preview-<stack>` environment, whose reviewers approved. */
    protectedPreview: string;
    /**
     * Each stack's deploy team is this prefix and the stack (`<ns>-deploy-<stack>`): Write on that stack alone, Read on what
     * it reads; only that stack's deploy job (its environment, the deploy branch, on push) gets its token.
     */
    deployPrefix: string;
}

export const pipelineTeams = (namespace: string): PipelineTeams => ({ preview: `${namespace}-preview`, protectedPreview: `${namespace}-preview-protected`, deployPrefix: `${namespace}-deploy-` });

/** The deploy team of one stack. */
export const deployTeam = (teams: PipelineTeams, stack: string): string => `${teams.deployPrefix}${stack}`;

/** The GitHub environment a protected stack's pull-request preview runs in, when such previews are reviewed. */
export const previewEnvironment = (stack: string): string => `preview-${stack}`;

/**
 * The `aud` pulumi/auth-actions requests for an organization: `urn:pulumi:org:<org>`
 * (https://www.pulumi.com/docs/administration/guides/oidc-issuers/github/, "Authorization policy").
 */
export const pulumiAudience = (organization: string): string => `urn:pulumi:org:${organization}`;

export interface GithubIssuerPolicyArgs {
    organization: string;
    /** `repo:<owner>/<repo>` or the immutable `repo:<owner>@<id>/<repo>@<id>` form. */
    subjectPrefix: string;
    /** The branch deploys run from (refarch:deployments.branch). */
    branch: string;
    /** Every stage's stack: each deploys in the GitHub environment named after it. */
    deployStacks: string[];
    /** The protected stacks whose pull-request previews run behind a reviewed `preview-<stack>` environment. */
    reviewedPreviewStacks: string[];
    teams: PipelineTeams;
}

/**
 * The issuer's policies. No organization token is ever allowed: a stack's deploy team (Write on that stack) is what its
 * deploy needs, and a deny on pull-request events for the organization and every deploy team keeps a later, broader allow
 * from reaching a pull request (deny wins whatever else is added).
 */
export function githubIssuerPolicies(args: GithubIssuerPolicyArgs): IssuerPolicy[] {
    const aud = pulumiAudience(args.organization);
    const mainRef = `refs/heads/${args.branch}`;
    // GitHub's `event_name` claim (https://docs.github.com/en/actions/reference/security/oidc): pull_request,
    // pull_request_target and pull_request_review* all start with pull_request.
    const pullRequestEvents = { aud, event_name: "pull_request*" };
    // A `.` in a rule matches any one character: with the mutable `repo:owner/name` subject, `my.app` also admits
    // `myXapp`; the immutable `repo:owner@id/name@id` subject pins the repository by id (docs/security.md).
    const allow = (teamName: string, rules: Record<string, string>): IssuerPolicy => ({ decision: "allow", tokenType: "team", teamName, rules: { aud, ...rules } });
    return [
        // The pull request's own jobs, and the deploy branch's stacks job (outside any environment): read-only.
        allow(args.teams.preview, { sub: githubPullRequestSubject(args.subjectPrefix) }),
        allow(args.teams.preview, { sub: githubBranchJobSubject(args.subjectPrefix, args.branch), ref: mainRef }),
        ...args.reviewedPreviewStacks.map((stack) => allow(args.teams.protectedPreview, { sub: githubReviewedPreviewSubject(args.subjectPrefix, previewEnvironment(stack)) })),
        ...args.deployStacks.map((stack) => allow(deployTeam(args.teams, stack), { sub: githubDeploySubject(args.subjectPrefix, stack, args.branch), ref: mainRef, event_name: "push" })),
        // Team scopes take the same wildcards as claims: one deny covers every stack's deploy team.
        { decision: "deny", tokenType: "team", teamName: `${args.teams.deployPrefix}*`, rules: pullRequestEvents },
        { decision: "deny", tokenType: "organization", rules: pullRequestEvents },
    ];
}

/** A rule value or team scope as Pulumi matches it: `*` zero or more characters, `?` zero or one, `.` exactly one. */
export function pulumiPatternMatches(pattern: string, value: string): boolean {
    const source = [...pattern].map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]?" : c === "." ? "[\\s\\S]" : c.replace(/[\\^$+()[\]{}|/-]/g, "\\$&"))).join("");
    return new RegExp(`^${source}$`).test(value);
}

/** What a job asks for: the token type, and for a team token the team (auth-actions' `scope: team:<name>`). */
export interface TokenRequest {
    tokenType: PulumiTokenType;
    team?: string;
}

/** A claim by path (`a.b`, or a quoted key with dots), as a string; undefined when the token has no such claim. */
function claimValue(claims: Record<string, unknown>, path: string): string | undefined {
    const value = path.split(".").reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), claims);
    return typeof value === "string" ? value : value === undefined ? undefined : JSON.stringify(value);
}

const appliesTo = (policy: IssuerPolicy, request: TokenRequest): boolean =>
    policy.tokenType === request.tokenType && (policy.tokenType !== "team" || (request.team !== undefined && policy.teamName !== undefined && pulumiPatternMatches(policy.teamName, request.team)));

const rulesMatch = (policy: IssuerPolicy, claims: Record<string, unknown>): boolean =>
    Object.entries(policy.rules).every(([path, pattern]) => {
        const value = claimValue(claims, path);
        return value !== undefined && pulumiPatternMatches(pattern, value);
    });

/**
 * Pulumi Cloud's decision on a token exchange, as documented (see the header): granted when an allow policy of the
 * requested type (and team) matches the token's claims and no deny policy of that type (and team) does.
 * This is the project's own evaluator of the documented semantics, not Pulumi Cloud's code.
 */
export function exchangeGranted(policies: IssuerPolicy[], claims: Record<string, unknown>, request: TokenRequest): boolean {
    const matching = policies.filter((p) => appliesTo(p, request) && rulesMatch(p, claims));
    return matching.some((p) => p.decision === "allow") && !matching.some((p) => p.decision === "deny");
}
