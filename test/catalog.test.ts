// The catalog as a whole: every stage plans with every optional component switched on, and switching
// them on in one stack file adds them to that stage alone.
import { expect } from "chai";
import { evaluateProject } from "../src/offline/engine";
import { ProjectFiles } from "../src/project";
import { org, program, ROOT, single } from "./harness";

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
    for (const stack of org.stageStacks) {
        it(`${stack}: plans offline with every component switched on`, async () => {
            const evaluation = await org.evaluateWith(stack, EVERYTHING_ON);
            expect(evaluation.error).to.equal(undefined);
            for (const type of CATALOG_TYPES) single(evaluation, type);
            expect(Object.keys(evaluation.outputs)).to.include.members(["accountAlias", "accessAnalyzerArn", "budgetName", "network", "auroraPostgres", "acmCloudfront"]);
        });
    }

    // The org stack only manages the AWS Organization: a component switched on in its file would be silently ignored.
    for (const stack of org.stacksOfKind("organization")) {
        it(`${stack}: refuses every component, naming the root stack's file where the management account's belong`, async () => {
            const message = await org.refused(stack, EVERYTHING_ON);
            for (const key of Object.keys(EVERYTHING_ON)) {
                expect(message).to.include(`Pulumi.${stack}.yaml: ${key}: "(set)" is not read by the ${stack} stack, which only manages the AWS Organization`);
                expect(message).to.include(`move ${key} from Pulumi.${stack}.yaml to Pulumi.${ROOT}.yaml`);
            }
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
