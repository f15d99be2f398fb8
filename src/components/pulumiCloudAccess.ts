// Pulumi Cloud access as code, in the root stack (root always exists): the GitHub OIDC issuer registered in the Pulumi
// organization, whose policies decide which GitHub job gets which Pulumi token, and the teams those tokens act as.
// A pull request's jobs get only a read-only team's token; only a stack's deploy job from the deploy branch gets that
// stack's deploy team (Write on it alone); nothing gets an organization token. The policies are src/policies/pulumiCloud.ts.
import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { ORGANIZATION_STAGE, PROTECTED_BY_DEFAULT } from "../config";
import { deployTeam, githubIssuerPolicies, GITHUB_OIDC_ISSUER, pipelineTeams, PipelineTeams, previewEnvironment, PullRequestPreviews } from "../policies";

export type ProtectedPreviews = "off" | "reviewed";

/** Who previews which stack on a pull request, and which stacks each read-only team must read for it. */
export interface PreviewAccess {
    /** Previewed on every pull request, with the preview team's token. */
    open: string[];
    /** Protected stacks previewed only in their `preview-<stack>` environment, after a reviewer approved. */
    reviewed: string[];
    /** Protected stacks never previewed on a pull request. */
    off: string[];
    /** Stacks the preview team reads: the open ones, the stacks they read through StackReferences, and org (stacks --json). */
    previewTeamReads: string[];
    /** Stacks the protected-preview team reads: the reviewed ones and what they read. */
    protectedTeamReads: string[];
}

/** How a pull request previews one stage's stack: protected stages per `mode`, every other one openly. */
export const previewOf = (stage: string, mode: ProtectedPreviews): "open" | "reviewed" | "off" => (PROTECTED_BY_DEFAULT.includes(stage) ? mode : "open");

/** Which pull_request jobs an account's previewer admits, for the stacks deployed into it: the previewer's side of previewOf. */
export const pullRequestPreviewsOf = (stacks: string[], mode: ProtectedPreviews): PullRequestPreviews => ({
    open: stacks.some((stack) => previewOf(stack, mode) === "open"),
    environments: stacks.filter((stack) => previewOf(stack, mode) === "reviewed").map(previewEnvironment),
});

/**
 * The pull-request preview of every stage's stack. Protected means org, root, prod and audit (PROTECTED_BY_DEFAULT): root
 * grants the teams and cannot see another stack's refarch:protect, so the set is the project's, not per stack.
 * @param reads stage -> the stages it reads (stageDependencies)
 */
export function previewAccess(stacks: string[], reads: Record<string, string[]>, mode: ProtectedPreviews): PreviewAccess {
    const open = stacks.filter((s) => previewOf(s, mode) === "open");
    const reviewed = stacks.filter((s) => previewOf(s, mode) === "reviewed");
    const withReads = (list: string[]) => stacks.filter((s) => list.includes(s) || list.some((l) => (reads[l] ?? []).includes(s)));
    return {
        open,
        reviewed,
        off: stacks.filter((s) => previewOf(s, mode) === "off"),
        previewTeamReads: withReads([...open, ...(stacks.includes(ORGANIZATION_STAGE) ? [ORGANIZATION_STAGE] : [])]),
        protectedTeamReads: withReads(reviewed),
    };
}

export interface PulumiCloudAccessArgs {
    organization: string;
    project: string;
    /** Prefixes the team names (`<namespace>-preview`, `-preview-protected`, `-deploy-<stack>`). */
    namespace: string;
    /** The start of the repository's GitHub `sub` (githubSubjectPrefixOf). */
    subjectPrefix: string;
    /** The branch deploys run from. */
    branch: string;
    /** Every stage's stack of the project. */
    stacks: string[];
    /** stage -> the stages it reads over StackReferences. */
    reads: Record<string, string[]>;
    /** Pull-request previews of the protected stacks. Defaults to "off". */
    protectedPreviews?: ProtectedPreviews;
    /** Longest life of a token the issuer grants, in seconds. Defaults to 7200 (auth-actions' default request is 2 hours). */
    maxExpirationSeconds?: number;
}

// Stack permission levels (@pulumi/pulumiservice 1.3.0 TeamStackPermissionScope): Read 101, Edit 102 (the REST API's
// "write": https://www.pulumi.com/docs/reference/cloud-rest-api/schema/teamstackpermission/), Admin 103.
// "Stack Read" is stack:read, export, encrypt, decrypt, and reads of deployments and settings: a preview, and no
// stack_deployment:create or stack:write, which "Stack Write" adds
// (https://www.pulumi.com/docs/administration/concepts/rbac/permission-sets/).
const READ = pulumiservice.TeamStackPermissionScope.Read;
const WRITE = pulumiservice.TeamStackPermissionScope.Edit;

export class PulumiCloudAccess extends pulumi.ComponentResource {
    readonly issuerId: pulumi.Output<string>;
    readonly teams: PipelineTeams;
    readonly previews: PreviewAccess;

    constructor(name: string, args: PulumiCloudAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:pulumiCloud:PulumiCloudAccess", name, {}, opts);
        this.teams = pipelineTeams(args.namespace);
        this.previews = previewAccess(args.stacks, args.reads, args.protectedPreviews ?? "off");

        const team = (key: string, teamName: string, description: string, grants: { stack: string; permission: pulumiservice.TeamStackPermissionScope }[]) => {
            const made = new pulumiservice.Team(
                `${name}-${key}`,
                { organizationName: args.organization, teamType: "pulumi", name: teamName, displayName: teamName, description, members: [] },
                { parent: this },
            );
            for (const { stack, permission } of grants) {
                new pulumiservice.TeamStackPermission(
                    `${name}-${key}-${stack}`,
                    { organization: args.organization, project: args.project, stack, team: teamName, permission },
                    { parent: this, dependsOn: [made] },
                );
            }
            return made;
        };
        const reading = (stacks: string[]) => stacks.map((stack) => ({ stack, permission: READ }));
        const teams = [
            team("preview", this.teams.preview, "Pull-request previews (read only); issued by the GitHub OIDC issuer's policies", reading(this.previews.previewTeamReads)),
            // Each stack's deploy job writes its own stack and reads the stacks it reads over StackReferences.
            ...args.stacks.map((stack) =>
                team(`deploy-${stack}`, deployTeam(this.teams, stack), `Deploys of ${stack} from the deploy branch's ${stack} environment job`, [
                    { stack, permission: WRITE },
                    ...reading((args.reads[stack] ?? []).filter((s) => s !== stack)),
                ]),
            ),
        ];
        if (this.previews.reviewed.length > 0) {
            teams.push(team("protected-preview", this.teams.protectedPreview, "Reviewed pull-request previews of protected stacks (read only)", reading(this.previews.protectedTeamReads)));
        }

        const policies = githubIssuerPolicies({
            organization: args.organization,
            subjectPrefix: args.subjectPrefix,
            branch: args.branch,
            deployStacks: args.stacks,
            reviewedPreviewStacks: this.previews.reviewed,
            teams: this.teams,
        });
        const issuer = new pulumiservice.OidcIssuer(
            `${name}-github`,
            {
                organization: args.organization,
                name: `github-${args.project}`,
                url: GITHUB_OIDC_ISSUER,
                maxExpirationSeconds: args.maxExpirationSeconds ?? 7200,
                policies: policies.map(({ decision, tokenType, teamName, rules }) => ({ decision, tokenType, ...(teamName ? { teamName } : {}), rules })),
            },
            // A policy names a team: the teams exist before the issuer admits anyone to them.
            { parent: this, dependsOn: teams },
        );
        this.issuerId = issuer.id;
        this.registerOutputs({ issuerId: this.issuerId, teams: this.teams });
    }
}
