// How a config problem is written: values, keys and fixes quoted so that the fix is correct as written, and several
// stacks' problems told once per root cause.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError, describeConfigErrors, validateConfig } from "../src/config";
import { clearTypoOf, editDistance } from "../src/config/problems";
import { ACCOUNTS, problemsOf, raw, ROLES, USERS } from "./configFixture";

const ADMIN = ROLES.admin;

describe("config problems: how values, keys and fixes are written", () => {
    it("a name YAML cannot write plain is quoted in the fix, and the suggested name drops what AWS names cannot start or end with", () => {
        expect(problemsOf(raw("prod", { "refarch:accounts": { ...ACCOUNTS, "QA  env!!": "505050505050", "99lives": "606060606060" } }))).to.deep.equal([
            `Pulumi.yaml: refarch:accounts.QA  env!!: "QA  env!!" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename "QA  env!!" to a name like qa-env`,
            `Pulumi.yaml: refarch:accounts.99lives: "99lives" is not a usable stage name: use lowercase letters, digits and single hyphens, starting with a letter. Fix: in Pulumi.yaml, under config: refarch:accounts: value:, rename 99lives to a name like lives`,
        ]);
    });

    it("a bad value is shown whole up to 200 characters, and cut with ... past them", () => {
        const shown = (value: string) => problemsOf(raw("prod", { "aws:region": value }))[0].split(" is not an AWS region")[0];
        expect(shown("x".repeat(198))).to.equal(`Pulumi.prod.yaml: aws:region: "${"x".repeat(198)}"`);
        expect(shown("x".repeat(199))).to.equal(`Pulumi.prod.yaml: aws:region: "${"x".repeat(196)}...`);
    });

    it("a user's team when no team is defined: the list of valid teams says so, and the fix says where to define it", () => {
        expect(problemsOf(raw("root", { "refarch:teams": {}, "refarch:users": { dana: ["ops"] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: "ops" is not a team of refarch:teams (valid: none defined). Fix: in Pulumi.root.yaml, under config: refarch:users:, list only teams defined under refarch:teams for dana, or define ops under refarch:teams`,
        ]);
    });

    it("several stacks' problems: one shared by all of them in Pulumi.yaml is told once, before each stack's own", () => {
        const problem = (file: string, key: string) => ({ file, key, value: 1, why: "is wrong", fix: { set: "2" } });
        const shared = problem("Pulumi.yaml", "refarch:namespace");
        const [prod, dev] = [new ConfigError("prod", [shared, problem("Pulumi.prod.yaml", "refarch:protect")]), new ConfigError("dev", [shared])];
        expect(describeConfigErrors([prod])).to.equal(prod.message);
        expect(describeConfigErrors([prod, dev])).to.equal(
            [
                "Pulumi.yaml, read by every stack, has 1 problem; nothing was created:",
                "  1. Pulumi.yaml: refarch:namespace: 1 is wrong. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: 2",
                'Config of stack "prod" (Pulumi.prod.yaml) has 1 more problem; nothing was created:',
                "  1. Pulumi.prod.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.prod.yaml, under config: set refarch:protect: 2",
            ].join("\n"),
        );
        const own = new ConfigError("dev", [problem("Pulumi.dev.yaml", "refarch:protect"), problem("Pulumi.dev.yaml", "aws:region")]);
        expect(describeConfigErrors([prod, own])).to.equal(
            [
                'Config of stack "prod" (Pulumi.yaml + Pulumi.prod.yaml) has 2 problems; nothing was created:',
                "  1. Pulumi.yaml: refarch:namespace: 1 is wrong. Fix: in Pulumi.yaml, under config: refarch:namespace: set value: 2",
                "  2. Pulumi.prod.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.prod.yaml, under config: set refarch:protect: 2",
                'Config of stack "dev" (Pulumi.dev.yaml) has 2 problems; nothing was created:',
                "  1. Pulumi.dev.yaml: refarch:protect: 1 is wrong. Fix: in Pulumi.dev.yaml, under config: set refarch:protect: 2",
                "  2. Pulumi.dev.yaml: aws:region: 1 is wrong. Fix: in Pulumi.dev.yaml, under config: set aws:region: 2",
            ].join("\n"),
        );
    });

    it("a user's name is an IAM user name: 64 characters of letters, digits and +=,.@_- accepted, 65 or a space refused", () => {
        const users = (...names: string[]) => ({ "refarch:users": Object.fromEntries(names.map((n) => [n, ["platform"]])) });
        expect(Object.keys(validateConfig(raw("root", users("u".repeat(64), "dana+ops=1,x.y@example.com_-"))).users)).to.have.length(2);
        // The fix is the name written made an IAM user name: cut to 64, a space made a hyphen (quoted where YAML needs it).
        const refused = (name: string, written: string, fixed: string) => `Pulumi.root.yaml: refarch:users.${name}: "${name}" is not a valid IAM user name (letters, digits and +=,.@_- up to 64). Fix: in Pulumi.root.yaml, under config: refarch:users:, rename ${written} to ${fixed}`;
        expect(problemsOf(raw("root", users("v".repeat(65), "dana smith")))).to.deep.equal([refused("v".repeat(65), "v".repeat(65), "v".repeat(64)), refused("dana smith", '"dana smith"', "dana-smith")]);
    });

    it("refarch:acmCloudfront outside the aws partition is refused: CloudFront takes certificates from us-east-1 only", () => {
        const cn = problemsOf(raw("prod", { "aws:region": "cn-north-1", "refarch:acmCloudfront": { domainName: "example.com" } }));
        expect(cn).to.include(
            `Pulumi.prod.yaml: refarch:acmCloudfront: {"domainName":"example.com"} needs the aws partition: CloudFront takes ACM certificates only from us-east-1, and this stack is in aws-cn. Fix: in Pulumi.prod.yaml, under config: remove refarch:acmCloudfront`,
        );
    });

    it("every place a schema refuses inside one key is a problem of its own; a list of no teams is told as the list it is", () => {
        const roles = { ...ROLES, admin: { ...ADMIN, maxSessionDuration: 60 }, readonly: { ...ROLES.readonly, policyArns: [] } };
        expect(problemsOf(raw("prod", { "refarch:roles": roles }))).to.deep.equal([
            `Pulumi.yaml: refarch:roles.admin.maxSessionDuration: 60 must be a whole number of seconds from 3600 to 43200. Fix: in Pulumi.yaml, under config: refarch:roles: value: admin: set maxSessionDuration: 3600`,
            `Pulumi.yaml: refarch:roles.readonly.policyArns: [] must list at least one IAM managed policy ARN. Fix: in Pulumi.yaml, under config: refarch:roles: value: readonly: set policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]`,
        ]);
        expect(problemsOf(raw("root", { "refarch:users": { ...USERS, dana: [] } }))).to.deep.equal([
            `Pulumi.root.yaml: refarch:users.dana: [] must list at least one team: a user in no team could not even set up MFA. Fix: in Pulumi.root.yaml, under config: refarch:users: set dana: [<a team of refarch:teams>]`,
        ]);
    });

    it("an unknown key inside a nested setting is named with the settings valid there", () => {
        expect(problemsOf(raw("prod", { "refarch:baseline": { budget: { amount: 5, email: "finance@example.com", currency: "EUR" } } }))).to.deep.equal([
            `Pulumi.prod.yaml: refarch:baseline.budget.currency: "EUR" is not a setting of refarch:baseline.budget (valid: amount, email). Fix: in Pulumi.prod.yaml, under config: refarch:baseline: budget: remove currency`,
        ]);
    });

    it("a config error is a Pulumi RunError: pulumi up prints its message alone, not an unhandled exception with a stack trace", () => {
        let error: unknown;
        try {
            validateConfig(raw("prod", { "aws:region": "moon-1" }));
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(ConfigError);
        // What @pulumi/pulumi's cmd/run/run.js asks of an uncaught error before it logs err.message alone.
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
    });

    it("a did-you-mean only for a clear typo: one edit (two from 7 letters), a swap counting one, and one candidate that near", () => {
        const stages = ["root", "audit", "prod", "staging", "dev", "testing"];
        expect(editDistance("rpod", "prod")).to.equal(1);
        expect(editDistance("uat", "audit")).to.equal(3);
        expect(clearTypoOf("rpod", stages)).to.equal("prod");
        expect(clearTypoOf("stagng", stages)).to.equal("staging");
        expect(clearTypoOf("stagign", stages)).to.equal("staging");
        expect(clearTypoOf("Prod", stages)).to.equal("prod");
        // Not a typo of anything: what didyoumean2's looser similarity took for audit.
        expect(clearTypoOf("uat", stages)).to.equal(undefined);
        // Two edits in a short name, and two candidates one edit away: no guess.
        expect(clearTypoOf("pord2", stages)).to.equal(undefined);
        expect(clearTypoOf("dev", ["dev1", "dev2"])).to.equal(undefined);
    });
});
