// The shape of an IAM policy document, as every builder in this folder returns it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/** A policy field that may be one value or a list (Action, Resource, Principal.AWS, ...), as a list. */
export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The condition that the request was made with MFA. */
export const MFA_PRESENT = { Bool: { "aws:MultiFactorAuthPresent": "true" } };

/** How long after its MFA sign-in a session may still assume a role, unless a builder is given another age: one hour. */
export const DEFAULT_MFA_MAX_AGE_SECONDS = 3600;

/**
 * The condition that the request was made with MFA less than `maxAgeSeconds` ago: aws:MultiFactorAuthAge is present
 * only in sessions made with MFA, so NumericLessThan also fails without MFA; Bool keeps that explicit.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthage
 */
export function recentMfa(maxAgeSeconds: number): Record<string, Record<string, string>> {
    if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds <= 0) throw new Error(`an MFA age limit is a whole number of seconds above 0, not ${maxAgeSeconds}`);
    return { ...MFA_PRESENT, NumericLessThan: { "aws:MultiFactorAuthAge": String(maxAgeSeconds) } };
}
