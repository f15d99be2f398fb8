// Who can assume the deployment roles, as AWS would decide it, for every account: each token an attacker or the
// pipeline can present (GitHub jobs by event, ref and environment; Pulumi Deployments by operation and stack; review
// stacks; look-alike, renamed and foreign repositories and organizations) against every deployer, previewer and review
// role of the plan. The IAM simulator decides the principal and action but not OIDC claim keys
// (token.actions.githubusercontent.com:sub, api.pulumi.com/oidc:sub), which it does not evaluate; those conditions are
// evaluated on the trust document itself (claimConditionsHold via assumeRoleWithWebIdentity in src/security/access.ts).
import { expect } from "chai";
import { githubSubjectPrefixOf } from "../src/components/deployer";
import { previewOf } from "../src/components/pulumiCloudAccess";
import type { RefarchConfig } from "../src/config";
import type { StackEvaluation } from "../src/offline/engine";
import { GITHUB_OIDC_AUDIENCE, githubDeploySubject, pulumiDeploySubject, PulumiOperation, Statement } from "../src/policies";
import { assumeRoleWithWebIdentity, claimConditionsHold, rolesOf, SimulatedRole, WebIdentityToken } from "../src/security/access";
import { configOf, meeting, NEEDS, org as underTest, required, ROOT, TESTING } from "./harness";

// The organization under test, or a variant of it with a testing stage (review stacks), an org stack, a GitHub
// repository and a protected stack.
const org = meeting([NEEDS.testing, NEEDS.orgStack, NEEDS.repository, NEEDS.protectedStack], underTest);

const project = org.project;

const stacks = Object.keys(project.stackConfigs);
// Read from the organization's config in each test (beforeEach below), not when this file loads: under mutation
// testing, code run at load is credited to no test, and every mutant of validateConfig would run the whole suite.
let config: RefarchConfig;
/** The GitHub subjects' prefix (the variant always has a repository). */
let prefix: string;
let organization: string;
let branch: string;

const github = (sub: string): WebIdentityToken => ({ issuerHost: "token.actions.githubusercontent.com", sub, aud: GITHUB_OIDC_AUDIENCE });
const identityOf = (stack: string) => org.identityOf(stack);
const pulumiToken = (stack: string, operation: PulumiOperation, of = organization): WebIdentityToken => ({ issuerHost: "api.pulumi.com/oidc", sub: pulumiDeploySubject(of, project.name, stack, operation), aud: of });
const OPERATIONS: PulumiOperation[] = ["preview", "update", "refresh", "destroy"];

interface Roles {
    deployers: SimulatedRole[];
    previewers: SimulatedRole[];
    reviewers: SimulatedRole[];
}
function rolesIn(evaluations: StackEvaluation[]): Roles {
    const roles = rolesOf(evaluations);
    const ending = (suffix: string) => roles.filter((r) => r.arn.endsWith(suffix) && r.arn.split("/")[1] === `${org.namespace}-${r.stage}${suffix}`);
    return { deployers: ending("-deployer"), previewers: ending("-previewer"), reviewers: ending("-reviewer") };
}
const deploymentRoles = async (): Promise<Roles> => rolesIn([...(await org.evaluations()).values()]);
/** The ARNs of every deployment role `token` may assume. */
async function reached(token: WebIdentityToken, roles: Roles): Promise<string[]> {
    const arns: string[] = [];
    for (const role of [...roles.deployers, ...roles.previewers, ...roles.reviewers]) if ((await assumeRoleWithWebIdentity(token, role)) === "Allowed") arns.push(role.arn);
    return arns;
}

describe("security: who reaches the deployment roles through OIDC", () => {
    beforeEach(() => {
        config = configOf(org, stacks[0]);
        prefix = required(githubSubjectPrefixOf(config.deployer), "a GitHub repository");
        organization = config.organization;
        branch = config.deployments.branch;
    });

    it("every account has one previewer, and one deployer unless nobody may deploy it; only testing has a review role", async () => {
        const { deployers, previewers, reviewers } = await deploymentRoles();
        const accounts = [...new Set(stacks.map(identityOf))].sort();
        expect(deployers.map((r) => r.stage).sort()).to.deep.equal(accounts);
        expect(previewers.map((r) => r.stage).sort()).to.deep.equal(accounts);
        expect(reviewers.map((r) => r.stage)).to.deep.equal([TESTING]);
        expect(reviewers[0].arn, "not named like the deployers, which guardrails may exempt").not.to.match(/-deployer$/);
    });

    it("GitHub's deploy job from the deploy branch in stack X's environment reaches X's account's deployer only", async () => {
        const roles = await deploymentRoles();
        for (const stack of stacks) {
            const deployer = roles.deployers.find((d) => d.stage === identityOf(stack))!;
            expect(await reached(github(githubDeploySubject(prefix, stack, branch)), roles), stack).to.deep.equal([deployer.arn]);
        }
    });

    it("a pull request reaches every previewer and nothing else, even naming an environment; so does no other branch, nor a job without the customized subject", async () => {
        const roles = await deploymentRoles();
        // Only accounts with a stack previewed openly on pull requests (refarch:pulumiCloud.protectedPreviews): the others' previewers admit none.
        const open = (stage: string) => stacks.some((stack) => identityOf(stack) === stage && previewOf(stack, config.pulumiCloud.protectedPreviews) === "open");
        const previewers = roles.previewers.filter((r) => open(r.stage)).map((r) => r.arn);
        expect(previewers, "some account is previewed openly").to.not.be.empty;
        expect(await reached(github(`${prefix}:pull_request:ref:refs/pull/7/merge`), roles)).to.have.members(previewers);
        for (const stack of stacks) {
            const denied = [
                `${prefix}:environment:${stack}:ref:refs/pull/7/merge`, // a pull request's workflow edited to name the environment
                `${prefix}:environment:${stack}:ref:refs/heads/${branch}-evil`, // another branch with the environment
                `${prefix}:environment:${stack}:ref:refs/tags/v1`, // a tag
                `${prefix}:environment:${stack}`, // GitHub's default subject: the customization is off, so nothing matches (fail closed)
                `${prefix}:ref:refs/heads/${branch}:ref:refs/heads/${branch}`, // the deploy branch without the environment
                `${prefix}:environment:${stack}:ref:refs/heads/${branch}:job_workflow_ref:x`, // more claims than the trust names
            ];
            for (const sub of denied) expect(await reached(github(sub), roles), sub).to.deep.equal([]);
        }
        expect(await reached(github(`${prefix}:pull_request`), roles), "a pull request without the customized subject").to.deep.equal([]);
    });

    it("a look-alike repository or owner, another audience, or a repository elsewhere reaches nothing, with any subject of ours", async () => {
        const roles = await deploymentRoles();
        const [owner, name] = config.deployer.githubRepository!.split("/");
        const ours = [...stacks.map((stack) => `:environment:${stack}:ref:refs/heads/${branch}`), ":pull_request:ref:refs/pull/7/merge"];
        const strangers = [`repo:${owner}/${name}-fork`, `repo:${owner}-evil/${name}`, `repo:${owner}/${name}.evil`, `repo:mallory/${name}`];
        for (const stranger of strangers) for (const rest of ours) expect(await reached(github(`${stranger}${rest}`), roles), `${stranger}${rest}`).to.deep.equal([]);
        for (const rest of ours) expect(await reached({ ...github(`${prefix}${rest}`), aud: `https://github.com/${owner}` }, roles), `aud -> ${rest}`).to.deep.equal([]);
    });

    it("a renamed owner: with refarch:deployer.githubRepositoryIds the trust names the owner's id, so the old name re-registered (another id) reaches nothing", async () => {
        const [owner, name] = config.deployer.githubRepository!.split("/");
        const ids = { owner: 1357911, repository: 2468102 };
        const trial = org.trialStack;
        const variant = await org.evaluateWith(trial, { "refarch:deployer": JSON.stringify({ ...org.deployer, githubRepositoryIds: ids, githubSubjectPrefix: undefined }) });
        expect(variant.error).to.equal(undefined);
        const roles = rolesIn([variant]);
        const deployer = roles.deployers.map((d) => d.arn);
        const job = (repo: string) => github(`${repo}:environment:${trial}:ref:refs/heads/${branch}`);
        expect(await reached(job(`repo:${owner}@${ids.owner}/${name}@${ids.repository}`), roles)).to.deep.equal(deployer);
        expect(await reached(job(`repo:${owner}@9999999/${name}@${ids.repository}`), roles), "the old owner name, now another owner").to.deep.equal([]);
        expect(await reached(job(`repo:${owner}@${ids.owner}/${name}@9999999`), roles), "a re-created repository").to.deep.equal([]);
        expect(await reached(job(`repo:${owner}/${name}`), roles), "the mutable form").to.deep.equal([]);
    });

    it("a protected stage's previewer: pull requests reach it only from its reviewed preview-<stack> environment, or not at all (refarch:pulumiCloud.protectedPreviews)", async () => {
        const stack = required(stacks.find((s) => previewOf(s, "reviewed") === "reviewed" && org.identityOf(s) === s && org.ownsAccount(s)), "a protected stage owning its account");
        const plain = github(`${prefix}:pull_request:ref:refs/pull/7/merge`);
        const inEnvironment = (env: string) => github(`${prefix}:environment:${env}:ref:refs/pull/7/merge`);
        for (const mode of ["off", "reviewed"] as const) {
            const variant = await org.evaluateWith(stack, { "refarch:pulumiCloud": JSON.stringify({ protectedPreviews: mode }) });
            expect(variant.error).to.equal(undefined);
            const { previewers } = rolesIn([variant]);
            expect(previewers, mode).to.have.length(1);
            const only = { deployers: [], previewers, reviewers: [] };
            expect(await reached(plain, only), `${mode}: a pull request's plain job`).to.deep.equal([]);
            expect(await reached(inEnvironment(`preview-${stack}`), only), `${mode}: in preview-${stack}`).to.deep.equal(mode === "reviewed" ? [previewers[0].arn] : []);
            expect(await reached(inEnvironment(`preview-${stack}-x`), only), `${mode}: a look-alike environment`).to.deep.equal([]);
            expect(await reached(github(`${prefix}:environment:preview-${stack}:ref:refs/heads/${branch}-evil`), only), `${mode}: the environment from a branch`).to.deep.equal([]);
        }
    });

    it("Pulumi Deployments: a preview of X reaches X's previewer only; update, refresh and destroy X's deployer only, and nothing for a protected stack or the org stack", async () => {
        const roles = await deploymentRoles();
        required(stacks.find((s) => org.isProtected(s)), "a protected stack");
        for (const stack of stacks) {
            const previewer = roles.previewers.find((d) => d.stage === identityOf(stack))!;
            expect(await reached(pulumiToken(stack, "preview"), roles), `${stack} preview`).to.deep.equal([previewer.arn]);
            // Pulumi Cloud has no approval before a stack's deployment: a protected stack changes only through GitHub's environment.
            const changes = org.isProtected(stack) || org.kindOf(stack) === "organization" ? [] : [roles.deployers.find((d) => d.stage === identityOf(stack))!.arn];
            for (const op of ["update", "refresh", "destroy"] as const) expect(await reached(pulumiToken(stack, op), roles), `${stack} ${op}`).to.deep.equal(changes);
        }
    });

    it("review stacks (refarch:deployer.reviewStacks) reach testing's review role for every operation, and no deployer or previewer", async function () {
        required(org.has(TESTING), "no testing stage, the only one that hosts review stacks");
        const roles = await deploymentRoles();
        const review = config.deployer.reviewStacks.replace(/\*/g, "42");
        for (const op of OPERATIONS) expect(await reached(pulumiToken(review, op), roles), `${review} ${op}`).to.deep.equal([roles.reviewers[0].arn]);
        // Nothing else reaches the review role: the testing stack itself, GitHub jobs of any kind.
        for (const op of OPERATIONS) expect(await reached(pulumiToken(TESTING, op), { ...roles, deployers: [], previewers: [] }), `${TESTING} ${op}`).to.deep.equal([]);
        for (const sub of [`${prefix}:pull_request:ref:refs/pull/7/merge`, githubDeploySubject(prefix, TESTING, branch)]) expect(await reached(github(sub), { ...roles, deployers: [], previewers: [] }), sub).to.deep.equal([]);
    });

    it("another Pulumi organization or project reaches nothing, for any operation on any stack", async () => {
        const roles = await deploymentRoles();
        const review = config.deployer.reviewStacks.replace(/\*/g, "42");
        for (const stack of [...stacks, review]) {
            for (const op of OPERATIONS) {
                const ours = pulumiToken(stack, op);
                const strangers: WebIdentityToken[] = [
                    pulumiToken(stack, op, "mallory-org"),
                    { ...ours, aud: "mallory-org" },
                    { ...ours, sub: pulumiDeploySubject("mallory-org", project.name, stack, op) },
                    { ...ours, sub: pulumiDeploySubject(organization, "other-project", stack, op) },
                ];
                for (const token of strangers) expect(await reached(token, roles), `${token.sub} (${token.aud})`).to.deep.equal([]);
            }
        }
    });

    it("the org stack previews as root's previewer and deploys only through GitHub, as root's deployer (the management account's)", async function () {
        const orgStack = required(org.find((s) => org.kindOf(s) === "organization"), "no org stack (the AWS Organization is not managed)");
        const roles = await deploymentRoles();
        const rootOf = (list: SimulatedRole[]) => [list.find((r) => r.stage === ROOT)!.arn];
        expect(await reached(pulumiToken(orgStack, "preview"), roles)).to.deep.equal(rootOf(roles.previewers));
        expect(await reached(pulumiToken(orgStack, "update"), roles)).to.deep.equal([]);
        expect(await reached(github(githubDeploySubject(prefix, orgStack, branch)), roles)).to.deep.equal(rootOf(roles.deployers));
    });

    it("the claim evaluator follows IAM: keys ANDed, values ORed, StringLike wildcards; a missing claim fails", () => {
        const condition = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": ["repo:a/b:pull_request", "repo:a/b:environment:d?v*"] } };
        const claims = (sub: string, aud = "sts.amazonaws.com") => ({ "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud });
        expect(claimConditionsHold(condition, claims("repo:a/b:pull_request"))).to.equal(true);
        expect(claimConditionsHold(condition, claims("repo:a/b:environment:dev-1"))).to.equal(true);
        expect(claimConditionsHold(condition, claims("repo:a/b:environment:prod"))).to.equal(false);
        expect(claimConditionsHold(condition, claims("repo:a/b:pull_request", "other"))).to.equal(false);
        expect(claimConditionsHold(condition, { "token.actions.githubusercontent.com:sub": "repo:a/b:pull_request" })).to.equal(false);
        expect(claimConditionsHold({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:a.b:*" } }, claims("repo:aXb:x")), "a dot is literal").to.equal(false);
        expect(claimConditionsHold({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:a.b:*" } }, claims("repo:a.b:x")), "and matches itself").to.equal(true);
        expect(claimConditionsHold({ StringLike: { "token.actions.githubusercontent.com:sub": "*" } }, {}), "even * fails on a missing claim").to.equal(false);
        const both = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:a/b:pull_request" } };
        expect(claimConditionsHold(both, claims("repo:a/b:environment:prod")), "two keys under one operator: both must hold").to.equal(false);
        expect(() => claimConditionsHold({ StringNotEquals: { "token.actions.githubusercontent.com:sub": "x" } }, claims("y"))).to.throw(
            "claim condition StringNotEquals on token.actions.githubusercontent.com:sub is not evaluated here",
        );
    });

    describe("on trust policies written out here", () => {
        const ACCOUNT = "111111111111";
        const PULUMI_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/api.pulumi.com/oidc`;
        const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        const WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";
        const token: WebIdentityToken = { issuerHost: "api.pulumi.com/oidc", sub: "pulumi:deploy:org:acme:project:refarch:stack:dev:operation:update:scope:write", aud: "acme" };
        const holds = { StringEquals: { "api.pulumi.com/oidc:aud": "acme" }, StringLike: { "api.pulumi.com/oidc:sub": "pulumi:deploy:org:acme:*" } };
        const fails = { StringEquals: { "api.pulumi.com/oidc:aud": "acme" }, StringLike: { "api.pulumi.com/oidc:sub": "pulumi:deploy:org:other:*" } };
        const trusting = (...statements: Statement[]): SimulatedRole => ({ stage: "dev", role: "r", arn: `arn:aws:iam::${ACCOUNT}:role/r`, accountId: ACCOUNT, trust: { Version: "2012-10-17", Statement: statements } });
        const web = (provider: string, action: string, condition: Statement["Condition"]): Statement => ({ Effect: "Allow", Principal: { Federated: provider }, Action: action, Condition: condition });

        it("the claims count only on a statement for the token's provider and sts:AssumeRoleWithWebIdentity", async () => {
            expect(await assumeRoleWithWebIdentity(token, trusting(web(PULUMI_PROVIDER, WEB_IDENTITY, holds)))).to.equal("Allowed");
            expect(await assumeRoleWithWebIdentity(token, trusting(web(PULUMI_PROVIDER, "sts:TagSession", holds), web(PULUMI_PROVIDER, WEB_IDENTITY, fails)))).to.equal("ImplicitlyDenied");
            expect(await assumeRoleWithWebIdentity(token, trusting(web(GITHUB_PROVIDER, WEB_IDENTITY, holds), web(PULUMI_PROVIDER, WEB_IDENTITY, fails)))).to.equal("ImplicitlyDenied");
        });

        it("a condition beside the claims is the simulator's to decide, and still counts", async () => {
            expect(await assumeRoleWithWebIdentity(token, trusting(web(PULUMI_PROVIDER, WEB_IDENTITY, { ...holds, Null: { "aws:SourceIdentity": "true" } })))).to.equal("Allowed");
            const elsewhere = { ...holds, StringEquals: { ...holds.StringEquals, "aws:RequestedRegion": "eu-west-1" } };
            expect(await assumeRoleWithWebIdentity(token, trusting(web(PULUMI_PROVIDER, WEB_IDENTITY, elsewhere)))).to.equal("ImplicitlyDenied");
        });

        it("a trust policy with a Deny statement is refused, not proved", async () => {
            const role = trusting(web(PULUMI_PROVIDER, WEB_IDENTITY, holds), { Effect: "Deny", Principal: "*", Action: WEB_IDENTITY });
            let error: Error | undefined;
            await assumeRoleWithWebIdentity(token, role).catch((err: Error) => (error = err));
            expect(error?.message).to.equal(`${role.arn}: a trust policy with Deny statements needs the full evaluator`);
        });
    });
});
