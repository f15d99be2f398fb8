// The access a person ends up with: root users reach exactly the roles refarch:teams grants their
// teams, in the accounts it names, and only with MFA; the expected matrix is read from the stack file,
// the actual one from the policies the program produced on both sides of each trust.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { accessMatrix } from "../src/security/access";
import { asList, configValue, evaluateWith, ofType, policyDocument, repoRoot, SHIPPED_STACKS, shippedStack, shippedStacks, single, statement } from "./harness";

const accounts = configValue<Record<string, string>>("root", "refarch:accounts");
const rootFile = yaml.load(fs.readFileSync(path.join(repoRoot, "Pulumi.root.yaml"), "utf8")) as { config: Record<string, any> };
const teamsFile = rootFile.config["refarch:teams"] as Record<string, { access: Record<string, string | string[]> }>;
const usersFile = rootFile.config["refarch:users"] as Record<string, string[]>;

/** What the stack file says each user should reach: "stage/role" entries. */
function expectedAccess(user: string): string[] {
    const entries = usersFile[user].flatMap((team) =>
        Object.entries(teamsFile[team].access).flatMap(([stage, roles]) =>
            (stage === "*" ? Object.keys(accounts) : [stage]).flatMap((s) => asList(roles).map((role) => `${s}/${role}`)),
        ),
    );
    return [...new Set(entries)].sort();
}

/** What the produced policies let a user assume: "stage/role" entries, and whether each needs MFA. */
async function actualAccess(user: string): Promise<{ reach: string[]; withoutMfa: string[] }> {
    const entries = (await accessMatrix([...(await shippedStacks()).values()])).filter((e) => e.user === user);
    return {
        reach: entries.map((e) => `${e.stage}/${e.role}`).sort(),
        withoutMfa: entries.filter((e) => !e.mfaRequired).map((e) => `${e.stage}/${e.role}`),
    };
}

describe("who can assume what", () => {
    for (const user of Object.keys(usersFile)) {
        it(`${user}: reaches exactly the roles refarch:teams grants, and each only with MFA`, async () => {
            const actual = await actualAccess(user);
            expect(actual.reach).to.deep.equal(expectedAccess(user));
            expect(actual.reach.length).to.be.greaterThan(0);
            expect(actual.withoutMfa).to.deep.equal([]);
        });
    }

    it("the shipped matrix is what the team table promises", () => {
        expect(expectedAccess("bob")).to.deep.equal(["dev/admin", "prod/readonly", "staging/readonly", "testing/admin"]);
        expect(expectedAccess("carol")).to.deep.equal(["audit/readonly", "dev/admin", "prod/readonly", "staging/readonly", "testing/admin"]);
        expect(expectedAccess("alice")).to.deep.equal(SHIPPED_STACKS.map((s) => `${s}/admin`).sort());
    });

    it("IAM users exist only in root", async () => {
        for (const stack of SHIPPED_STACKS.filter((s) => s !== "root")) {
            expect(ofType(await shippedStack(stack), "aws:iam/user:User"), stack).to.deep.equal([]);
        }
        expect(ofType(await shippedStack("root"), "aws:iam/user:User").map((u) => u.inputs.name)).to.deep.equal(["alice", "bob", "carol"]);
    });

    it("a team's group policy reads the role ARNs other stacks exported, not ones it made up", async () => {
        const root = await evaluateWith("root", {}, {
            deployed: Object.fromEntries(
                [...(await shippedStacks()).values()].map((e) => [
                    `acme-org/refarch/${e.stack}`,
                    e.stack === "dev" ? { ...e.outputs, roles: { admin: "arn:aws:iam::555555555555:role/custom/path/acme-dev-admin", readonly: "x" } } : e.outputs,
                ]),
            ),
        });
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.group === "acme-root-developers").map((a) => a.inputs.policyArn);
        const developers = ofType(root, "aws:iam/policy:Policy").filter((p) => attached.includes(p.state.arn));
        const granted = developers.flatMap((p) => policyDocument(p).Statement).filter((s) => s.Sid === "AssumeGrantedRolesWithMfa").flatMap((s) => asList(s.Resource));
        expect(granted).to.include("arn:aws:iam::555555555555:role/custom/path/acme-dev-admin");
        expect(granted).not.to.include("arn:aws:iam::555555555555:role/acme-dev-admin");
    });

    it("every user gets the self-service policy: own password, MFA and keys, and nothing else without MFA", async () => {
        const root = await shippedStack("root");
        const policy = single(root, "aws:iam/policy:Policy", "identity-self-service");
        const document = policyDocument(policy);
        const deny = statement(document, "DenyAllExceptMfaSetupWithoutMfa");
        expect(deny.Effect).to.equal("Deny");
        expect(deny.Resource).to.equal("*");
        expect(deny.Condition).to.deep.equal({ BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
        expect(asList(deny.NotAction)).to.include.members(["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]);
        expect(asList(deny.NotAction)).not.to.include("sts:AssumeRole");
        expect(statement(document, "ManageOwnPassword").Resource).to.equal("arn:aws:iam::111111111111:user/${aws:username}");
        const attached = ofType(root, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment").filter((a) => a.inputs.policyArn === policy.state.arn);
        expect(attached.map((a) => a.inputs.group)).to.have.members(["acme-root-platform", "acme-root-developers", "acme-root-auditors"]);
    });

    it("exports users, groups and the sign-in URL", async () => {
        const root = await shippedStack("root");
        expect(root.outputs.users).to.deep.equal({
            alice: "arn:aws:iam::111111111111:user/alice",
            bob: "arn:aws:iam::111111111111:user/bob",
            carol: "arn:aws:iam::111111111111:user/carol",
        });
        expect(root.outputs.groups).to.deep.equal({ platform: "acme-root-platform", developers: "acme-root-developers", auditors: "acme-root-auditors" });
        // The baseline gives root the account alias <namespace>-root, and users sign in there.
        expect(root.outputs.signinUrl).to.equal("https://acme-root.signin.aws.amazon.com/console");
    });

    it("with the account alias switched off, the sign-in URL uses the account id", async () => {
        const root = await evaluateWith("root", { "refarch:baseline": JSON.stringify({ accountAlias: false }) });
        expect(root.error).to.equal(undefined);
        expect(root.outputs.signinUrl).to.equal("https://111111111111.signin.aws.amazon.com/console");
    });
});
