// `npm start` as a tool in a pipeline: JSON alone on stdout, `--stack` updating only the stacks it planned,
// no secret in the clear anywhere, and a diff that tells a replacement from an update and says when
// `pulumi up` would stop on a protected resource. Every expectation is derived from the project's own
// config (its stacks, deploy order, namespace), so it holds for any valid organization.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { evaluateProject, StackEvaluation } from "../src/offline/engine";
import { readProject, stackConfig, stacksWithDependencies } from "../src/project";
import { NPM_BANNER_NOTE } from "../src/plan/cli";
import { diffPlans, PlanDiff, renderDiff } from "../src/plan/diff";
import { FORCE_NEW_INPUTS } from "../src/plan/forceNew";
import { buildPlan, displayType, OFFLINE_NOTICE, StackPlan } from "../src/plan/model";
import pc from "picocolors";
import programWithSecret = require("./harness/programWithSecret");
import { addTeam, asList, copyOfPlan, editedProject, meeting, NEEDS, oncePerMutant, org as underTest, Organization, ProjectFile, repoRoot, required, runPlan, scratchDir } from "./harness";

// The organization under test, or a variant of it where one stack's run plans some stacks, not all, and root's plans every stack.
const org = meeting(
    [
        NEEDS.audit,
        NEEDS.twoStackWave,
        {
            need: "the last stack to deploy reading every other (a team granted a role in every stage)",
            find: (o: Organization) => stacksWithDependencies(o.project, [o.waves.flat().at(-1)!]).length === o.stacks.length,
            add: (files, o) => addTeam("variant-everyone", "*", o.roleNames[0])(files, o),
        },
    ],
    underTest,
);

const project = org.project;
const STACKS = Object.keys(project.stackConfigs);
/** Every stack in deploy order, as README states the rule (test/harness/ org.waves). */
/** Each stack once, at its first run (org runs again after audit; the plan shows it once). */
const DEPLOY_ORDER = [...new Set(org.waves.flat())];
/** `npm start` on this file's organization unless the arguments name another project. */
const plan = (...argv: string[]) => runPlan(...(argv.includes("--project") ? argv : ["--project", org.dir, ...argv]));
const tempDir = () => scratchDir("refarch-plan-tool-");
const projectCopy = (edit: (files: Record<string, ProjectFile>) => void) => editedProject(edit, org.dir);

/** Sets a key of Pulumi.yaml's config, in the `{ value }` form when the file writes it so. */
function setProjectConfig(files: Record<string, ProjectFile>, key: string, value: unknown): void {
    const config = (files["Pulumi.yaml"].config ??= {});
    const entry = config[key];
    if (typeof entry === "object" && entry !== null && "value" in entry) entry.value = value;
    else config[key] = key in config || typeof value !== "object" ? value : { value };
}

/** The config block of a stack's own file, created if the file has none. */
function stackFile(files: Record<string, ProjectFile>, stack: string): Record<string, any> {
    const file = (files[`Pulumi.${stack}.yaml`] ??= { config: {} });
    return (file.config ??= {});
}

const readPlan = (dir: string, stack: string): StackPlan => JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as StackPlan;
const snapshotOf = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

/** An environment for a child npm with none of the npm settings of the npm that may be running these tests. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/** A shell with no AWS credentials and no Pulumi settings, and no `pulumi` on PATH (node and npm stay). */
function shellWithoutCloud(): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !/^(AWS_|PULUMI_)/.test(k)));
    env.PATH = [path.dirname(process.execPath), ...asList(process.env.PATH?.split(path.delimiter)).filter((p) => !fs.existsSync(path.join(p, "pulumi")))].join(path.delimiter);
    return env;
}

describe("npm start as a pipeline tool", function () {
    this.timeout(180_000);

    describe("--json", () => {
        // The stack deployed first reads no other stack: the quickest plan to run through npm.
        const first = DEPLOY_ORDER[0];

        // The one run of the whole plan through npm: what it prints is checked in detail in-process (test/plan.test.ts).
        it("npm start --silent -- --json, from a shell with no AWS credentials and no Pulumi CLI on PATH, exits 0 and prints the plan and nothing else on stdout, the same plan the files hold", () => {
            const out = path.join(tempDir(), "plan");
            const result = spawnSync("npm", ["start", "--silent", "--", "--json", "--project", org.dir, "--out", out], { cwd: repoRoot, env: shellWithoutCloud(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            expect(result.status, result.stderr).to.equal(0);
            expect(result.stderr.split("\n")[0]).to.equal(OFFLINE_NOTICE);
            const parsed = JSON.parse(result.stdout) as { stacks: StackPlan[] };
            expect(parsed.stacks.map((s) => s.stack)).to.deep.equal(DEPLOY_ORDER);
            for (const s of parsed.stacks) expect(s, s.stack).to.deep.equal(readPlan(out, s.stack));
            expect(fs.readdirSync(out).sort()).to.deep.equal([...STACKS.map((s) => `${s}.json`), "architecture.md"].sort());
            expect(result.stderr).not.to.include(NPM_BANNER_NOTE);
        });

        // The other run through npm, read by a reader that stops early: head takes its 100 bytes from npm's banner and
        // exits before the plan writes a byte, so every write of the plan meets a closed pipe.
        it("without --silent, npm's banner lands on stdout first and the plan says so on stderr with the command that avoids it; a reader that stops early (| head) ends the run quietly, exit 0, with no EPIPE stack trace", () => {
            const { name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
            const npmStart = `npm start -- --json --project '${org.dir}' --stack '${first}' --out '${path.join(tempDir(), "plan")}'`;
            const result = spawnSync("bash", ["-c", `${npmStart} | head -c 100; exit "\${PIPESTATUS[0]}"`], { cwd: repoRoot, env: cleanEnv(), encoding: "utf8" });
            expect(result.status, result.stderr).to.equal(0);
            expect(result.stdout).to.have.length(100);
            // npm 11 prints "> name@version start" on stdout (run-script's banner) unless its log level is silent.
            expect(result.stdout.trimStart()).to.match(new RegExp(`^> ${name}@${version.replace(/\./g, "\\.")} start\\n`));
            expect(result.stderr).to.include(NPM_BANNER_NOTE);
            expect(NPM_BANNER_NOTE).to.include("npm start --silent -- --json");
            expect(result.stderr).not.to.match(/EPIPE|Error/);
        });
    });

    describe("--stack", () => {
        // A stack that reads at least one other stack and is not read by all of them: its run plans some stacks, not all.
        const target = STACKS.find((s) => {
            const planned = stacksWithDependencies(project, [s]);
            return planned.length > 1 && planned.length < STACKS.length;
        });

        it("rewrites only the files of the stacks it planned; the others' files and architecture.md stay as they were", async function () {
            required(target, "no stack that reads some stacks but not all");
            const planned = stacksWithDependencies(project, [target!]);
            const out = await copyOfPlan(org);
            const before = snapshotOf(out);

            // A new namespace changes every stack's plan (every physical name carries it), so a stack whose file is unchanged was not rewritten.
            const changed = projectCopy((files) => {
                setProjectConfig(files, "refarch:namespace", org.namespace === "probe" ? "probe2" : "probe");
            });
            const everything = path.join(tempDir(), "plan");
            expect((await plan("--project", changed, "--out", everything)).code).to.equal(0);

            const result = await plan("--project", changed, "--stack", target!, "--out", out);
            expect(result.code, result.stderr).to.equal(0);
            const after = snapshotOf(out);
            expect(Object.keys(after)).to.deep.equal(Object.keys(before));
            for (const stack of STACKS) {
                const file = `${stack}.json`;
                if (planned.includes(stack)) {
                    expect(after[file], `${stack} was planned`).not.to.equal(before[file]);
                    expect(readPlan(out, stack), stack).to.deep.equal(readPlan(everything, stack));
                } else {
                    expect(after[file], `${stack} was not planned`).to.equal(before[file]);
                }
            }
            expect(after["architecture.md"]).to.equal(before["architecture.md"]);
            const written = DEPLOY_ORDER.filter((s) => planned.includes(s)).map((s) => `${s}.json`);
            expect(result.stdout).to.include(`Wrote ${out}${path.sep}: ${written.join(", ")} (only the planned stacks' files`);
            expect(result.stdout).to.include("run without --stack to redraw architecture.md");
        });

        it("a --stack run that fails leaves every file of the earlier plan as it was", async function () {
            required(target, "no stack that reads some stacks but not all");
            const out = await copyOfPlan(org);
            const before = snapshotOf(out);
            const broken = projectCopy((files) => {
                stackFile(files, target!)["refarch:protect"] = "maybe";
            });
            const result = await plan("--project", broken, "--stack", target!, "--out", out);
            expect(result.code).to.equal(2);
            expect(result.stderr).to.include(`${out} is unchanged`);
            expect(snapshotOf(out)).to.deep.equal(before);
            expect(fs.readdirSync(path.dirname(out))).to.deep.equal(["plan"]);
        });

        it("a --stack run that reaches every stack is a whole plan: every file and architecture.md rewritten, nothing else kept", async function () {
            const last = DEPLOY_ORDER[DEPLOY_ORDER.length - 1];
            required(stacksWithDependencies(project, [last]).length === STACKS.length, "the last stack to deploy does not read every other");
            const out = path.join(tempDir(), "plan");
            fs.mkdirSync(out);
            fs.writeFileSync(path.join(out, "gone.json"), "{}\n");
            const result = await plan("--stack", last, "--out", out);
            expect(result.code, result.stderr).to.equal(0);
            expect(Object.keys(snapshotOf(out))).to.deep.equal([...STACKS.map((s) => `${s}.json`), "architecture.md"].sort());
        });
    });

    describe("secrets", () => {
        // The program exports no secret (Aurora's master password stays in Secrets Manager), so a copy of the project runs
        // it with a generated password added as a secret output; Aurora on in a workload stack brings its resource types.
        const stack = DEPLOY_ORDER.find((s) => org.kindOf(s) === "workload" && !("refarch:auroraPostgres" in stackConfig(project, s)))!;
        /** That copy, evaluated in the first test that needs it: once per run, once per mutant. */
        const auroraOn = oncePerMutant(async (): Promise<{ withAurora: string; evaluation: StackEvaluation; secretOutput: string; password: string }> => {
            const withAurora = projectCopy((files) => {
                files["Pulumi.yaml"].main = require.resolve("./harness/programWithSecret");
                const config = stackFile(files, stack);
                config["refarch:network"] = { cidrBlock: "10.20.0.0/16" };
                config["refarch:auroraPostgres"] = {};
            });
            const evaluation = (await evaluateProject(programWithSecret, readProject(withAurora), { stacks: [stack] })).find((e) => e.stack === stack)!;
            expect(evaluation.error).to.equal(undefined);
            const secretOutputs = evaluation.secretOutputs ?? [];
            expect(secretOutputs).to.have.length(1);
            const secretOutput = secretOutputs[0];
            const password = evaluation.outputs[secretOutput] as string;
            expect(password).to.be.a("string").with.length.greaterThan(8);
            return { withAurora, evaluation, secretOutput, password };
        });
        let withAurora: string;
        let evaluation: StackEvaluation;
        let secretOutput: string;
        let password: string;
        beforeEach(async () => {
            ({ withAurora, evaluation, secretOutput, password } = await auroraOn());
        });

        it("an output marked secret is [secret] in the plan files, in --json and on screen, and its clear value appears nowhere", async () => {
            const out = path.join(tempDir(), "plan");
            const text = await plan("--project", withAurora, "--stack", stack, "--out", out);
            const json = await plan("--project", withAurora, "--stack", stack, "--json", "--out", path.join(tempDir(), "plan"));
            expect(text.code, text.stderr).to.equal(0);
            expect(json.code, json.stderr).to.equal(0);

            for (const [file, content] of Object.entries(snapshotOf(out))) expect(content, file).not.to.include(password);
            for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(output).not.to.include(password);

            const written = readPlan(out, stack);
            expect(written.outputs[secretOutput]).to.equal("[secret]");
            // The generated password's own result, which Pulumi keeps secret (additionalSecretOutputs).
            expect(written.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword")!.computed.result).to.equal("[secret]");
            expect(JSON.parse(json.stdout).stacks.find((s: StackPlan) => s.stack === stack)).to.deep.equal(written);
            expect(text.stdout).to.include(`${secretOutput}: '[secret]'`);
            // What is not secret stays readable.
            expect((written.outputs.auroraPostgres as Record<string, unknown>).masterUsername).to.equal((evaluation.outputs.auroraPostgres as Record<string, unknown>).masterUsername);

            // Every resource type the program creates has a row in the force-new table, so the diff can judge its changes.
            const { result: wholePlan, out: whole } = await org.plan();
            expect(wholePlan.code, wholePlan.stderr).to.equal(0);
            const types = new Set([...STACKS.map((s) => readPlan(whole, s)), written].flatMap((p) => p.resources.filter((r) => r.kind === "resource" && !r.type.startsWith("pulumi:providers:")).map((r) => r.type)));
            expect([...types].filter((t) => !(t in FORCE_NEW_INPUTS))).to.deep.equal([]);
        });

        it("masks by name what Pulumi marks secret, and by value every clear copy the mocks let through", async () => {
            // A stack reading this one's secret through a StackReference gets it in the clear under the mocks (a real
            // deploy would keep it secret); say it lands in a resource input. And a secret that is not a string.
            // And a generated password this stack keeps to itself: secret only because its SDK says so (additionalSecretOutputs).
            const reader = DEPLOY_ORDER.find((s) => s !== stack)!;
            const generator = evaluation.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword")!;
            const unexported = "a-password-no-output-holds";
            const copied: StackEvaluation = {
                stack: reader,
                stage: reader,
                resources: [
                    { ...generator, urn: `urn:pulumi:${reader}::${project.name}::aws:ssm/parameter:Parameter::db-password`, name: "db-password", type: "aws:ssm/parameter:Parameter", inputs: { value: password }, state: { value: password }, additionalSecretOutputs: [] },
                    { ...generator, urn: `urn:pulumi:${reader}::${project.name}::random:index/randomPassword:RandomPassword::other`, name: "other", state: { ...generator.state, result: unexported } },
                ],
                outputs: { port: 5432 },
                secretOutputs: ["port"],
                warnings: [],
            };
            const built = buildPlan(project, [[stack], [reader]], [evaluation, copied], []);
            expect(JSON.stringify(built)).not.to.include(password);
            expect(JSON.stringify(built)).not.to.include(unexported);
            const readerPlan = built.stacks.find((s) => s.stack === reader)!;
            expect(readerPlan.resources.find((r) => r.name === "db-password")!.inputs.value).to.equal("[secret]");
            expect(readerPlan.resources.find((r) => r.name === "other")!.computed.result).to.equal("[secret]");
            expect(readerPlan.outputs.port).to.equal("[secret]");
        });
    });

    describe("--diff", () => {
        it("a new namespace renames every named resource: marked +- replace with the input that forces it, IAM groups renamed in place, protected ones flagged with the command that allows it", async () => {
            const { result: earlierPlan, out: earlier } = await org.plan();
            expect(earlierPlan.code, earlierPlan.stderr).to.equal(0);
            const namespace = project.projectConfig["refarch:namespace"];
            const renamed = projectCopy((files) => {
                setProjectConfig(files, "refarch:namespace", `${namespace}x`);
            });
            const json = await plan("--project", renamed, "--diff", earlier, "--json", "--out", path.join(tempDir(), "plan"));
            const text = await plan("--project", renamed, "--diff", earlier, "--out", path.join(tempDir(), "plan"));
            const diff = JSON.parse(json.stdout).diff as PlanDiff;

            let protectedReplaced = 0;
            for (const stack of STACKS) {
                const before = readPlan(earlier, stack);
                const stackDiff = diff.stacks.find((s) => s.stack === stack)!;
                for (const role of before.resources.filter((r) => r.type === "aws:iam/role:Role")) {
                    const change = stackDiff.changed.find((c) => c.urn === role.urn);
                    expect(change, `${stack} ${role.name}`).to.include({ action: "replace", protect: role.options.protect });
                    expect(change!.replaceBecause).to.deep.equal(["name"]);
                    const line = `    +-${displayType(role.type)} ${role.name}  replace (name cannot change in place)${role.options.protect ? " protected" : ""}\n`;
                    expect(text.stdout, `${stack} ${role.name}`).to.include(line);
                }
                // IAM renames a group in place (UpdateGroup): an update, not a replacement.
                for (const group of before.resources.filter((r) => r.type === "aws:iam/group:Group")) {
                    expect(stackDiff.changed.find((c) => c.urn === group.urn), `${stack} ${group.name}`).to.include({ action: "update" });
                    expect(text.stdout).to.include(`    ~ ${displayType(group.type)} ${group.name}\n`);
                }
                for (const change of stackDiff.changed.filter((c) => c.action === "replace" && c.protect)) {
                    protectedReplaced++;
                    const blocked = diff.blocked.find((b) => b.urn === change.urn)!;
                    expect(blocked, `${stack} ${change.name}`).to.include({ stack, action: "replace" });
                    expect(blocked.fix).to.include(`pulumi state unprotect --stack ${stack} '${change.urn}'`);
                    expect(text.stdout).to.include(`  ${stack}: ${displayType(change.type)} ${change.name} would be replaced. Fix: run \`pulumi state unprotect --stack ${stack} '${change.urn}'\``);
                }
                // Nothing unprotected is ever reported as blocking.
                for (const b of diff.blocked.filter((b) => b.stack === stack)) expect(before.resources.find((r) => r.urn === b.urn)!.options.protect).to.equal(true);
            }
            expect(diff.blocked).to.have.length(protectedReplaced);
            if (protectedReplaced > 0) {
                expect(json.code).to.equal(3);
                expect(text.code).to.equal(3);
                expect(text.stdout).to.include(`pulumi up would stop on ${protectedReplaced} protected resource`);
            } else {
                expect(json.code).to.equal(1);
                expect(text.stdout).not.to.include("pulumi up would stop");
            }
        });

        it("a logical rename is a delete and a create of the same AWS object, and deleting a protected one is flagged", async () => {
            const { result: earlierPlan, out: earlier } = await org.plan();
            expect(earlierPlan.code, earlierPlan.stderr).to.equal(0);
            // As if the program renamed a role's logical name and kept its name in AWS.
            const stack = STACKS.find((s) => readPlan(earlier, s).resources.some((r) => r.type === "aws:iam/role:Role"))!;
            const before = readPlan(earlier, stack);
            const role = before.resources.find((r) => r.type === "aws:iam/role:Role")!;
            const newName = `${role.name}-renamed`;
            const after: StackPlan = {
                ...before,
                resources: before.resources.map((r) => (r.urn === role.urn ? { ...r, name: newName, urn: r.urn.replace(/::[^:]+$/, `::${newName}`) } : r)),
            };
            const newUrn = after.resources.find((r) => r.name === newName)!.urn;

            const diff = diffPlans("earlier", [before], [after], true);
            const stackDiff = diff.stacks[0];
            expect(stackDiff.removed).to.deep.equal([{ urn: role.urn, type: role.type, name: role.name, protect: role.options.protect }]);
            expect(stackDiff.added).to.deep.equal([{ urn: newUrn, type: role.type, name: newName }]);
            expect(stackDiff.changed).to.deep.equal([]);
            expect(stackDiff.renamed).to.deep.equal([{ from: { urn: role.urn, type: role.type, name: role.name }, to: { urn: newUrn, type: role.type, name: newName } }]);
            const text = renderDiff(diff, pc.createColors(false));
            expect(text).to.include(`    + ${displayType(role.type)} ${newName}  renamed from ${role.name}: deleted and created, not moved\n`);
            expect(text).to.include(`add \`aliases: [{ name: "<old name>" }]\``);

            // The same role deleted while protected: pulumi up refuses, and the diff says how to let it.
            const guarded = { ...before, resources: before.resources.map((r) => (r.urn === role.urn ? { ...r, options: { ...r.options, protect: true } } : r)) };
            const blocked = diffPlans("earlier", [guarded], [after], true).blocked;
            expect(blocked).to.have.length(1);
            expect(blocked[0]).to.include({ stack, urn: role.urn, action: "delete" });
            expect(blocked[0].fix).to.include(`pulumi state unprotect --stack ${stack} '${role.urn}'`);

            // A new logical name with a new name in AWS is two different objects: a delete and a create, no rename.
            const elsewhere: StackPlan = {
                ...after,
                resources: after.resources.map((r) => (r.urn === newUrn ? { ...r, inputs: { ...r.inputs, name: `${String(r.inputs.name)}-2` } } : r)),
            };
            expect(diffPlans("earlier", [before], [elsewhere], true).stacks[0].renamed).to.deep.equal([]);
        });
    });
});
