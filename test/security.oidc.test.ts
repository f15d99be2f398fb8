// Who can assume the deployment roles, as AWS would decide it, for every account: a pull-request token (GitHub's
// pull_request, or Pulumi Deployments' preview) reaches that account's read-only previewer and never its admin
// deployer; a GitHub job in the environment named after stack X, or a Pulumi deployment of X for update, refresh or
// destroy, reaches X's deployer and no other account's. The IAM simulator decides the principal and action but not
// OIDC claim keys (token.actions.githubusercontent.com:sub, api.pulumi.com/oidc:sub), which it does not evaluate;
// those conditions are evaluated on the trust document itself (assumeRoleWithWebIdentity in src/security/access.ts).
import { expect } from "chai";
import { githubSubjectPrefixOf } from "../src/components/deployer";
import { RefarchConfig, validateConfig } from "../src/config";
import { DEFAULT_ORGANIZATION } from "../src/offline/engine";
import { stackConfig } from "../src/project";
import { GITHUB_OIDC_AUDIENCE, githubEnvironmentSubject, githubPullRequestSubject, pulumiDeploySubject, PulumiOperation, Statement } from "../src/policies";
import { assumeRoleWithWebIdentity, claimConditionsHold, rolesOf, SimulatedRole, WebIdentityToken } from "../src/security/access";
import { meeting, NEEDS, org as underTest, required, ROOT, TESTING } from "./harness";

// The organization under test, or a variant of it with a testing stage (review stacks) and an org stack.
const org = meeting([NEEDS.testing, NEEDS.orgStack], underTest);

const project = org.project;

const stacks = Object.keys(project.stackConfigs);
// Read from the organization's config in each test (beforeEach below), not when this file loads: under mutation
// testing, code run at load is credited to no test, and every mutant of validateConfig would run the whole suite.
let config: RefarchConfig;
/** The GitHub subjects' prefix: undefined when no repository is configured, and then no GitHub token is trusted. */
let prefix: string | undefined;
let organization: string;

const github = (sub: string): WebIdentityToken => ({ issuerHost: "token.actions.githubusercontent.com", sub, aud: GITHUB_OIDC_AUDIENCE });
const identityOf = (stack: string) => org.identityOf(stack);
const pulumiToken = (stack: string, operation: PulumiOperation): WebIdentityToken => ({ issuerHost: "api.pulumi.com/oidc", sub: pulumiDeploySubject(organization, project.name, stack, operation), aud: organization });

async function deploymentRoles(): Promise<{ deployers: SimulatedRole[]; previewers: SimulatedRole[] }> {
    const roles = rolesOf([...(await org.evaluations()).values()]);
    return { deployers: roles.filter((r) => r.arn.endsWith("-deployer")), previewers: roles.filter((r) => r.arn.endsWith("-previewer")) };
}

describe("security: who reaches the deployment roles through OIDC", () => {
    beforeEach(() => {
        config = validateConfig({ organization: DEFAULT_ORGANIZATION, project: project.name, stack: stacks[0], values: stackConfig(project, stacks[0]) });
        prefix = githubSubjectPrefixOf(config.deployer);
        organization = config.organization;
    });

    it("every account has one deployer and one previewer", async () => {
        const { deployers, previewers } = await deploymentRoles();
        const accounts = [...new Set(stacks.map(identityOf))].sort();
        expect(deployers.map((r) => r.stage).sort()).to.deep.equal(accounts);
        expect(previewers.map((r) => r.stage).sort()).to.deep.equal(accounts);
    });

    it("a pull-request token, GitHub's or Pulumi's preview, reaches the previewer of every account and no deployer", async () => {
        const { deployers, previewers } = await deploymentRoles();
        for (const previewer of previewers) {
            if (prefix) expect(await assumeRoleWithWebIdentity(github(githubPullRequestSubject(prefix)), previewer), previewer.arn).to.equal("Allowed");
            expect(await assumeRoleWithWebIdentity(pulumiToken(previewer.stage, "preview"), previewer), previewer.arn).to.equal("Allowed");
        }
        for (const deployer of deployers) {
            for (const stack of stacks) {
                if (prefix) expect(await assumeRoleWithWebIdentity(github(githubPullRequestSubject(prefix)), deployer), deployer.arn).not.to.equal("Allowed");
                expect(await assumeRoleWithWebIdentity(pulumiToken(stack, "preview"), deployer), `${stack} preview -> ${deployer.arn}`).not.to.equal("Allowed");
            }
        }
    });

    it("a GitHub job in stack X's environment, or a Pulumi update, refresh or destroy of X, reaches the deployer of X's account only, and no previewer", async () => {
        const { deployers, previewers } = await deploymentRoles();
        for (const stack of stacks) {
            const tokens = [...(prefix ? [github(githubEnvironmentSubject(prefix, stack))] : []), ...(["update", "refresh", "destroy"] as const).map((op) => pulumiToken(stack, op))];
            for (const token of tokens) {
                const reached = [];
                for (const role of [...deployers, ...previewers]) if ((await assumeRoleWithWebIdentity(token, role)) === "Allowed") reached.push(role.arn);
                expect(reached, `${token.sub}`).to.deep.equal([deployers.find((d) => d.stage === identityOf(stack))!.arn]);
            }
        }
    });

    it("the org stack previews as root's previewer and deploys as root's deployer (the management account's), and no other account's roles admit it", async function () {
        const orgStack = required(org.find((s) => org.kindOf(s) === "organization"), "no org stack (the AWS Organization is not managed)");
        const { deployers, previewers } = await deploymentRoles();
        const admitted = async (token: WebIdentityToken, roles: SimulatedRole[]) => {
            const reached: string[] = [];
            for (const role of roles) if ((await assumeRoleWithWebIdentity(token, role)) === "Allowed") reached.push(role.stage);
            return reached;
        };
        expect(await admitted(pulumiToken(orgStack, "preview"), previewers)).to.deep.equal([ROOT]);
        expect(await admitted(pulumiToken(orgStack, "update"), deployers)).to.deep.equal([ROOT]);
        if (prefix) expect(await admitted(github(githubEnvironmentSubject(prefix, orgStack)), deployers)).to.deep.equal([ROOT]);
    });

    it("another repository, organization or project reaches nothing, even with a pull_request or environment subject", async () => {
        const { deployers, previewers } = await deploymentRoles();
        const strangers: WebIdentityToken[] = [
            github("repo:mallory/refarch:pull_request"),
            github(`repo:mallory/refarch:environment:${stacks[0]}`),
            ...(prefix ? [{ ...github(githubPullRequestSubject(prefix)), aud: "https://github.com/mallory" }] : []),
            { ...pulumiToken(stacks[0], "update"), aud: "mallory-org" },
            { issuerHost: "api.pulumi.com/oidc", sub: pulumiDeploySubject(organization, "other-project", stacks[0], "update"), aud: organization },
        ];
        for (const role of [...deployers, ...previewers]) {
            for (const token of strangers) expect(await assumeRoleWithWebIdentity(token, role), `${token.sub} (${token.aud}) -> ${role.arn}`).not.to.equal("Allowed");
        }
    });

    it("review stacks (refarch:deployer.reviewStacks) reach the testing deployer for update and the testing previewer for preview, nothing elsewhere", async function () {
        required(org.has(TESTING), "no testing stage, the only one that hosts review stacks");
        const { deployers, previewers } = await deploymentRoles();
        const review = config.deployer.reviewStacks.replace("*", "42");
        for (const role of [...deployers, ...previewers]) {
            const isTesting = role.stage === TESTING;
            expect(await assumeRoleWithWebIdentity(pulumiToken(review, "update"), role), role.arn).to.equal(isTesting && role.arn.endsWith("-deployer") ? "Allowed" : "ImplicitlyDenied");
            expect(await assumeRoleWithWebIdentity(pulumiToken(review, "preview"), role), role.arn).to.equal(isTesting && role.arn.endsWith("-previewer") ? "Allowed" : "ImplicitlyDenied");
        }
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
