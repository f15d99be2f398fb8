// The project's Pulumi files as Pulumi reads them: Pulumi.yaml and one Pulumi.<stack>.yaml per stack, each
// config value a string. The deploy tool, the offline plan and the tests all read the project through here.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ROOT_STAGE, stackKeysInProject, unknownKeysInProject } from "../config";
import { projectStages } from "./stackGraph";

export interface ProjectFiles {
    dir: string;
    name: string;
    /** The program's entry point as Pulumi.yaml's `main` names it, relative to `dir`; unset means the directory itself. */
    main?: string;
    /** Project-level config of Pulumi.yaml, as Pulumi hands it to a program: key -> string. */
    projectConfig: Record<string, string>;
    /** stack -> its own Pulumi.<stack>.yaml config, key -> string. */
    stackConfigs: Record<string, Record<string, string>>;
}

/** Problems with the project's files themselves, found before any stack runs: each names the file and the fix. */
export class ProjectFilesError extends Error {
    constructor(readonly problems: string[]) {
        super(`The project's Pulumi files have ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was evaluated:\n` + problems.map((p, i) => `  ${i + 1}. ${p}`).join("\n"));
        this.name = "ProjectFilesError";
    }
}

/** Reads Pulumi.yaml and every Pulumi.<stack>.yaml beside it; throws one ProjectFilesError for syntax errors, per-stack keys in Pulumi.yaml and stages with no stack file. */
export function readProject(dir: string): ProjectFiles {
    const problems: string[] = [];
    const load = (file: string): any => {
        try {
            return yaml.load(fs.readFileSync(path.join(dir, file), "utf8")) ?? {};
        } catch (err) {
            if (!(err instanceof yaml.YAMLException)) throw err;
            const { line, column } = err.mark ?? { line: 0, column: 0 };
            problems.push(`${file}: line ${line + 1}, column ${column + 1}: not valid YAML: ${err.reason}. Fix: correct ${file} at that place (an unclosed [ or {, or a tab used for indentation, are the usual causes)`);
            return {};
        }
    };
    const project = load("Pulumi.yaml") as { name: string; main?: string; config?: Record<string, unknown> };
    const projectConfig: Record<string, string> = {};
    for (const [key, declared] of Object.entries(project.config ?? {})) {
        // A project-level entry is either a bare value or { value } / { default } (with type, description).
        const value = isRecord(declared) && ("value" in declared || "default" in declared) ? (declared.value ?? declared.default) : declared;
        projectConfig[qualify(project.name, key)] = configString(value);
    }
    const stackConfigs: Record<string, Record<string, string>> = {};
    for (const file of fs.readdirSync(dir).sort()) {
        const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
        if (!match) continue;
        if (match[1].endsWith(".deploy")) {
            // Pulumi CLI 3.251.0 removed these files and `pulumi deployment settings push` (pulumi/pulumi#23480): left in
            // place, one would look applied while Pulumi Cloud holds something else.
            problems.push(
                `${file}: the Pulumi CLI no longer reads deployment-settings files (removed in 3.251.0); each stage's stack now manages its Pulumi Deployments settings itself (refarch:deployments, docs/config.md). Fix: delete ${file}`,
            );
            continue;
        }
        const parsed = load(file) as { config?: Record<string, unknown> };
        stackConfigs[match[1]] = Object.fromEntries(Object.entries(parsed.config ?? {}).map(([k, v]) => [qualify(project.name, k), configString(v)]));
    }
    const files: ProjectFiles = { dir, name: project.name, main: project.main, projectConfig, stackConfigs };
    problems.push(...unknownKeysInProject(projectConfig), ...stackKeysInProject(projectConfig, stackConfigs), ...stagesWithoutStack(files));
    if (problems.length > 0) throw new ProjectFilesError(problems);
    return files;
}

/** A stage of refarch:accounts needs its own stack: the other stages read its outputs through a StackReference named after it. */
function stagesWithoutStack(project: ProjectFiles): string[] {
    const accounts = configJson(project.projectConfig["refarch:accounts"]);
    if (!isRecord(accounts)) return [];
    const stacks = Object.keys(project.stackConfigs);
    const region = project.stackConfigs[stacks.find((s) => s === ROOT_STAGE) ?? stacks[0]]?.["aws:region"] ?? "us-east-1";
    const howTo = (stage: string) => `Fix: create Pulumi.${stage}.yaml with these two lines (any region you like):\n       config:\n         aws:region: ${region}\n    `;
    return stagesOf(project)
        .filter((stage) => !(stage in project.stackConfigs))
        .map((stage) =>
            stage in accounts
                ? `Pulumi.yaml: refarch:accounts.${stage}: stage "${stage}" has no stack file, so no stack deploys its account. ${howTo(stage)} or remove ${stage} from refarch:accounts in Pulumi.yaml`
                : `Pulumi.yaml: refarch:accounts: accounts to create, or refarch:awsOrganization, need the "${stage}" stack that manages the AWS Organization, and it has no stack file. ${howTo(stage)} in the management account's region`,
        );
}

/** The stages that have a stack: those of refarch:accounts, and `org` when the program manages the AWS Organization. */
export function stagesOf(project: ProjectFiles): string[] {
    return projectStages(configJson(project.projectConfig["refarch:accounts"]), configJson(project.projectConfig["refarch:awsOrganization"]));
}

/** A stack's effective config: project-level values overridden by the stack's own. */
export function stackConfig(project: ProjectFiles, stack: string): Record<string, string> {
    return { ...project.projectConfig, ...(project.stackConfigs[stack] ?? {}) };
}

/** The stage a stack deploys, as the program decides it. */
export function stageOfStack(config: Record<string, string>, stack: string): string {
    return config["refarch:stage"] ?? stack;
}

/** A config value Pulumi handed over as JSON text, parsed; undefined when it is unset or not JSON. */
export function configJson(text: string | undefined): any {
    try {
        return text === undefined ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

export function isRecord(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function qualify(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** Pulumi hands config to programs as strings: text as is, everything else as JSON. */
function configString(value: unknown): string {
    if (isRecord(value) && "secure" in value) return "[secret]";
    return typeof value === "string" ? value : JSON.stringify(value);
}
