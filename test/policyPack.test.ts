// The policy pack (policy/): every shipped stack passes every rule, and every rule rejects a resource
// crafted to break it. The rules run here exactly as the pack serves them to `pulumi preview`, fed the
// resources the offline engine recorded (inputs for resource rules, outputs for stack rules).
import type { Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import type { RecordedResource } from "../src/offline/engine";
import { REFARCH_POLICIES } from "../policy/rules";
import { SHIPPED_STACKS, shippedStack } from "./harness";

interface Violation {
    policy: string;
    resource?: string;
    message: string;
}

/** A policy's config as the pack would hand it over when none is given: the schema's defaults. */
function defaults(policy: Policy, overrides: Record<string, unknown> = {}): any {
    return { ...Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as any).default])), ...overrides };
}

function toPolicyResource(r: RecordedResource, all: RecordedResource[]): PolicyResource {
    return {
        type: r.type,
        props: r.state,
        urn: r.urn,
        name: r.name,
        opts: { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: r.parent || undefined },
        dependencies: all.filter((d) => r.dependsOn.includes(d.urn)).map((d) => ({ urn: d.urn }) as PolicyResource),
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
}

/** Runs every rule of the pack over one stack's resources. */
async function check(resources: RecordedResource[], config: Record<string, Record<string, unknown>> = {}): Promise<Violation[]> {
    const violations: Violation[] = [];
    for (const policy of REFARCH_POLICIES) {
        const getConfig = <T>() => defaults(policy, config[policy.name]) as T;
        const notApplicable = (): never => {
            throw new Error("not applicable");
        };
        if ("validateStack" in policy) {
            await (policy as StackValidationPolicy).validateStack(
                { resources: resources.map((r) => toPolicyResource(r, resources)), stackTags: new Map(), getConfig, notApplicable },
                (message, urn) => violations.push({ policy: policy.name, resource: urn, message }),
            );
        } else {
            for (const r of resources) {
                const args: ResourceValidationArgs = {
                    type: r.type,
                    props: r.inputs,
                    urn: r.urn,
                    name: r.name,
                    opts: toPolicyResource(r, resources).opts,
                    stackTags: new Map(),
                    isType: () => false,
                    asType: () => undefined,
                    getConfig,
                    notApplicable,
                };
                for (const validate of [(policy as ResourceValidationPolicy).validateResource ?? []].flat()) {
                    await validate(args, (message) => violations.push({ policy: policy.name, resource: r.urn, message }));
                }
            }
        }
    }
    return violations;
}

/** A copy of a shipped stack's resources with one resource changed. */
async function crafted(stack: string, type: string, change: (r: RecordedResource) => RecordedResource, name?: string): Promise<RecordedResource[]> {
    const resources = structuredClone((await shippedStack(stack)).resources);
    const index = resources.findIndex((r) => r.type === type && (name === undefined || r.name === name));
    if (index < 0) throw new Error(`no ${type} in ${stack}`);
    resources[index] = change(resources[index]);
    return resources;
}
const withInputs = (patch: Record<string, unknown>) => (r: RecordedResource): RecordedResource => ({ ...r, inputs: { ...r.inputs, ...patch }, state: { ...r.state, ...patch } });
const trust = (document: unknown) => withInputs({ assumeRolePolicy: JSON.stringify(document) });
const inStack = (stack: string) => (r: RecordedResource): RecordedResource => ({ ...r, urn: r.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`) });
const ADMIN_DOC = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** For each rule: a stack crafted to break it, and nothing else. */
const BREAKERS: Record<string, () => Promise<RecordedResource[]>> = {
    "accounts-never-closed": async () =>
        (await organizationResources()).map((r) => (r.type === "aws:organizations/account:Account" ? { ...r, inputs: { ...r.inputs, closeOnDeletion: true } } : r)),
    "s3-bucket-blocks-public-access": () => crafted("audit", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", withInputs({ restrictPublicBuckets: false })),
    "s3-bucket-encrypted": async () => (await shippedStack("audit")).resources.filter((r) => !r.type.includes("ServerSideEncryption")),
    "s3-bucket-denies-insecure-transport": () =>
        crafted("audit", "aws:s3/bucketPolicy:BucketPolicy", (r) => {
            const document = JSON.parse(String(r.inputs.policy));
            document.Statement = document.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
            return withInputs({ policy: JSON.stringify(document) })(r);
        }),
    "cloudtrail-trail-secure": () => crafted("prod", "aws:cloudtrail/trail:Trail", withInputs({ isMultiRegionTrail: false })),
    "human-role-trust-root-with-mfa": () =>
        crafted("prod", "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }] })),
    "iam-users-only-in-root": async () => {
        const user = (await shippedStack("root")).resources.find((r) => r.type === "aws:iam/user:User")!;
        return [...(await shippedStack("staging")).resources, inStack("staging")(structuredClone(user))];
    },
    "no-full-admin-identity-policy": () => crafted("root", "aws:iam/policy:Policy", withInputs({ policy: JSON.stringify(ADMIN_DOC) }), "identity-self-service"),
    "protected-stages-protect-resources": () => crafted("prod", "aws:iam/role:Role", (r) => ({ ...r, protect: false })),
    "audit-bucket-retained": () => crafted("audit", "aws:s3/bucket:Bucket", withInputs({ forceDestroy: true })),
};

describe("policy pack", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: every resource passes every rule`, async () => {
            const evaluation = await shippedStack(stack);
            expect(evaluation.resources.length).to.be.greaterThan(3);
            expect(await check(evaluation.resources)).to.deep.equal([]);
        });
    }

    it("every rule has a crafted breaker, and the pack serves exactly these rules", () => {
        expect(REFARCH_POLICIES.map((p) => p.name).sort()).to.deep.equal(Object.keys(BREAKERS).sort());
        for (const policy of REFARCH_POLICIES) expect(policy.enforcementLevel, policy.name).to.equal("mandatory");
    });

    for (const [rule, breaker] of Object.entries(BREAKERS)) {
        it(`${rule}: rejects a resource crafted to break it, and only that rule fires`, async () => {
            const violations = await check(await breaker());
            expect(violations.length, JSON.stringify(violations)).to.be.greaterThan(0);
            expect([...new Set(violations.map((v) => v.policy))]).to.deep.equal([rule]);
            for (const v of violations) expect(v.message).to.match(/\S+ .*[.:]/);
        });
    }

    it("human roles: a wildcard principal, another account, or a second trusted account are each rejected", async () => {
        const cases = [
            { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:user/eve" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
        ];
        for (const statement of cases) {
            const violations = await check(await crafted("prod", "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [statement] })));
            expect(violations.map((v) => v.policy), JSON.stringify(statement)).to.include("human-role-trust-root-with-mfa");
        }
        const otherRoot = await crafted("prod", "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [{ ...cases[1], Principal: { AWS: "arn:aws:iam::999999999999:root" } }] }));
        expect((await check(otherRoot)).map((v) => v.message).join("\n")).to.include("2 different accounts");
        expect((await check(otherRoot, { "human-role-trust-root-with-mfa": { rootAccountId: "111111111111" } })).map((v) => v.message).join("\n")).to.include("not the root account 111111111111");
    });

    it("human roles: a role trusted by an OIDC provider (a deployer) is not a human role and passes", async () => {
        const deployer = await crafted(
            "prod",
            "aws:iam/role:Role",
            trust({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/api.pulumi.com/oidc" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "api.pulumi.com/oidc:aud": "acme-org" } } }],
            }),
        );
        expect(await check(deployer)).to.deep.equal([]);
    });

    it("administrator access: only attached to admin (or deployer) roles, never to a group or user, never written inline", async () => {
        const toReadonly = await crafted("prod", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", withInputs({ role: "acme-prod-readonly" }), "roles-admin-AdministratorAccess");
        expect((await check(toReadonly)).map((v) => v.message)).to.deep.equal(["AdministratorAccess is attached to role acme-prod-readonly, which is not an admin role (*-admin, *-deployer)."]);
        const toDeployer = await crafted("prod", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", withInputs({ role: "acme-prod-deployer" }), "roles-admin-AdministratorAccess");
        expect(await check(toDeployer)).to.deep.equal([]);
        const toGroup = await crafted("root", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", withInputs({ policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), "identity-platform-self-service");
        expect((await check(toGroup)).map((v) => v.policy)).to.deep.equal(["no-full-admin-identity-policy"]);
        const notAction = await crafted("root", "aws:iam/policy:Policy", withInputs({ policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) }), "identity-self-service");
        expect((await check(notAction)).map((v) => v.policy)).to.deep.equal(["no-full-admin-identity-policy"]);
    });

    it("protection follows the stack: an unprotected resource passes in staging and fails in prod", async () => {
        const unprotected = (await shippedStack("staging")).resources;
        expect(await check(unprotected)).to.deep.equal([]);
        const asProd = unprotected.map(inStack("prod"));
        expect(new Set((await check(asProd)).map((v) => v.policy))).to.deep.equal(new Set(["protected-stages-protect-resources"]));
    });
});

/** The org stack of the create-accounts fixture (the shipped example has none). */
async function organizationResources(): Promise<RecordedResource[]> {
    const path = await import("path");
    const { evaluateProject, readProject } = await import("../src/offline/engine");
    const { program } = await import("./harness");
    const evaluations = await evaluateProject(program, readProject(path.join(__dirname, "fixtures", "create-accounts")), { stacks: ["org"] });
    return structuredClone(evaluations.find((e) => e.stack === "org")!.resources);
}

describe("policy pack: the organization's accounts", function () {
    this.timeout(120_000);

    it("the create-accounts fixture's org stack passes every rule; an account unprotected or closed on deletion is refused", async () => {
        const resources = await organizationResources();
        expect(await check(resources)).to.deep.equal([]);
        const account = resources.findIndex((r) => r.type === "aws:organizations/account:Account");
        const broken = structuredClone(resources);
        broken[account] = { ...broken[account], protect: false, inputs: { ...broken[account].inputs, closeOnDeletion: true } };
        const found = (await check(broken)).filter((v) => v.policy === "accounts-never-closed").map((v) => v.message);
        expect(found).to.have.length(2);
        expect(found[0]).to.match(/is not protected/);
        expect(found[1]).to.match(/closeOnDeletion: true/);
    });
});
