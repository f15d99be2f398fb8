// `npm run -s deploy -- stacks --json`: what the GitHub workflows need to know about the project's stacks, from the
// program's own config, so no workflow holds an account id, a namespace or a role ARN. Needs no Pulumi CLI and no
// credentials: it only reads Pulumi.yaml and the Pulumi.<stack>.yaml files.
import { pipelineOf, StackPipeline } from "../components/deploymentSettings";
import { TESTING_STAGE, validateConfig } from "../config";
import { DEFAULT_ORGANIZATION, ProjectFiles, stackConfig, stacksInDeployOrder } from "../offline/engine";
import { deployerRoleName, previewerRoleName } from "../policies";

export interface StackEntry extends StackPipeline {
    stage: string;
    region: string;
    /** The admin role the stack's deploy job assumes, in the GitHub environment named after the stack. */
    deployerRoleArn: string;
    /** The read-only role the stack's pull-request preview assumes. */
    previewerRoleArn: string;
}

export interface StacksDocument {
    /** Every stage's stack, in deploy order. */
    stacks: StackEntry[];
    /** The stacks by deploy wave, always MAX_DEPLOY_WAVES of them (the last may be empty): a wave deploys after every earlier wave. */
    waves: StackEntry[][];
}

/** The most waves the stack graph makes (org, audit, then the workload stages, then root): deploy.yml has one job per wave. */
export const MAX_DEPLOY_WAVES = 4;

export function describeStacks(project: ProjectFiles): StacksDocument {
    const entryOf = (stack: string): StackEntry => {
        // The same validation the program runs, so a bad config fails here with the same message, before any job starts.
        const config = validateConfig({ organization: DEFAULT_ORGANIZATION, project: project.name, stack, values: stackConfig(project, stack) });
        const iamRole = (name: string) => `arn:${config.partition}:iam::${config.accountId}:role/${name}`;
        const [pipeline] = pipelineOf([{ stage: config.stage, protect: config.protect }], TESTING_STAGE);
        return { ...pipeline, stage: config.stage, region: config.region, deployerRoleArn: iamRole(deployerRoleName(config.namePrefix)), previewerRoleArn: iamRole(previewerRoleName(config.namePrefix)) };
    };
    const waves = stacksInDeployOrder(project).map((wave) => wave.map(entryOf));
    if (waves.length > MAX_DEPLOY_WAVES) throw new Error(`The stacks deploy in ${waves.length} waves; .github/workflows/deploy.yml runs at most ${MAX_DEPLOY_WAVES}: add a wave job to it`);
    // deploy.yml has one job per wave, each skipped when its wave is empty.
    return { stacks: waves.flat(), waves: [...waves, ...Array.from({ length: MAX_DEPLOY_WAVES - waves.length }, () => [])] };
}
