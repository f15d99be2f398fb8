// Trust policies: who may assume each role the program creates in a member account.
import { DEFAULT_MFA_MAX_AGE_SECONDS, PolicyDocument, recentMfa, Statement } from "./document";
import { CHANGING_OPERATIONS, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_ISSUER, githubEnvironmentSubject, githubPullRequestSubject, issuerName, PULUMI_OIDC_ISSUER, pulumiDeploySubject } from "./oidc";

/** Where OIDC tokens come from, for one account's trust policies. */
export interface OidcTrust {
    /** ARN of the account's OIDC provider for Pulumi Cloud. */
    pulumiProviderArn: string;
    organization: string;
    project: string;
    /** The stacks (names or `*` patterns) whose deployments may assume the role. */
    stacks: string[];
    /** When set: GitHub Actions of one repository, by its subject prefix (`repo:owner/name`, or the immutable form). */
    github?: { providerArn: string; subjectPrefix: string };
}

/** Allows one issuer's tokens for `audience` whose subject matches one of `subjects`. */
function webIdentityTrust(sid: string, providerArn: string, issuer: string, audience: string, subjects: string[]): Statement {
    const claim = issuerName(issuer);
    // StringLike, not StringEquals, for the subjects: review-stack patterns (`pr-*`) are wildcards.
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${claim}:aud`]: audience }, StringLike: { [`${claim}:sub`]: subjects } },
    };
}

/** A statement for Pulumi Deployments' tokens and, when the account trusts a GitHub repository, one for GitHub Actions'. */
function oidcTrustPolicy(trust: OidcTrust, pulumi: { sid: string; subjects: string[] }, github: { sid: string; subjects: (prefix: string) => string[] }): PolicyDocument {
    const statements = [webIdentityTrust(pulumi.sid, trust.pulumiProviderArn, PULUMI_OIDC_ISSUER, trust.organization, pulumi.subjects)];
    if (trust.github) {
        statements.push(webIdentityTrust(github.sid, trust.github.providerArn, GITHUB_OIDC_ISSUER, GITHUB_OIDC_AUDIENCE, github.subjects(trust.github.subjectPrefix)));
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The admin deployer's trust: web identities only, never a pull request. Pulumi Deployments of the listed stacks for
 * update, refresh and destroy, and GitHub Actions jobs of one repository in the environment named after a listed stack.
 */
export function deployerTrustPolicy(trust: OidcTrust): PolicyDocument {
    const { organization, project, stacks } = trust;
    return oidcTrustPolicy(
        trust,
        { sid: "PulumiDeploymentsOfThisStack", subjects: stacks.flatMap((stack) => CHANGING_OPERATIONS.map((op) => pulumiDeploySubject(organization, project, stack, op))) },
        // A GitHub environment is named after one stack: patterns (review stacks) have none. The stage's own stack is always listed.
        { sid: "GitHubEnvironmentOfThisStack", subjects: (prefix) => stacks.filter((s) => !s.includes("*")).map((env) => githubEnvironmentSubject(prefix, env)) },
    );
}

/** The read-only previewer's trust, what pull requests reach: Pulumi previews of the listed stacks, and pull_request jobs of one repository. */
export function previewerTrustPolicy(trust: OidcTrust): PolicyDocument {
    const { organization, project, stacks } = trust;
    return oidcTrustPolicy(
        trust,
        { sid: "PulumiPreviewsOfThisStack", subjects: stacks.map((stack) => pulumiDeploySubject(organization, project, stack, "preview")) },
        { sid: "GitHubPullRequestsOfThisRepository", subjects: (prefix) => [githubPullRequestSubject(prefix)] },
    );
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
