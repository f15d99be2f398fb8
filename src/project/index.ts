// The project model: its Pulumi files, the stage graph and the deploy order. The deploy tool and the offline
// engine both read the project through here, so the order `pulumi up` runs in is the one the plan shows.
export { configJson, isRecord, ProjectFiles, ProjectFilesError, readProject, stackConfig, stageOfStack, stagesOf } from "./files";
export { stacksInDeployOrder, stacksWithDependencies } from "./deployOrder";
export { deployWaves, describeDeployOrder, laterReads, projectStages, stageDependencies } from "./stackGraph";
