// How config problems are found, worded and reported. Every problem names the file and key it comes from,
// the bad value, why it is refused, and a fix that is correct as written: an edit to that file, or a
// command only where a command is right. Structural problems come from zod schemas (see ./schema.ts);
// the domain rules report through the same collector, so a stack gets one ConfigError listing them all.
import * as pulumi from "@pulumi/pulumi";
import didYouMean from "didyoumean2";
import type { z } from "zod";

/** A fix: set the key to an example value, remove the key, or follow a sentence. */
export type Fix = { set: string } | { replace: unknown; with: string } | { remove: true; renameTo?: string } | { text: string };

export interface Problem {
    /** The file the key is (or belongs) in: `Pulumi.yaml` or `Pulumi.<stack>.yaml`. */
    file: string;
    /** The key path, `refarch:users.dave`; "" for a problem of the stack itself. */
    key: string;
    value: unknown;
    why: string;
    fix: Fix;
}

/**
 * A RunError: `pulumi up` prints its message alone, as the program's error, instead of an unhandled exception with
 * its stack trace and fields (@pulumi/pulumi cmd/run/run.js: `RunError.isInstance(err)` -> `log.error(err.message)`).
 */
export class ConfigError extends pulumi.RunError {
    /** Each problem as one line: `<file>: <key>: <value> <why>. Fix: <fix>`. */
    readonly problems: string[];

    constructor(
        readonly stack: string,
        readonly details: Problem[],
    ) {
        const problems = details.map(renderProblem);
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`Config of stack "${stack}" (Pulumi.yaml + Pulumi.${stack}.yaml) has ${count}; nothing was created:\n` + numbered(problems));
        this.problems = problems;
    }
}

/**
 * The problems of several stacks, each root cause once: a problem in Pulumi.yaml that every failed stack
 * shares is listed once for all of them, not once per stack.
 */
export function describeConfigErrors(errors: ConfigError[]): string {
    if (errors.length <= 1) return errors.map((e) => e.message).join("");
    const shared = errors[0].problems.filter((p) => p.startsWith("Pulumi.yaml: ") && errors.every((e) => e.problems.includes(p)));
    const sections = shared.length > 0 ? [`Pulumi.yaml, read by every stack, has ${plural(shared.length, "problem")}; nothing was created:\n${numbered(shared)}`] : [];
    for (const error of errors) {
        // Each problem's line is already rendered, in the order of its details.
        const own = error.details.map((detail, i) => ({ file: detail.file, line: error.problems[i] })).filter(({ line }) => !shared.includes(line));
        if (own.length === 0) continue;
        // The files its own problems are in: Pulumi.yaml too, for a problem there that not every stack has.
        const files = [...new Set(own.map((p) => p.file))].join(" + ");
        sections.push(`Config of stack "${error.stack}" (${files}) has ${plural(own.length, shared.length > 0 ? "more problem" : "problem")}; nothing was created:\n${numbered(own.map((p) => p.line))}`);
    }
    return sections.join("\n");
}

export function renderProblem(problem: Problem): string {
    const subject = problem.key ? `${problem.key}: ${show(problem.value)}` : show(problem.value);
    const why = /[.?!]$/.test(problem.why) ? problem.why : `${problem.why}.`;
    return `${problem.file}: ${subject} ${why} Fix: ${renderFix(problem)}`;
}

/**
 * Where a key sits in its file, as YAML: project values in Pulumi.yaml are nested under `value:`.
 * `refarch:roles.admin.requireMfa` in Pulumi.yaml -> `under config: refarch:roles: value: admin:` and `requireMfa`.
 */
function location(file: string, key: string): { under: string; leaf: string } {
    const [top, ...path] = key.split(".");
    const project = file === "Pulumi.yaml";
    if (path.length === 0) return project ? { under: `under config: ${top}:`, leaf: "value" } : { under: "under config:", leaf: top };
    const parents = [top + ":", ...(project ? ["value:"] : []), ...path.slice(0, -1).map((p) => `${yamlKey(p)}:`)];
    return { under: `under config: ${parents.join(" ")}`, leaf: yamlKey(path[path.length - 1]) };
}

/** A key as YAML needs it written: plain when it can be, else double-quoted (an empty key, one with spaces or colons). */
export const yamlKey = (key: string): string => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

/**
 * The fix for a name that cannot form AWS names (a stage, role or team): rename it, to the nearest usable name
 * (lowercase, runs of anything else made one hyphen, starting with a letter), or to `fallback` when nothing is left.
 */
export function renameToUsable(under: string, name: string, fallback: string): { text: string } {
    return { text: `${under}, rename ${yamlKey(name)} to a name like ${usableName(name) ?? fallback}` };
}

/**
 * The nearest name AWS names can be formed from (lowercase, runs of anything else made one hyphen, starting with a
 * letter): `Umbrella` -> umbrella, `QA  env!!` -> qa-env; undefined when nothing usable is left, or for what is not text.
 */
export function usableName(name: unknown): string | undefined {
    if (typeof name !== "string") return undefined;
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^[^a-z]+|-$/g, "") || undefined;
}

function renderFix({ file, key, fix }: Problem): string {
    if ("text" in fix) return fix.text;
    const { under, leaf } = location(file, key);
    if ("set" in fix) return `in ${file}, ${under} set ${leaf}: ${fix.set}`;
    if ("replace" in fix) return `in ${file}, ${under} in the list ${leaf}, replace ${show(fix.replace)} with ${fix.with}`;
    return fix.renameTo ? `in ${file}, ${under} rename ${leaf} to ${fix.renameTo} (or remove it)` : `in ${file}, ${under} remove ${leaf}`;
}

/** The closest of `candidates` to a misspelt `word`, if one is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    // didyoumean2: a maintained Levenshtein matcher with a similarity threshold, case-insensitive by default.
    return didYouMean(word, [...candidates]) ?? undefined;
}

/**
 * The one candidate `word` is a clear typo of, if any: one edit away (a letter added, dropped, changed, or two swapped),
 * or two for names of 7 letters or more. Nearer than didyoumean2's similarity, for a fix that would grant access: `uat`
 * reads as no stage at all, not as `audit`. Two candidates as near are no clear typo of either.
 */
export function clearTypoOf(word: string, candidates: readonly string[]): string | undefined {
    const allowed = Math.min(word.length, ...candidates.map((c) => c.length)) >= 7 ? 2 : 1;
    const near = candidates.filter((c) => c !== word && editDistance(word.toLowerCase(), c.toLowerCase()) <= allowed);
    return near.length === 1 ? near[0] : undefined;
}

/** Edits from a to b, an adjacent swap counting one (optimal string alignment distance). */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** `is not a team of refarch:teams (valid: a, b); did you mean "a"?` */
export function notOneOf(word: string, what: string, candidates: readonly string[]): string {
    const guess = clearTypoOf(word, candidates);
    return `is not ${what} (valid: ${candidates.join(", ") || "none defined"})${guess ? `; did you mean "${guess}"?` : ""}`;
}

/** Collects the problems of one stack's config, each with the file its key belongs in. */
export class Problems {
    readonly list: Problem[] = [];

    constructor(private readonly fileOf: (key: string) => string) {}

    add(key: string, value: unknown, why: string, fix: Fix): void {
        this.list.push({ file: this.fileOf(key), key, value, why, fix });
    }

    /** Adds the problems a schema found in the value of `key`. */
    addSchemaIssues(key: string, value: unknown, schema: z.core.$ZodType, issues: z.core.$ZodIssue[]): void {
        const reported = new Set<string>();
        for (const issue of issues.flatMap(throughShapedOption)) {
            // A list item is named by its list (YAML lists have no keys); one problem per place, the first zod found.
            const index = issue.path.findIndex((part) => typeof part === "number");
            const place = index === -1 ? issue.path : issue.path.slice(0, index);
            const path = [key, ...place.map(String)].join(".");
            const at = valueAt(value, issue.path);
            const where = `${path}#${issue.path.join(".")}`;
            if (reported.has(where)) continue;
            reported.add(where);
            if (issue.code === "unrecognized_keys") {
                const allowed = fieldsAt(schema, issue.path);
                for (const field of issue.keys) {
                    const guess = closest(field, allowed);
                    this.add(`${path}.${field}`, (at as Record<string, unknown>)[field], `is not a setting of ${path} (valid: ${allowed.join(", ")})`, { remove: true, renameTo: guess });
                }
                continue;
            }
            if (issue.code === "invalid_key") {
                // A name a record's key schema refuses (a unit, a custom SCP): the name is the problem, so the fix renames it.
                // Zod 4 reports it as one `invalid_key` issue holding the key schema's own issues (core schemas.cjs, $ZodRecord).
                const [reason, example] = issue.issues[0].message.split(HINT_SEPARATOR);
                const name = String(issue.path[issue.path.length - 1]);
                const file = this.fileOf(path);
                this.add(path, name, reason, renameToUsable(`in ${file}, ${location(file, path).under}`, name, example));
                continue;
            }
            // Every schema message is hint(why, example) (./schema.ts); config.property.test.ts holds that for any value.
            const [reason, example] = issue.message.split(HINT_SEPARATOR);
            const guess = issue.code === "invalid_value" && typeof at === "string" ? closest(at, issue.values.map(String)) : undefined;
            const why = guess ? `${reason}; did you mean "${guess}"?` : reason;
            this.add(path, at, why, index === -1 ? { set: guess ?? example } : { replace: at, with: guess ?? example });
        }
    }
}

/**
 * A union no option accepted, told through the one option the value has the shape of, when there is one: its
 * problems are inside the value (`[7]` for "a role or a list of roles" is a list with a bad item, a user's
 * `{ teams, pgpKey: 7 }` is the object form with a bad key), and the union's own message would only list the forms.
 * Zod gives each option's issues, their paths relative to the union's (zod v4 `invalid_union`, `errors`).
 */
function throughShapedOption(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
    if (issue.code !== "invalid_union") return [issue];
    // Stryker disable next-line MethodExpression: a value of another type is the one issue zod reports for that option, so some and every agree.
    const shaped = issue.errors.filter((option) => !option.some((i) => i.code === "invalid_type" && i.path.length === 0));
    if (shaped.length !== 1) return [issue];
    return shaped[0].flatMap((i) => throughShapedOption({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

// A schema's messages carry the example value the fix sets, after this separator (see hint() in ./schema.ts).
export const HINT_SEPARATOR = "\u0000e.g.\u0000";

/** The value at `path` inside `value`: zod's issue paths lead through the value it was given. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((current, part) => (current as Record<PropertyKey, unknown>)[part], value);
}

/**
 * The field names of the strict object at `path` inside `schema`, where zod found keys it does not know: through
 * the wrappers the config schemas use (optional, default, prefault, and a union's one object form) and records.
 */
function fieldsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
    const unwrap = (current: any): any =>
        ["optional", "default", "prefault", "union"].includes(current.def.type)
            ? unwrap(current.def.type === "union" ? current.def.options.find((o: any) => o.def.type === "object") : current.def.innerType)
            : current;
    const object = path.reduce((current: any, part) => {
        const def = unwrap(current).def;
        return def.type === "object" ? def.shape[part as string] : def.valueType;
    }, schema);
    return Object.keys(unwrap(object).def.shape);
}

export function show(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function numbered(lines: string[]): string {
    return lines.map((p, i) => `  ${i + 1}. ${p}`).join("\n");
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
