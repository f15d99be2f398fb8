// Which GitHub job gets which Pulumi Cloud token, decided on the plan's own OidcIssuer policies and team grants: a pull
// request gets only the read-only team's token; a push to another branch, a look-alike repository, a workflow_dispatch
// from a branch, or a pull request that names an environment get nothing write-capable; only a stack's deploy job (its
// environment, the deploy branch, on push) gets that stack's deploy team; nothing ever gets an organization token. Pulumi Cloud's exchange is
// not simulated by any library: exchangeGranted (src/policies/pulumiCloud.ts) is this project's evaluator of Pulumi's
// documented semantics (https://www.pulumi.com/docs/administration/concepts/oidc-issuers/, "Authorization policies").
// GitHub's claims are as documented in https://docs.github.com/en/actions/reference/security/oidc.
import { expect } from "chai";
import { githubSubjectPrefixOf } from "../src/components/deployer";
import { previewAccess } from "../src/components/pulumiCloudAccess";
import type { RefarchConfig } from "../src/config";
import { stageDependencies } from "../src/project/stackGraph";
import { deployTeam, exchangeGranted, githubIssuerPolicies, githubJobSubject, IssuerPolicy, pipelineTeams, previewEnvironment, pulumiAudience, pulumiPatternMatches, TokenRequest } from "../src/policies";
import { configOf, having, meeting, NEEDS, ofType, org as underTest, Organization, projectConfig, ROOT, setProjectConfig, single, succeeded } from "./harness";

/** The organization under test with a GitHub repository (the issuer exists only then) and a prod stage. */
const withRepository = (from: Organization) =>
    having(
        "a GitHub repository in refarch:deployer",
        (o) => githubSubjectPrefixOf(configOf(o, ROOT).deployer) !== undefined,
        (files) => setProjectConfig(files, "refarch:deployer", { ...(projectConfig<object>(files, "refarch:deployer") ?? {}), githubRepository: "octo-org/infra" }),
        from,
    ).org;
const org = withRepository(meeting([NEEDS.prod, NEEDS.orgStack], underTest));

interface Job {
    what: string;
    claims: Record<string, string>;
}

/** GitHub's claims for a job of this repository (or another, by its subject prefix). */
function job(prefix: string, organization: string, what: string, event: string, ref: string, environment?: string): Job {
    // The repository's customized subject (src/policies/oidc.ts): context, then ref.
    const sub = githubJobSubject(prefix, environment !== undefined ? `environment:${environment}` : event.startsWith("pull_request") ? "pull_request" : `ref:${ref}`, ref);
    return { what, claims: { aud: pulumiAudience(organization), sub, ref, event_name: event, repository: prefix.replace(/^repo:/, "").replace(/@\d+/g, ""), ...(environment ? { environment } : {}) } };
}

/** Every token a job might ask for: each stack's deploy team is `deploy team <stack>`. */
const TOKEN_KINDS = (teams: ReturnType<typeof pipelineTeams>, stacks: string[]): { name: string; request: TokenRequest }[] => [
    { name: "organization", request: { tokenType: "organization" } },
    { name: "preview team", request: { tokenType: "team", team: teams.preview } },
    { name: "protected-preview team", request: { tokenType: "team", team: teams.protectedPreview } },
    ...stacks.map((stack) => ({ name: `deploy team ${stack}`, request: { tokenType: "team" as const, team: deployTeam(teams, stack) } })),
    { name: "personal", request: { tokenType: "personal" } },
    { name: "runner", request: { tokenType: "runner" } },
];

/** Tokens that can write a stack or act for the whole organization. */
const writeCapable = (tokens: string[]): string[] => tokens.filter((t) => t === "organization" || t.startsWith("deploy team"));

/** Which tokens a job gets under these policies, by name. */
const granted = (policies: IssuerPolicy[], teams: ReturnType<typeof pipelineTeams>, claims: Record<string, string>, stacks: string[] = []): string[] =>
    TOKEN_KINDS(teams, stacks)
        .filter(({ request }) => exchangeGranted(policies, claims, request))
        .map(({ name }) => name);

describe("Pulumi Cloud issuer policies: the evaluator follows Pulumi's documented semantics", () => {
    it("matches `*` as any run, `?` as zero or one character and `.` as exactly one; everything else literally", () => {
        expect(pulumiPatternMatches("repo:a/b:*", "repo:a/b:environment:prod")).to.equal(true);
        expect(pulumiPatternMatches("repo:a/b:*", "repo:a/bc:pull_request")).to.equal(false);
        expect(pulumiPatternMatches("pr-?", "pr-")).to.equal(true);
        expect(pulumiPatternMatches("pr-?", "pr-12")).to.equal(false);
        expect(pulumiPatternMatches("a.b", "aXb")).to.equal(true);
        expect(pulumiPatternMatches("a.b", "ab")).to.equal(false);
        expect(pulumiPatternMatches("refs/heads/main", "refs/heads/main2")).to.equal(false);
        expect(pulumiPatternMatches("(x)+", "(x)+")).to.equal(true);
    });

    it("grants only when an allow of the requested type and team matches, and any matching deny of that type and team wins", () => {
        const allow: IssuerPolicy = { decision: "allow", tokenType: "team", teamName: "t", rules: { sub: "s:*" } };
        const deny: IssuerPolicy = { decision: "deny", tokenType: "team", teamName: "t", rules: { event_name: "pull_request" } };
        const otherTeamDeny: IssuerPolicy = { ...deny, teamName: "u" };
        expect(exchangeGranted([allow], { sub: "s:1" }, { tokenType: "team", team: "t" })).to.equal(true);
        expect(exchangeGranted([allow], { sub: "s:1" }, { tokenType: "team", team: "u" })).to.equal(false);
        expect(exchangeGranted([allow], { sub: "s:1" }, { tokenType: "organization" })).to.equal(false);
        expect(exchangeGranted([allow], {}, { tokenType: "team", team: "t" }), "a rule on a claim the token lacks").to.equal(false);
        expect(exchangeGranted([allow, deny], { sub: "s:1", event_name: "pull_request" }, { tokenType: "team", team: "t" })).to.equal(false);
        expect(exchangeGranted([allow, otherTeamDeny], { sub: "s:1", event_name: "pull_request" }, { tokenType: "team", team: "t" })).to.equal(true);
        expect(exchangeGranted([], { sub: "s:1" }, { tokenType: "team", team: "t" }), "no policy, no token").to.equal(false);
    });
});

describe("Pulumi Cloud access in the plan: which GitHub job gets which token", () => {
    let config: RefarchConfig;
    let prefix: string;
    let policies: IssuerPolicy[];
    let teams: ReturnType<typeof pipelineTeams>;
    let stacks: string[];
    let permissions: { team: string; stack: string; permission: number }[];

    before(async () => {
        config = configOf(org, ROOT);
        prefix = githubSubjectPrefixOf(config.deployer)!;
        teams = pipelineTeams(config.namespace);
        const root = succeeded(await org.evaluation(ROOT));
        policies = single(root, "pulumiservice:index:OidcIssuer").inputs.policies as IssuerPolicy[];
        permissions = ofType(root, "pulumiservice:index:TeamStackPermission").map((r) => r.inputs as { team: string; stack: string; permission: number });
        stacks = org.stacks;
    });

    const main = () => `refs/heads/${config.deployments.branch}`;

    it("a pull request's jobs get the read-only preview team's token and nothing else, whatever environment they name", () => {
        const organization = config.organization;
        expect(granted(policies, teams, job(prefix, organization, "pull request", "pull_request", "refs/pull/7/merge").claims, stacks)).to.deep.equal(["preview team"]);
        for (const event of ["pull_request", "pull_request_target"]) {
            for (const environment of [...stacks, ...stacks.map(previewEnvironment)]) {
                const pr = job(prefix, organization, `${event} in ${environment}`, event, "refs/pull/7/merge", environment);
                const tokens = granted(policies, teams, pr.claims, stacks);
                expect(writeCapable(tokens), pr.what).to.deep.equal([]);
                // Only a reviewed preview environment, when the organization turned those on, gives the protected-preview team.
                expect(tokens, pr.what).to.deep.equal(config.pulumiCloud.protectedPreviews === "reviewed" && environment.startsWith("preview-") ? ["protected-preview team"] : []);
            }
        }
    });

    it("each stack's deploy job, in its environment on the deploy branch on push, gets its own stack's deploy team and no other; never an organization token", () => {
        for (const stack of stacks) {
            expect(granted(policies, teams, job(prefix, config.organization, stack, "push", main(), stack).claims, stacks), stack).to.deep.equal([`deploy team ${stack}`]);
        }
        expect(granted(policies, teams, job(prefix, config.organization, "main's stacks job", "push", main()).claims, stacks)).to.deep.equal(["preview team"]);
    });

    it("another branch, a workflow_dispatch, a look-alike repository, another Pulumi organization get nothing write-capable", () => {
        const [owner, name] = prefix.replace(/^repo:/, "").split("/");
        const lookAlikes = [`repo:${owner}/${name}-fork`, `repo:${owner}-evil/${name}`, `repo:${owner}/x${name}`];
        const attempts: Job[] = stacks.flatMap((stack) => [
            job(prefix, config.organization, `push to feature in ${stack}`, "push", "refs/heads/feature", stack),
            job(prefix, config.organization, `push to ${config.deployments.branch}-x in ${stack}`, "push", `${main()}-x`, stack),
            job(prefix, config.organization, `workflow_dispatch from feature in ${stack}`, "workflow_dispatch", "refs/heads/feature", stack),
            job(prefix, config.organization, `workflow_dispatch from the deploy branch in ${stack}`, "workflow_dispatch", main(), stack),
            job(prefix, `${config.organization}-other`, `another Pulumi organization's audience in ${stack}`, "push", main(), stack),
            ...lookAlikes.map((other) => job(other, config.organization, `${other} in ${stack}`, "push", main(), stack)),
        ]);
        for (const attempt of attempts) {
            const tokens = granted(policies, teams, attempt.claims, stacks);
            expect(writeCapable(tokens), attempt.what).to.deep.equal([]);
            expect(tokens, attempt.what).not.to.include("protected-preview team");
        }
        for (const other of lookAlikes) expect(granted(policies, teams, job(other, config.organization, other, "pull_request", "refs/pull/1/merge").claims, stacks), other).to.deep.equal([]);
        expect(granted(policies, teams, job(prefix, config.organization, "push to feature", "push", "refs/heads/feature").claims, stacks), "a branch's plain job").to.deep.equal([]);
    });

    it("root exports the issuer's id and the team names; the ids are the provider's (org/issuer id, org/team, org/project/stack/team)", async () => {
        const root = succeeded(await org.evaluation(ROOT));
        const exported = root.outputs.pulumiCloudAccess as { issuerId: string; teams: Record<string, string> };
        expect(exported.teams).to.deep.equal(teams);
        expect(exported.issuerId).to.match(new RegExp(`^${config.organization}/[0-9a-f-]{36}$`));
        const reviewed = previewAccess(stacks, stageDependencies(stacks), config.pulumiCloud.protectedPreviews).reviewed.length > 0;
        const made = [...stacks.map((s) => deployTeam(teams, s)), teams.preview, ...(reviewed ? [teams.protectedPreview] : [])].map((t) => `${config.organization}/${t}`);
        expect(ofType(root, "pulumiservice:index:Team").map((t) => t.id).sort()).to.deep.equal(made.sort());
        for (const grant of ofType(root, "pulumiservice:index:TeamStackPermission")) {
            expect(grant.id).to.equal(`${config.organization}/${org.project.name}/${grant.inputs.stack}/${grant.inputs.team}`);
        }
    });

    it("a later, broader allow (any job of the repository) still gives no pull-request job the deploy team's or an organization token: the denies win", () => {
        const broad: IssuerPolicy[] = [
            { decision: "allow", tokenType: "team", teamName: `${teams.deployPrefix}*`, rules: { aud: pulumiAudience(config.organization), sub: `${prefix}:*` } },
            { decision: "allow", tokenType: "organization", rules: { aud: pulumiAudience(config.organization), sub: `${prefix}:*` } },
        ];
        for (const event of ["pull_request", "pull_request_target"]) {
            for (const environment of [undefined, ...stacks]) {
                const pr = job(prefix, config.organization, `${event} in ${environment ?? "no environment"}`, event, "refs/pull/7/merge", environment);
                expect(writeCapable(granted([...policies, ...broad], teams, pr.claims, stacks)), pr.what).to.deep.equal([]);
            }
        }
    });

    it("the preview team reads, never writes, and reads no protected stack but those the open previews read; each deploy team writes its stack only; none is admin", () => {
        const access = previewAccess(stacks, stageDependencies(stacks), config.pulumiCloud.protectedPreviews);
        const ofTeam = (team: string) => permissions.filter((p) => p.team === team);
        expect(ofTeam(teams.preview).map((p) => p.permission)).to.satisfy((levels: number[]) => levels.length > 0 && levels.every((l) => l === 101));
        expect(ofTeam(teams.preview).map((p) => p.stack).sort()).to.deep.equal([...access.previewTeamReads].sort());
        // root and prod are read by no open preview: the pull request's token cannot read their state or secret outputs.
        for (const stack of stacks.filter((s) => access.off.includes(s) && !access.open.some((o) => stageDependencies(stacks)[o].includes(s)))) {
            expect(ofTeam(teams.preview).map((p) => p.stack), stack).not.to.include(stack);
        }
        expect(ofTeam(teams.preview).map((p) => p.stack)).not.to.include(ROOT);
        for (const stack of stacks) {
            const reads = stageDependencies(stacks)[stack].filter((s) => s !== stack);
            expect(ofTeam(deployTeam(teams, stack)).map((p) => [p.stack, p.permission]), stack).to.have.deep.members([[stack, 102], ...reads.map((s) => [s, 101])]);
        }
        expect(permissions.filter((p) => p.permission >= 103)).to.deep.equal([]);
    });
});

describe("Pulumi Cloud access in the plan, with reviewed previews of protected stacks", () => {
    const reviewedOrg = having(
        "refarch:pulumiCloud.protectedPreviews reviewed",
        (o) => configOf(o, ROOT).pulumiCloud.protectedPreviews === "reviewed",
        (files) => setProjectConfig(files, "refarch:pulumiCloud", { ...(projectConfig<object>(files, "refarch:pulumiCloud") ?? {}), protectedPreviews: "reviewed" }),
        org,
    ).org;

    it("root grants the protected-preview team Read on the protected stacks, and only their preview environments' jobs its token", async () => {
        const config = configOf(reviewedOrg, ROOT);
        const prefix = githubSubjectPrefixOf(config.deployer)!;
        const teams = pipelineTeams(config.namespace);
        const root = succeeded(await reviewedOrg.evaluation(ROOT));
        const policies = single(root, "pulumiservice:index:OidcIssuer").inputs.policies as IssuerPolicy[];
        const grants = ofType(root, "pulumiservice:index:TeamStackPermission").map((r) => r.inputs as { team: string; stack: string; permission: number });
        const stacks = reviewedOrg.stacks;
        const access = previewAccess(stacks, stageDependencies(stacks), "reviewed");
        expect(access.reviewed.length).to.be.greaterThan(0);
        expect(grants.filter((g) => g.team === teams.protectedPreview).map((g) => [g.stack, g.permission])).to.have.deep.members(access.protectedTeamReads.map((s) => [s, 101]));
        for (const stack of stacks) {
            const inPreview = job(prefix, config.organization, stack, "pull_request", "refs/pull/3/merge", previewEnvironment(stack));
            expect(granted(policies, teams, inPreview.claims, stacks), stack).to.deep.equal(access.reviewed.includes(stack) ? ["protected-preview team"] : []);
        }
        expect(granted(policies, teams, job(prefix, config.organization, "plain", "pull_request", "refs/pull/3/merge").claims, stacks)).to.deep.equal(["preview team"]);
    });
});

describe("Pulumi Cloud access: reviewed previews of protected stacks", () => {
    const prefix = "repo:octo@11/infra@22";
    const stacks = ["audit", "dev", "prod", "root"];
    const teams = pipelineTeams("octo");

    it("off (the default): no protected stack is previewed, and no issuer policy names the protected-preview team", () => {
        const access = previewAccess(stacks, stageDependencies(stacks), "off");
        expect(access.reviewed).to.deep.equal([]);
        expect(access.off.sort()).to.deep.equal(["audit", "prod", "root"]);
        const policies = githubIssuerPolicies({ organization: "o", subjectPrefix: prefix, branch: "main", deployStacks: stacks, reviewedPreviewStacks: access.reviewed, teams });
        expect(policies.filter((p) => p.teamName === teams.protectedPreview)).to.deep.equal([]);
    });

    it("reviewed: only a job in preview-<protected stack> gets the protected-preview team, and a pull request's plain job does not", () => {
        const access = previewAccess(stacks, stageDependencies(stacks), "reviewed");
        expect(access.reviewed.sort()).to.deep.equal(["audit", "prod", "root"]);
        const policies = githubIssuerPolicies({ organization: "o", subjectPrefix: prefix, branch: "main", deployStacks: stacks, reviewedPreviewStacks: access.reviewed, teams });
        const request = { tokenType: "team" as const, team: teams.protectedPreview };
        for (const stack of access.reviewed) expect(exchangeGranted(policies, job(prefix, "o", stack, "pull_request", "refs/pull/1/merge", previewEnvironment(stack)).claims, request), stack).to.equal(true);
        expect(exchangeGranted(policies, job(prefix, "o", "plain", "pull_request", "refs/pull/1/merge").claims, request)).to.equal(false);
        expect(exchangeGranted(policies, job(prefix, "o", "dev", "pull_request", "refs/pull/1/merge", previewEnvironment("dev")).claims, request)).to.equal(false);
    });
});
