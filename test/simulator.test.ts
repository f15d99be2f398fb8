// The simulator's door (src/security/simulator.ts) hands over each policy validated once and cut to the statements
// that can apply to the request's action: these prove it decides as the whole policies do, and still refuses bad ones.
import { expect } from "chai";
import type { PolicyDocument, Statement } from "../src/policies";
import { decide } from "../src/security/simulator";

const CALLER_ACCOUNT = "111111111111";
const ROLE_ACCOUNT = "222222222222";
const caller = `arn:aws:iam::${CALLER_ACCOUNT}:user/dana`;
const role = `arn:aws:iam::${ROLE_ACCOUNT}:role/target`;
const policy = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });
/** The role trusts the caller's account, so the caller's own policies decide. */
const trust = policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: "sts:AssumeRole" });
const assume = (identityPolicies: PolicyDocument[]) => decide({ principal: caller, action: "sts:AssumeRole", resource: role, resourceAccount: ROLE_ACCOUNT, identityPolicies, resourcePolicy: trust });

describe("the IAM simulator's door: policies cut to the request's service decide as the whole policies do", () => {
    it("an Action is matched whatever its case and wildcards: STS:Assume*, sts:assumerole, *, or among other services' actions", async () => {
        for (const action of ["STS:Assume*", "sts:assumerole", "*", ["iam:GetUser", "sts:AssumeRole"], "sts:AssumeRol?"]) {
            expect(await assume([policy({ Effect: "Allow", Action: action, Resource: role })]), JSON.stringify(action)).to.equal("Allowed");
        }
    });

    it("a Deny with NotAction naming only another service still denies", async () => {
        const allow = policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role });
        expect(await assume([allow])).to.equal("Allowed");
        expect(await assume([allow, policy({ Effect: "Deny", NotAction: "iam:*", Resource: "*" })])).to.equal("ExplicitlyDenied");
    });

    it("statements and policies about other services alone grant nothing", async () => {
        expect(await assume([policy({ Effect: "Allow", Action: ["iam:*", "s3:GetObject"], Resource: "*" })])).to.equal("ImplicitlyDenied");
    });

    it("a malformed statement is refused even when it names another service than the request's", async () => {
        const bad = policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role }, { Effect: "Permit", Action: "iam:GetUser", Resource: "*" } as unknown as Statement);
        let refusal: Error | undefined;
        await assume([bad]).catch((err: Error) => (refusal = err));
        expect(refusal?.message).to.match(/refused sts:AssumeRole .*identity-1/);
    });

    it("one document asked about several actions decides each action by its own statements", async () => {
        const bucket = "arn:aws:s3:::notes";
        const mixed = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: `${bucket}/*` }, { Effect: "Allow", Action: "sts:AssumeRole", Resource: role });
        const ask = (action: string, resource: string, resourceAccount: string) => decide({ principal: caller, action, resource, resourceAccount, identityPolicies: [mixed] });
        expect(await assume([mixed])).to.equal("Allowed");
        expect(await ask("s3:GetObject", `${bucket}/a.txt`, CALLER_ACCOUNT)).to.equal("Allowed");
        expect(await ask("s3:PutObject", `${bucket}/a.txt`, CALLER_ACCOUNT)).to.equal("ImplicitlyDenied");
        expect(await ask("iam:GetUser", caller, CALLER_ACCOUNT)).to.equal("ImplicitlyDenied");
    });

    it("an SCP level whose policies all name other services denies, as a level with no Allow for the action does", async () => {
        const everything = policy({ Effect: "Allow", Action: "*", Resource: "*" });
        const levels = (accountLevel: PolicyDocument[]) => [
            { target: "r-root", policies: [everything] },
            { target: CALLER_ACCOUNT, policies: accountLevel },
        ];
        const request = { principal: caller, action: "iam:GetUser", resource: caller, resourceAccount: CALLER_ACCOUNT, identityPolicies: [everything] };
        expect(await decide({ ...request, serviceControlPolicies: levels([everything]) })).to.equal("Allowed");
        expect(await decide({ ...request, serviceControlPolicies: levels([policy({ Effect: "Allow", Action: "s3:*", Resource: "*" })]) })).to.equal("ImplicitlyDenied");
    });
});

describe("the IAM simulator's door: what it is given", () => {
    it("a malformed SCP is refused, named by its level and place: <target>-scp-<n>", async () => {
        const fine = policy({ Effect: "Allow", Action: "*", Resource: "*" });
        const bad = policy({ Effect: "Permit", Action: "*", Resource: "*" } as unknown as Statement);
        let refusal: Error | undefined;
        await decide({ principal: caller, action: "iam:GetUser", resource: caller, resourceAccount: CALLER_ACCOUNT, identityPolicies: [fine], serviceControlPolicies: [{ target: "ou-workloads", policies: [fine, bad] }] }).catch(
            (err: Error) => (refusal = err),
        );
        expect(refusal?.message).to.match(/refused iam:GetUser .*ou-workloads-scp-2/);
        expect(refusal?.message).not.to.match(/ou-workloads-scp-1/);
    });

    it("only the conditions the simulator cannot evaluate are removed: the encryption context goes, kms:CallerAccount beside it is still tested", async () => {
        const key = `arn:aws:kms:us-east-1:${ROLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const keyPolicy = policy({
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "KMS:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t", "kms:CallerAccount": CALLER_ACCOUNT } },
        });
        const decrypt = (callerAccount: string) =>
            decide({
                principal: caller,
                action: "kms:Decrypt",
                resource: key,
                resourceAccount: ROLE_ACCOUNT,
                context: { "kms:CallerAccount": callerAccount },
                identityPolicies: [policy({ Effect: "Allow", Action: "kms:Decrypt", Resource: key })],
                resourcePolicy: keyPolicy,
            });
        expect(await decrypt(CALLER_ACCOUNT)).to.equal("Allowed");
        expect(await decrypt(ROLE_ACCOUNT)).to.equal("ImplicitlyDenied");
    });
});

describe("the IAM simulator's door: unsigned requests", () => {
    it("\"anonymous\" is AWS's anonymous principal: a bucket policy open to everyone lets it read, one naming an account does not", async () => {
        const bucket = "arn:aws:s3:::public-site/index.html";
        const read = (principal: Statement["Principal"]) =>
            decide({ principal: "anonymous", action: "s3:GetObject", resource: bucket, resourceAccount: ROLE_ACCOUNT, resourcePolicy: policy({ Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: bucket }) });
        expect(await read("*")).to.equal("Allowed");
        expect(await read({ AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` })).to.equal("ImplicitlyDenied");
    });
});
