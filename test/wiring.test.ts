// Stacks read each other through StackReferences named <org>/<project>/<stage>, in deploy order,
// and a reference to a stack not deployed yet fails with the order to deploy in.
import { expect } from "chai";
import { deployWaves, describeDeployOrder, projectStages, stacksInDeployOrder } from "../src/project";
import type { StackEvaluation } from "../src/offline/engine";
import { AUDIT, created, meeting, NEEDS, ofType, ORG, org as underTest, required, ROOT } from "./harness";

// The organization under test, or a variant of it with audit and a team granted a role in a workload stage, so stacks read each other.
const org = meeting([NEEDS.audit, NEEDS.plainStage, NEEDS.teamOutsideRoot], underTest);

/** The other stacks a stack reads (a stack reading its own last outputs, as the org stack does to pin its account, depends on none). */
const references = async (stack: string) =>
    ofType(await org.evaluation(stack), "pulumi:pulumi:StackReference")
        .map((r) => r.name)
        .filter((name) => name !== org.referenceName(stack));
/** The outputs of these stacks only, as a deploy that has run just them leaves them. */
const deployedOutputs = async (stacks: string[]) => Object.fromEntries(await Promise.all(stacks.map(async (s) => [org.referenceName(s), (await org.evaluation(s)).outputs] as const)));
/** README's deploy order sentence for the organization's stacks' stages: "audit, then prod + staging, then root", "org, then ...". */
const deployOrder = org.stageWaves.map((wave) => wave.join(" + ")).join(", then ");
/**
 * A stack that fails on another stage's missing output has registered nothing but StackReference reads; in an account
 * the org stack created, also the provider that asks whose credentials run it (src/accountIds.ts), no cloud resource.
 */
const registeredNothing = (evaluation: StackEvaluation) =>
    expect(created(evaluation).map((r) => `${r.type} ${r.name}`), `${evaluation.stack} registered before failing`).to.deep.equal(
        org.writtenAccountOf(evaluation.stack) === undefined && evaluation.stage !== ROOT ? ["pulumi:providers:aws credentials"] : [],
    );

describe("cross-stack wiring", () => {
    it("deploys the org stack first if there is one, then audit, then the workload stages together, then root", () => {
        expect(deployWaves(["root", "prod", "staging", "audit", "dev", "testing"])).to.deep.equal([["audit"], ["prod", "staging", "dev", "testing"], ["root"]]);
        // With both org and audit, org runs again right after audit: it creates the organization trail into audit's sink.
        expect(deployWaves(["org", "root", "prod", "audit"])).to.deep.equal([["org"], ["audit"], ["org"], ["prod"], ["root"]]);
        expect(stacksInDeployOrder(org.project)).to.deep.equal(org.waves);
        expect(describeDeployOrder([...(org.managesOrganization ? [ORG] : []), ...org.stages])).to.equal(deployOrder);
    });

    it("without audit, the workload stages come first and root last", () => {
        expect(deployWaves(["root", "prod", "staging"])).to.deep.equal([["prod", "staging"], ["root"]]);
        expect(describeDeployOrder(["root", "prod"])).to.equal("prod, then root");
    });

    it("an org stack deploys first when the program manages the AWS Organization or creates any account", () => {
        const ids = { root: "101010101010", prod: "202020202020" };
        expect(projectStages(ids, undefined)).to.deep.equal(["root", "prod"]);
        expect(projectStages(ids, {})).to.deep.equal(["org", "root", "prod"]);
        // One account to create among existing ones is enough.
        expect(projectStages({ ...ids, sandbox: { email: "aws+sandbox@example.com" } }, undefined)).to.deep.equal(["org", "root", "prod", "sandbox"]);
        expect(deployWaves(projectStages({ ...ids, sandbox: { email: "aws+sandbox@example.com" } }, undefined))).to.deep.equal([["org"], ["prod", "sandbox"], ["root"]]);
        // refarch:accounts that is not a map (its own config problem) makes no stages, rather than a crash.
        for (const bad of [undefined, null, "oops", 42]) expect(projectStages(bad, undefined), String(bad)).to.deep.equal([]);
    });

    it("every stack evaluates offline with the organization's config", async () => {
        const all = await org.evaluations();
        expect([...all.keys()].sort()).to.deep.equal([...org.stacks].sort());
        for (const [stack, evaluation] of all) expect(evaluation.error, stack).to.equal(undefined);
    });

    it("each stack reads exactly: audit for its trail, and in root every stage a team is granted; audit reads nothing", async () => {
        for (const stack of org.stacks) {
            expect(await references(stack), stack).to.have.members(org.readsOf(stack).map((s) => org.referenceName(s)));
        }
    });

    it("names references after refarch:organization when it is set", async function () {
        const stack = required(org.find((s) => org.readsOf(s).length > 0), "no stack reads another");
        const deployed = Object.fromEntries([...(await org.evaluations()).values()].map((e) => [`platform-team/${org.name}/${e.stack}`, e.outputs]));
        const evaluation = await org.evaluateWith(stack, { "refarch:organization": "platform-team" }, { deployed });
        expect(evaluation.error).to.equal(undefined);
        expect(ofType(evaluation, "pulumi:pulumi:StackReference").map((r) => r.name)).to.have.members(org.readsOf(stack).map((s) => `platform-team/${org.name}/${s}`));
    });

    it("a stage deployed before audit fails with a message naming the stack, the output and the order", async function () {
        required(org.has(AUDIT), "no audit stage");
        // A stage reading audit's sink for its own trail; with the organization trail none does, and root (reading
        // audit's roles for its teams) stands in.
        const stack = org.hasOrganizationTrail ? required(org.stacks.find((s) => s === ROOT && org.readsOf(s).includes(AUDIT)), "root reading audit") : org.trialStack;
        const message = (output: string) =>
            `Stack "${org.referenceName(AUDIT)}" has no output "${output}", which stage "${org.stageOf(stack)}" reads: it is not deployed yet, or was deployed before it had that output. ` +
            `Deploy in this order: ${deployOrder} (pulumi up -s ${AUDIT} first).`;
        // Only the org stack, if any, is deployed: it comes before audit (test/organization.test.ts: a stack deployed before it).
        // (root reads every stage: all but audit are deployed.)
        const before = await deployedOutputs(stack === ROOT ? org.stacks.filter((s) => s !== AUDIT && s !== ROOT) : org.stacksOfKind("organization"));
        // Which of audit's outputs the stage reads: audit deployed without just that one fails naming it.
        const audit = (await org.evaluation(AUDIT)).outputs;
        const read: string[] = [];
        for (const output of Object.keys(audit)) {
            const { [output]: _missing, ...others } = audit;
            const evaluation = await org.evaluateWith(stack, {}, { deployed: { ...before, [org.referenceName(AUDIT)]: others } });
            if (evaluation.error === undefined) continue;
            expect(evaluation.error.message).to.equal(message(output));
            registeredNothing(evaluation);
            read.push(output);
        }
        expect(read).to.include(org.hasOrganizationTrail ? "roles" : "cloudtrailBucketName");
        // With audit not deployed at all, the message names one of them: which one the SDK resolves first is not promised.
        const evaluation = await org.evaluateWith(stack, {}, { deployed: before });
        expect(read.map(message)).to.include(evaluation.error?.message);
        registeredNothing(evaluation);
    });

    it("root deployed before a stage it grants fails naming that stage", async function () {
        const granted = required(org.readsOf(ROOT).filter((s) => s !== AUDIT), "root's teams are granted no role outside root and audit");
        const root = await org.evaluateWith(ROOT, {}, { deployed: await deployedOutputs([...org.stacksOfKind("organization"), ...(org.has(AUDIT) ? [AUDIT] : [])]) });
        const names = granted.map((s) => org.referenceName(s).replace(/[/.]/g, "\\$&")).join("|");
        expect(root.error?.message).to.match(new RegExp(`^Stack "(${names})" has no output "roles", which stage "root" reads`));
        expect(root.error?.message).to.include(`Deploy in this order: ${deployOrder}`);
        registeredNothing(root);
    });

    it("root fails naming the stage, role and team when a granted stage was deployed before it had that role", async function () {
        const grant = required(Object.keys(org.teams).flatMap((t) => org.grantsOfTeam(t)).find((g) => !g.startsWith(`${ROOT}/`)), "no team is granted a role outside root");
        const [stage, role] = grant.split("/");
        const outputs = await org.outputs();
        const { [role]: _missing, ...otherRoles } = outputs[org.referenceName(stage)].roles as Record<string, string>;
        const root = await org.evaluateWith(ROOT, {}, { deployed: { ...outputs, [org.referenceName(stage)]: { ...outputs[org.referenceName(stage)], roles: otherRoles } } });
        expect(root.error?.message).to.match(
            new RegExp(`^Stack "${stage}" exports no ARN for role "${role}" in its "roles" output, which team "[a-z0-9-]+" is granted\\. Run pulumi up -s ${stage} with the current refarch:roles first\\.$`),
        );
        // A team granted that role is named (when several are, whichever the engine resolved first).
        const named = /which team "([a-z0-9-]+)"/.exec(root.error!.message)![1];
        expect(org.grantsOfTeam(named)).to.include(grant);
        registeredNothing(root);
    });
});
