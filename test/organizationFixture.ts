// The create-accounts fixture the organization tests run on (test/fixtures/create-accounts: no account id in any
// file), read once for both organization test files.
import * as path from "path";
import type { StackEvaluation } from "../src/offline/engine";
import { ProjectFiles, readProject } from "../src/project";
import { organizationAt } from "./harness";

export const FIXTURE_DIR = path.join(__dirname, "fixtures", "create-accounts");
export const fixture: ProjectFiles = readProject(FIXTURE_DIR);
export const fixtureAccounts = JSON.parse(fixture.projectConfig["refarch:accounts"]) as Record<string, { email: string }>;
export const fixtureUnits = (JSON.parse(fixture.projectConfig["refarch:awsOrganization"]) as { units: Record<string, string[]> }).units;
export const memberStages = Object.keys(fixtureAccounts).filter((s) => s !== "root");

export const fixtureStacks = () => organizationAt(FIXTURE_DIR).evaluations();
export async function fixtureStack(stack: string): Promise<StackEvaluation> {
    const e = (await fixtureStacks()).get(stack)!;
    if (e.error) throw e.error;
    return e;
}

export const providerOf = (e: StackEvaluation) => e.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws")!;
export const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

/** Every fixture stack's outputs, keyed as StackReferences name them. */
export async function deployedFixtureOutputs(): Promise<Record<string, Record<string, unknown>>> {
    return Object.fromEntries([...(await fixtureStacks()).values()].map((e) => [`acme-org/${fixture.name}/${e.stack}`, e.outputs]));
}
