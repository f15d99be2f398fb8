// The deployment identity: every account trusts Pulumi Cloud's OIDC issuer, and its deployer role may be
// assumed only by deployments of this project's own stack there (and, in testing, its review stacks);
// never by the root account. A review stack in the testing account shares no physical name with testing.
import { expect } from "chai";
import { ConfigError } from "../src/config";
import { configValue, created, evaluateWith, ofType, policyDocument, project, SHIPPED_STACKS, shippedStack, single, statement } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
/** A review stack as Pulumi Deployments makes one from the testing template: testing's config, its own name. */
const reviewStack = (name: string) => evaluateWith(name, {}, { project: { ...project, stackConfigs: { [name]: project.stackConfigs.testing } } });
const sub = (stack: string) => `pulumi:deploy:org:acme-org:project:refarch:stack:${stack}:operation:*:scope:write`;

/** Every physical name a stack's resources carry: IAM names, bucket, trail, alias. */
const physicalNames = (evaluation: Awaited<ReturnType<typeof shippedStack>>): string[] =>
    created(evaluation)
        .filter((r) => r.custom)
        .map((r) => (r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" ? String(r.inputs.url) : String(r.inputs.name ?? r.inputs.bucket ?? "")))
        .filter((n) => n !== "" && n !== "undefined");

describe("deployer identity", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: an OIDC provider for Pulumi Cloud whose audience is the organization, and acme-${stack}-deployer trusted only by deployments of this stack`, async () => {
            const evaluation = await shippedStack(stack);
            const provider = single(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "deployer-pulumi-oidc");
            expect(provider.inputs).to.deep.include({ url: "https://api.pulumi.com/oidc", clientIdLists: ["acme-org"] });
            const role = single(evaluation, "aws:iam/role:Role", "deployer-role");
            expect(role.inputs.name).to.equal(`acme-${stack}-deployer`);
            const trust = policyDocument(role, "assumeRolePolicy");
            expect(trust.Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack", "GitHubActionsOfThisRepository"]);
            const only = statement(trust, "PulumiDeploymentsOfThisStack");
            expect(only.Principal).to.deep.equal({ Federated: `arn:aws:iam::${accounts[stack]}:oidc-provider/api.pulumi.com/oidc` });
            expect(only.Action).to.equal("sts:AssumeRoleWithWebIdentity");
            expect(only.Condition).to.deep.equal({
                StringEquals: { "api.pulumi.com/oidc:aud": "acme-org" },
                StringLike: { "api.pulumi.com/oidc:sub": stack === "testing" ? [sub("testing"), sub("pr-*")] : [sub(stack)] },
            });
            expect(trust.Statement.filter((s) => s.Principal === "*" || s.Principal?.AWS !== undefined), "no AWS principal (the root account) may be trusted").to.deep.equal([]);
            expect(evaluation.outputs.deployerRoleArn).to.equal(`arn:aws:iam::${accounts[stack]}:role/acme-${stack}-deployer`);
        });
    }

    it("the deployer role gets AdministratorAccess by default, or exactly refarch:deployer.policyArns", async () => {
        const policiesOf = (e: Awaited<ReturnType<typeof shippedStack>>) =>
            ofType(e, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "acme-dev-deployer").map((a) => a.inputs.policyArn);
        expect(policiesOf(await shippedStack("dev"))).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess"]);
        const custom = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ policyArns: ["arn:aws:iam::444444444444:policy/refarch-deploy"] }) });
        expect(policiesOf(custom)).to.deep.equal(["arn:aws:iam::444444444444:policy/refarch-deploy"]);
    });

    it("with githubRepository (shipped: acme/refarch), GitHub Actions of that repository may assume it on pull requests and in the stack's environment", async () => {
        const prod = await shippedStack("prod");
        const providers = ofType(prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]);
        expect(providers).to.deep.equal([["https://api.pulumi.com/oidc", ["acme-org"]], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]]);
        const github = policyDocument(single(prod, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.find((s) => s.Sid === "GitHubActionsOfThisRepository");
        expect(github?.Principal).to.deep.equal({ Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" });
        expect(github?.Condition).to.deep.equal({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": ["repo:acme/refarch:pull_request", "repo:acme/refarch:environment:prod"],
            },
        });
    });

    it("without githubRepository, only Pulumi Deployments are trusted and there is no GitHub provider", async () => {
        const prod = await evaluateWith("prod", { "refarch:deployer": "{}" });
        expect(ofType(prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.inputs.url)).to.deep.equal(["https://api.pulumi.com/oidc"]);
        expect(policyDocument(single(prod, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack"]);
    });

    it("refarch:deployer.enabled false creates neither the provider nor the role", async () => {
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ enabled: false }) });
        expect(dev.error).to.equal(undefined);
        expect(ofType(dev, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(ofType(dev, "aws:iam/role:Role").map((r) => r.inputs.name)).to.deep.equal(["acme-dev-admin", "acme-dev-readonly"]);
        expect(dev.outputs).not.to.have.property("deployerRoleArn");
    });

    it("refuses bad refarch:deployer settings, all at once, with nothing created", async () => {
        const bad = { enabled: "yes", policyArns: ["AdministratorAccess"], githubRepository: "https://github.com/acme/refarch", reviewStacks: "pr 42", extra: 1 };
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify(bad) });
        expect(dev.error).to.be.instanceOf(ConfigError);
        expect(created(dev)).to.deep.equal([]);
        const message = dev.error!.message;
        expect(message).to.include(`refarch:deployer.enabled: "yes" must be true or false`);
        expect(message).to.include(`refarch:deployer.policyArns: "AdministratorAccess" is not an IAM managed policy ARN`);
        expect(message).to.include(`refarch:deployer.githubRepository: "https://github.com/acme/refarch" must be a GitHub repository as owner/name`);
        expect(message).to.include(`refarch:deployer.reviewStacks: "pr 42" must be a stack-name pattern`);
        expect(message).to.include("Pulumi.yaml: refarch:deployer.extra: 1 is not a setting of refarch:deployer (valid: enabled, policyArns, githubRepository, reviewStacks)");
        expect(message).to.include("Fix: in Pulumi.yaml, under config: refarch:deployer: value: set enabled: true");
    });

    it("refuses a role of refarch:roles named deployer, which would collide with the deployer role", async () => {
        const roles = { deployer: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } };
        const dev = await evaluateWith("dev", { "refarch:roles": JSON.stringify(roles) });
        expect(dev.error?.message).to.include(`refarch:roles.deployer: "deployer" has the name of the deployment role`);
    });
});

describe("review stacks", () => {
    it("pr-42 with testing's config evaluates in the testing account and shares no physical name with the testing stack", async () => {
        const testing = await shippedStack("testing");
        const review = await reviewStack("pr-42");
        expect(review.error).to.equal(undefined);
        expect(review.stage).to.equal("testing");
        const ours = physicalNames(review);
        expect(ours).to.include.members(["acme-pr-42-admin", "acme-pr-42-readonly"]);
        expect(ours.filter((n) => physicalNames(testing).includes(n))).to.deep.equal([]);
    });

    it("a review stack creates no second trail and no second OIDC provider: the testing stack's serve the whole account", async () => {
        const review = await reviewStack("pr-42");
        expect(ofType(review, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(ofType(review, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(review.outputs).to.have.keys("accountId", "roles");
        expect(review.outputs.accountId).to.equal(accounts.testing);
    });

    it("refuses a stack named other than its stage outside testing, where one-per-account resources would collide", async () => {
        const audit = await evaluateWith("audit-copy", { "refarch:stage": "audit" });
        expect(audit.error).to.be.instanceOf(ConfigError);
        expect(audit.error!.message).to.include(`refarch:stage: "audit" on stack "audit-copy": only the testing account hosts stacks named other than their stage`);
        expect(created(audit)).to.deep.equal([]);
    });
});
