// Running the plan CLI on the project under test, and copies of a project edited as a user would.
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { scratchDir } from "../scratch";
import { org, Organization } from "./organization";
import { PlanResult, planWith, repoRoot } from "./shared";

/** `npm start` with these arguments, through the real CLI entry, on the project under test unless they name another with --project. */
export function runPlan(...argv: string[]): Promise<PlanResult> {
    return planWith(argv.includes("--project") ? argv : ["--project", org.dir, ...argv]);
}

/** A new directory holding the files of an organization's plan (of.plan(), the organization under test's by default), as a plan run wrote them; it must have succeeded. */
export async function copyOfPlan(of: Organization = org): Promise<string> {
    const { result, out } = await of.plan();
    expect(result.code, result.stderr).to.equal(0);
    const copy = path.join(scratchDir("refarch-plan-copy-"), "plan");
    fs.cpSync(out, copy, { recursive: true });
    return copy;
}

/** A Pulumi.yaml or Pulumi.<stack>.yaml as js-yaml reads it. */
export type ProjectFile = { config: Record<string, any>; [key: string]: any };

/** A copy of a project's Pulumi*.yaml files (the project under test by default), running this checkout's program, edited by `edit`. */
export function editedProject(edit: (files: Record<string, ProjectFile>) => void, from = org.dir, dir = scratchDir("refarch-project-")): string {
    const files: Record<string, ProjectFile> = Object.fromEntries(
        fs
            .readdirSync(from)
            .filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))
            .map((f) => [f, (yaml.load(fs.readFileSync(path.join(from, f), "utf8")) ?? {}) as ProjectFile]),
    );
    files["Pulumi.yaml"].main = path.join(repoRoot, "src", "index.ts");
    edit(files);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), yaml.dump(content));
    return dir;
}

