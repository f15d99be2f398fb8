// Stacks read each other through StackReferences named <org>/<project>/<stage>, in deploy order,
// and a reference to a stack not deployed yet fails with the order to deploy in.
import { expect } from "chai";
import { deployWaves, describeDeployOrder } from "../src/stackGraph";
import { stacksInDeployOrder } from "../src/offline/engine";
import { evaluateWith, ofType, project, SHIPPED_STACKS, shippedStack, shippedStacks } from "./harness";

const references = async (stack: string) => ofType(await shippedStack(stack), "pulumi:pulumi:StackReference").map((r) => r.name);

describe("cross-stack wiring", () => {
    it("deploys audit first, then the workload stages together, then root", () => {
        expect(deployWaves(["root", "prod", "staging", "audit", "dev", "testing"])).to.deep.equal([["audit"], ["prod", "staging", "dev", "testing"], ["root"]]);
        expect(stacksInDeployOrder(project)).to.deep.equal([["audit"], ["prod", "staging", "dev", "testing"], ["root"]]);
    });

    it("without audit, the workload stages come first and root last", () => {
        expect(deployWaves(["root", "prod", "staging"])).to.deep.equal([["prod", "staging"], ["root"]]);
        expect(describeDeployOrder(["root", "prod"])).to.equal("prod, then root");
    });

    it("every stack evaluates offline with the shipped config", async () => {
        const all = await shippedStacks();
        expect([...all.keys()].sort()).to.deep.equal([...SHIPPED_STACKS].sort());
        for (const [stack, evaluation] of all) expect(evaluation.error, stack).to.equal(undefined);
    });

    it("workload stages read only the audit stack; audit reads nothing; root reads every other stage", async () => {
        for (const stack of ["prod", "staging", "dev", "testing"]) expect(await references(stack), stack).to.deep.equal(["acme-org/refarch/audit"]);
        expect(await references("audit")).to.deep.equal([]);
        expect(await references("root")).to.have.members(["acme-org/refarch/audit", "acme-org/refarch/prod", "acme-org/refarch/staging", "acme-org/refarch/dev", "acme-org/refarch/testing"]);
    });

    it("names references after refarch:organization when it is set", async () => {
        const dev = await evaluateWith("dev", { "refarch:organization": "platform-team" }, { deployed: { "platform-team/refarch/audit": (await shippedStack("audit")).outputs } });
        expect(dev.error).to.equal(undefined);
        expect(ofType(dev, "pulumi:pulumi:StackReference").map((r) => r.name)).to.deep.equal(["platform-team/refarch/audit"]);
    });

    it("a stage deployed before audit fails with a message naming the stack, the output and the order", async () => {
        const dev = await evaluateWith("dev", {}, { deployed: {} });
        expect(dev.error?.message).to.equal(
            `Stack "acme-org/refarch/audit" has no output "cloudtrailBucketName", which stage "dev" reads: it is not deployed yet, or was deployed before it had that output. ` +
                `Deploy in this order: audit, then prod + staging + dev + testing, then root (pulumi up -s audit first).`,
        );
    });

    it("root deployed before a stage it grants fails naming that stage", async () => {
        const audit = (await shippedStack("audit")).outputs;
        const root = await evaluateWith("root", {}, { deployed: { "acme-org/refarch/audit": audit } });
        expect(root.error?.message).to.match(/^Stack "acme-org\/refarch\/(prod|staging|dev|testing|audit)" has no output "roles", which stage "root" reads/);
        expect(root.error?.message).to.include("Deploy in this order: audit, then prod + staging + dev + testing, then root");
    });
});
