// An organization of its own for the tests of validateConfig: literal values (fixed here, so exact messages do not
// depend on the shipped Pulumi.*.yaml), handed over as Pulumi hands a stack its config.
import { expect } from "chai";
import { ConfigError, RawConfig, validateConfig } from "../src/config";
import { evaluateStack, StackEvaluation } from "../src/offline/engine";
import { program } from "./harness";

export const ACCOUNTS = { root: "101010101010", prod: "202020202020", staging: "303030303030", audit: "404040404040" };
export const ROLES = { admin: { policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }, readonly: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } };
export const TEAMS = { platform: { access: { "*": "admin" } }, developers: { access: { staging: "admin", prod: "readonly" } } };
export const USERS = { dana: ["platform"], eli: ["developers"] };

/** The organization's config as one stack receives it: project values as Pulumi.yaml gives them, plus the stack's own. `undefined` removes a key. */
export function raw(stack: string, changes: Record<string, unknown> = {}): RawConfig {
    const values: Record<string, unknown> = {
        "refarch:namespace": "initrode",
        "refarch:accounts": ACCOUNTS,
        "refarch:roles": ROLES,
        "aws:region": "eu-west-1",
        ...(stack === "root" ? { "refarch:teams": TEAMS, "refarch:users": USERS } : {}),
        ...changes,
    };
    const strings = Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
    return { organization: "initrode-org", project: "refarch", stack, values: Object.fromEntries(strings) };
}

/** The problems of a config that must be refused, one line each; fails if it is accepted. */
export function problemsOf(config: RawConfig): string[] {
    try {
        validateConfig(config);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as ConfigError).problems;
    }
    throw new Error(`stack ${config.stack}: config unexpectedly valid`);
}

/** The smallest n in [low, high] for which `refused(n)`, given that refusal is monotone in n; fails if none is. */
export function firstRefused(low: number, high: number, refused: (n: number) => boolean): number {
    expect(refused(high), `refused at ${high}`).to.equal(true);
    expect(refused(low), `accepted at ${low}`).to.equal(false);
    while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (refused(mid)) high = mid;
        else low = mid;
    }
    return high;
}

export const isRefused = (config: RawConfig): boolean => {
    try {
        validateConfig(config);
        return false;
    } catch {
        return true;
    }
};

/** One stack of a literal organization, evaluated by the real program; fails if the evaluation failed. */
export async function evaluated(config: RawConfig, deployedOutputs: Record<string, Record<string, unknown>> = {}): Promise<StackEvaluation> {
    const evaluation = await evaluateStack(program, config.project, config.stack, config.values, { deployedOutputs, organization: config.organization });
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}
