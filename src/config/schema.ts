// The building blocks of the config schemas: zod types whose every failure says why, in our words, and
// carries the example value the fix sets. Zod 4 (typed inference, strict objects, one issue per problem
// with its path) does the structural checks; the domain rules stay small named functions beside each area.
import { z } from "zod";
import { HINT_SEPARATOR } from "./problems";

/** The value a fix sets: a fixed example, or one derived from the refused value itself (zod hands it as `input`). */
export type Example = string | ((input: unknown) => string);

/** A zod error option whose message says why a value is refused and which value to set instead. */
export function hint(why: string, example: Example): { error: (issue?: { input?: unknown }) => string } {
    return { error: (issue) => `${why}${HINT_SEPARATOR}${typeof example === "string" ? example : example(issue?.input)}` };
}

export const NAME_PART = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** A region name of the aws, aws-cn, aws-us-gov and isolated partitions (us-east-1, cn-north-1, us-gov-west-1, us-isob-east-1). */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
export const POLICY_ARN = /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@\/-]+$/;

/** Text that must match `pattern`; one message whether it is not text at all or the wrong text. */
export function matching(pattern: RegExp, why: string, example: Example) {
    const refused = hint(why, example);
    return z.string(refused).regex(pattern, refused);
}

export const flag = (example: boolean) => z.boolean(hint("must be true or false", String(example)));

export const wholeNumber = (min: number, max: number, unit: string, example: number) => {
    const range = hint(`must be a whole number ${unit}from ${min} to ${max}`, String(example));
    return z.number(range).int(range).min(min, range).max(max, range);
};

export const policyArns = (example: string) =>
    z.array(matching(POLICY_ARN, "is not an IAM managed policy ARN", `"${example}"`), hint("must be a list of IAM managed policy ARNs", `["${example}"]`)).min(
        1,
        hint("must list at least one IAM managed policy ARN", `["${example}"]`),
    );

/** Names that form AWS resource names: lowercase letters, digits and single hyphens, starting with a letter. */
export const namePart = (what: string, example: Example) =>
    matching(NAME_PART, `is not a usable ${what}: use lowercase letters, digits and single hyphens, starting with a letter`, example);

/**
 * A config area: one `refarch:*` key, its schema, the file it belongs in and the one stage that reads it, if any.
 * Schemas are bounded by zod's core `$ZodType`: checking a schema against the classic `z.ZodType` costs tsc over a
 * second (it compares zod's class types member by member); validateConfig parses with `z.safeParse(schema, value)`.
 */
export interface ConfigArea<S extends z.core.$ZodType = z.core.$ZodType> {
    key: string;
    schema: S;
    /** project: set once in Pulumi.yaml for every stack; stack: set per stack in Pulumi.<stack>.yaml. */
    home: "project" | "stack";
    /** The only stage that reads it; set in another stack it would be silently ignored, so it is refused. */
    onlyStage?: string;
    /** Read as the text written, never as JSON (a namespace `123` is the text "123", not a number). */
    text?: boolean;
}

export function area<S extends z.core.$ZodType>(key: string, home: ConfigArea["home"], schema: S, onlyStage?: string): ConfigArea<S> {
    return { key, schema, home, onlyStage };
}

/**
 * Areas as one list, each checked against ConfigArea on its own. (A literal array of areas with different zod schema
 * types makes tsc reduce their union, comparing zod's types with each other: 2 s of every `tsc --noEmit` under TypeScript 5.)
 */
export function areaList(...areas: ConfigArea[]): ConfigArea[] {
    return areas;
}

/** An area whose value is plain text (a name, a region), handed to its schema as written. */
export function textArea<S extends z.core.$ZodType>(key: string, home: ConfigArea["home"], schema: S): ConfigArea<S> {
    return { key, schema, home, text: true };
}
