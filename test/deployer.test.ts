// The deployment identities: every account trusts Pulumi Cloud's OIDC issuer (and GitHub's, with a repository); its
// admin deployer may be assumed only by deployments of this project's own stack there (and, in testing, its review
// stacks) for update, refresh and destroy, and by GitHub jobs in the stack's environment; its read-only previewer by
// previews and pull requests. Never by the root account. A review stack shares no physical name with testing.
// Every expectation is derived from the organization under test (test/harness/).
import { expect } from "chai";
import { previewOf } from "../src/components/pulumiCloudAccess";
import { pulumiCloudSettings } from "../src/config/settings/pulumiCloud";
import { ConfigError } from "../src/config";
import type { StackEvaluation } from "../src/offline/engine";
import { created, meeting, NEEDS, ofType, org as underTest, policyDocument, required, single, statement, succeeded, TESTING } from "./harness";

// The organization under test, or a variant of it with the deployer enabled and a testing stage for review stacks.
const org = meeting([NEEDS.deployerEnabled, NEEDS.testing], underTest);

const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const VIEW_ONLY_ACCESS = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
const deployerConfig = org.deployer as typeof org.deployer & { githubSubjectPrefix?: string; githubRepositoryIds?: { owner: number; repository: number }; previewerPolicyArns?: string[] };
const ids = deployerConfig.githubRepositoryIds;
const immutable = (repository: string) => `repo:${repository.split("/")[0]}@${ids!.owner}/${repository.split("/")[1]}@${ids!.repository}`;
const subjectPrefix = deployerConfig.githubSubjectPrefix ?? (org.repository ? (ids ? immutable(org.repository) : `repo:${org.repository}`) : undefined);
/** The branch GitHub's deploy jobs run from (refarch:deployments.branch, default main). */
const branch = org.value<{ branch?: string }>(org.stacks[0], "refarch:deployments")?.branch ?? "main";
const sub = (stack: string, operation: string) => `pulumi:deploy:org:${org.organization}:project:${org.name}:stack:${stack}:operation:${operation}:scope:write`;
const oidcProvider = (stack: string, issuer: string) => `arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:oidc-provider/${issuer}`;
const roleArn = (stack: string, role: string) => `arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:role/${org.namePrefix(stack)}-${role}`;
/** refarch:deployer with some settings changed, as a config value. */
const deployerWith = (changes: Record<string, unknown>) => JSON.stringify({ ...org.deployer, enabled: true, ...changes });
/** A review stack as Pulumi Deployments makes one from the testing template: testing's config, its own name. */
const reviewStack = (name: string) =>
    org.evaluateWith(name, { "refarch:stage": TESTING }, { project: { ...org.project, stackConfigs: { [name]: org.project.stackConfigs[TESTING] } } });
/**
 * The stacks whose deployments a stack's deployer and previewer admit: its own; in root, also the org stack, which
 * deploys into the same (management) account and has no deployer of its own. Review stacks reach neither.
 */
const deployedBy = (stack: string): string[] => [stack, ...(org.kindOf(stack) === "root" ? org.stacksOfKind("organization") : [])];
/** Every GitHub subject the trial's deployer and previewer trust, deployer first. */
const githubSubjects = (evaluation: StackEvaluation): string[] =>
    ["deployer-role", "deployer-previewer"].flatMap((name) =>
        policyDocument(single(evaluation, "aws:iam/role:Role", name), "assumeRolePolicy").Statement.flatMap(
            (s) => (s.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"] ?? s.Condition?.StringLike?.["token.actions.githubusercontent.com:sub"] ?? []) as string[],
        ),
    );
/**
 * Two stacks that own their accounts, to try config on: one changed (unprotected, so it has a deployer with or
 * without a repository; testing always is), one to show the change stays its own.
 */
const trial = org.isProtected(org.trialStack) ? TESTING : org.trialStack;
const other = org.stageStacks.find((s) => s !== trial && org.ownsAccount(s))!;

/** Every physical name a stack's resources carry: IAM names, bucket, trail, alias. */
const physicalNames = (evaluation: StackEvaluation): string[] =>
    created(evaluation)
        .filter((r) => r.custom && !r.type.startsWith("pulumiservice:"))
        .map((r) => (r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" ? String(r.inputs.url) : String(r.inputs.name ?? r.inputs.bucket ?? "")))
        .filter((n) => n !== "" && n !== "undefined");

/** The pull_request subjects the previewer of `stack`'s account admits, from the organization's refarch:pulumiCloud. */
function pullRequestSubjects(stack: string, prefix: string): string[] {
    const { protectedPreviews } = pulumiCloudSettings.schema.parse(JSON.parse(org.config(stack)["refarch:pulumiCloud"] ?? "{}"));
    const modes = deployedBy(stack).map((s) => [s, previewOf(s, protectedPreviews)]);
    return [
        ...(modes.some(([, mode]) => mode === "open") ? [`${prefix}:pull_request:ref:refs/pull/*`] : []),
        ...modes.filter(([, mode]) => mode === "reviewed").map(([s]) => `${prefix}:environment:preview-${s}:ref:refs/pull/*`),
    ];
}

describe("deployer identity", () => {
    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s))) {
        it(`${stack}: the deployer trusted by GitHub's deploy job from the deploy branch in this stack's environment and, unless protected, Pulumi's changes; the previewer by previews and pull requests, with the data-denying policy`, async function () {
            required(org.deployer.enabled !== false, "refarch:deployer.enabled is false");
            const evaluation = await org.evaluation(stack);
            const provider = single(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "deployer-pulumi-oidc");
            expect(provider.inputs).to.deep.include({ url: "https://api.pulumi.com/oidc", clientIdLists: [org.organization] });
            const stacks = deployedBy(stack);
            const pulumiPrincipal = { Federated: oidcProvider(stack, "api.pulumi.com/oidc") };
            const githubPrincipal = { Federated: oidcProvider(stack, "token.actions.githubusercontent.com") };
            // A protected stage's deployer refuses every Pulumi Deployments token; the org stack changes only through GitHub.
            const pulumiChanges = org.isProtected(stack) ? [] : [stack];

            const deployers = ofType(evaluation, "aws:iam/role:Role").filter((r) => r.name === "deployer-role");
            if (pulumiChanges.length === 0 && !subjectPrefix) {
                expect(deployers, "nobody may deploy a protected stage without a repository: no deployer").to.deep.equal([]);
            } else {
                const deployer = single(evaluation, "aws:iam/role:Role", "deployer-role");
                expect(deployer.inputs.name).to.equal(`${org.namePrefix(stack)}-deployer`);
                const trust = policyDocument(deployer, "assumeRolePolicy");
                expect(trust.Statement.map((s) => s.Sid)).to.deep.equal([...(pulumiChanges.length > 0 ? ["PulumiDeploymentsOfThisStack"] : []), ...(subjectPrefix ? ["GitHubDeployJobFromBranch"] : [])]);
                if (pulumiChanges.length > 0) {
                    expect(statement(trust, "PulumiDeploymentsOfThisStack")).to.deep.include({
                        Principal: pulumiPrincipal,
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "api.pulumi.com/oidc:aud": org.organization, "api.pulumi.com/oidc:sub": pulumiChanges.flatMap((s) => ["update", "refresh", "destroy"].map((op) => sub(s, op))) } },
                    });
                }
                if (subjectPrefix) {
                    expect(statement(trust, "GitHubDeployJobFromBranch")).to.deep.include({
                        Principal: githubPrincipal,
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": stacks.map((e) => `${subjectPrefix}:environment:${e}:ref:refs/heads/${branch}`) },
                        },
                    });
                }
                expect(trust.Statement.filter((s) => s.Principal === "*" || s.Principal?.AWS !== undefined), "no AWS principal (the root account) may be trusted").to.deep.equal([]);
                expect(evaluation.outputs.deployerRoleArn).to.equal(roleArn(stack, "deployer"));
            }

            const previewer = single(evaluation, "aws:iam/role:Role", "deployer-previewer");
            expect(previewer.inputs.name).to.equal(`${org.namePrefix(stack)}-previewer`);
            const previewTrust = policyDocument(previewer, "assumeRolePolicy");
            expect(previewTrust.Statement.map((s) => [s.Principal, s.Condition])).to.deep.equal([
                [pulumiPrincipal, { StringEquals: { "api.pulumi.com/oidc:aud": org.organization, "api.pulumi.com/oidc:sub": stacks.map((s) => sub(s, "preview")) } }],
                // Pull requests preview the account's stacks openly, or in reviewed preview-<stack> environments, or not at all (refarch:pulumiCloud.protectedPreviews).
                ...(subjectPrefix && pullRequestSubjects(stack, subjectPrefix).length > 0
                    ? [[githubPrincipal, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": pullRequestSubjects(stack, subjectPrefix) } }]]
                    : []),
            ]);
            const attached = (role: string) => ofType(evaluation, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role).map((a) => a.inputs.policyArn);
            const reads = single(evaluation, "aws:iam/policy:Policy", "deployer-previewer-reads");
            expect(reads.inputs.name).to.equal(`${org.namePrefix(stack)}-previewer-reads`);
            expect(attached(`${org.namePrefix(stack)}-previewer`)).to.deep.equal([...(deployerConfig.previewerPolicyArns ?? [VIEW_ONLY_ACCESS]), reads.state.arn]);
            expect(previewTrust.Statement.filter((s) => s.Principal === "*" || s.Principal?.AWS !== undefined), "no AWS principal (the root account) may be trusted").to.deep.equal([]);
            expect(evaluation.outputs.previewerRoleArn).to.equal(roleArn(stack, "previewer"));
        });
    }

    it("refarch:deployer.githubSubjectPrefix replaces repo:<githubRepository> in every GitHub subject (immutable subject claims)", async () => {
        const prefix = "repo:example@123456/infrastructure@456789";
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", githubSubjectPrefix: prefix }) }));
        expect(githubSubjects(evaluation)).to.deep.equal([`${prefix}:environment:${trial}:ref:refs/heads/${branch}`, `${prefix}:pull_request:ref:refs/pull/*`]);
        const bad = await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", githubSubjectPrefix: "example/infrastructure" }) });
        expect(bad.error?.message).to.include(`refarch:deployer.githubSubjectPrefix: "example/infrastructure" must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id>`);
    });

    it("refarch:deployer.githubRepositoryIds makes every GitHub subject the immutable repo:<owner>@<id>/<repo>@<id>, which a renamed or re-created owner cannot mint", async () => {
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", githubRepositoryIds: { owner: 123456, repository: 456789 }, githubSubjectPrefix: undefined }) }));
        const prefix = "repo:example@123456/infrastructure@456789";
        expect(githubSubjects(evaluation)).to.deep.equal([`${prefix}:environment:${trial}:ref:refs/heads/${branch}`, `${prefix}:pull_request:ref:refs/pull/*`]);
    });

    it("refuses a wildcard, a prefix naming another repository, and ids that are not GitHub's numeric ids, with nothing created", async () => {
        const refused = async (changes: Record<string, unknown>) => {
            const evaluation = await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", githubSubjectPrefix: undefined, ...changes }) });
            expect(evaluation.error, JSON.stringify(changes)).to.be.instanceOf(ConfigError);
            expect(created(evaluation)).to.deep.equal([]);
            return evaluation.error!.message;
        };
        expect(await refused({ githubSubjectPrefix: "repo:example/*" })).to.include(`refarch:deployer.githubSubjectPrefix: "repo:example/*" must be repo:<owner>/<repo>, or repo:<owner>@<owner id>/<repo>@<repo id> for immutable subject claims`);
        expect(await refused({ githubSubjectPrefix: "repo:ex*/infrastructure" })).to.include(`refarch:deployer.githubSubjectPrefix: "repo:ex*/infrastructure" must be repo:<owner>/<repo>`);
        expect(await refused({ githubSubjectPrefix: "repo:example-evil/infrastructure" })).to.include(
            `refarch:deployer.githubSubjectPrefix: "repo:example-evil/infrastructure" must name githubRepository example/infrastructure. Fix: in Pulumi.yaml, under config: refarch:deployer: value: set githubSubjectPrefix: "repo:example/infrastructure"`,
        );
        expect(await refused({ githubRepositoryIds: { owner: "example", repository: 1.5 } }))
            .to.include(`refarch:deployer.githubRepositoryIds.owner: "example" must be the numeric id GitHub gives the owner`)
            .and.to.include(`refarch:deployer.githubRepositoryIds.repository: 1.5 must be the numeric id GitHub gives the repository`);
        expect(await refused({ githubRepository: undefined, githubRepositoryIds: { owner: 1, repository: 2 } })).to.include(`refarch:deployer.githubRepositoryIds: {"owner":1,"repository":2} needs githubRepository, the repository it belongs to`);
    });

    it("refarch:deployer.existingOidcProviders reuses an account's providers by ARN instead of creating them (AWS allows one per URL)", async () => {
        const pulumiArn = oidcProvider(trial, "api.pulumi.com/oidc");
        const githubArn = oidcProvider(trial, "token.actions.githubusercontent.com");
        const existing = { [org.stageOf(trial)]: { pulumi: pulumiArn, github: githubArn } };
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", existingOidcProviders: existing }) }));
        expect(ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        const principals = policyDocument(single(evaluation, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Principal);
        expect(principals).to.deep.equal([{ Federated: pulumiArn }, { Federated: githubArn }]);
        // Another stage's providers are its own business: it still creates its own.
        const elsewhere = succeeded(await org.evaluateWith(other, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure", existingOidcProviders: { [org.stageOf(trial)]: { pulumi: pulumiArn } } }) }));
        expect(ofType(elsewhere, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.have.length(2);
    });

    it("refuses an existing provider ARN of another account (for a created account, once the org stack reports its id)", async function () {
        const given = required(
            org.stageStacks.find((s) => org.ownsAccount(s)),
            "no stack deploys its own stage",
        );
        const elsewhere = org.stageStacks.find((s) => org.ownsAccount(s) && org.accountOf(s) !== org.accountOf(given))!;
        const stage = org.stageOf(given);
        const wrongAccount = oidcProvider(elsewhere, "api.pulumi.com/oidc");
        const evaluation = await org.evaluateWith(given, { "refarch:deployer": deployerWith({ existingOidcProviders: { [stage]: { pulumi: wrongAccount } } }) });
        expect(evaluation.error).to.be.instanceOf(ConfigError);
        expect(created(evaluation)).to.deep.equal([]);
        const message = evaluation.error!.message;
        expect(message).to.include(`refarch:deployer.existingOidcProviders.${stage}.pulumi: "${wrongAccount}" is in account ${org.accountOf(elsewhere)}, not ${stage}'s account ${org.accountOf(given)}`);
        expect(message).to.include(`set pulumi: "${oidcProvider(given, "api.pulumi.com/oidc")}"`);
    });

    it("refuses an existing provider ARN for the wrong issuer, or under an unknown stage", async () => {
        const stage = org.stageOf(trial);
        const misspelt = `${stage}x`;
        const unknown = await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ existingOidcProviders: { [misspelt]: {} } }) });
        expect(unknown.error).to.be.instanceOf(ConfigError);
        expect(created(unknown)).to.deep.equal([]);
        expect(unknown.error!.message).to.include(`refarch:deployer.existingOidcProviders.${misspelt}: "${misspelt}" is not a stage of refarch:accounts (valid: ${org.stages.join(", ")})`);
        const wrongIssuer = await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ existingOidcProviders: { [stage]: { github: oidcProvider(trial, "api.pulumi.com/oidc") } } }) });
        expect(wrongIssuer.error?.message).to.include(`refarch:deployer.existingOidcProviders.${stage}.github:`).and.to.include("must be an OIDC provider for token.actions.githubusercontent.com");
    });

    it("the deployer role gets AdministratorAccess by default, or exactly refarch:deployer.policyArns", async () => {
        const policiesOf = (e: StackEvaluation) =>
            ofType(e, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === `${org.namePrefix(trial)}-deployer`).map((a) => a.inputs.policyArn);
        expect(policiesOf(succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ policyArns: undefined }) })))).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess"]);
        const custom = `arn:aws:iam::${org.accountOf(trial)}:policy/refarch-deploy`;
        expect(policiesOf(succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ policyArns: [custom] }) })))).to.deep.equal([custom]);
    });

    it("with githubRepository, the account gets GitHub's OIDC provider beside Pulumi's", async () => {
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: "example/infrastructure" }) }));
        const providers = ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]);
        expect(providers).to.deep.equal([["https://api.pulumi.com/oidc", [org.organization]], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]]);
    });

    it("without githubRepository, only Pulumi Deployments are trusted and there is no GitHub provider", async () => {
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ githubRepository: undefined, githubSubjectPrefix: undefined }) }));
        expect(ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.inputs.url)).to.deep.equal(["https://api.pulumi.com/oidc"]);
        expect(policyDocument(single(evaluation, "aws:iam/role:Role", "deployer-role"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiDeploymentsOfThisStack"]);
        expect(policyDocument(single(evaluation, "aws:iam/role:Role", "deployer-previewer"), "assumeRolePolicy").Statement.map((s) => s.Sid)).to.deep.equal(["PulumiPreviewsOfThisStack"]);
        expect(ofType(evaluation, "pulumiservice:index:DeploymentSettings"), "no repository to deploy from: no settings").to.deep.equal([]);
    });

    it("refarch:deployer.enabled false creates neither the provider nor the roles", async () => {
        const evaluation = succeeded(await org.evaluateWith(trial, { "refarch:deployer": deployerWith({ enabled: false }) }));
        expect(ofType(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(ofType(evaluation, "aws:iam/role:Role").map((r) => r.inputs.name)).to.deep.equal(org.roleNames.map((role) => `${org.namePrefix(trial)}-${role}`));
        expect(evaluation.outputs).not.to.have.property("deployerRoleArn");
    });

    it("refuses bad refarch:deployer settings, all at once, with nothing created", async () => {
        const bad = { enabled: "yes", policyArns: ["AdministratorAccess"], githubRepository: "https://github.com/example/infrastructure", reviewStacks: "pr 42", extra: 1 };
        const evaluation = await org.evaluateWith(trial, { "refarch:deployer": JSON.stringify(bad) });
        expect(evaluation.error).to.be.instanceOf(ConfigError);
        expect(created(evaluation)).to.deep.equal([]);
        const message = evaluation.error!.message;
        expect(message).to.include(`refarch:deployer.enabled: "yes" must be true or false`);
        expect(message).to.include(`refarch:deployer.policyArns: "AdministratorAccess" is not an IAM managed policy ARN`);
        expect(message).to.include(`refarch:deployer.githubRepository: "https://github.com/example/infrastructure" must be a GitHub repository as owner/name`);
        expect(message).to.include(`refarch:deployer.reviewStacks: "pr 42" must be a stack-name pattern`);
        expect(message).to.include("Pulumi.yaml: refarch:deployer.extra: 1 is not a setting of refarch:deployer (valid: enabled, policyArns, previewerPolicyArns, githubRepository, githubRepositoryIds, githubSubjectPrefix, existingOidcProviders, reviewStacks)");
        expect(message).to.include("Fix: in Pulumi.yaml, under config: refarch:deployer: value: set enabled: true");
    });

    it("refuses a role of refarch:roles named deployer or previewer, which would collide with the deployment roles", async () => {
        const roles = { ...org.roles, deployer: { policyArns: [READ_ONLY_ACCESS] }, previewer: { policyArns: [READ_ONLY_ACCESS] } };
        const evaluation = await org.evaluateWith(trial, { "refarch:roles": JSON.stringify(roles), "refarch:deployer": deployerWith({}) });
        expect(evaluation.error?.message).to.include(`refarch:roles.deployer: "deployer" has the name of a deployment role`);
        expect(evaluation.error?.message).to.include(`refarch:roles.previewer: "previewer" has the name of a deployment role`);
    });
});

describe("Pulumi Deployments settings name a role that admits what they run", () => {
    // Settings exist only with a repository to deploy from.
    const withRepository = meeting([NEEDS.deployerEnabled, NEEDS.testing, NEEDS.repository], underTest);
    for (const stack of withRepository.stacks) {
        it(`${stack}: the review role for the review-stack template (testing), the previewer for a protected stack, else the deployer`, async function () {
            const org = withRepository;
            const roleArn = (stack: string, role: string) => `arn:${org.partitionOf(stack)}:iam::${org.accountOf(stack)}:role/${org.namePrefix(stack)}-${role}`;
            const evaluation = await org.evaluation(stack);
            const settings = ofType(evaluation, "pulumiservice:index:DeploymentSettings");
            required(settings.length === 1 && settings, "Pulumi Deployments on (refarch:deployments)");
            const role = org.stageOf(stack) === TESTING ? "reviewer" : org.isProtected(stack) || org.kindOf(stack) === "organization" ? "previewer" : "deployer";
            // The org stack uses root's roles (the management account's).
            const owner = org.kindOf(stack) === "organization" ? org.stacksOfKind("root")[0] : stack;
            const oidc = (settings[0].inputs.operationContext as { oidc: { aws: { roleARN: string } } }).oidc.aws;
            expect(oidc.roleARN).to.equal(roleArn(owner, role));
        });
    }
});

describe("review stacks", () => {
    it("pr-42 with testing's config evaluates in the testing account and shares no physical name with the testing stack", async function () {
        const testing = await org.evaluation(required(org.has(TESTING) && TESTING, "no testing stage"));
        const review = succeeded(await reviewStack("pr-42"));
        expect(review.stage).to.equal(TESTING);
        const ours = physicalNames(review);
        expect(ours).to.include.members(org.roleNames.map((role) => `${org.namespace}-pr-42-${role}`));
        expect(ours.filter((n) => physicalNames(testing).includes(n))).to.deep.equal([]);
    });

    it("a review stack creates no second trail, OIDC provider or deployment settings: the testing stack's serve the whole account", async function () {
        required(org.has(TESTING), "no testing stage");
        const review = succeeded(await reviewStack("pr-42"));
        expect(ofType(review, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
        expect(ofType(review, "pulumiservice:index:DeploymentSettings")).to.deep.equal([]);
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
        expect(copy.error!.message).to.include(
            `Pulumi.${stage}-copy.yaml: refarch:stage: "${stage}" on stack "${stage}-copy": only the testing account hosts stacks named other than their stage (review stacks). Fix: name the stack "${stage}", or remove refarch:stage from Pulumi.${stage}-copy.yaml`,
        );
        expect(created(copy)).to.deep.equal([]);
    });
});
