// The catalog as a whole: every stage plans with every optional component switched on, and switching
// them on in one stack file adds them to that stage alone.
import { expect } from "chai";
import { evaluateProject, ProjectFiles } from "../src/offline/engine";
import { evaluateWith, program, project, SHIPPED_STACKS, shippedStacks, single } from "./harness";

const EVERYTHING_ON = {
    "refarch:network": JSON.stringify({ cidrBlock: "10.20.0.0/16" }),
    "refarch:auroraPostgres": "{}",
    "refarch:acmCloudfront": JSON.stringify({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
    "refarch:baseline": JSON.stringify({ budget: { amount: 100, email: "finance@example.com" } }),
};
const CATALOG_TYPES = [
    "refarch:baseline:AccountBaseline",
    "aws:budgets/budget:Budget",
    "refarch:network:Network",
    "awsx:ec2:Vpc",
    "refarch:database:AuroraPostgres",
    "aws:rds/cluster:Cluster",
    "refarch:cdn:AcmCloudfront",
    "aws:acm/certificate:Certificate",
    "aws:acm/certificateValidation:CertificateValidation",
];
const OPTIONAL_TYPES = ["awsx:ec2:Vpc", "aws:rds/cluster:Cluster", "aws:acm/certificate:Certificate"];
const typesOf = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type} ${r.name}`).sort();

describe("component catalog", () => {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: plans offline with every component switched on`, async () => {
            const evaluation = await evaluateWith(stack, EVERYTHING_ON);
            expect(evaluation.error).to.equal(undefined);
            for (const type of CATALOG_TYPES) single(evaluation, type);
            expect(Object.keys(evaluation.outputs)).to.include.members(["accountAlias", "accessAnalyzerArn", "budgetName", "network", "auroraPostgres", "acmCloudfront"]);
        });
    }

    it("switching the components on in Pulumi.dev.yaml adds them to dev alone", async () => {
        const withDev: ProjectFiles = { ...project, stackConfigs: { ...project.stackConfigs, dev: { ...project.stackConfigs.dev, ...EVERYTHING_ON } } };
        const evaluations = await evaluateProject(program, withDev);
        const shipped = await shippedStacks();
        for (const evaluation of evaluations) {
            expect(evaluation.error, evaluation.stack).to.equal(undefined);
            const types = evaluation.resources.map((r) => r.type);
            if (evaluation.stack === "dev") {
                expect(types).to.include.members(OPTIONAL_TYPES);
            } else {
                for (const type of OPTIONAL_TYPES) expect(types, `${evaluation.stack} ${type}`).to.not.include(type);
                expect(typesOf(evaluation.resources), evaluation.stack).to.deep.equal(typesOf(shipped.get(evaluation.stack)!.resources));
            }
        }
    });
});
