// The one test harness: every test evaluates the real program through the offline engine (the same module
// `npm start` plans with), on a real project's Pulumi.yaml and Pulumi.<stack>.yaml files; see organization.ts.
import type { StackEvaluation } from "../../src/offline/engine";
import { ProjectFiles, stackConfig } from "../../src/project";
import { Changes, org } from "./organization";
export { asList } from "../../src/policies";
export { oncePerMutant } from "../oncePerMutant";
export { scratchDir } from "../scratch";
export * from "./delivery";
export * from "./organization";
export * from "./projects";
export * from "./proofs";
export * from "./resources";
export { PlanResult, program, repoRoot, sharedDecision, sharedEvaluation } from "./shared";
export * from "./tools";
export * from "./variants";

// Old names, still imported by older test files; new tests use `org`.
export const project: ProjectFiles = org.project;
/** @deprecated org.stacks: the stacks with a Pulumi.<stack>.yaml, not a list of the sample's. */
export const SHIPPED_STACKS = org.stacks;
export const shippedStack = (stack: string): Promise<StackEvaluation> => org.evaluation(stack);
export const refused = (stack: string, changes: Changes): Promise<string> => org.refused(stack, changes);
/** A stack's config value as the program receives it, parsed. */
export function configValue<T>(stack: string, key: string): T {
    return JSON.parse(stackConfig(project, stack)[key]) as T;
}
