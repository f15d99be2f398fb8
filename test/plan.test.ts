// `npm start`, the offline plan: what it prints, what it writes (out/plan/<stack>.json, architecture.md),
// its flags, the diff's exit codes and the config-error path, all through the real CLI entry (`run`) on the
// real program and the organization's Pulumi.<stack>.yaml files. What each fixture's plan holds, exactly,
// is in test/snapshots.test.ts.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, validateConfig } from "../src/config";
import { PERSONAL_RESOURCE_TYPES } from "../policy/rules/protectedStagesProtect";
import { DEFAULT_ORGANIZATION } from "../src/offline/engine";
import { readProject, stackConfig } from "../src/project";
import { OFFLINE_NOTICE, StackPlan } from "../src/plan/model";
import { UNGUARDED_WARNING } from "../src/components/guardrails";
import { AUDIT, copyOfPlan, editedProject, meeting, NEEDS, ORG, org as underTest, organizationAt, PlanResult, repoRoot, required, ROOT, runPlan, scratchDir } from "./harness";

// The organization under test, or a variant of it with an audit stage added: the plan draws its sink.
const org = meeting([NEEDS.audit], underTest);

/** Each stack once, at its first run (org runs again after audit; the plan shows it once). */
const DEPLOY_ORDER = [...new Set(org.waves.flat())];
const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** `npm start` on this file's organization unless the arguments name another project. */
const plan = (...argv: string[]) => runPlan(...(argv.includes("--project") ? argv : ["--project", org.dir, ...argv]));
/** A copy of this file's organization's project files, edited. */
const edited = (edit: Parameters<typeof editedProject>[0], from = org.dir) => editedProject(edit, from);
const tempDir = () => scratchDir("refarch-plan-");
type Result = PlanResult;

const readPlan = (dir: string, stack: string): StackPlan => JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as StackPlan;
const listing = (dir: string) => fs.readdirSync(dir).sort();
const contents = (dir: string) => Object.fromEntries(listing(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
const planFiles = (stacks: string[]) => [...stacks.map((s) => `${s}.json`), "architecture.md"].sort();
/** A Mermaid node id as architecture.md writes it: every character but a letter or digit as _<hex>_. */
const mermaidId = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, (ch) => `_${ch.charCodeAt(0).toString(16)}_`)}`;
/** The deploy-order block of the text output for these waves. */
const deployOrderText = (waves: string[][]) =>
    `Deploy order: ${counted(waves.length, "wave")} (stacks in one wave can deploy in parallel)\n${waves.map((w, i) => `  ${i + 1}  ${w.join(" · ")}\n`).join("")}`;
/** Users who may assume any role, in the order the plan lists them, and the stages any of them reach, in deploy order. */
const usersWithAccess = Object.keys(org.users).filter((u) => org.grantsOf(u).length > 0).sort();
const stagesWithAccess = [...new Set(DEPLOY_ORDER.map((s) => org.stageOf(s)))].filter((stage) => usersWithAccess.some((u) => org.grantsOf(u).some((g) => g.startsWith(`${stage}/`))));
const rolesIn = (user: string, stage: string) => org.grantsOf(user).filter((g) => g.startsWith(`${stage}/`)).map((g) => g.split("/")[1]).sort();

/** One plan of the organization, shared by the tests that only read it. */
const organizationPlan = (): Promise<{ result: Result; out: string }> => org.plan();

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

    it("plans every stack: exits 0 and writes one JSON plan per stack and architecture.md, with nothing of this machine in them", async () => {
        const { result, out } = await organizationPlan();
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.match(new RegExp(`Planned ${counted(org.stacks.length, "stack")} with \\d+ resources\\.`));
        expect(listing(out)).to.deep.equal(planFiles(org.stacks));
        for (const text of Object.values(contents(out))) {
            expect(text).not.to.include(repoRoot);
            expect(text).not.to.include(org.dir);
        }
        // No stack logs a warning, which pulumi up would print on every run; but root's when no organization is managed,
        // which names what no guardrail then protects.
        const expected = org.managesOrganization ? [] : [`warning: root: ${UNGUARDED_WARNING}`];
        expect(result.stderr.split("\n").filter((line) => line.includes("warning:"))).to.deep.equal(expected);
    });

    it("prints what the program logs as a warning on stderr, under its stack, as pulumi up shows it", async () => {
        // The real program, run by a main that first logs a warning through the SDK (the same @pulumi/pulumi module).
        const main = path.join(scratchDir("refarch-warning-"), "warns.js");
        fs.writeFileSync(
            main,
            `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});\n` +
                `const program = require(${JSON.stringify(path.join(repoRoot, "src", "index.ts"))});\n` +
                'module.exports = () => { pulumi.log.warn("a warning from the program"); return program(); };\n',
        );
        const warns = edited((files) => (files["Pulumi.yaml"].main = main));
        const first = DEPLOY_ORDER[0];
        const result = await plan("--project", warns, "--stack", first, "--out", path.join(scratchDir(), "plan"));
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stderr.split("\n")).to.include(`warning: ${first}: a warning from the program`);
    });

    it("says first that it is offline, then names the stacks in deploy waves and plans them in that order", async () => {
        const { result } = await organizationPlan();
        expect(result.stdout.split("\n")[0]).to.equal(OFFLINE_NOTICE);
        expect(OFFLINE_NOTICE).to.match(/no Pulumi CLI, no AWS credentials and no network/);
        expect(result.stdout).to.include(deployOrderText(org.waves));
        const order = DEPLOY_ORDER.map((s) => result.stdout.search(new RegExp(`^${s}  wave`, "m")));
        expect(order.every((position) => position > 0)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    });

    it("heads each stack's tree with its wave, account, region and reads, and counts what the stack registers", async () => {
        const { result } = await organizationPlan();
        for (const stack of org.stacks) {
            const evaluation = await org.evaluation(stack);
            const created = evaluation.resources.filter((r) => r.custom && !r.read);
            const resources = created.length;
            const components = evaluation.resources.filter((r) => !r.custom).length;
            // A protected stage protects all but a person's own resources (offboarding is one edit).
            const protectedCount = org.isProtected(stack) ? created.filter((r) => !PERSONAL_RESOURCE_TYPES.includes(r.type)).length : 0;
            const protection = protectedCount === 0 ? "none" : protectedCount === resources ? "all" : String(protectedCount);
            const wave = org.waves.findIndex((w) => w.includes(stack)) + 1;
            const reads = org.readsOf(stack).length > 0 ? `reads ${org.readsOf(stack).join(", ")}` : "reads no other stack";
            const text = section(result.stdout, stack);
            expect(text, stack).to.include(`${stack}  wave ${wave} · account ${org.accountOf(stack)} · ${org.regionOf(stack)} · ${reads}\n`);
            expect(text, stack).to.include(`  ${counted(resources, "resource")} in ${counted(components, "component")}, ${protection} protected\n`);
            for (const read of org.readsOf(stack)) expect(text, stack).to.include(`pulumi:pulumi:StackReference ${org.referenceName(read)}  read`);
        }
    });

    it("draws the audit sink beneath its component, the bucket retained on delete", async function () {
        required(org.has(AUDIT), "no audit stage");
        const audit = section((await organizationPlan()).result.stdout, AUDIT);
        // A component's count is the resources drawn beneath it.
        const sink = /├─ refarch:audit:AuditLogSink cloudtrail {2}\((\d+)\)\n((?: {2}│ {2}.*\n)*)/.exec(audit)!;
        expect(sink, "no AuditLogSink in the audit tree").not.to.equal(null);
        expect(sink[2].trimEnd().split("\n")).to.have.length(Number(sink[1])).and.length.greaterThan(5);
        expect(audit).to.include("│  ├─ aws:s3:Bucket cloudtrail-bucket  retained on delete\n");
        expect(audit).to.include(`    cloudtrailBucketName: ${org.namespace}-audit-cloudtrail\n`);
    });

    it("shows for every user the roles they get in each account, and that each needs MFA", async () => {
        const { result } = await organizationPlan();
        const access = result.stdout.slice(result.stdout.indexOf("Access ("));
        if (usersWithAccess.length === 0) return void expect(access).to.include("nobody can assume any role");
        const rows = access.split("\n").slice(1, usersWithAccess.length + 2).map((line) => line.trim().split(/\s{2,}/));
        expect(rows).to.deep.equal([
            ["user", ...stagesWithAccess],
            ...usersWithAccess.map((user) => [user, ...stagesWithAccess.map((stage) => rolesIn(user, stage).join(", ") || "-")]),
        ]);
        const grants = usersWithAccess.reduce((sum, user) => sum + org.grantsOf(user).length, 0);
        expect(access).to.include(`every grant (${grants}) requires MFA`);
    });

    it("writes every resource with its inputs, its options and the stack's outputs, as the stacks produced them", async () => {
        const { out } = await organizationPlan();
        for (const stack of org.stacks) {
            const written = readPlan(out, stack);
            const evaluation = await org.evaluation(stack);
            expect(written).to.include({ stack, stage: org.stageOf(stack), wave: org.waves.findIndex((w) => w.includes(stack)) + 1, accountId: org.accountOf(stack), region: org.regionOf(stack) });
            expect(written.reads, stack).to.deep.equal(org.readsOf(stack));
            expect(written.outputs, stack).to.deep.equal(JSON.parse(JSON.stringify(evaluation.outputs)));
            expect(written.resources.map((r) => r.urn).sort(), stack).to.deep.equal(evaluation.resources.map((r) => r.urn).sort());
            const urns = new Set(written.resources.map((r) => r.urn));
            for (const r of written.resources) {
                if (r.parent !== null) expect(urns.has(r.parent), `${stack} ${r.name} parent`).to.equal(true);
                for (const d of r.options.dependsOn) expect(urns.has(d), `${stack} ${r.name} depends on ${d}, which is not in the plan`).to.equal(true);
            }
            const created = written.resources.filter((r) => r.kind === "resource" && !PERSONAL_RESOURCE_TYPES.includes(r.type));
            expect(created.every((r) => r.options.protect === org.isProtected(stack)), `${stack} protect`).to.equal(true);
        }
    });

    it("writes the audit bucket retained and protected, and every trail writing to the bucket audit exported", async function () {
        required(org.has(AUDIT), "no audit stage");
        const { out } = await organizationPlan();
        const audit = readPlan(out, AUDIT);
        const bucket = audit.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.inputs.bucket === `${org.namespace}-audit-cloudtrail`)!;
        expect(bucket, "the CloudTrail bucket").to.not.equal(undefined);
        expect(bucket.options).to.include({ protect: org.isProtected(AUDIT), retainOnDelete: true });
        expect(bucket.computed.arn).to.equal(`arn:${org.partitionOf(AUDIT)}:s3:::${org.namespace}-audit-cloudtrail`);
        const policy = audit.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.inputs.bucket === bucket.inputs.bucket)!;
        // With the organization trail, org's is the one trail; else audit's own waits for the bucket policy.
        const trail = readPlan(out, org.hasOrganizationTrail ? ORG : AUDIT).resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
        if (org.hasOrganizationTrail) expect(trail.inputs).to.deep.include({ s3BucketName: audit.outputs.cloudtrailBucketName, kmsKeyId: audit.outputs.cloudtrailKmsKeyArn, isOrganizationTrail: true });
        else expect(trail.options.dependsOn).to.include(policy.urn);
        // Each trail writes to the bucket audit exported, fed through the StackReference as a deploy would.
        for (const stack of org.stageStacks.filter((s) => s !== AUDIT && org.ownsAccount(s) && !org.hasOrganizationTrail)) {
            const stackTrail = readPlan(out, stack).resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
            expect(stackTrail.inputs.s3BucketName, stack).to.equal(audit.outputs.cloudtrailBucketName);
            expect(stackTrail.inputs.kmsKeyId, stack).to.equal(audit.outputs.cloudtrailKmsKeyArn);
        }
    });

    it("architecture.md draws the stack graph and who can assume what in Mermaid", async () => {
        const { out } = await organizationPlan();
        const md = fs.readFileSync(path.join(out, "architecture.md"), "utf8");
        // The stack graph; the organization tree when an org stack manages it (test/organization.test.ts reads that one); who can assume what.
        const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
        expect(diagrams).to.have.length(1 + (org.managesOrganization ? 1 : 0) + (usersWithAccess.length > 0 ? 1 : 0));
        const [stackGraph, access] = [diagrams[0], diagrams[diagrams.length - 1]];
        const edges = (diagram: string) => [...diagram.matchAll(/^\s+(\S+) (-->|-->\|MFA\||-\.->\|no MFA\|) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
        expect(edges(stackGraph)).to.have.members(org.stacks.flatMap((stack) => org.readsOf(stack).map((read) => `${mermaidId("stack", read)} --> ${mermaidId("stack", stack)}`)));
        org.waves.forEach((_, i) => expect(stackGraph).to.include(`subgraph wave${i + 1}["wave ${i + 1}"]`));
        for (const user of usersWithAccess) {
            const userEdges = edges(access).filter((e) => e.startsWith(`${mermaidId("user", user)} `));
            expect(userEdges, user).to.have.members(org.grantsOf(user).map((g) => `${mermaidId("user", user)} -->|MFA| ${mermaidId("role", g.replace("/", "-"))}`));
            const cells = stagesWithAccess.map((stage) => rolesIn(user, stage).map((role) => `${role} (MFA)`).join(", ") || "-");
            expect(md).to.include(`| ${user} | ${cells.join(" | ")} |`);
        }
    });

    it("--stack plans that stack and the stacks it reads, and nothing else", async () => {
        const stack = org.trialStack;
        // The org stack deploys before every other stack even where one reads none of its outputs (all accounts given by id).
        const selected = [...new Set([stack, ...org.orderedAfter(stack), ...(org.managesOrganization ? [ORG] : [])])];
        const out = path.join(tempDir(), "plan");
        const one = await plan("--stack", stack, "--out", out);
        expect(one.code, one.stderr).to.equal(0);
        // architecture.md draws every stack, so only a run that plans them all writes it (docs/plan.md).
        const whole = org.stacks.every((s) => selected.includes(s));
        expect(listing(out)).to.deep.equal(whole ? planFiles(selected) : planFiles(selected).filter((f) => f !== "architecture.md"));
        expect(one.stdout).to.include(deployOrderText(org.waves.map((w) => w.filter((s) => selected.includes(s))).filter((w) => w.length > 0)));
        for (const other of org.stacks.filter((s) => !selected.includes(s))) expect(one.stdout).not.to.match(new RegExp(`^${other}  wave`, "m"));
        // The stack's plan is the same as in the full plan: its references were fed the real outputs.
        expect(readPlan(out, stack)).to.deep.equal(readPlan((await organizationPlan()).out, stack));

        // Root reads (or may be granted) every stage, so it plans them all.
        const root = await plan("--stack", ROOT, "--out", out);
        expect(root.code, root.stderr).to.equal(0);
        expect(listing(out)).to.deep.equal(planFiles(org.stacks));
    });

    it("--stack with an unknown stack exits 2 naming the valid stacks, and writes nothing", async () => {
        const out = path.join(tempDir(), "plan");
        const result = await plan("--stack", "no-such-stack", "--out", out);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include("--stack no-such-stack: no such stack");
        expect(result.stderr).to.include(`Fix: use one of ${org.stacks.join(", ")}`);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("an unknown flag or a directory without Pulumi.yaml exits 2 saying what to do", async () => {
        const flag = await plan("--stacks", ROOT);
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
        expect(parsed.waves).to.deep.equal(org.waves);
        expect(parsed.stacks.map((s: StackPlan) => s.stack)).to.deep.equal(DEPLOY_ORDER);
        for (const s of parsed.stacks as StackPlan[]) expect(s).to.deep.equal(readPlan(out, s.stack));
        for (const user of usersWithAccess) {
            const entries = parsed.access.filter((e: { user: string }) => e.user === user).map((e: { stage: string; role: string; mfaRequired: boolean }) => `${e.stage}/${e.role}/${e.mfaRequired}`);
            expect(entries, user).to.have.members(org.grantsOf(user).map((g) => `${g}/true`));
        }
    });

    it("--diff against an equal plan exits 0", async () => {
        const { out: earlier } = await organizationPlan();
        const result = await plan("--diff", earlier, "--out", path.join(tempDir(), "plan"));
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include(`unchanged: ${DEPLOY_ORDER.join(", ")}\nThe plans are equal.`);
    });

    it("--diff against a directory that holds no plan exits 2", async () => {
        const result = await plan("--diff", path.join(tempDir(), "missing"), "--out", path.join(tempDir(), "plan"));
        expect(result.code).to.equal(2);
        expect(result.stderr).to.match(/--diff .*missing: no such plan directory/);
    });

    it("a config error exits 2 with exactly the ConfigError the program throws, and leaves the earlier plan untouched", async () => {
        const stack = org.trialStack;
        const [firstRole] = org.roleNames;
        const broken = edited((files) => {
            files[`Pulumi.${stack}.yaml`].config["refarch:protect"] = "maybe";
            const roles = (files["Pulumi.yaml"].config["refarch:roles"] ??= { value: structuredClone(org.roles) });
            roles.value[firstRole].maxSessionDuration = 60;
        });
        const out = await copyOfPlan(org);
        const parent = path.dirname(out);
        const before = contents(out);

        const result = await plan("--project", broken, "--out", out);
        expect(result.code).to.equal(2);
        const project = readProject(broken);
        const thrown = (s: string): ConfigError => {
            try {
                validateConfig({ organization: DEFAULT_ORGANIZATION, project: org.name, stack: s, values: stackConfig(project, s) });
            } catch (err) {
                return err as ConfigError;
            }
            throw new Error(`${s} config unexpectedly valid`);
        };
        // Every stack shares the bad role, reported once for all; one stack also has a bad refarch:protect, reported under it.
        const shared = `Pulumi.yaml: refarch:roles.${firstRole}.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200.`;
        expect(result.stderr.split(shared).length - 1).to.equal(1);
        expect(thrown(stack).problems).to.include(`Pulumi.${stack}.yaml: refarch:protect: "maybe" must be true or false. Fix: in Pulumi.${stack}.yaml, under config: set refarch:protect: true`);
        for (const s of org.stacks) for (const problem of thrown(s).problems) expect(result.stderr, s).to.include(problem);
        expect(result.stderr).to.include(`Config of stack "${stack}" (Pulumi.${stack}.yaml) has 1 more problem; nothing was created:\n  1. Pulumi.${stack}.yaml: refarch:protect:`);
        expect(result.stderr).to.include(`No plan written: ${counted(org.stacks.length, "stack")} failed; ${out} is unchanged.`);
        expect(result.stdout).not.to.include("Deploy order");
        expect(contents(out)).to.deep.equal(before);
        expect(listing(parent)).to.deep.equal(["plan"]);
    });

    it("a stack that fails only because a stack it reads failed is named, not blamed", async function () {
        required(org.has(AUDIT), "no audit stage for the others to read");
        const broken = edited((files) => {
            files[`Pulumi.${AUDIT}.yaml`].config["refarch:cloudtrailLogs"] = { glacierAfterDays: 90, expireAfterDays: 30 };
        });
        const out = path.join(tempDir(), "plan");
        const result = await plan("--project", broken, "--out", out);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include(
            `Config of stack "${AUDIT}" (Pulumi.yaml + Pulumi.${AUDIT}.yaml) has 1 problem; nothing was created:\n  1. Pulumi.${AUDIT}.yaml: refarch:cloudtrailLogs.expireAfterDays: 30 must be later than glacierAfterDays (90)`,
        );
        // The org stack's read of audit is a later read: it plans without the organization trail, and is no failure.
        const readers = DEPLOY_ORDER.filter((s) => s !== AUDIT && s !== ORG && org.ownsAccount(s) && org.readsOf(s).includes(AUDIT));
        for (const stack of readers.filter((s) => s !== ROOT)) expect(result.stderr).to.include(`Stack "${stack}" was not planned: it reads ${AUDIT}, which failed above.`);
        expect(result.stderr).to.include(`Stack "${ROOT}" was not planned: it reads ${[AUDIT, ...readers.filter((s) => s !== ROOT)].join(", ")}, which failed above.`);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("refuses to replace an --out directory holding files a plan run did not write", async () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
        const result = await plan("--stack", DEPLOY_ORDER[0], "--out", dir);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.include("holds notes.txt, which a plan run does not write");
        expect(listing(dir)).to.deep.equal(["notes.txt"]);
    });

    it("a plan leaves stack traces as it found them: an error after it still names its .ts line", async () => {
        const evaluation = await org.evaluateWith(DEPLOY_ORDER[0], {});
        expect(evaluation.error, evaluation.error?.message).to.equal(undefined);
        expect(evaluation.resources).to.not.be.empty;
        expect(new Error("after the plan").stack).to.match(/plan\.test\.ts:\d+/);
    });
});

// The diff's exact lines, on a fixture of known shape: its roles, its users, its teams' grants.
describe("offline plan --diff, on the globex fixture", function () {
    this.timeout(120_000);
    const globex = path.join(__dirname, "fixtures", "globex");

    it("exits 1 and lists, per stack, resources added and removed and inputs changed down to the policy statement", async () => {
        const { result: earlierPlan, out: earlier } = await organizationAt(globex).plan();
        expect(earlierPlan.code, earlierPlan.stderr).to.equal(0);
        const changed = edited((files) => {
            const roles = files["Pulumi.yaml"].config["refarch:roles"].value;
            roles.readonly.maxSessionDuration = 7200;
            roles.support = { policyArns: ["arn:aws:iam::aws:policy/AWSSupportAccess"] };
            delete files["Pulumi.root.yaml"].config["refarch:users"].lenny;
            files["Pulumi.root.yaml"].config["refarch:teams"].engineers.access.prod = "admin";
        }, globex);
        const result = await plan("--project", changed, "--diff", earlier, "--out", path.join(tempDir(), "plan"));
        // 1, not 3: a person's own resources are not protected, so removing lenny does not stop pulumi up.
        expect(result.code, result.stderr).to.equal(1);
        const prod = result.stdout.slice(result.stdout.indexOf("  prod: "));
        expect(prod).to.match(/^ {2}prod: 2 added, 0 removed, 1 changed, outputs changed\n/);
        expect(prod).to.include("    + aws:iam:Role roles-support\n");
        expect(prod).to.include("    + aws:iam:RolePolicyAttachment roles-support-AWSSupportAccess\n");
        expect(prod).to.include("    ~ aws:iam:Role roles-readonly\n        inputs.maxSessionDuration: 3600 -> 7200\n");
        expect(prod).to.include(`+ roles.support: "arn:aws:iam::210000000003:role/globex-prod-support"`);
        const root = result.stdout.slice(result.stdout.indexOf("  root: "));
        expect(root).to.include("    - aws:iam:User identity-user-lenny\n");
        expect(root).to.include("    - aws:iam:UserGroupMembership identity-user-lenny-teams\n");
        expect(root).to.include(
            `    ~ aws:iam:Policy identity-engineers-assume-roles\n        inputs.policy.Statement[0].Resource[0]: "arn:aws:iam::210000000003:role/globex-prod-readonly" -> "arn:aws:iam::210000000003:role/globex-prod-admin"\n`,
        );
        expect(root).to.include(`- users.lenny: "arn:aws:iam::210000000001:user/lenny"`);
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
});
