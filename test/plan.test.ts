// `npm start`, the offline plan: what it prints, what it writes (out/plan/<stack>.json, architecture.md),
// its flags, the diff's exit codes and the config-error path, all through the real CLI entry (`run`) on the
// real program and Pulumi.<stack>.yaml files.
//
// The JSON plan of the shipped config is compared with test/snapshots/plan/. When a change to the program
// or the config is meant to change the plan, regenerate the snapshot and review its diff:
//   UPDATE_SNAPSHOTS=1 npx mocha --grep plan
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { ConfigError, validateConfig } from "../src/config";
import { PERSONAL_RESOURCE_TYPES } from "../policy/rules/protectedStagesProtect";
import { readProject, stackConfig } from "../src/offline/engine";
import { run } from "../src/plan/cli";
import { OFFLINE_NOTICE, StackPlan } from "../src/plan/model";
import { asList, repoRoot, SHIPPED_STACKS, shippedStack } from "./harness";

const SNAPSHOT_DIR = path.join(__dirname, "snapshots", "plan");
const DEPLOY_ORDER = ["audit", "prod", "staging", "dev", "testing", "root"];
const temporary: string[] = [];

interface Result {
    code: number;
    stdout: string;
    stderr: string;
}

async function plan(...argv: string[]): Promise<Result> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), color: false, cwd: repoRoot });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refarch-plan-"));
    temporary.push(dir);
    return dir;
}

/** A copy of the project's Pulumi*.yaml files (running the repository's program), edited by `edit`. */
function editedProject(edit: (files: Record<string, { config: Record<string, any>; [key: string]: any }>) => void): string {
    const dir = tempDir();
    const files = Object.fromEntries(
        fs
            .readdirSync(repoRoot)
            .filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))
            .map((f) => [f, yaml.load(fs.readFileSync(path.join(repoRoot, f), "utf8")) as { config: Record<string, any>; [key: string]: any }]),
    );
    files["Pulumi.yaml"].main = path.join(repoRoot, "src", "index.ts");
    edit(files);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), yaml.dump(content));
    return dir;
}

const readPlan = (dir: string, stack: string): StackPlan => JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as StackPlan;
const listing = (dir: string) => fs.readdirSync(dir).sort();
const snapshotOf = (dir: string) => Object.fromEntries(listing(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

let shipped: Promise<{ result: Result; out: string }> | undefined;
/** One plan of the shipped config, shared by the tests that only read it. */
function shippedPlan(): Promise<{ result: Result; out: string }> {
    shipped ??= (async () => {
        const out = path.join(tempDir(), "plan");
        return { result: await plan("--out", out), out };
    })();
    return shipped;
}

/** The text of one stack's section of the terminal output. */
function section(stdout: string, stack: string): string {
    const start = stdout.search(new RegExp(`^${stack}  wave`, "m"));
    expect(start, `no section for ${stack}`).to.be.greaterThan(-1);
    const rest = stdout.slice(start);
    const body = rest.indexOf("\n") + 1;
    const end = rest.slice(body).search(/^\S/m);
    return end === -1 ? rest : rest.slice(0, body + end);
}

describe("offline plan (npm start)", function () {
    this.timeout(120_000);
    after(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("plans the shipped config: exits 0 and the JSON plan and architecture.md equal the snapshot", async () => {
        const { result, out } = await shippedPlan();
        expect(result.code, result.stderr).to.equal(0);
        expect(listing(out)).to.deep.equal([...SHIPPED_STACKS.map((s) => `${s}.json`), "architecture.md"].sort());
        if (process.env.UPDATE_SNAPSHOTS) {
            fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
            fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
            for (const f of listing(out)) fs.copyFileSync(path.join(out, f), path.join(SNAPSHOT_DIR, f));
        }
        const actual = snapshotOf(out);
        const expected = snapshotOf(SNAPSHOT_DIR);
        for (const file of Object.keys(expected)) expect(actual[file], `${file} differs from test/snapshots/plan (if intended: UPDATE_SNAPSHOTS=1 npx mocha --grep plan)`).to.equal(expected[file]);
        expect(Object.keys(actual)).to.deep.equal(Object.keys(expected));
    });

    it("says first that it is offline, then names all six stacks in deploy waves and plans them in that order", async () => {
        const { result } = await shippedPlan();
        expect(result.stdout.split("\n")[0]).to.equal(OFFLINE_NOTICE);
        expect(OFFLINE_NOTICE).to.match(/no Pulumi CLI, no AWS credentials and no network/);
        expect(result.stdout).to.include("Deploy order: 3 waves (stacks in one wave can deploy in parallel)\n  1  audit\n  2  prod · staging · dev · testing\n  3  root\n");
        const order = DEPLOY_ORDER.map((s) => result.stdout.search(new RegExp(`^${s}  wave`, "m")));
        expect(order.every((position) => position > 0)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    });

    it("shows each stack's tree of components and resources, with counts that match what the stack registers", async () => {
        const { result } = await shippedPlan();
        for (const stack of SHIPPED_STACKS) {
            const evaluation = await shippedStack(stack);
            const resources = evaluation.resources.filter((r) => r.custom && !r.read).length;
            const components = evaluation.resources.filter((r) => !r.custom).length;
            expect(section(result.stdout, stack), stack).to.include(`  ${resources} resources in ${components} components, `);
        }
        const audit = section(result.stdout, "audit");
        expect(audit).to.include("audit  wave 1 · account 444444444444 · us-east-1 · reads no other stack");
        expect(audit).to.match(/^ {2}\d+ resources in \d+ components, all protected$/m);
        // A component's count is the resources drawn beneath it.
        const sink = /├─ refarch:audit:AuditLogSink cloudtrail {2}\((\d+)\)\n((?: {2}│ {2}.*\n)*)/.exec(audit)!;
        expect(sink, "no AuditLogSink in the audit tree").not.to.equal(null);
        expect(sink[2].trimEnd().split("\n")).to.have.length(Number(sink[1])).and.length.greaterThan(5);
        expect(audit).to.include("│  ├─ aws:s3:Bucket cloudtrail-bucket  retained on delete\n");
        expect(audit).to.include("    cloudtrailBucketName: acme-audit-cloudtrail\n");
        expect(section(result.stdout, "testing")).to.include("none protected");
        expect(section(result.stdout, "prod")).to.include("└─ pulumi:pulumi:StackReference acme-org/refarch/audit  read");
        expect(section(result.stdout, "root")).to.include("reads audit, dev, prod, staging, testing");
    });

    it("shows for every user the role they get in each account, and that each needs MFA", async () => {
        const { result } = await shippedPlan();
        const access = result.stdout.slice(result.stdout.indexOf("Access ("));
        const rows = access.split("\n").slice(1, 5).map((line) => line.trim().split(/\s{2,}/));
        expect(rows).to.deep.equal([
            ["user", "audit", "prod", "staging", "dev", "testing", "root"],
            ["alice", "admin", "admin", "admin", "admin", "admin", "admin"],
            ["bob", "-", "readonly", "readonly", "admin", "admin", "-"],
            ["carol", "readonly", "readonly", "readonly", "admin", "admin", "-"],
        ]);
        expect(access).to.include("every grant (15) requires MFA");
    });

    it("writes every resource with its inputs, its options and the stack's outputs, as the stacks produced them", async () => {
        const { out } = await shippedPlan();
        for (const stack of SHIPPED_STACKS) {
            const written = readPlan(out, stack);
            const evaluation = await shippedStack(stack);
            expect(written.outputs, stack).to.deep.equal(JSON.parse(JSON.stringify(evaluation.outputs)));
            expect(written.resources.map((r) => r.urn).sort(), stack).to.deep.equal(evaluation.resources.map((r) => r.urn).sort());
            const urns = new Set(written.resources.map((r) => r.urn));
            for (const r of written.resources) {
                if (r.parent !== null) expect(urns.has(r.parent), `${stack} ${r.name} parent`).to.equal(true);
                for (const d of r.options.dependsOn) expect(urns.has(d), `${stack} ${r.name} depends on ${d}, which is not in the plan`).to.equal(true);
            }
            const created = written.resources.filter((r) => r.kind === "resource" && !PERSONAL_RESOURCE_TYPES.includes(r.type));
            expect(created.every((r) => r.options.protect === ["root", "prod", "audit"].includes(stack)), `${stack} protect`).to.equal(true);
        }
        const audit = readPlan(out, "audit");
        const bucket = audit.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        expect(bucket.inputs.bucket).to.equal("acme-audit-cloudtrail");
        expect(bucket.options).to.include({ protect: true, retainOnDelete: true });
        expect(bucket.computed.arn).to.equal("arn:aws:s3:::acme-audit-cloudtrail");
        const policy = audit.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!;
        const trail = audit.resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
        expect(trail.options.dependsOn).to.include(policy.urn);
        // prod's trail writes to the bucket audit exported, fed through the StackReference as a deploy would.
        const prodTrail = readPlan(out, "prod").resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
        expect(prodTrail.inputs.s3BucketName).to.equal(audit.outputs.cloudtrailBucketName);
        expect(prodTrail.inputs.kmsKeyId).to.equal(audit.outputs.cloudtrailKmsKeyArn);
        expect(readPlan(out, "prod")).to.include({ wave: 2, accountId: "222222222222", region: "us-east-1" });
        expect(readPlan(out, "prod").reads).to.deep.equal(["audit"]);
        // Deterministic and portable: nothing of this machine in it.
        for (const text of Object.values(snapshotOf(out))) expect(text).not.to.include(repoRoot);
    });

    it("architecture.md draws the stack graph and who can assume what in Mermaid", async () => {
        const { out } = await shippedPlan();
        const md = fs.readFileSync(path.join(out, "architecture.md"), "utf8");
        const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
        expect(diagrams).to.have.length(2);
        const edges = (diagram: string) => [...diagram.matchAll(/^\s+(\S+) (-->|-->\|MFA\||-\.->\|no MFA\|) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
        expect(edges(diagrams[0])).to.have.members([
            ...["prod", "staging", "dev", "testing", "root"].map((s) => `stack_audit --> stack_${s}`),
            ...["prod", "staging", "dev", "testing"].map((s) => `stack_${s} --> stack_root`),
        ]);
        expect(diagrams[0]).to.include(`subgraph wave2["wave 2"]`);
        const bob = edges(diagrams[1]).filter((e) => e.startsWith("user_bob "));
        expect(bob).to.have.members(["user_bob -->|MFA| role_dev_2d_admin", "user_bob -->|MFA| role_testing_2d_admin", "user_bob -->|MFA| role_prod_2d_readonly", "user_bob -->|MFA| role_staging_2d_readonly"]);
        expect(md).to.include("| bob | - | readonly (MFA) | readonly (MFA) | admin (MFA) | admin (MFA) | - |");
    });

    it("--stack plans that stack and the stacks it reads, and nothing else", async () => {
        const out = path.join(tempDir(), "plan");
        const prod = await plan("--stack", "prod", "--out", out);
        expect(prod.code, prod.stderr).to.equal(0);
        expect(listing(out)).to.deep.equal(["audit.json", "prod.json"]);
        expect(prod.stdout).to.include("Deploy order: 2 waves (stacks in one wave can deploy in parallel)\n  1  audit\n  2  prod\n");
        expect(prod.stdout).not.to.match(/^(root|staging)  wave/m);
        // prod's plan is the same as in the full plan: its reference was fed audit's real outputs.
        expect(readPlan(out, "prod")).to.deep.equal(readPlan((await shippedPlan()).out, "prod"));

        const root = await plan("--stack", "root", "--out", out);
        expect(root.code, root.stderr).to.equal(0);
        expect(listing(out)).to.deep.equal([...SHIPPED_STACKS.map((s) => `${s}.json`), "architecture.md"].sort());
    });

    it("--stack with an unknown stack exits 2 naming the valid stacks, and writes nothing", async () => {
        const out = path.join(tempDir(), "plan");
        const result = await plan("--stack", "production", "--out", out);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include("--stack production: no such stack");
        expect(result.stderr).to.include("Fix: use one of audit, dev, prod, root, staging, testing");
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("an unknown flag or a directory without Pulumi.yaml exits 2 saying what to do", async () => {
        const flag = await plan("--stacks", "prod");
        expect(flag.code).to.equal(2);
        expect(flag.stderr).to.include("Unknown option '--stacks'");
        expect(flag.stderr).to.include("--stack <name>    plan this stack and the stacks it reads");
        const empty = tempDir();
        const project = await plan("--project", empty, "--out", path.join(empty, "plan"));
        expect(project.code).to.equal(2);
        expect(project.stderr).to.include(`--project ${empty}: no Pulumi.yaml there.`);
        expect(listing(empty)).to.deep.equal([]);
    });

    it("--json prints the whole plan as JSON on stdout, the offline notice on stderr", async () => {
        const out = path.join(tempDir(), "plan");
        const result = await plan("--json", "--out", out);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stderr.split("\n")[0]).to.equal(OFFLINE_NOTICE);
        const parsed = JSON.parse(result.stdout);
        expect(parsed.waves).to.deep.equal([["audit"], ["prod", "staging", "dev", "testing"], ["root"]]);
        expect(parsed.stacks.map((s: StackPlan) => s.stack)).to.deep.equal(DEPLOY_ORDER);
        for (const s of parsed.stacks as StackPlan[]) expect(s).to.deep.equal(readPlan(out, s.stack));
        const bob = parsed.access.filter((e: { user: string }) => e.user === "bob").map((e: { stage: string; role: string; mfaRequired: boolean }) => `${e.stage}/${e.role}/${e.mfaRequired}`);
        expect(bob).to.have.members(["dev/admin/true", "prod/readonly/true", "staging/readonly/true", "testing/admin/true"]);
    });

    it("--diff against an equal plan exits 0", async () => {
        const { out: earlier } = await shippedPlan();
        const result = await plan("--diff", earlier, "--out", path.join(tempDir(), "plan"));
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include("unchanged: audit, prod, staging, dev, testing, root\nThe plans are equal.");
    });

    it("--diff exits non-zero and lists, per stack, resources added and removed and inputs changed down to the policy statement", async () => {
        const { out: earlier } = await shippedPlan();
        const changed = editedProject((files) => {
            const roles = files["Pulumi.yaml"].config["refarch:roles"].value;
            roles.readonly.maxSessionDuration = 7200;
            roles.billing = { policyArns: ["arn:aws:iam::aws:policy/job-function/Billing"] };
            delete files["Pulumi.root.yaml"].config["refarch:users"].carol;
            files["Pulumi.root.yaml"].config["refarch:teams"].developers.access.prod = "admin";
        });
        const result = await plan("--project", changed, "--diff", earlier, "--out", path.join(tempDir(), "plan"));
        // 1, not 3: a person's own resources are not protected, so removing carol does not stop pulumi up.
        expect(result.code, result.stderr).to.equal(1);
        const prod = result.stdout.slice(result.stdout.indexOf("  prod: "));
        expect(prod).to.match(/^ {2}prod: 2 added, 0 removed, 1 changed, outputs changed\n/);
        expect(prod).to.include("    + aws:iam:Role roles-billing\n");
        expect(prod).to.include("    + aws:iam:RolePolicyAttachment roles-billing-Billing\n");
        expect(prod).to.include("    ~ aws:iam:Role roles-readonly\n        inputs.maxSessionDuration: 3600 -> 7200\n");
        expect(prod).to.include(`+ roles.billing: "arn:aws:iam::222222222222:role/acme-prod-billing"`);
        const root = result.stdout.slice(result.stdout.indexOf("  root: "));
        expect(root).to.include("    - aws:iam:User identity-user-carol\n");
        expect(root).to.include("    - aws:iam:UserGroupMembership identity-user-carol-teams\n");
        expect(root).to.match(/~ aws:iam:Policy identity-developers-assume-roles\n {8}inputs\.policy\.Statement\[0\]\.Resource\[\d\]: "arn:aws:iam::222222222222:role\/acme-prod-readonly" -> "arn:aws:iam::222222222222:role\/acme-prod-admin"/);
        expect(result.stdout).to.include("The plans differ.");

        const json = await plan("--project", changed, "--diff", earlier, "--json", "--out", path.join(tempDir(), "plan"));
        expect(json.code).to.equal(1);
        const diff = JSON.parse(json.stdout).diff;
        expect(diff.equal).to.equal(false);
        const prodDiff = diff.stacks.find((s: { stack: string }) => s.stack === "prod");
        expect(prodDiff.changed).to.deep.equal([
            { urn: readPlan(earlier, "prod").resources.find((r) => r.name === "roles-readonly")!.urn, type: "aws:iam/role:Role", name: "roles-readonly", action: "update", replaceBecause: [], protect: true, changes: [{ path: "inputs.maxSessionDuration", op: "replace", before: 3600, after: 7200 }] },
        ]);
    });

    it("--diff against a directory that holds no plan exits 2", async () => {
        const result = await plan("--diff", path.join(tempDir(), "missing"), "--out", path.join(tempDir(), "plan"));
        expect(result.code).to.equal(2);
        expect(result.stderr).to.match(/--diff .*missing: no such plan directory/);
    });

    it("a config error exits 2 with exactly the ConfigError the program throws, and leaves the earlier plan untouched", async () => {
        const broken = editedProject((files) => {
            files["Pulumi.prod.yaml"].config["aws:allowedAccountIds"] = ["333333333333"];
            files["Pulumi.yaml"].config["refarch:roles"].value.admin.maxSessionDuration = 60;
        });
        const parent = tempDir();
        const out = path.join(parent, "plan");
        expect((await plan("--out", out)).code).to.equal(0);
        const before = snapshotOf(out);

        const result = await plan("--project", broken, "--out", out);
        expect(result.code).to.equal(2);
        const project = readProject(broken);
        const thrownError = (stack: string) => {
            try {
                validateConfig({ organization: "acme-org", project: "refarch", stack, values: stackConfig(project, stack) });
            } catch (err) {
                return err as Error;
            }
            throw new Error(`${stack} config unexpectedly valid`);
        };
        // Every stack shares the bad role, reported once for all; prod's own problem is reported under prod.
        const shared = `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200.`;
        expect(result.stderr.split(shared).length - 1).to.equal(1);
        for (const stack of SHIPPED_STACKS) for (const problem of (thrownError(stack) as ConfigError).problems) expect(result.stderr, stack).to.include(problem);
        expect(result.stderr).to.include(`Config of stack "prod" (Pulumi.prod.yaml) has 1 more problem; nothing was created:\n  1. Pulumi.prod.yaml: aws:allowedAccountIds:`);
        expect(result.stderr).to.include(`No plan written: 6 stacks failed; ${out} is unchanged.`);
        expect(result.stdout).not.to.include("Deploy order");
        expect(snapshotOf(out)).to.deep.equal(before);
        expect(listing(parent)).to.deep.equal(["plan"]);
    });

    it("a stack that fails only because a stack it reads failed is named, not blamed", async () => {
        const broken = editedProject((files) => {
            files["Pulumi.audit.yaml"].config["refarch:cloudtrailLogs"].expireAfterDays = 30;
        });
        const out = path.join(tempDir(), "plan");
        const result = await plan("--project", broken, "--out", out);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include(`Config of stack "audit" (Pulumi.yaml + Pulumi.audit.yaml) has 1 problem; nothing was created:\n  1. Pulumi.audit.yaml: refarch:cloudtrailLogs.expireAfterDays: 30 must be later than glacierAfterDays (90)`);
        expect(result.stderr).to.include(`Stack "prod" was not planned: it reads audit, which failed above.`);
        expect(result.stderr).to.include(`Stack "root" was not planned: it reads audit, prod, staging, dev, testing, which failed above.`);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("refuses to replace an --out directory holding files a plan run did not write", async () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
        const result = await plan("--stack", "audit", "--out", dir);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include("holds notes.txt, which a plan run does not write");
        expect(listing(dir)).to.deep.equal(["notes.txt"]);
    });

    it("plans the benchmark's one-bucket project with the same CLI: one stack, one bucket", async () => {
        const out = path.join(tempDir(), "plan");
        const result = await plan("--project", "src/plan/bench/one-bucket", "--out", out);
        expect(result.code, result.stderr).to.equal(0);
        expect(listing(out)).to.deep.equal(["architecture.md", "bench.json"]);
        const created = readPlan(out, "bench").resources.filter((r) => r.kind === "resource");
        expect(created.map((r) => r.type)).to.deep.equal(["aws:s3/bucket:Bucket"]);
    });

    it("npm start runs from the shell with no AWS credentials and no Pulumi CLI on PATH, and exits 0", () => {
        const out = path.join(tempDir(), "plan");
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|PULUMI_)/.test(k)));
        env.PATH = [path.dirname(process.execPath), ...asList(process.env.PATH?.split(path.delimiter)).filter((p) => !fs.existsSync(path.join(p, "pulumi")))].join(path.delimiter);
        const result = spawnSync("npm", ["start", "--silent", "--", "--out", out], { cwd: repoRoot, env, encoding: "utf8" });
        expect(result.status, result.stderr).to.equal(0);
        expect(result.stdout.split("\n")[0]).to.equal(OFFLINE_NOTICE);
        expect(result.stdout).to.match(/Planned 6 stacks with \d+ resources\./);
        expect(listing(out)).to.have.length(SHIPPED_STACKS.length + 1);
    });
});
