// The deployment identity: every account trusts Pulumi Cloud's OIDC issuer, and its deployer role may be
// assumed only by deployments of this project's own stack there (and, in testing, its review stacks);
// never by the root account. A review stack in the testing account shares no physical name with testing.
import { expect } from "chai";
import { ConfigError } from "../src/config";
import type { StackEvaluation } from "../src/offline/engine";
import { created, ofType, org, orSkip, policyDocument, ROOT, single, statement, TESTING } from "./harness";

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const sub = (stack: string) => `pulumi:deploy:org:${org.organization}:project:${org.name}:stack:${stack}:operation:*:scope:write`;
const oidcProvider = (stack: string, issuer: string) => `arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:oidc-provider/${issuer}`;
const deployerRole = (stack: string) => `${org.namePrefix(stack)}-deployer`;
/** refarch:deployer with some settings changed, as a config value. */
const deployerWith = (changes: Record<string, unknown>) => JSON.stringify({ ...org.deployer, ...changes });
/** A review stack as Pulumi Deployments makes one from the testing template: testing's config, its own name. */
const reviewStack = (name: string) =>
    org.evaluateWith(name, { "refarch:stage": TESTING }, { project: { ...org.project, stackConfigs: { [name]: org.project.stackConfigs[TESTING] } } });

/** Every physical name a stack's resources carry: IAM names, bucket, trail, alias. */
const physicalNames = (evaluation: StackEvaluation): string[] =>
    created(evaluation)
        .filter((r) => r.custom)
        .map((r) => (r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" ? String(r.inputs.url) : String(r.inputs.name ?? r.inputs.bucket ?? "")))
        .filter((n) => n !== "" && n !== "undefined");

describe("deployer identity", () => {
    for (const stack of org.stacks.filter((s) => org.ownsAccount(s))) {
        it(`${stack}: an OIDC provider for Pulumi Cloud whose audience is the organization, and ${deployerRole(stack)} trusted only by deployments of this stack`, async function () {
            orSkip(this, org.deployer.enabled !== false, "refarch:deployer.enabled is false");
            const evaluation = await org.evaluation(stack);
            const provider = single(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "deployer-pulumi-oidc");
            expect(provider.inputs).to.deep.include({ url: "https://api.pulumi.com/oidc", clientIdLists: [org.organization] });
            const role = single(evaluation, "aws:iam/role:Role", "deployer-role");
            expect(role.inputs.name).to.equal(deployerRole(stack));
            const trust = policyDocument(role, "assumeRolePolicy");
            expect(trust.Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack", ...(org.repository ? ["GitHubActionsOfThisRepository"] : [])]);
            const only = statement(trust, "PulumiDeploymentsOfThisStack");
            expect(only.Principal).to.deep.equal({ Federated: oidcProvider(stack, "api.pulumi.com/oidc") });
            expect(only.Action).to.equal("sts:AssumeRoleWithWebIdentity");
            expect(only.Condition).to.deep.equal({
                StringEquals: { "api.pulumi.com/oidc:aud": org.organization },
                StringLike: { "api.pulumi.com/oidc:sub": stack === TESTING ? [sub(TESTING), sub(org.deployer.reviewStacks ?? "pr-*")] : [sub(stack)] },
            });
            expect(trust.Statement.filter((s) => s.Principal === "*" || s.Principal?.AWS !== undefined), "no AWS principal (the root account) may be trusted").to.deep.equal([]);
            expect(evaluation.outputs.deployerRoleArn).to.equal(`arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:role/${deployerRole(stack)}`);
        });
    }

    it("the deployer role gets AdministratorAccess by default, or exactly refarch:deployer.policyArns", async () => {
        const stack = org.trialStack;
        const policiesOf = (e: StackEvaluation) =>
            ofType(e, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === deployerRole(stack)).map((a) => a.inputs.policyArn);
        expect(policiesOf(await org.evaluateWith(stack, { "refarch:deployer": deployerWith({ enabled: true, policyArns: undefined }) }))).to.deep.equal([ADMINISTRATOR_ACCESS]);
        const custom = `arn:aws:iam::${org.accountOf(ROOT)}:policy/refarch-deploy`;
        expect(policiesOf(await org.evaluateWith(stack, { "refarch:deployer": deployerWith({ enabled: true, policyArns: [custom] }) }))).to.deep.equal([custom]);
    });

    it("with githubRepository, GitHub Actions of that repository may assume it on pull requests and in the stack's environment", async () => {
        const stack = org.trialStack;
        const repository = org.repository ?? "example/infrastructure";
        const evaluation = await org.evaluateWith(stack, { "refarch:deployer": deployerWith({ enabled: true, githubRepository: repository }) });
        const providers = ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]);
        expect(providers).to.deep.equal([["https://api.pulumi.com/oidc", [org.organization]], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]]);
        const github = policyDocument(single(evaluation, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.find((s) => s.Sid === "GitHubActionsOfThisRepository");
        expect(github?.Principal).to.deep.equal({ Federated: oidcProvider(stack, "token.actions.githubusercontent.com") });
        expect(github?.Condition).to.deep.equal({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": [`repo:${repository}:pull_request`, `repo:${repository}:environment:${stack}`],
            },
        });
    });

    it("without githubRepository, only Pulumi Deployments are trusted and there is no GitHub provider", async () => {
        const stack = org.trialStack;
        const evaluation = await org.evaluateWith(stack, { "refarch:deployer": deployerWith({ enabled: true, githubRepository: undefined }) });
        expect(ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.inputs.url)).to.deep.equal(["https://api.pulumi.com/oidc"]);
        expect(policyDocument(single(evaluation, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack"]);
    });

    it("refarch:deployer.enabled false creates neither the provider nor the role", async () => {
        const stack = org.trialStack;
        const evaluation = await org.evaluateWith(stack, { "refarch:deployer": deployerWith({ enabled: false }) });
        expect(evaluation.error).to.equal(undefined);
        expect(ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(ofType(evaluation, "aws:iam/role:Role").map((r) => r.inputs.name)).to.deep.equal(org.roleNames.map((role) => `${org.namePrefix(stack)}-${role}`));
        expect(evaluation.outputs).not.to.have.property("deployerRoleArn");
    });

    it("refuses bad refarch:deployer settings, all at once, with nothing created", async () => {
        const bad = { enabled: "yes", policyArns: ["AdministratorAccess"], githubRepository: "https://github.com/acme/refarch", reviewStacks: "pr 42", extra: 1 };
        const evaluation = await org.evaluateWith(org.trialStack, { "refarch:deployer": JSON.stringify(bad) });
        expect(evaluation.error).to.be.instanceOf(ConfigError);
        expect(created(evaluation)).to.deep.equal([]);
        const message = evaluation.error!.message;
        expect(message).to.include(`refarch:deployer.enabled: "yes" must be true or false`);
        expect(message).to.include(`refarch:deployer.policyArns: ["AdministratorAccess"] must be a non-empty list of IAM managed policy ARNs`);
        expect(message).to.include(`refarch:deployer.githubRepository: "https://github.com/acme/refarch" must be a GitHub repository as owner/name`);
        expect(message).to.include(`refarch:deployer.reviewStacks: "pr 42" must be a stack-name pattern`);
        expect(message).to.include("refarch:deployer.extra: 1 is not a deployer setting");
        expect(message).to.include("edit refarch:deployer.enabled under config: in Pulumi.yaml");
    });

    it("refuses a role of refarch:roles named deployer, which would collide with the deployer role", async () => {
        const roles = { ...org.roles, deployer: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } };
        const evaluation = await org.evaluateWith(org.trialStack, { "refarch:roles": JSON.stringify(roles), "refarch:deployer": deployerWith({ enabled: true }) });
        expect(evaluation.error?.message).to.include(`refarch:roles.deployer: "deployer" has the name of the deployment role`);
    });
});

describe("review stacks", () => {
    before(function () {
        orSkip(this, org.has(TESTING), "no testing stage, the only one that hosts review stacks");
    });

    it("pr-42 with testing's config evaluates in the testing account and shares no physical name with the testing stack", async () => {
        const testing = await org.evaluation(TESTING);
        const review = await reviewStack("pr-42");
        expect(review.error).to.equal(undefined);
        expect(review.stage).to.equal(TESTING);
        const ours = physicalNames(review);
        expect(ours).to.include.members(org.roleNames.map((role) => `${org.namespace}-pr-42-${role}`));
        expect(ours.filter((n) => physicalNames(testing).includes(n))).to.deep.equal([]);
    });

    it("a review stack creates no second trail and no second OIDC provider: the testing stack's serve the whole account", async () => {
        const review = await reviewStack("pr-42");
        expect(ofType(review, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(ofType(review, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(review.outputs).to.have.keys("accountId", "roles");
        expect(review.outputs.accountId).to.equal(org.accountOf(TESTING));
    });
});

describe("stacks named other than their stage", () => {
    it("are refused outside testing, where one-per-account resources would collide", async () => {
        const stage = org.stages.find((s) => s !== TESTING)!;
        const copy = await org.evaluateWith(`${stage}-copy`, { ...org.config(stage), "refarch:stage": stage });
        expect(copy.error).to.be.instanceOf(ConfigError);
        expect(copy.error!.message).to.include(`refarch:stage: "${stage}" on stack "${stage}-copy": only the testing account hosts stacks named other than their stage`);
        expect(created(copy)).to.deep.equal([]);
    });
});
