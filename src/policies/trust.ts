// Trust policies: who may assume each role the program creates in a member account.
import { DEFAULT_MFA_MAX_AGE_SECONDS, PolicyDocument, recentMfa, Statement } from "./document";
import {
    ALL_OPERATIONS,
    CHANGING_OPERATIONS,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_ISSUER,
    githubDeploySubject,
    githubPullRequestSubject,
    githubReviewedPreviewSubject,
    issuerName,
    PULUMI_OIDC_ISSUER,
    pulumiDeploySubject,
} from "./oidc";

/** Where OIDC tokens come from, for one account's trust policies. */
export interface OidcTrust {
    /** ARN of the account's OIDC provider for Pulumi Cloud. */
    pulumiProviderArn: string;
    organization: string;
    project: string;
    /** The stacks deployed into the account (names, never patterns): the stage's own, and in root the org stack. */
    stacks: string[];
    /**
     * The stacks Pulumi Deployments may change (update, refresh, destroy): none of a protected stage, since Pulumi Cloud
     * offers no approval before a stack's deployment; only GitHub's deploy job, in an environment with required
     * reviewers, changes those.
     */
    pulumiChanges: string[];
    /** When set: GitHub Actions of one repository, by its subject prefix (`repo:owner/name`, or the immutable form), from one branch. */
    github?: { providerArn: string; subjectPrefix: string; branch: string; pullRequests?: PullRequestPreviews };
}

/**
 * Which pull_request jobs reach the previewer: any (`open`, an unprotected stack is in the account) and those in the
 * listed environments (a protected stack's reviewed `preview-<stack>`). Defaults to open, no environment.
 */
export interface PullRequestPreviews {
    open: boolean;
    environments: string[];
}

/** Allows one issuer's tokens for `audience` whose subject is one of `subjects` (StringLike where `like`, for patterns). */
function webIdentityTrust(sid: string, providerArn: string, issuer: string, audience: string, subjects: string[], like = false): Statement {
    const claim = issuerName(issuer);
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: like
            ? { StringEquals: { [`${claim}:aud`]: audience }, StringLike: { [`${claim}:sub`]: subjects } }
            : { StringEquals: { [`${claim}:aud`]: audience, [`${claim}:sub`]: subjects } },
    };
}

const pulumiTrust = (sid: string, trust: OidcTrust, subjects: string[], like = false): Statement =>
    webIdentityTrust(sid, trust.pulumiProviderArn, PULUMI_OIDC_ISSUER, trust.organization, subjects, like);
const githubTrust = (sid: string, github: NonNullable<OidcTrust["github"]>, subjects: string[], like = false): Statement =>
    webIdentityTrust(sid, github.providerArn, GITHUB_OIDC_ISSUER, GITHUB_OIDC_AUDIENCE, subjects, like);

/**
 * The admin deployer's trust: web identities only, never a pull request or another branch. Pulumi Deployments of the
 * listed stacks for update, refresh and destroy (unless the stage is protected), and GitHub Actions jobs of one
 * repository in the environment named after a listed stack, run from `github.branch`: the customized subject binds
 * both (oidc.ts githubDeploySubject). Undefined when nothing may assume it (a protected stage without a repository).
 */
export function deployerTrustPolicy(trust: OidcTrust): PolicyDocument | undefined {
    const { organization, project, stacks, github } = trust;
    const statements: Statement[] = [];
    if (trust.pulumiChanges.length > 0) {
        statements.push(pulumiTrust("PulumiDeploymentsOfThisStack", trust, trust.pulumiChanges.flatMap((stack) => CHANGING_OPERATIONS.map((op) => pulumiDeploySubject(organization, project, stack, op)))));
    }
    if (github) {
        statements.push(githubTrust("GitHubDeployJobFromBranch", github, stacks.map((env) => githubDeploySubject(github.subjectPrefix, env, github.branch))));
    }
    return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

/** The previewer's trust, what pull requests reach: Pulumi previews of the listed stacks, and pull_request jobs of one repository. */
export function previewerTrustPolicy(trust: OidcTrust): PolicyDocument {
    const { organization, project, stacks, github } = trust;
    return {
        Version: "2012-10-17",
        Statement: [
            pulumiTrust("PulumiPreviewsOfThisStack", trust, stacks.map((stack) => pulumiDeploySubject(organization, project, stack, "preview"))),
            ...(github ? pullRequestTrust(github) : []),
        ],
    };
}

/** The previewer's statement for pull_request jobs, none when no pull request previews the account's stacks. */
function pullRequestTrust(github: NonNullable<OidcTrust["github"]>): Statement[] {
    const { open, environments } = github.pullRequests ?? { open: true, environments: [] };
    const subjects = [...(open ? [githubPullRequestSubject(github.subjectPrefix)] : []), ...environments.map((env) => githubReviewedPreviewSubject(github.subjectPrefix, env))];
    return subjects.length === 0 ? [] : [githubTrust("GitHubPullRequestsOfThisRepository", github, subjects, true)];
}

/**
 * The review role's trust (testing only): Pulumi Deployments of the review stacks (`pattern`, e.g. `pr-*`), every
 * operation, since a review stack's settings, copied from the template, name one role. Nothing else: no GitHub job.
 */
export function reviewerTrustPolicy(trust: Pick<OidcTrust, "pulumiProviderArn" | "organization" | "project">, pattern: string): PolicyDocument {
    const { organization, project } = trust;
    return {
        Version: "2012-10-17",
        Statement: [pulumiTrust("PulumiDeploymentsOfReviewStacks", { ...trust, stacks: [], pulumiChanges: [] }, ALL_OPERATIONS.map((op) => pulumiDeploySubject(organization, project, pattern, op)), true)],
    };
}

/**
 * Trust policy of a human role: only principals of the root account and, where MFA is required, only with an MFA
 * sign-in less than `mfaMaxAgeSeconds` old (defaults to DEFAULT_MFA_MAX_AGE_SECONDS, one hour).
 */
export function roleTrustPolicy(partition: string, rootAccountId: string, requireMfa: boolean, mfaMaxAgeSeconds: number = DEFAULT_MFA_MAX_AGE_SECONDS): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "TrustRootAccount",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${rootAccountId}:root` },
                Action: "sts:AssumeRole",
                ...(requireMfa ? { Condition: recentMfa(mfaMaxAgeSeconds) } : {}),
            },
        ],
    };
}
