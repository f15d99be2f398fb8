// The China Regions and GovCloud are AWS partitions of their own (`arn:aws-cn:...`, `arn:aws-us-gov:...`): an account
// there can attach, trust and name nothing of another partition (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
// The organization under test is moved whole into cn-north-1 and us-gov-west-1, as its owner would write it there,
// and every ARN the program forms must name that partition.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { evaluateProject, StackEvaluation } from "../src/offline/engine";
import { ProjectFiles } from "../src/project";
import { problemsOf, raw } from "./configFixture";
import { org, program } from "./harness";

const PARTITIONS = [
    { region: "cn-north-1", partition: "aws-cn" },
    { region: "us-gov-west-1", partition: "aws-us-gov" },
];

/**
 * The organization as written for `region`: every stack there; every ARN in the config in its partition; no
 * refarch:acmCloudfront (CloudFront certificates come from us-east-1 of the aws partition: refused elsewhere, see
 * acmCloudfront.test.ts); the region guardrail, if any, allowing the region.
 */
function movedTo(region: string, partition: string, change: (config: Record<string, string>) => Record<string, string> = (c) => c): ProjectFiles {
    const rewrite = (config: Record<string, string>) =>
        change(
            Object.fromEntries(
                Object.entries(config)
                    .filter(([key]) => key !== "refarch:acmCloudfront")
                    .map(([key, value]) => [key, value.replace(/"arn:aws:/g, `"arn:${partition}:`).replace(/"allowedRegions":\[[^\]]*\]/, `"allowedRegions":["${region}"]`)]),
            ),
        );
    return {
        ...org.project,
        projectConfig: rewrite(org.project.projectConfig),
        stackConfigs: Object.fromEntries(Object.entries(org.project.stackConfigs).map(([stack, config]) => [stack, rewrite({ ...config, "aws:region": region })])),
    };
}

/** The partition of every ARN in a value, at any depth. */
function partitionsIn(value: unknown): string[] {
    return [...JSON.stringify(value ?? null).matchAll(/\barn:([a-z-]*):/g)].map((m) => m[1]);
}

/** Every stack of a project, evaluated; fails naming the first stack that did not evaluate. */
async function evaluatedAll(project: ProjectFiles): Promise<StackEvaluation[]> {
    const all = await evaluateProject(program, project);
    for (const evaluation of all) if (evaluation.error) throw new Error(`${evaluation.stack}: ${evaluation.error.message}`);
    expect(all.map((e) => e.stack).sort()).to.deep.equal([...org.stacks].sort());
    return all;
}

describe("partitions: China and GovCloud", () => {
    for (const { region, partition } of PARTITIONS) {
        it(`in ${region}, every ARN each stack's resources are given and each stack exports is in ${partition}`, async () => {
            for (const evaluation of await evaluatedAll(movedTo(region, partition))) {
                const given = evaluation.resources.flatMap((r) => partitionsIn(r.inputs));
                expect(given.length, evaluation.stack).to.be.greaterThan(0);
                expect([...new Set([...given, ...partitionsIn(evaluation.outputs)])], evaluation.stack).to.deep.equal([partition]);
            }
        });

        it(`in ${region}, the roles and deployment roles an unset refarch:roles and refarch:deployer give attach ${partition}'s managed policies`, async () => {
            const defaults = movedTo(region, partition, (config) => {
                const { "refarch:roles": _roles, ...rest } = config;
                const deployer = rest["refarch:deployer"] && JSON.parse(rest["refarch:deployer"]);
                if (deployer) delete deployer.policyArns, delete deployer.previewerPolicyArns;
                // Teams may only grant roles that exist: the default roles, admin and readonly.
                const teams = rest["refarch:teams"] && Object.fromEntries(Object.keys(JSON.parse(rest["refarch:teams"])).map((team) => [team, { access: { "*": "readonly" } }]));
                return { ...rest, ...(deployer ? { "refarch:deployer": JSON.stringify(deployer) } : {}), ...(teams ? { "refarch:teams": JSON.stringify(teams) } : {}) };
            });
            // Every stack with account roles (all but the org stack).
            for (const evaluation of (await evaluatedAll(defaults)).filter((e) => e.resources.some((r) => r.type === "refarch:iam:AccountRoles"))) {
                const attached = evaluation.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => String(r.inputs.policyArn));
                expect(attached, evaluation.stack).to.include.members([`arn:${partition}:iam::aws:policy/AdministratorAccess`, `arn:${partition}:iam::aws:policy/ReadOnlyAccess`]);
                expect(new Set(attached.map((arn) => arn.split(":")[1])), evaluation.stack).to.deep.equal(new Set([partition]));
            }
        });

        it(`in ${region}, a policy ARN of another partition is refused with the ARN to write instead`, () => {
            const config = raw("prod", {
                "aws:region": region,
                "refarch:roles": { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } },
                "refarch:deployer": { previewerPolicyArns: [`arn:${partition}:iam::aws:policy/ReadOnlyAccess`, "arn:aws:iam::101010101010:policy/preview"] },
            });
            expect(problemsOf(config)).to.deep.equal([
                `Pulumi.yaml: refarch:roles.admin.policyArns: "arn:aws:iam::aws:policy/AdministratorAccess" is in the aws partition, and this stack deploys to ${region}, in ${partition}. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: in the list policyArns, replace "arn:aws:iam::aws:policy/AdministratorAccess" with "arn:${partition}:iam::aws:policy/AdministratorAccess"`,
                `Pulumi.yaml: refarch:deployer.previewerPolicyArns: "arn:aws:iam::101010101010:policy/preview" is in the aws partition, and this stack deploys to ${region}, in ${partition}. Fix: in Pulumi.yaml, under config: refarch:deployer: value: in the list previewerPolicyArns, replace "arn:aws:iam::101010101010:policy/preview" with "arn:${partition}:iam::101010101010:policy/preview"`,
            ]);
            // The deployer's own default stays in the stack's partition.
            expect(validateConfig(raw("prod", { "aws:region": region, "refarch:roles": { admin: { policyArns: [`arn:${partition}:iam::aws:policy/AdministratorAccess`] } } })).deployer.policyArns).to.deep.equal([
                `arn:${partition}:iam::aws:policy/AdministratorAccess`,
            ]);
        });
    }

    it("in the aws partition, the defaults are aws's own managed policies", () => {
        const config = validateConfig(raw("prod", { "refarch:roles": undefined }));
        expect(Object.values(config.roles).flatMap((r) => r.policyArns)).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        expect([...config.deployer.policyArns, ...config.deployer.previewerPolicyArns]).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]);
    });
});
