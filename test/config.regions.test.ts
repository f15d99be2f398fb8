// aws:region names a region AWS has (the provider's own list, src/config/regions.ts), in a partition whose ARNs the
// program forms; a name it does not have is refused with the nearest real name, and that fix, applied as written,
// is valid and in the partition the name was written for.
import { expect } from "chai";
import { ConfigError, partitionOf, validateConfig } from "../src/config";
import { AWS_REGIONS, SUPPORTED_REGIONS, unsupportedPartitionOf } from "../src/config/regions";
import { problemsOf, raw } from "./configFixture";
import { created, org } from "./harness";

/** The prod stack in `region`, its roles the defaults, which the program puts in the region's partition. */
const inRegion = (region: string) => raw("prod", { "aws:region": region, "refarch:roles": undefined });

/** The one problem of a stack given `region`, and the region its fix sets. */
function refusal(region: string): { problem: string; fix: string } {
    const problems = problemsOf(inRegion(region));
    expect(problems, region).to.have.length(1);
    const fix = /Fix: in Pulumi\.prod\.yaml, under config: set aws:region: (\S+)$/.exec(problems[0]);
    expect(fix, problems[0]).not.to.equal(null);
    return { problem: problems[0], fix: fix![1] };
}

describe("config regions: a region AWS has, or the nearest real name", () => {
    it("accepts every region of aws, aws-cn and aws-us-gov the provider lists, in its partition", () => {
        expect(SUPPORTED_REGIONS.length).to.be.greaterThan(30);
        for (const region of SUPPORTED_REGIONS) {
            const config = validateConfig(inRegion(region));
            expect([config.region, config.partition], region).to.deep.equal([region, partitionOf(region)]);
        }
        expect(new Set(SUPPORTED_REGIONS.map(partitionOf))).to.deep.equal(new Set(["aws", "aws-cn", "aws-us-gov"]));
    });

    it("a missing hyphen gets the region meant: eu-west2 -> eu-west-2, with the file, key and value", () => {
        expect(problemsOf(raw("prod", { "aws:region": "eu-west2" }))).to.deep.equal([
            `Pulumi.prod.yaml: aws:region: "eu-west2" is not an AWS region; did you mean "eu-west-2"? Fix: in Pulumi.prod.yaml, under config: set aws:region: eu-west-2`,
        ]);
    });

    it("a region number AWS does not have (eu-west-9) is refused, naming every region as near, and the fix sets one of them", () => {
        const near = SUPPORTED_REGIONS.filter((r) => /^eu-west-\d$/.test(r));
        expect(problemsOf(raw("prod", { "aws:region": "eu-west-9" }))).to.deep.equal([
            `Pulumi.prod.yaml: aws:region: "eu-west-9" is not an AWS region; did you mean ${near.map((r) => `"${r}"`).join(" or ")}? Fix: in Pulumi.prod.yaml, under config: set aws:region: ${near[0]}`,
        ]);
    });

    // What each was written for: the fix must be that region, or (a number AWS lacks) one of its area's, in its partition.
    const meant: Record<string, RegExp> = {
        "eu-west2": /^eu-west-2$/,
        "EU-WEST-1": /^eu-west-1$/,
        "us-east-1a": /^us-east-1$/,
        "useast-2": /^us-east-2$/,
        "ap-southeast-10": /^ap-southeast-1$/,
        "sa-east1": /^sa-east-1$/,
        "cn-nort-1": /^cn-north-1$/,
        "cn-north-3": /^cn-north(west)?-1$/,
        "us-gov-wset-1": /^us-gov-west-1$/,
        "us-gov-west-3": /^us-gov-west-1$/,
        "eu-west-9": /^eu-west-\d$/,
    };
    for (const [written, expected] of Object.entries(meant)) {
        it(`the fix for ${written}, applied as written, is valid and is the region meant, in the partition written`, () => {
            const { fix } = refusal(written);
            expect(fix).to.match(expected);
            const config = validateConfig(inRegion(fix));
            expect(config.region).to.equal(fix);
            expect(config.partition).to.equal(partitionOf(written.toLowerCase()));
        });
    }

    it("a name like no region still gets a real one as its fix, said as the nearest, not as a guess of what was meant", () => {
        const { problem, fix } = refusal("moon-1");
        expect(problem).to.match(/^Pulumi\.prod\.yaml: aws:region: "moon-1" is not an AWS region \(the nearest name is "[a-z0-9-]+"\)\. Fix: /);
        expect(problem).not.to.include("did you mean");
        expect(validateConfig(inRegion(fix)).region).to.equal(fix);
    });

    it("an empty region is told to name one: no real name is nearer to nothing than another", () => {
        expect(problemsOf(inRegion(""))).to.deep.equal([
            `Pulumi.prod.yaml: aws:region: "" is empty: it must name the region this stack deploys to. Fix: in Pulumi.prod.yaml, under config: set aws:region: <the region this stack deploys to, such as us-east-1>`,
        ]);
    });

    it("regions of partitions whose ARNs the program does not form are refused by name, every one the provider lists", () => {
        const unsupported = AWS_REGIONS.filter((r) => !SUPPORTED_REGIONS.includes(r));
        expect(unsupported).to.include.members(["us-iso-east-1", "us-isob-east-1"]);
        for (const region of unsupported) {
            const { problem, fix } = refusal(region);
            expect(problem, region).to.include(`aws:region: "${region}" is a region of ${unsupportedPartitionOf(region)}, whose ARNs this program does not form.`);
            expect(validateConfig(inRegion(fix)).region).to.equal(fix);
        }
    });

    it("nothing is registered for a region AWS does not have (the real program under the engine)", async () => {
        const evaluation = await org.evaluateWith(org.trialStack, { "aws:region": "eu-west-9" });
        expect(evaluation.error).to.be.instanceOf(ConfigError);
        expect((evaluation.error as ConfigError).problems).to.have.length(1);
        expect((evaluation.error as ConfigError).problems[0]).to.match(new RegExp(`^Pulumi\\.${org.trialStack}\\.yaml: aws:region: "eu-west-9" is not an AWS region; did you mean `));
        expect(evaluation.resources).to.deep.equal([]);
        expect(created(evaluation)).to.deep.equal([]);
    });
});
