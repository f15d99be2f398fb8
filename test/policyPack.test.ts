// The policy pack (policy/): every stack passes every rule, configured for the organization as README
// shows (its protected stacks, root stacks, root account and admin roles), and every rule rejects a
// resource crafted to break it. The rules run here exactly as the pack serves them to `pulumi preview`,
// fed the resources the offline engine recorded (inputs for resource rules, outputs for stack rules).
import type { Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import type { RecordedResource } from "../src/offline/engine";
import { REFARCH_POLICIES } from "../policy/rules";
import { AUDIT, meeting, NEEDS, ORG, org as underTest, required, ROOT } from "./harness";

// The organization under test, or a variant of it with what the breakers tamper with: the audit sink, a user, protected and unprotected stacks.
const org = meeting([NEEDS.audit, NEEDS.teamOutsideRoot, NEEDS.protectedStack, NEEDS.unprotectedWorkload], underTest);

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
/** The pack's config for this organization: what a user would pass with --policy-pack-config. */
const ORGANIZATION_CONFIG: Record<string, Record<string, unknown>> = {
    "protected-stages-protect-resources": { protectedStacks: org.stacks.filter((s) => org.isProtected(s)) },
    "iam-users-only-in-root": { rootStacks: org.stacks.filter((s) => org.stageOf(s) === ROOT) },
    "human-role-trust-root-with-mfa": { rootAccountId: org.accountOf(ROOT) },
    "no-full-admin-identity-policy": {
        adminRoles: ["*-admin", "*-deployer", ...Object.entries(org.roles).filter(([, spec]) => spec.policyArns.includes(ADMINISTRATOR_ACCESS)).map(([role]) => `*-${role}`)],
    },
};
/** A stack whose roles and trail the breakers below tamper with: a workload's, else root's. */
const workload = org.stacksOfKind("workload")[0] ?? ROOT;

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
        opts: { protect: r.protect, ignoreChanges: r.ignoreChanges, aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: r.additionalSecretOutputs, parent: r.parent || undefined },
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

/** A copy of a stack's resources with one resource (the first of `type` that `which` picks) changed. */
async function crafted(stack: string, type: string, change: (r: RecordedResource) => RecordedResource, which: (r: RecordedResource) => boolean = () => true): Promise<RecordedResource[]> {
    const resources = structuredClone((await org.evaluation(stack)).resources);
    const index = resources.findIndex((r) => r.type === type && which(r));
    if (index < 0) throw new Error(`no such ${type} in ${stack}`);
    resources[index] = change(resources[index]);
    return resources;
}
const withInputs = (patch: Record<string, unknown>) => (r: RecordedResource): RecordedResource => ({ ...r, inputs: { ...r.inputs, ...patch }, state: { ...r.state, ...patch } });
const trust = (document: unknown) => withInputs({ assumeRolePolicy: JSON.stringify(document) });
const inStack = (stack: string) => (r: RecordedResource): RecordedResource => ({ ...r, urn: r.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`) });
const ADMIN_DOC = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const named = (name: string) => (r: RecordedResource) => r.name === name;
const needsAudit = () => required(org.has(AUDIT) && AUDIT, "no audit stage, so no bucket or trail to tamper with");

/** For each rule: a stack crafted to break it, and nothing else. */
const BREAKERS: Record<string, () => Promise<RecordedResource[]>> = {
    "accounts-never-closed": async () =>
        (await organizationResources()).map((r) => (r.type === "aws:organizations/account:Account" ? { ...r, inputs: { ...r.inputs, closeOnDeletion: true } } : r)),
    "s3-bucket-blocks-public-access": () => crafted(needsAudit(), "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", withInputs({ restrictPublicBuckets: false })),
    "s3-bucket-encrypted": async () => (await org.evaluation(needsAudit())).resources.filter((r) => !r.type.includes("ServerSideEncryption")),
    "s3-bucket-denies-insecure-transport": () =>
        crafted(needsAudit(), "aws:s3/bucketPolicy:BucketPolicy", (r) => {
            const document = JSON.parse(String(r.inputs.policy));
            document.Statement = document.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
            return withInputs({ policy: JSON.stringify(document) })(r);
        }),
    // The organization's one trail (org stack) where it is managed, else a workload's own.
    "cloudtrail-trail-secure": () => (needsAudit(), crafted(org.hasOrganizationTrail ? ORG : workload, "aws:cloudtrail/trail:Trail", withInputs({ isMultiRegionTrail: false }))),
    "human-role-trust-root-with-mfa": () =>
        crafted(workload, "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${org.accountOf(ROOT)}:root` }, Action: "sts:AssumeRole" }] })),
    "iam-users-only-in-root": async () => {
        const user = required((await org.evaluation(ROOT)).resources.find((r) => r.type === "aws:iam/user:User"), "no user in refarch:users");
        const other = required(org.find((s) => org.stageOf(s) !== ROOT), "no stack but root");
        return [...(await org.evaluation(other)).resources, inStack(other)(structuredClone(user))];
    },
    "no-full-admin-identity-policy": () => crafted(ROOT, "aws:iam/policy:Policy", withInputs({ policy: JSON.stringify(ADMIN_DOC) }), named("identity-self-service")),
    "protected-stages-protect-resources": () =>
        crafted(required(org.find((s) => org.isProtected(s)), "no protected stage"), "aws:iam/role:Role", (r) => ({ ...r, protect: false })),
    "audit-bucket-retained": () => crafted(needsAudit(), "aws:s3/bucket:Bucket", withInputs({ forceDestroy: true }), named("cloudtrail-bucket")),
};

describe("policy pack", () => {
    for (const stack of org.stacks) {
        it(`${stack}: every resource passes every rule`, async () => {
            const evaluation = await org.evaluation(stack);
            expect(evaluation.resources.length).to.be.greaterThan(3);
            expect(await check(evaluation.resources, ORGANIZATION_CONFIG)).to.deep.equal([]);
        });
    }

    it("every rule has a crafted breaker, and the pack serves exactly these rules", () => {
        expect(REFARCH_POLICIES.map((p) => p.name).sort()).to.deep.equal(Object.keys(BREAKERS).sort());
        for (const policy of REFARCH_POLICIES) expect(policy.enforcementLevel, policy.name).to.equal("mandatory");
    });

    for (const [rule, breaker] of Object.entries(BREAKERS)) {
        it(`${rule}: rejects a resource crafted to break it, and only that rule fires`, async function () {
            const violations = await check(await breaker(), ORGANIZATION_CONFIG);
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
            const violations = await check(await crafted(workload, "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [statement] })));
            expect(violations.map((v) => v.policy), JSON.stringify(statement)).to.include("human-role-trust-root-with-mfa");
        }
        const otherRoot = await crafted(workload, "aws:iam/role:Role", trust({ Version: "2012-10-17", Statement: [{ ...cases[1], Principal: { AWS: "arn:aws:iam::999999999999:root" } }] }));
        expect((await check(otherRoot)).map((v) => v.message).join("\n")).to.include("2 different accounts");
        expect((await check(otherRoot, ORGANIZATION_CONFIG)).map((v) => v.message).join("\n")).to.include(`not the root account ${org.accountOf(ROOT)}`);
    });

    it("human roles: a role trusted by an OIDC provider (a deployer) is not a human role and passes", async () => {
        const provider = `arn:aws:iam::${org.accountOf(workload)}:oidc-provider/api.pulumi.com/oidc`;
        const deployer = await crafted(
            workload,
            "aws:iam/role:Role",
            trust({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "api.pulumi.com/oidc:aud": org.organization } } }],
            }),
        );
        expect(await check(deployer, ORGANIZATION_CONFIG)).to.deep.equal([]);
    });

    it("administrator access: only attached to admin (or deployer) roles, never to a group or user, never written inline", async function () {
        const adminAttachment = (r: RecordedResource) => r.inputs.policyArn === ADMINISTRATOR_ACCESS;
        const attachedTo = (role: string) => crafted(workload, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", withInputs({ role }), adminAttachment);
        const { adminRoles } = ORGANIZATION_CONFIG["no-full-admin-identity-policy"] as { adminRoles: string[] };
        const viewer = `${org.namePrefix(workload)}-viewer`;
        expect((await check(await attachedTo(viewer), ORGANIZATION_CONFIG)).map((v) => v.message)).to.deep.equal([
            `AdministratorAccess is attached to role ${viewer}, which is not an admin role (${adminRoles.join(", ")}).`,
        ]);
        expect(await check(await attachedTo(`${org.namePrefix(workload)}-deployer`), ORGANIZATION_CONFIG)).to.deep.equal([]);
        const notAction = await crafted(ROOT, "aws:iam/policy:Policy", withInputs({ policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) }), named("identity-self-service"));
        expect((await check(notAction, ORGANIZATION_CONFIG)).map((v) => v.policy)).to.deep.equal(["no-full-admin-identity-policy"]);
        required(Object.keys(org.teams).length > 0, "no team, so no group to attach it to");
        const toGroup = await crafted(ROOT, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", withInputs({ policyArn: ADMINISTRATOR_ACCESS }));
        expect((await check(toGroup, ORGANIZATION_CONFIG)).map((v) => v.policy)).to.deep.equal(["no-full-admin-identity-policy"]);
    });

    it("protection follows the stack: an unprotected stack's resources pass there and fail in a protected stack", async function () {
        const unprotected = required(org.find((s) => !org.isProtected(s) && org.stageOf(s) !== ROOT), "no unprotected stage besides root");
        const protectedStack = required(org.find((s) => org.isProtected(s)), "no protected stage");
        const resources = (await org.evaluation(unprotected)).resources;
        expect(await check(resources, ORGANIZATION_CONFIG)).to.deep.equal([]);
        const moved = resources.map(inStack(protectedStack));
        expect(new Set((await check(moved, ORGANIZATION_CONFIG)).map((v) => v.policy))).to.deep.equal(new Set(["protected-stages-protect-resources"]));
    });
});

/** The org stack of the create-accounts fixture (the shipped example has none). */
async function organizationResources(): Promise<RecordedResource[]> {
    const path = await import("path");
    const { evaluateProject } = await import("../src/offline/engine");
    const { readProject } = await import("../src/project");
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
