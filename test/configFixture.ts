// An organization of its own for the tests of validateConfig: literal values (fixed here, so exact messages do not
// depend on the shipped Pulumi.*.yaml), handed over as Pulumi hands a stack its config.
import { expect } from "chai";
import { ConfigError, RawConfig, validateConfig } from "../src/config";

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

