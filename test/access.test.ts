// The access a person ends up with: root users reach exactly the roles refarch:teams grants their
// teams, in the accounts it names, and only with MFA; the expected matrix is read from the root stack's
// file, the actual one from the policies the program produced on both sides of each trust.
import { expect } from "chai";
import type { StackEvaluation } from "../src/offline/engine";
import type { PolicyDocument, Statement } from "../src/policies";
import { accessMatrix, assumeRole, rolesOf, rootUserPolicies, WITH_MFA } from "../src/security/access";
import { asList, meeting, NEEDS, ofType, org as underTest, policyDocument, reachOf, required, ROOT, single, statement, succeeded, syntheticResource } from "./harness";

// The organization under test, or a variant of it with a team granted a role outside root.
const org = meeting([NEEDS.plainStage, NEEDS.teamOutsideRoot], underTest);

/** What the produced policies let a user assume: "stage/role" entries, and which of them without MFA (harness reachOf). */
const actualAccess = (user: string) => reachOf(org, user);

const rootArn = (kind: string, name: string) => `arn:${org.partitionOf(ROOT)}:iam::${org.accountOf(ROOT)}:${kind}/${name}`;
const groupOf = (team: string) => `${org.namePrefix(ROOT)}-${team}`;

describe("who can assume what", () => {
    for (const user of Object.keys(org.users)) {
        it(`${user}: reaches exactly the roles refarch:teams grants, and each only with MFA`, async () => {
            const actual = await actualAccess(user);
            expect(actual.reach).to.deep.equal(org.grantsOf(user));
            expect(actual.reach.length).to.be.greaterThan(0);
            expect(actual.withoutMfa).to.deep.equal([]);
        });
    }

    it("IAM users exist only in root, one per entry of refarch:users", async () => {
        for (const stack of org.stacks.filter((s) => org.stageOf(s) !== ROOT)) {
            expect(ofType(await org.evaluation(stack), "aws:iam/user:User"), stack).to.deep.equal([]);
        }
        expect(ofType(await org.evaluation(ROOT), "aws:iam/user:User").map((u) => u.inputs.name)).to.have.members(Object.keys(org.users));
    });

    /** Root with one more team (and a user in it), evaluated; fails if the evaluation did. */
    const rootWithTeam = async (team: string, access: Record<string, string | string[]>) =>
        succeeded(await org.evaluateWith(ROOT, { "refarch:teams": JSON.stringify({ ...org.teams, [team]: { access } }), "refarch:users": JSON.stringify({ ...org.users, [`${team}-member`]: [team] }) }));
    const teamPolicies = (root: StackEvaluation, team: string) => {
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.group === groupOf(team)).map((a) => a.inputs.policyArn);
        return ofType(root, "aws:iam/policy:Policy").filter((p) => attached.includes(p.state.arn));
    };

    it("a team with an empty access map: its members get the self-service policy and reach no role", async () => {
        const root = await rootWithTeam("idle", {});
        expect(teamPolicies(root, "idle").map((p) => p.name)).to.deep.equal(["identity-self-service"]);
        const others = [...(await org.evaluations()).values()].filter((e) => e.stack !== ROOT);
        expect((await accessMatrix([...others, root])).filter((e) => e.user === "idle-member")).to.deep.equal([]);
    });

    it("a role granted twice (by \"*\" and by name, and listed twice) is one ARN in the team's policy", async () => {
        const role = org.roleNames[0];
        const stage = org.stages.find((s) => s !== ROOT) ?? ROOT;
        const root = await rootWithTeam("twice", { "*": role, [stage]: [role, role] });
        const granted = teamPolicies(root, "twice")
            .flatMap((p) => policyDocument(p).Statement)
            .filter((s) => s.Sid === "AssumeGrantedRolesWithMfa")
            .flatMap((s) => asList(s.Resource));
        expect(granted).to.have.length(org.stages.length);
        expect(granted.map((arn) => arn.slice(arn.lastIndexOf("/") + 1)).sort()).to.deep.equal(org.stages.map((s) => `${org.namePrefix(s)}-${role}`).sort());
    });

    it("a team's group policy reads the role ARNs other stacks exported, not ones it made up", async function () {
        // A grant in another stage: that stage's stack is made to export the role under a path the program could not guess.
        const team = required(Object.keys(org.teams).find((t) => org.grantsOfTeam(t).some((g) => !g.startsWith(`${ROOT}/`))), "no team is granted a role outside root");
        const [stage, role] = org.grantsOfTeam(team).find((g) => !g.startsWith(`${ROOT}/`))!.split("/");
        const partition = org.partitionOf(stage);
        const predicted = `arn:${partition}:iam::${org.accountOf(stage)}:role/${org.namePrefix(stage)}-${role}`;
        const exported = `arn:${partition}:iam::${org.accountOf(stage)}:role/custom/path/${org.namePrefix(stage)}-${role}`;
        const deployed = await org.outputs();
        const reference = org.referenceName(stage);
        deployed[reference] = { ...deployed[reference], roles: { ...(deployed[reference].roles as Record<string, string>), [role]: exported } };
        const root = await org.evaluateWith(ROOT, {}, { deployed });
        expect(root.error).to.equal(undefined);
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.group === groupOf(team)).map((a) => a.inputs.policyArn);
        const policies = ofType(root, "aws:iam/policy:Policy").filter((p) => attached.includes(p.state.arn));
        const granted = policies.flatMap((p) => policyDocument(p).Statement).filter((s) => s.Sid === "AssumeGrantedRolesWithMfa").flatMap((s) => asList(s.Resource));
        expect(granted).to.include(exported);
        expect(granted).not.to.include(predicted);
    });

    it("every user gets the self-service policy: own password, MFA and keys, and nothing else without MFA", async () => {
        const root = await org.evaluation(ROOT);
        const policy = single(root, "aws:iam/policy:Policy", "identity-self-service");
        const document = policyDocument(policy);
        const deny = statement(document, "DenyAllExceptMfaSetupWithoutMfa");
        expect(deny.Effect).to.equal("Deny");
        expect(deny.Resource).to.equal("*");
        expect(deny.Condition).to.deep.equal({ BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
        expect(asList(deny.NotAction)).to.include.members(["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]);
        expect(asList(deny.NotAction)).not.to.include("sts:AssumeRole");
        expect(statement(document, "ManageOwnPassword").Resource).to.equal(rootArn("user", "${aws:username}"));
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.policyArn === policy.state.arn);
        expect(attached.map((a) => a.inputs.group)).to.have.members(Object.keys(org.teams).map(groupOf));
    });

    it("exports users, groups and the sign-in URL", async () => {
        const root = await org.evaluation(ROOT);
        expect(root.outputs.users).to.deep.equal(Object.fromEntries(Object.keys(org.users).map((u) => [u, rootArn("user", u)])));
        expect(root.outputs.groups).to.deep.equal(Object.fromEntries(Object.keys(org.teams).map((t) => [t, groupOf(t)])));
        // With the baseline's account alias (<namespace>-root) users sign in there; without it, at the account id.
        const alias = org.value<{ accountAlias?: boolean }>(ROOT, "refarch:baseline")?.accountAlias === false ? org.accountOf(ROOT) : `${org.namespace}-${ROOT}`;
        expect(root.outputs.signinUrl).to.equal(`https://${alias}.signin.aws.amazon.com/console`);
    });

    it("with the account alias switched off, the sign-in URL uses the account id", async () => {
        const baseline = org.value<Record<string, unknown>>(ROOT, "refarch:baseline") ?? {};
        const root = await org.evaluateWith(ROOT, { "refarch:baseline": JSON.stringify({ ...baseline, accountAlias: false }) });
        expect(root.error).to.equal(undefined);
        expect(root.outputs.signinUrl).to.equal(`https://${org.accountOf(ROOT)}.signin.aws.amazon.com/console`);
    });
});

describe("the access matrix, on an organization of its own", () => {
    // Root users allowed sts:AssumeRole on everything, each through one of the four ways IAM attaches a policy to a
    // user, and roles trusting each kind of principal. The matrix asks the simulator only about roles whose trust can
    // name an IAM user; it must list exactly what the simulator allows.
    const ACCOUNT = "111111111111";
    const recorded = (type: string, name: string, inputs: Record<string, unknown>, state?: Record<string, unknown>) => syntheticResource("root", type, name, inputs, state);
    const document = (...statements: Statement[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements } satisfies PolicyDocument);
    const assumeAnything = document({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" });
    const managedArn = `arn:aws:iam::${ACCOUNT}:policy/assume-anything`;
    const trusts: Record<string, Statement[]> = {
        anyone: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }],
        "any-aws": [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
        account: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
        // A console session without MFA carries the key as false; long-term keys carry none: only the first gets in.
        "mfa-key-present": [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: { Null: { "aws:MultiFactorAuthPresent": "false" } } }],
        "mfa-true-or-false": [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": ["true", "false"] } } }],
        users: [{ Effect: "Allow", Principal: { AWS: ["dana", "erin", "fay", "gus"].map((u) => `arn:aws:iam::${ACCOUNT}:user/${u}`) }, Action: "sts:AssumeRole" }],
        "all-but-eve": [{ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:user/eve` }, Action: "sts:AssumeRole" } as Statement],
        "service-then-account": [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" },
        ],
        service: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        oidc: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: "sts:AssumeRoleWithWebIdentity" }],
    };
    const user = (name: string) => recorded("aws:iam/user:User", name, { name }, { name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}` });
    const role = (name: string, trust: Statement[]) => recorded("aws:iam/role:Role", name, { name, assumeRolePolicy: document(...trust) }, { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` });
    const root: StackEvaluation = {
        stack: ROOT,
        stage: ROOT,
        outputs: { accountId: ACCOUNT },
        warnings: [],
        resources: [
            ...Object.entries(trusts).map(([name, trust]) => role(name, trust)),
            ...["dana", "erin", "fay", "gus"].map(user),
            recorded("aws:iam/policy:Policy", "assume-anything", { policy: assumeAnything }, { arn: managedArn }),
            recorded("aws:iam/userPolicy:UserPolicy", "dana-inline", { user: "dana", policy: assumeAnything }),
            recorded("aws:iam/userPolicyAttachment:UserPolicyAttachment", "erin-managed", { user: "erin", policyArn: managedArn }),
            recorded("aws:iam/groupPolicy:GroupPolicy", "inline-group", { group: "inline-group", policy: assumeAnything }),
            recorded("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "managed-group", { group: "managed-group", policyArn: managedArn }),
            recorded("aws:iam/userGroupMembership:UserGroupMembership", "fay-groups", { user: "fay", groups: ["inline-group"] }),
            recorded("aws:iam/userGroupMembership:UserGroupMembership", "gus-groups", { user: "gus", groups: ["managed-group"] }),
            // A role may share a user's name: the user is still the principal.
            role("gus", trusts.service),
        ],
    };

    it("lists exactly the roles the simulator lets each user assume, with MFA where only MFA does", async () => {
        const matrix = await accessMatrix([root]);
        const allowed: string[] = [];
        for (const role of rolesOf([root])) {
            const policies = rootUserPolicies(root).get("dana")!;
            if ((await assumeRole(`arn:aws:iam::${ACCOUNT}:user/dana`, policies, role, { ...WITH_MFA, "aws:username": "dana" })) === "Allowed") allowed.push(role.role);
        }
        expect(allowed.sort()).to.deep.equal(["account", "all-but-eve", "any-aws", "anyone", "mfa-key-present", "mfa-true-or-false", "service-then-account", "users"]);
        // A policy reaches a user inline or managed, on the user or on a group they are in: each way counts.
        for (const name of ["dana", "erin", "fay", "gus"]) {
            expect(
                matrix.filter((e) => e.user === name).map((e) => e.role).sort(),
                name,
            ).to.deep.equal(allowed);
            expect(matrix.filter((e) => e.user === name && e.mfaRequired).map((e) => e.role), name).to.deep.equal(["account"]);
            expect(matrix.find((e) => e.user === name)!.roleArn).to.match(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/`));
        }
    });

    it("a stack that failed contributes no role, whatever it registered before failing", async () => {
        const failed: StackEvaluation = { stack: "dev", stage: "dev", outputs: {}, warnings: [], resources: [role("left-behind", trusts.anyone)], error: new Error("failed") };
        expect(rolesOf([root, failed]).map((r) => r.role)).not.to.include("left-behind");
        expect((await accessMatrix([root, failed])).map((e) => e.role)).not.to.include("left-behind");
    });
});
