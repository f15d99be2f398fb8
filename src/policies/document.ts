// The shape of an IAM policy document, as every builder in this folder returns it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
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
