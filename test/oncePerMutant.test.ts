// The harness's shared values are mutation-safe: computed once per run and again per active mutant, every reader
// credited with the mutants the computation covered. Stryker is played by a namespace that counts coverage as its
// instrumenter's `stryCov_9fa48` does (@stryker-mutator/instrumenter 9.5 util/syntax-helpers.ts).
import { expect } from "chai";
import type { PolicyDocument } from "../src/policies";
import { AccessRequest, decide, Decision } from "../src/security/simulator";
import { sharedDecision } from "./harness";
import { oncePerMutant, StrykerContext } from "./oncePerMutant";

/** A Stryker namespace, and a stand-in for instrumented code that covers `mutants` where the running test is. */
function fakeStryker() {
    const context: StrykerContext = { mutantCoverage: { static: {}, perTest: {} } };
    const cover = (...mutants: string[]) => {
        const coverage = context.mutantCoverage!;
        const counts = context.currentTestId ? (coverage.perTest[context.currentTestId] ??= {}) : coverage.static;
        for (const id of mutants) counts[id] = (counts[id] ?? 0) + 1;
    };
    return { context, cover };
}

describe("harness: values shared by tests are mutation-safe", () => {
    it("outside mutation testing, the value is computed once however many tests read it", async () => {
        let computed = 0;
        const shared = oncePerMutant(async () => ++computed, () => undefined);
        expect(await Promise.all([shared(), shared(), shared()])).to.deep.equal([1, 1, 1]);
        expect(computed).to.equal(1);
    });

    it("under Stryker, it is computed again for each mutant and reused only while that mutant is active", async () => {
        const { context } = fakeStryker();
        const computedUnder: (string | undefined)[] = [];
        const shared = oncePerMutant(async () => {
            computedUnder.push(context.activeMutant);
            return `evaluated under ${context.activeMutant}`;
        }, () => context);
        expect(await shared()).to.equal("evaluated under undefined");
        context.activeMutant = "12";
        expect(await shared()).to.equal("evaluated under 12");
        expect(await shared()).to.equal("evaluated under 12");
        context.activeMutant = "13";
        expect(await shared()).to.equal("evaluated under 13");
        expect(computedUnder).to.deep.equal([undefined, "12", "13"]);
    });

    it("a test that reads a value another test computed is credited with the mutants the computation covered, and only those", async () => {
        const { context, cover } = fakeStryker();
        const shared = oncePerMutant(async () => {
            cover("3", "5");
            await new Promise((resolve) => setTimeout(resolve, 1));
            cover("8");
            return "evaluation";
        }, () => context);
        context.currentTestId = "suite computes";
        cover("1");
        await shared();
        context.currentTestId = "suite reads";
        cover("2");
        await shared();
        await new Promise((resolve) => setImmediate(resolve));
        expect(context.mutantCoverage!.perTest).to.deep.equal({
            "suite computes": { 1: 1, 3: 1, 5: 1, 8: 1 },
            "suite reads": { 2: 1, 3: 1, 5: 1, 8: 1 },
        });
    });

    it("a computation that fails is shared as a failure, and still credits what it covered", async () => {
        const { context, cover } = fakeStryker();
        const shared = oncePerMutant(async () => {
            cover("4");
            throw new Error("refused");
        }, () => context);
        context.currentTestId = "first";
        await shared().catch(() => undefined);
        context.currentTestId = "second";
        const error = await shared().catch((err: Error) => err);
        await new Promise((resolve) => setImmediate(resolve));
        expect(error).to.be.instanceOf(Error).with.property("message", "refused");
        expect(context.mutantCoverage!.perTest.second).to.deep.equal({ 4: 1 });
    });
});

// The simulator's decisions go through oncePerMutant too (test/harness/shared.ts sharedDecision): a decision is reused only
// for a request of the same content, so no test is ever handed the answer to another question.
describe("harness: the simulator's decisions are shared only between equal requests", () => {
    // An account of this test's own, so no other test's request is ever the same as these.
    const role = "arn:aws:iam::210987654321:role/shared-decision";
    const allow = (resource: string): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: resource }] });
    const scp = (action: string): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: action, Resource: "*" }] });
    const request = (): AccessRequest => ({
        principal: "arn:aws:iam::210987654321:user/dana",
        action: "sts:AssumeRole",
        resource: role,
        resourceAccount: "210987654321",
        context: { "aws:MultiFactorAuthPresent": "true" },
        identityPolicies: [allow(role)],
        resourcePolicy: allow("*"),
        serviceControlPolicies: [{ target: "r-root", policies: [scp("iam:CreateUser")] }],
    });

    it("the same request, its documents built again, is simulated once; a request that differs anywhere, even in one document's text, is simulated", async () => {
        const simulated: AccessRequest[] = [];
        const simulate = async (asked: AccessRequest): Promise<Decision> => (simulated.push(asked), "Allowed");
        const variants: AccessRequest[] = [
            { ...request(), principal: "arn:aws:iam::210987654321:user/erin" },
            { ...request(), action: "sts:TagSession" },
            { ...request(), resource: `${role}-2` },
            { ...request(), resourceAccount: "310987654321" },
            { ...request(), context: { "aws:MultiFactorAuthPresent": "false" } },
            { ...request(), identityPolicies: [allow(`${role}-2`)] },
            { ...request(), identityPolicies: [allow(role), allow(role)] },
            { ...request(), resourcePolicy: allow(role) },
            { ...request(), resourcePolicy: undefined },
            { ...request(), serviceControlPolicies: [{ target: "r-root", policies: [scp("iam:DeleteUser")] }] },
            { ...request(), serviceControlPolicies: [{ target: "ou-other", policies: [scp("iam:CreateUser")] }] },
        ];
        for (const asked of [request(), request(), ...variants, ...variants.map((v) => ({ ...v }))]) await sharedDecision(asked, simulate);
        expect(simulated).to.deep.equal([request(), ...variants]);
    });

    it("while a mutant is active, the simulator gets a copy of the request, never documents validated under another mutant; once per mutant", async () => {
        const { context } = fakeStryker();
        const stryker = () => context;
        const asked = { ...request(), principal: "arn:aws:iam::210987654321:user/grace" };
        const given: AccessRequest[] = [];
        const simulate = async (copy: AccessRequest): Promise<Decision> => (given.push(copy), "Allowed");
        await sharedDecision(asked, simulate, stryker);
        context.activeMutant = "1";
        await sharedDecision(asked, simulate, stryker);
        await sharedDecision(asked, simulate, stryker);
        context.activeMutant = "2";
        await sharedDecision(asked, simulate, stryker);
        expect(given).to.have.length(3);
        expect(given[0].identityPolicies![0]).to.equal(asked.identityPolicies![0]);
        for (const copy of given.slice(1)) {
            expect(copy).to.deep.equal(asked);
            expect(copy.identityPolicies![0]).to.not.equal(asked.identityPolicies![0]);
            expect(copy.resourcePolicy).to.not.equal(asked.resourcePolicy);
            expect(copy.serviceControlPolicies![0].policies[0]).to.not.equal(asked.serviceControlPolicies![0].policies[0]);
        }
        expect(given[1].identityPolicies![0]).to.not.equal(given[2].identityPolicies![0]);
        // Within a mutant, a document in two requests is one copy, as it is one object in the program: the simulator's
        // own cache of validated documents is exercised as the program exercises it.
        const other = { ...asked, action: "sts:TagSession" };
        await sharedDecision(other, simulate, stryker);
        expect(given).to.have.length(4);
        expect(given[3].identityPolicies![0]).to.equal(given[2].identityPolicies![0]);
        expect(given[3].resourcePolicy).to.equal(given[2].resourcePolicy);
    });

    it("decide() goes through it: the same question asked twice is one answer", async () => {
        const asked = { ...request(), principal: "arn:aws:iam::210987654321:user/frank" };
        const first = decide(asked);
        expect(decide({ ...asked, identityPolicies: [allow(role)] })).to.equal(first);
        expect(await first).to.be.oneOf(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]);
    });
});
