// The deployment identities: every account trusts Pulumi Cloud's OIDC issuer (and GitHub's, with a repository); its
// admin deployer may be assumed only by deployments of this project's own stack there (and, in testing, its review
// stacks) for update, refresh and destroy, and by GitHub jobs in the stack's environment; its read-only previewer by
// previews and pull requests. Never by the root account. A review stack shares no physical name with testing.
import { expect } from "chai";
import { ConfigError } from "../src/config";
import { DEFAULT_ORGANIZATION } from "../src/offline/engine";
import { configValue, created, evaluateWith, ofType, policyDocument, project, SHIPPED_STACKS, shippedStack, single, statement } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
const namespace = project.projectConfig["refarch:namespace"];
const repository = configValue<{ githubRepository: string }>("root", "refarch:deployer").githubRepository;
const organization = DEFAULT_ORGANIZATION;
/** A review stack as Pulumi Deployments makes one from the testing template: testing's config, its own name. */
const reviewStack = (name: string) => evaluateWith(name, {}, { project: { ...project, stackConfigs: { [name]: project.stackConfigs.testing } } });
const sub = (stack: string, operation: string) => `pulumi:deploy:org:${organization}:project:${project.name}:stack:${stack}:operation:${operation}:scope:write`;

/** Every physical name a stack's resources carry: IAM names, bucket, trail, alias. */
const physicalNames = (evaluation: Awaited<ReturnType<typeof shippedStack>>): string[] =>
    created(evaluation)
        .filter((r) => r.custom && !r.type.startsWith("pulumiservice:"))
        .map((r) => (r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" ? String(r.inputs.url) : String(r.inputs.name ?? r.inputs.bucket ?? "")))
        .filter((n) => n !== "" && n !== "undefined");

describe("deployer identity", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: an OIDC provider for Pulumi Cloud whose audience is the organization; the deployer trusted by this stack's changing operations and its environment, the previewer by its previews and pull requests`, async () => {
            const evaluation = await shippedStack(stack);
            const provider = single(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "deployer-pulumi-oidc");
            expect(provider.inputs).to.deep.include({ url: "https://api.pulumi.com/oidc", clientIdLists: [organization] });
            const stacks = stack === "testing" ? ["testing", configValue<{ reviewStacks?: string }>("root", "refarch:deployer").reviewStacks ?? "pr-*"] : [stack];
            const pulumiPrincipal = { Federated: `arn:aws:iam::${accounts[stack]}:oidc-provider/api.pulumi.com/oidc` };
            const githubPrincipal = { Federated: `arn:aws:iam::${accounts[stack]}:oidc-provider/token.actions.githubusercontent.com` };

            const deployer = single(evaluation, "aws:iam/role:Role", "deployer-role");
            expect(deployer.inputs.name).to.equal(`${namespace}-${stack}-deployer`);
            const trust = policyDocument(deployer, "assumeRolePolicy");
            expect(trust.Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack", "GitHubEnvironmentOfThisStack"]);
            expect(statement(trust, "PulumiDeploymentsOfThisStack")).to.deep.include({
                Principal: pulumiPrincipal,
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { "api.pulumi.com/oidc:aud": organization }, StringLike: { "api.pulumi.com/oidc:sub": stacks.flatMap((s) => ["update", "refresh", "destroy"].map((op) => sub(s, op))) } },
            });
            expect(statement(trust, "GitHubEnvironmentOfThisStack")).to.deep.include({
                Principal: githubPrincipal,
                Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": [`repo:${repository}:environment:${stack}`] } },
            });

            const previewer = single(evaluation, "aws:iam/role:Role", "deployer-previewer");
            expect(previewer.inputs.name).to.equal(`${namespace}-${stack}-previewer`);
            const previewTrust = policyDocument(previewer, "assumeRolePolicy");
            expect(previewTrust.Statement.map((s) => [s.Principal, s.Condition])).to.deep.equal([
                [pulumiPrincipal, { StringEquals: { "api.pulumi.com/oidc:aud": organization }, StringLike: { "api.pulumi.com/oidc:sub": stacks.map((s) => sub(s, "preview")) } }],
                [githubPrincipal, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": [`repo:${repository}:pull_request`] } }],
            ]);
            const attached = (role: string) => ofType(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role).map((a) => a.inputs.policyArn);
            expect(attached(`${namespace}-${stack}-previewer`)).to.deep.equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            for (const document of [trust, previewTrust]) {
                expect(document.Statement.filter((s) => s.Principal === "*" || s.Principal?.AWS !== undefined), "no AWS principal (the root account) may be trusted").to.deep.equal([]);
            }
            expect(evaluation.outputs.deployerRoleArn).to.equal(`arn:aws:iam::${accounts[stack]}:role/${namespace}-${stack}-deployer`);
            expect(evaluation.outputs.previewerRoleArn).to.equal(`arn:aws:iam::${accounts[stack]}:role/${namespace}-${stack}-previewer`);
        });
    }

    it("refarch:deployer.githubSubjectPrefix replaces repo:<githubRepository> in every GitHub subject (immutable subject claims)", async () => {
        const prefix = "repo:acme@123456/refarch@456789";
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ githubRepository: repository, githubSubjectPrefix: prefix }) });
        const subjects = ["deployer-role", "deployer-previewer"].flatMap((name) =>
            policyDocument(single(dev, "aws:iam/role:Role", name), "assumeRolePolicy").Statement.flatMap((s) => (s.Condition?.StringLike?.["token.actions.githubusercontent.com:sub"] as string[] | undefined) ?? []),
        );
        expect(subjects).to.deep.equal([`${prefix}:environment:dev`, `${prefix}:pull_request`]);
        const bad = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ githubRepository: repository, githubSubjectPrefix: "acme/refarch" }) });
        expect(bad.error?.message).to.include(`refarch:deployer.githubSubjectPrefix: "acme/refarch" must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id>`);
    });

    it("refarch:deployer.existingOidcProviders reuses an account's providers by ARN instead of creating them (AWS allows one per URL)", async () => {
        const pulumiArn = `arn:aws:iam::${accounts.dev}:oidc-provider/api.pulumi.com/oidc`;
        const githubArn = `arn:aws:iam::${accounts.dev}:oidc-provider/token.actions.githubusercontent.com`;
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ githubRepository: repository, existingOidcProviders: { dev: { pulumi: pulumiArn, github: githubArn } } }) });
        expect(dev.error).to.equal(undefined);
        expect(ofType(dev, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        const principals = policyDocument(single(dev, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Principal);
        expect(principals).to.deep.equal([{ Federated: pulumiArn }, { Federated: githubArn }]);
        // Another stage's providers are its own business: prod still creates its own.
        const prod = await evaluateWith("prod", { "refarch:deployer": JSON.stringify({ githubRepository: repository, existingOidcProviders: { dev: { pulumi: pulumiArn } } }) });
        expect(ofType(prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.have.length(2);
    });

    it("refuses an existing provider ARN of another account, or for the wrong issuer, or under an unknown stage", async () => {
        const wrongAccount = `arn:aws:iam::${accounts.prod}:oidc-provider/api.pulumi.com/oidc`;
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ existingOidcProviders: { dev: { pulumi: wrongAccount }, dve: {} } }) });
        expect(dev.error).to.be.instanceOf(ConfigError);
        expect(created(dev)).to.deep.equal([]);
        const message = dev.error!.message;
        expect(message).to.include(`refarch:deployer.existingOidcProviders.dev.pulumi: "${wrongAccount}" is in account ${accounts.prod}, not dev's account ${accounts.dev}`);
        expect(message).to.include(`set pulumi: "arn:aws:iam::${accounts.dev}:oidc-provider/api.pulumi.com/oidc"`);
        const wrongIssuer = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ existingOidcProviders: { dev: { github: `arn:aws:iam::${accounts.dev}:oidc-provider/api.pulumi.com/oidc` } } }) });
        expect(wrongIssuer.error?.message).to.include("refarch:deployer.existingOidcProviders.dev.github:").and.to.include("must be an OIDC provider for token.actions.githubusercontent.com");
        expect(message).to.include(`refarch:deployer.existingOidcProviders.dve: "dve" is not a stage of refarch:accounts`);
    });

    it("the deployer role gets AdministratorAccess by default, or exactly refarch:deployer.policyArns", async () => {
        const policiesOf = (e: Awaited<ReturnType<typeof shippedStack>>) =>
            ofType(e, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "acme-dev-deployer").map((a) => a.inputs.policyArn);
        expect(policiesOf(await shippedStack("dev"))).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess"]);
        const custom = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ policyArns: ["arn:aws:iam::444444444444:policy/refarch-deploy"] }) });
        expect(policiesOf(custom)).to.deep.equal(["arn:aws:iam::444444444444:policy/refarch-deploy"]);
    });

    it("with githubRepository, the account gets GitHub's OIDC provider beside Pulumi's", async () => {
        const prod = await shippedStack("prod");
        const providers = ofType(prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]);
        expect(providers).to.deep.equal([["https://api.pulumi.com/oidc", [organization]], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]]);
    });

    it("without githubRepository, only Pulumi Deployments are trusted and there is no GitHub provider", async () => {
        const prod = await evaluateWith("prod", { "refarch:deployer": "{}" });
        expect(ofType(prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.inputs.url)).to.deep.equal(["https://api.pulumi.com/oidc"]);
        expect(policyDocument(single(prod, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack"]);
        expect(policyDocument(single(prod, "aws:iam/role:Role", "deployer-previewer"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiPreviewsOfThisStack"]);
        expect(ofType(prod, "pulumiservice:index:DeploymentSettings"), "no repository to deploy from: no settings").to.deep.equal([]);
    });

    it("refarch:deployer.enabled false creates neither the provider nor the role", async () => {
        const dev = await evaluateWith("dev", { "refarch:deployer": JSON.stringify({ enabled: false }) });
        expect(dev.error).to.equal(undefined);
        expect(ofType(dev, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(ofType(dev, "aws:iam/role:Role").map((r) => r.inputs.name).filter((n) => /-(deployer|previewer)$/.test(String(n)))).to.deep.equal([]);
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
        expect(message).to.include("Pulumi.yaml: refarch:deployer.extra: 1 is not a setting of refarch:deployer (valid: enabled, policyArns, previewerPolicyArns, githubRepository, githubSubjectPrefix, existingOidcProviders, reviewStacks)");
        expect(message).to.include("Fix: in Pulumi.yaml, under config: refarch:deployer: value: set enabled: true");
    });

    it("refuses a role of refarch:roles named deployer or previewer, which would collide with the deployment roles", async () => {
        const roles = { deployer: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, previewer: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } };
        const dev = await evaluateWith("dev", { "refarch:roles": JSON.stringify(roles) });
        expect(dev.error?.message).to.include(`refarch:roles.deployer: "deployer" has the name of a deployment role`);
        expect(dev.error?.message).to.include(`refarch:roles.previewer: "previewer" has the name of a deployment role`);
    });
});

describe("review stacks", () => {
    it("pr-42 with testing's config evaluates in the testing account and shares no physical name with the testing stack", async () => {
        const testing = await shippedStack("testing");
        const review = await reviewStack("pr-42");
        expect(review.error).to.equal(undefined);
        expect(review.stage).to.equal("testing");
        const ours = physicalNames(review);
        expect(ours).to.include.members([`${namespace}-pr-42-admin`, `${namespace}-pr-42-readonly`]);
        expect(ours.filter((n) => physicalNames(testing).includes(n))).to.deep.equal([]);
    });

    it("a review stack creates no second trail, OIDC provider or deployment settings: the testing stack's serve the whole account", async () => {
        const review = await reviewStack("pr-42");
        expect(ofType(review, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(ofType(review, "pulumiservice:index:DeploymentSettings")).to.deep.equal([]);
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
