// The catalog as a whole: every stage plans with every optional component switched on, and switching
// them on in one stack file adds them to that stage alone.
import { expect } from "chai";
import { evaluateProject, ProjectFiles } from "../src/offline/engine";
import { org, program, single } from "./harness";

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
    for (const stack of org.stacks) {
        it(`${stack}: plans offline with every component switched on`, async () => {
            const evaluation = await org.evaluateWith(stack, EVERYTHING_ON);
            expect(evaluation.error).to.equal(undefined);
            for (const type of CATALOG_TYPES) single(evaluation, type);
            expect(Object.keys(evaluation.outputs)).to.include.members(["accountAlias", "accessAnalyzerArn", "budgetName", "network", "auroraPostgres", "acmCloudfront"]);
        });
    }

    it(`switching the components on in one stack's file (Pulumi.${org.trialStack}.yaml) adds them to that stack alone`, async () => {
        const stack = org.trialStack;
        const changed: ProjectFiles = { ...org.project, stackConfigs: { ...org.project.stackConfigs, [stack]: { ...org.project.stackConfigs[stack], ...EVERYTHING_ON } } };
        const evaluations = await evaluateProject(program, changed);
        const before = await org.evaluations();
        expect(evaluations.map((e) => e.stack)).to.have.members(org.stacks);
        for (const evaluation of evaluations) {
            expect(evaluation.error, evaluation.stack).to.equal(undefined);
            if (evaluation.stack === stack) {
                expect(evaluation.resources.map((r) => r.type)).to.include.members(OPTIONAL_TYPES);
            } else {
                expect(typesOf(evaluation.resources), evaluation.stack).to.deep.equal(typesOf(before.get(evaluation.stack)!.resources));
            }
        }
    });
});
