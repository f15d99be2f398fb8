// What each of the program's components registers as its outputs (registerOutputs), which Pulumi keeps in the
// stack's state and shows on the component in Pulumi Cloud: every component reports something, and every value it
// reports is one a resource of the same stack holds (an ARN, a name, an id) or one the stack exports for other
// stacks to read, never one made up beside them.
import { expect } from "chai";
import { RecordedResource, StackEvaluation } from "../src/offline/engine";
import * as path from "path";
import { org, organizationAt } from "./harness";

/** Every string in a value, however deep. */
const stringsIn = (value: unknown): string[] =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.flatMap(stringsIn) : value && typeof value === "object" ? Object.values(value).flatMap(stringsIn) : [];

/**
 * Every string the stack's resources hold (ids, inputs, what the provider returned), the program's own components
 * left out; a library's component (awsx's Vpc) is in, since under the mocks it holds its subnets itself.
 */
const heldBy = (resources: RecordedResource[]): string[] => resources.filter((r) => !r.type.startsWith("refarch:")).flatMap((r) => [r.id, ...stringsIn(r.inputs), ...stringsIn(r.state)]);

/** Every `refarch:` component of the evaluation reports something, and nothing no resource of its stack holds or the stack exports. */
function expectHonestOutputs(evaluation: StackEvaluation): void {
    const { stack } = evaluation;
    expect(evaluation.error, stack).to.equal(undefined);
    const held = new Set([...heldBy(evaluation.resources), ...stringsIn(evaluation.outputs)]);
    const components = evaluation.resources.filter((r) => r.type.startsWith("refarch:"));
    expect(components, stack).to.not.be.empty;
    for (const component of components) {
        const where = `${stack} ${component.type} ${component.name}`;
        expect(Object.keys(component.outputs), where).to.not.be.empty;
        const reported = stringsIn(component.outputs);
        expect(reported, `${where} reports no value`).to.not.be.empty;
        expect(reported.filter((value) => !held.has(value)), `${where}: values no resource of ${stack} holds`).to.deep.equal([]);
    }
}

describe("components' registered outputs", () => {
    it("every component of the organization's stacks registers outputs, each a value a resource of its stack holds", async () => {
        for (const evaluation of (await org.evaluations()).values()) expectHonestOutputs(evaluation);
    });

    it("so do the optional components, all switched on in one workload stack (a VPC, Aurora in it, a CloudFront certificate)", async () => {
        const evaluation = await org.evaluateWith(org.trialStack, {
            "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16" }),
            "refarch:auroraPostgres": JSON.stringify({}),
            "refarch:acmCloudfront": JSON.stringify({ domainName: "www.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        });
        const types = evaluation.resources.map((r) => r.type);
        expect(types).to.include.members(["refarch:network:Network", "refarch:database:AuroraPostgres", "refarch:cdn:AcmCloudfront"]);
        expectHonestOutputs(evaluation);
    });
});

describe("components' registered outputs, on the create-accounts fixture", () => {
    it("the org stack's Organization registers the organization, its accounts and their access roles, each a value its stack holds or exports", async () => {
        const evaluation = (await organizationAt(path.join(__dirname, "fixtures", "create-accounts")).evaluations()).get("org")!;
        expect(evaluation.resources.map((r) => r.type)).to.include("refarch:organization:Organization");
        expectHonestOutputs(evaluation);
    });
});
