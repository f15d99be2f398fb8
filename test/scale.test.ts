// At a hundred accounts and a thousand users, every policy document the program produces stays under
// AWS's size limit for its kind, and every group and user stays within IAM's attachment quotas. The
// config is generated; the program, engine and evaluator are the real ones.
import { expect } from "chai";
import { DEFAULT_ORGANIZATION, evaluateProject, RecordedResource, StackEvaluation } from "../src/offline/engine";
import { ProjectFiles } from "../src/project";
import { MAX_GROUPS_PER_USER, MAX_TEAM_POLICIES, POLICY_LIMITS } from "../src/policies";
import { assumeRole, rolesOf, rootUserPolicies, WITH_MFA, WITHOUT_MFA } from "../src/security/access";
import { ConfigError, validateConfig } from "../src/config";
import { asList, oncePerMutant, org, program } from "./harness";

const ACCOUNTS = 100;
const USERS = 1000;
// Realistic lengths: a 7-letter namespace and stage names like "team-payments-017".
const NAMESPACE = "acmecorp";
const stages = ["root", "audit", ...Array.from({ length: ACCOUNTS - 2 }, (_, i) => `workload-${String(i + 1).padStart(3, "0")}`)];
const accounts = Object.fromEntries(stages.map((s, i) => [s, String(100000000000 + i * 7919)]));
const workloads = stages.filter((s) => s !== "root" && s !== "audit");
const roles = {
    admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
    readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
    poweruser: { policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] },
};
// The widest team reaches every role in every account; 30 product teams reach a slice each.
const teams: Record<string, { access: Record<string, string[]> }> = {
    platform: { access: { "*": Object.keys(roles) } },
    auditors: { access: { "*": ["readonly"] } },
    ...Object.fromEntries(
        Array.from({ length: 30 }, (_, t) => [
            `product-${t + 1}`,
            { access: Object.fromEntries(workloads.filter((_, i) => i % 30 === t || i % 7 === t % 7).map((s) => [s, ["poweruser", "readonly"]])) },
        ]),
    ),
};
const teamNames = Object.keys(teams);
const users = Object.fromEntries(Array.from({ length: USERS }, (_, u) => [`user${u + 1}@example.com`, [teamNames[u % teamNames.length], teamNames[(u * 7) % teamNames.length]].filter((t, i, all) => all.indexOf(t) === i)]));

/** The generated organisation as Pulumi would hand it to each stack. */
function scaledProject(): ProjectFiles {
    const projectConfig = {
        "refarch:namespace": NAMESPACE,
        "refarch:accounts": JSON.stringify(accounts),
        "refarch:roles": JSON.stringify(roles),
    };
    const stackConfigs = Object.fromEntries(
        stages.map((s) => [
            s,
            {
                "aws:region": "us-east-1",
                ...(s === "root" ? { "refarch:teams": JSON.stringify(teams), "refarch:users": JSON.stringify(users) } : {}),
            },
        ]),
    );
    return { dir: org.dir, name: org.name, projectConfig, stackConfigs };
}

/** Every policy document a resource carries, with the AWS limit for its kind. Unknown carriers fail. */
function documents(r: RecordedResource): { field: string; limit: number }[] {
    switch (r.type) {
        case "aws:iam/role:Role":
            return [{ field: "assumeRolePolicy", limit: POLICY_LIMITS.roleTrustPolicy }];
        case "aws:iam/policy:Policy":
            return [{ field: "policy", limit: POLICY_LIMITS.managedPolicy }];
        case "aws:iam/groupPolicy:GroupPolicy":
            return [{ field: "policy", limit: POLICY_LIMITS.groupInlinePolicies }];
        // The logs reader's one inline policy: IAM's limit is on all of a role's inline policies together.
        case "aws:iam/rolePolicy:RolePolicy":
            return [{ field: "policy", limit: POLICY_LIMITS.roleInlinePolicies }];
        case "aws:s3/bucketPolicy:BucketPolicy":
            return [{ field: "policy", limit: POLICY_LIMITS.bucketPolicy }];
        case "aws:kms/key:Key":
            return [{ field: "policy", limit: POLICY_LIMITS.keyPolicy }];
        default:
            return [];
    }
}

describe("scale: 100 accounts and 1,000 users", function () {
    this.timeout(600_000);
    /** The generated organization, evaluated by the real program in the first test that needs it: once per run, once per mutant. */
    const scaled = oncePerMutant(() => evaluateProject(program, scaledProject()));
    let evaluations: StackEvaluation[];
    beforeEach(async () => {
        evaluations = await scaled();
    });

    it("every stack evaluates", () => {
        expect(evaluations.map((e) => e.stack).sort()).to.deep.equal([...stages].sort());
        expect(evaluations.filter((e) => e.error).map((e) => `${e.stack}: ${e.error!.message}`)).to.deep.equal([]);
        expect(Object.keys(evaluations.find((e) => e.stack === "root")!.outputs.users as object)).to.have.length(USERS);
    });

    it("every policy document is under AWS's limit for its kind", () => {
        const sizes: string[] = [];
        let checked = 0;
        for (const e of evaluations) {
            for (const r of e.resources) {
                const policyFields = Object.keys(r.inputs).filter((k) => /polic(y|ies)$/i.test(k) && typeof r.inputs[k] === "string" && String(r.inputs[k]).startsWith("{"));
                const known = documents(r);
                expect(policyFields.filter((f) => !known.some((k) => k.field === f)), `${r.type} carries a policy with no size check`).to.deep.equal([]);
                for (const { field, limit } of known) {
                    const size = JSON.stringify(JSON.parse(String(r.inputs[field]))).length;
                    checked++;
                    if (size > limit) sizes.push(`${e.stack} ${r.name}.${field}: ${size} > ${limit}`);
                }
            }
        }
        expect(sizes).to.deep.equal([]);
        expect(checked).to.be.greaterThan(ACCOUNTS * 3);
    });

    it("a group's inline policies together stay under 5,120, and each group holds at most 10 managed policies", () => {
        const root = evaluations.find((e) => e.stack === "root")!;
        const inline = new Map<string, number>();
        for (const p of root.resources.filter((r) => r.type === "aws:iam/groupPolicy:GroupPolicy")) {
            inline.set(String(p.inputs.group), (inline.get(String(p.inputs.group)) ?? 0) + String(p.inputs.policy).length);
        }
        for (const [group, size] of inline) expect(size, group).to.be.at.most(POLICY_LIMITS.groupInlinePolicies);
        const attached = new Map<string, number>();
        for (const a of root.resources.filter((r) => r.type === "aws:iam/groupPolicyAttachment:GroupPolicyAttachment")) {
            attached.set(String(a.inputs.group), (attached.get(String(a.inputs.group)) ?? 0) + 1);
        }
        expect(attached.size).to.equal(teamNames.length);
        for (const [group, count] of attached) expect(count, group).to.be.at.most(MAX_TEAM_POLICIES + 1);
        // The widest team needs more than one policy: the split is exercised, not just allowed.
        expect(attached.get(`${NAMESPACE}-root-platform`)).to.be.greaterThan(2);
        for (const m of root.resources.filter((r) => r.type === "aws:iam/userGroupMembership:UserGroupMembership")) {
            expect(asList(m.inputs.groups as string[]).length).to.be.at.most(MAX_GROUPS_PER_USER);
        }
    });

    it("the split policies still grant exactly the team's roles, with MFA only (simulated for the widest team)", async () => {
        const root = evaluations.find((e) => e.stack === "root")!;
        const member = Object.keys(users).find((u) => users[u].includes("platform") && users[u].length === 1)!;
        const policies = rootUserPolicies(root).get(member)!;
        const principal = `arn:aws:iam::${accounts.root}:user/${member}`;
        const all = rolesOf(evaluations).filter((r) => r.role in roles);
        expect(all).to.have.length(ACCOUNTS * Object.keys(roles).length);
        for (const role of all) {
            expect(await assumeRole(principal, policies, role, WITH_MFA), role.arn).to.equal("Allowed");
        }
        for (const role of all.filter((_, i) => i % 10 === 0)) {
            for (const context of WITHOUT_MFA) expect(await assumeRole(principal, policies, role, context), role.arn).not.to.equal("Allowed");
        }
        const auditor = Object.keys(users).find((u) => users[u].length === 1 && users[u][0] === "auditors")!;
        const auditorPolicies = rootUserPolicies(root).get(auditor)!;
        for (const role of all.filter((r) => r.role !== "readonly").slice(0, 20)) {
            expect(await assumeRole(`arn:aws:iam::${accounts.root}:user/${auditor}`, auditorPolicies, role, WITH_MFA), role.arn).not.to.equal("Allowed");
        }
    });
});

describe("scale: past IAM's quotas, config is refused before anything is created", () => {
    it("a team whose grants need more than 9 managed policies, and a user in more than 10 teams, are each named with the fix", () => {
        const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`stage-${String(i).padStart(3, "0")}`, String(200000000000 + i)]));
        const tenTeams = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`team-${i}`, { access: { root: "readonly" } }]));
        const values = {
            "refarch:namespace": NAMESPACE,
            "refarch:accounts": JSON.stringify({ root: "111111111111", ...many }),
            "refarch:roles": JSON.stringify(roles),
            "aws:region": "us-east-1",
            "refarch:teams": JSON.stringify({ everything: { access: { "*": Object.keys(roles) } }, ...tenTeams }),
            "refarch:users": JSON.stringify({ alice: ["everything"], bob: Object.keys(tenTeams) }),
        };
        let error: Error | undefined;
        try {
            validateConfig({ organization: DEFAULT_ORGANIZATION, project: org.name, stack: "root", values });
        } catch (err) {
            error = err as Error;
        }
        expect(error).to.be.instanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        expect(problems).to.have.length(2);
        expect(problems[0]).to.match(/^Pulumi\.root\.yaml: refarch:teams\.everything: "1203 roles" needs \d+ managed policies of 6144 characters, more than the 9 IAM lets a group hold .* Fix: .*split the team/);
        expect(problems[1]).to.match(/^Pulumi\.root\.yaml: refarch:users\.bob: \[.*"team-10"\] puts the user in 11 teams, more than the 10 groups IAM allows a user\. Fix: .*merge/);
    });
});
