// What the non-admin deployment roles may do once assumed, as the IAM simulator decides it over the plan's policies:
// the previewer (what a pull request reaches) reads no data in any account, whatever managed policies it is given;
// testing's review role (what a review stack, the pull request's own program, runs as) cannot change IAM beyond its
// own boundary, the deployment roles, the trail or the organization, yet can still build ordinary resources.
// Who may assume these roles is proven in security.oidc.test.ts.
import { expect } from "chai";
import type { RecordedResource, StackEvaluation } from "../src/offline/engine";
import type { PolicyDocument } from "../src/policies";
import { rolePolicies } from "../src/security/access";
import { decide } from "../src/security/simulator";
import { meeting, NEEDS, ofType, org as underTest, policyDocument, required, single, TESTING } from "./harness";

const org = meeting([NEEDS.deployerEnabled, NEEDS.testing], underTest);

/** The identity policies of a role in the plan, every AWS managed one as Allow-all (rolePolicies). */
const policiesOf = (evaluation: StackEvaluation, roleName: string): PolicyDocument[] => rolePolicies(evaluation, roleName).identity;

const roleNamed = (evaluation: StackEvaluation, name: string): RecordedResource => ofType(evaluation, "aws:iam/role:Role").find((r) => r.inputs.name === name)!;

describe("security: what the previewer and the review role may do", () => {
    const dataReads = (account: string, region: string): [string, string][] => [
        ["s3:GetObject", "arn:aws:s3:::any-bucket/any/key"],
        ["s3:GetObjectVersion", "arn:aws:s3:::any-bucket/any/key"],
        ["dynamodb:GetItem", `arn:aws:dynamodb:${region}:${account}:table/orders`],
        ["dynamodb:Scan", `arn:aws:dynamodb:${region}:${account}:table/orders`],
        ["ssm:GetParameter", `arn:aws:ssm:${region}:${account}:parameter/db/password`],
        ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${region}:${account}:secret:db-AbCdEf`],
        ["lambda:GetFunction", `arn:aws:lambda:${region}:${account}:function:api`],
        ["logs:GetLogEvents", `arn:aws:logs:${region}:${account}:log-group:app:log-stream:one`],
        ["logs:FilterLogEvents", `arn:aws:logs:${region}:${account}:log-group:app`],
        ["sqs:ReceiveMessage", `arn:aws:sqs:${region}:${account}:jobs`],
        ["kms:Decrypt", `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ];

    for (const stack of org.stageStacks.filter((s) => org.ownsAccount(s))) {
        it(`${stack}: the previewer is explicitly denied every data-plane read, whatever else it is given; its own policy still reads resource metadata`, async () => {
            const evaluation = await org.evaluation(stack);
            const name = `${org.namePrefix(stack)}-previewer`;
            const previewer = roleNamed(evaluation, name);
            const arn = String(previewer.state.arn);
            const account = arn.split(":")[4];
            const policies = policiesOf(evaluation, name);
            expect(policies.length, "its own policy and the managed ones").to.be.greaterThan(1);
            for (const [action, resource] of dataReads(account, org.regionOf(stack))) {
                expect(await decide({ principal: arn, action, resource, resourceAccount: account, identityPolicies: policies }), `${action}`).to.equal("ExplicitlyDenied");
            }
            const own = [policyDocument(single(evaluation, "aws:iam/policy:Policy", "deployer-previewer-reads"), "policy")];
            for (const [action, resource] of [
                ["iam:GetRole", `arn:aws:iam::${account}:role/${name}`],
                ["iam:ListRoles", "*"],
                ["s3:GetBucketPolicy", "arn:aws:s3:::any-bucket"],
                ["ec2:DescribeSecurityGroups", "*"],
                ["organizations:DescribeOrganization", "*"],
            ]) {
                expect(await decide({ principal: arn, action, resource, resourceAccount: account, identityPolicies: own }), action).to.equal("Allowed");
            }
        });
    }

    describe("testing's review role, inside its permissions boundary", () => {
        let evaluation: StackEvaluation;
        let account: string;
        let arn: string;
        let boundary: PolicyDocument;
        let boundaryArn: string;
        let policies: PolicyDocument[];
        const prefix = () => org.namePrefix(TESTING);
        const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
        const reviewRoleName = () => `${org.namespace}-${(org.deployer.reviewStacks ?? "pr-*").replace(/\*/g, "42")}-admin`;
        const asReviewer = (action: string, resource: string, context: Record<string, string> = {}) =>
            decide({ principal: arn, action, resource, resourceAccount: account, identityPolicies: policies, permissionBoundaries: [boundary], context });

        beforeEach(async () => {
            evaluation = await org.evaluation(required(org.has(TESTING) && TESTING, "no testing stage"));
            const reviewer = roleNamed(evaluation, `${prefix()}-reviewer`);
            arn = String(reviewer.state.arn);
            account = arn.split(":")[4];
            const policy = single(evaluation, "aws:iam/policy:Policy", "deployer-review-boundary");
            boundary = policyDocument(policy, "policy");
            boundaryArn = String(policy.state.arn);
            expect(reviewer.inputs.permissionsBoundary, "the role carries the boundary").to.equal(boundaryArn);
            policies = policiesOf(evaluation, `${prefix()}-reviewer`);
        });

        it("cannot create a role without the boundary, remove a boundary, or change the deployment roles' policies or trust", async () => {
            expect(await asReviewer("iam:CreateRole", role(reviewRoleName()))).to.equal("ExplicitlyDenied");
            expect(await asReviewer("iam:CreateRole", role(reviewRoleName()), { "iam:PermissionsBoundary": `arn:aws:iam::${account}:policy/another` })).to.equal("ExplicitlyDenied");
            expect(await asReviewer("iam:DeleteRolePermissionsBoundary", role(reviewRoleName()))).to.equal("ExplicitlyDenied");
            for (const target of ["deployer", "previewer", "reviewer"].map((r) => role(`${prefix()}-${r}`))) {
                for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:PutRolePermissionsBoundary"]) {
                    expect(await asReviewer(action, target), `${action} on ${target}`).to.equal("ExplicitlyDenied");
                }
            }
            // Even claiming the boundary (the deployer has none; the key describes the target), the deployment roles stay out of reach.
            expect(await asReviewer("iam:AttachRolePolicy", role(`${prefix()}-deployer`), { "iam:PermissionsBoundary": boundaryArn })).to.equal("ExplicitlyDenied");
            for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]) expect(await asReviewer(action, boundaryArn), action).to.equal("ExplicitlyDenied");
        });

        it("cannot stop or delete a trail, touch the organization, or change the account's identity providers", async () => {
            const trail = `arn:aws:cloudtrail:${org.regionOf(TESTING)}:${account}:trail/${org.namespace}-${TESTING}-cloudtrail`;
            for (const action of ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"]) expect(await asReviewer(action, trail), action).to.equal("ExplicitlyDenied");
            for (const action of ["organizations:LeaveOrganization", "organizations:CreateAccount", "organizations:DetachPolicy"]) expect(await asReviewer(action, "*"), action).to.equal("ExplicitlyDenied");
            expect(await asReviewer("iam:UpdateOpenIDConnectProviderThumbprint", `arn:aws:iam::${account}:oidc-provider/api.pulumi.com/oidc`)).to.equal("ExplicitlyDenied");
        });

        it("can still create a role inside the same boundary, manage it, and build ordinary resources", async () => {
            const own = role(reviewRoleName());
            expect(await asReviewer("iam:CreateRole", own, { "iam:PermissionsBoundary": boundaryArn })).to.equal("Allowed");
            expect(await asReviewer("iam:PutRolePolicy", own, { "iam:PermissionsBoundary": boundaryArn })).to.equal("Allowed");
            expect(await asReviewer("iam:UpdateAssumeRolePolicy", own)).to.equal("Allowed");
            expect(await asReviewer("s3:CreateBucket", "arn:aws:s3:::review-bucket")).to.equal("Allowed");
            expect(await asReviewer("ec2:CreateSecurityGroup", `arn:aws:ec2:${org.regionOf(TESTING)}:${account}:security-group/*`)).to.equal("Allowed");
        });

        it("a review stack's account roles carry the boundary, so the review role may create them", async () => {
            const review = await org.evaluateWith(
                "pr-42",
                { "refarch:stage": TESTING, "refarch:deployer": JSON.stringify({ ...org.deployer, enabled: true, reviewStacks: "pr-*" }) },
                { project: { ...org.project, stackConfigs: { "pr-42": org.project.stackConfigs[TESTING] } } },
            );
            const roles = ofType(review, "aws:iam/role:Role");
            expect(roles.length).to.be.greaterThan(0);
            for (const r of roles) expect(r.inputs.permissionsBoundary, String(r.inputs.name)).to.equal(boundaryArn);
        });
    });
});
