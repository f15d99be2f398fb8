// A config problem's fix, applied as a user would apply it: parsed out of the message and written into the project's
// Pulumi files, word for word. Only the fix forms the program writes are understood; any other fails the test that
// applies it, so a fix that cannot be followed as written is caught. Placeholders (`<...>`), which stand for what only
// the user knows (an account id), are filled by the test.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ConfigError, RefarchConfig, validateConfig } from "../src/config";
import { ProjectFilesError, readProject, stackConfig } from "../src/project";

type Files = Record<string, { config?: Record<string, any>; [key: string]: any }>;

/** The Pulumi files of a project directory, as js-yaml reads them. */
export function readFiles(dir: string): Files {
    return Object.fromEntries(
        fs
            .readdirSync(dir)
            .filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))
            .map((f) => [f, (yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) ?? {}) as Files[string]]),
    );
}

function writeFiles(dir: string, files: Files): void {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), yaml.dump(content));
}

/**
 * Every problem of a project, each once: the project files' own (readProject), else every stack's config problems
 * (validateConfig, as each stack's `pulumi up` would run it), the same line from several stacks told once.
 */
export function projectProblems(dir: string): string[] {
    let project;
    try {
        project = readProject(dir);
    } catch (err) {
        if (err instanceof ProjectFilesError) return err.problems;
        throw err;
    }
    const lines = new Set<string>();
    for (const stack of Object.keys(project.stackConfigs)) {
        try {
            validateConfig({ organization: "fixes-org", project: project.name, stack, values: stackConfig(project, stack) });
        } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
            err.problems.forEach((p) => lines.add(p));
        }
    }
    return [...lines];
}

/** A stack's config as validateConfig reads it from the project; fails on a problem. */
export function validated(dir: string, stack: string): RefarchConfig {
    const project = readProject(dir);
    return validateConfig({ organization: "fixes-org", project: project.name, stack, values: stackConfig(project, stack) });
}

/** The fix of a problem line: what follows `Fix: `. */
export function fixOf(problem: string): string {
    const at = problem.indexOf(" Fix: ");
    if (at === -1) throw new Error(`no fix in: ${problem}`);
    return problem.slice(at + " Fix: ".length);
}

/** YAML keys as a fix writes a place: `refarch:teams: developers: access:` or `"frank smith":`, `value:` included. */
function keysOf(place: string): string[] {
    return [...place.matchAll(/"((?:[^"\\]|\\.)*)":|(\S+):(?=\s|$)/g)].map((m) => (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[2]));
}

/** A YAML value as a fix writes it, placeholders replaced by what the test fills them with. */
function valueOf(text: string, fill: Record<string, string>): unknown {
    let filled = text.trim();
    for (const [placeholder, value] of Object.entries(fill)) filled = filled.split(placeholder).join(value);
    if (/<[^>]*>/.test(filled)) throw new Error(`the fix leaves a placeholder the test did not fill: ${filled}`);
    return yaml.load(filled);
}

/**
 * Applies one fix (one alternative: the text before `; or`, unless `alternative` picks a later one) to the project
 * in `dir`. Forms: `in <file>, under config: <keys> set <key>: <value>`, `..., rename <a> to <b>`,
 * `..., add <key>: <value>` (a list item: `add <item>`), `..., remove <key>`, and `create Pulumi.<stack>.yaml with its
 * aws:region` (the root stack's region).
 */
export function applyFix(dir: string, fix: string, options: { fill?: Record<string, string>; alternative?: number } = {}): void {
    const files = readFiles(dir);
    const step = fix.split(/; or,? /)[options.alternative ?? 0].replace(/^if you meant [^,]+, /, "");
    const where = /^in (Pulumi(?:\.[^ ]+)?\.yaml), under config:(.*?)(?:,)? (set|rename|add|remove) (.*)$/s.exec(step);
    if (!where) throw new Error(`a fix the test cannot follow as written: ${step}`);
    const [, file, place, verb, rest] = where;
    const keys = keysOf(place);
    const container = (create: boolean): Record<string, any> =>
        keys.reduce((node: Record<string, any>, key) => {
            if (node[key] === undefined && create) node[key] = {};
            if (node[key] === undefined) throw new Error(`the fix names ${keys.join(" > ")} in ${file}, which has no ${key}`);
            return node[key];
        }, (files[file].config ??= {}));
    if (verb === "set") {
        const [, key, value] = /^("(?:[^"\\]|\\.)*"|\S+?): (.*)$/s.exec(rest)!;
        container(true)[key.startsWith('"') ? JSON.parse(key) : key] = valueOf(value, options.fill ?? {});
    } else if (verb === "rename") {
        const [, from, to] = /^("(?:[^"\\]|\\.)*"|\S+) to (\S+?)(?: \(or remove it\))?$/.exec(rest)!;
        const node = container(false);
        const old = from.startsWith('"') ? (JSON.parse(from) as string) : from;
        if (!(old in node)) throw new Error(`the fix renames ${old}, which ${file} does not have there`);
        if (to in node) throw new Error(`the fix renames ${old} to ${to}, which ${file} already has there`);
        node[to] = node[old];
        delete node[old];
    } else if (verb === "add") {
        const [added, create] = rest.split(/,? and create /);
        const node = container(false);
        const item = /^("(?:[^"\\]|\\.)*"|[^:\s]+): (.*?)(?: \(or .*\))?$/.exec(added);
        if (Array.isArray(node)) node.push(valueOf(added, options.fill ?? {}));
        else if (item) node[item[1].startsWith('"') ? JSON.parse(item[1]) : item[1]] = valueOf(item[2], options.fill ?? {});
        else throw new Error(`a fix the test cannot follow as written: add ${added}`);
        const stackFile = create && /^(Pulumi\.[^ ]+\.yaml) with its aws:region$/.exec(create)?.[1];
        if (create && !stackFile) throw new Error(`a fix the test cannot follow as written: create ${create}`);
        if (stackFile) files[stackFile] = { config: { "aws:region": files["Pulumi.root.yaml"]?.config?.["aws:region"] ?? "us-east-1" } };
    } else {
        delete container(false)[rest];
    }
    writeFiles(dir, files);
}

/**
 * Applies the first fix of every problem, again while problems remain (a fix that adds a stage is followed by the
 * program's next fix, placing it in a unit), at most `rounds` times; returns the problems left.
 */
export function applyFixesUntilValid(dir: string, fill: Record<string, string> = {}, rounds = 3): string[] {
    for (let round = 0; round < rounds; round++) {
        const problems = projectProblems(dir);
        if (problems.length === 0) return [];
        for (const problem of problems) applyFix(dir, fixOf(problem), { fill });
    }
    return projectProblems(dir);
}
