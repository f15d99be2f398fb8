// `npm run -s deploy -- stacks --json`: what the GitHub workflows need to know about the project's stacks, from the
// program's own config, so no workflow holds an account id, a namespace or a role ARN. It reads Pulumi.yaml and the
// Pulumi.<stack>.yaml files; only when an account is given as `{ email }` (created by the org stack, so its id
// exists nowhere in the files) does it also read the org stack's `accountIds` output, through the Pulumi CLI.
import * as path from "path";
import { parseArgs } from "util";
import { pipelineOf, StackPipeline } from "../components/deploymentSettings";
import { previewOf } from "../components/pulumiCloudAccess";
import { ORGANIZATION_STAGE, RefarchConfig, ROOT_STAGE, TESTING_STAGE, validateConfig } from "../config";
import { ProjectFiles, readProject, stackConfig, stacksInDeployOrder } from "../project";
import { deployerRoleName, deployTeam, PipelineTeams, pipelineTeams, previewEnvironment, previewerRoleName, roleArn } from "../policies";

export interface StackEntry extends StackPipeline {
    stage: string;
    region: string;
    /** The admin role the stack's deploy job assumes, in the GitHub environment named after the stack. */
    deployerRoleArn: string;
    /** The read-only role the stack's pull-request preview assumes. */
    previewerRoleArn: string;
    /** How a pull request previews it: openly, in a reviewed `preview-<stack>` environment, or not at all (refarch:pulumiCloud). */
    preview: "open" | "reviewed" | "off";
    /** The GitHub environment of a reviewed preview; "" otherwise. */
    previewEnvironment: string;
    /** The Pulumi team whose token the preview requests (`scope: team:<name>`): read-only. */
    previewTeam: string;
    /** The stack's Pulumi deploy team, whose token its deploy job requests: Write on this stack, granted only to its environment job on the deploy branch. */
    deployTeam: string;
}

export interface StacksDocument {
    /** Every stage's stack whose account exists, in deploy order. */
    stacks: StackEntry[];
    /** The stacks by deploy wave, always MAX_DEPLOY_WAVES of them (the last may be empty): a wave deploys after every earlier wave. */
    waves: StackEntry[][];
    /** Stacks left out of `stacks` and `waves`: their account is one the org stack has not created yet (it reports no id for it). */
    pending: { stack: string; why: string }[];
    /** The pull-request previews: `open` run on every pull request, `reviewed` each in its preview environment. */
    previews: { open: StackEntry[]; reviewed: StackEntry[] };
}

/** The most waves the stack graph makes (org, audit, org again, then the workload stages, then root): deploy.yml has one job per wave. */
export const MAX_DEPLOY_WAVES = 5;

/** The stage whose account a stack deploys into, and whose deployment roles run it: the org stack's is root's (the management account). */
const identityStage = (config: RefarchConfig): string => (config.stage === ORGANIZATION_STAGE ? ROOT_STAGE : config.stage);

/**
 * A stack's config as the program validates it, so a bad config fails here with the same message, before any job
 * starts. No entry depends on the Pulumi organization, which only the CLI's login knows: it is left empty.
 */
const configOf = (project: ProjectFiles, stack: string): RefarchConfig => validateConfig({ organization: "", project: project.name, stack, values: stackConfig(project, stack) });

/**
 * @param createdAccountIds the org stack's `accountIds` output (stage -> id), for the accounts given as `{ email }`;
 *   a stack whose account is missing from it is `pending`, not deployed.
 */
export function describeStacks(project: ProjectFiles, createdAccountIds: Record<string, string> = {}): StacksDocument {
    const pending: StacksDocument["pending"] = [];
    const entryOf = (stack: string): StackEntry[] => {
        const config = configOf(project, stack);
        const stage = identityStage(config);
        const accountId = config.accounts[stage] ?? createdAccountIds[stage];
        if (accountId === undefined) {
            pending.push({
                stack,
                why:
                    `the org stack reports no account id for stage "${stage}" in its accountIds output: the account is not created yet. ` +
                    `Once org has created it, deploy ${stack} once with the management account's credentials (npm run deploy -- up --stacks ${stack} --yes), which makes its deployer`,
            });
            return [];
        }
        const namePrefix = stage === config.stage ? config.namePrefix : `${config.namespace}-${stage}`;
        const [pipeline] = pipelineOf([{ stage: config.stage, protect: config.protect }], TESTING_STAGE);
        const teams = pipelineTeams(config.namespace);
        const preview = previewOf(config.stage, config.pulumiCloud.protectedPreviews);
        return [
            {
                ...pipeline,
                stage: config.stage,
                region: config.region,
                deployerRoleArn: roleArn(config.partition, accountId, deployerRoleName(namePrefix)),
                previewerRoleArn: roleArn(config.partition, accountId, previewerRoleName(namePrefix)),
                preview,
                previewEnvironment: preview === "reviewed" ? previewEnvironment(stack) : "",
                previewTeam: preview === "reviewed" ? teams.protectedPreview : teams.preview,
                deployTeam: deployTeam(teams, stack),
            },
        ];
    };
    const waves = stacksInDeployOrder(project)
        .map((wave) => wave.flatMap(entryOf))
        .filter((wave) => wave.length > 0);
    if (waves.length > MAX_DEPLOY_WAVES) throw new Error(`The stacks deploy in ${waves.length} waves; .github/workflows/deploy.yml runs at most ${MAX_DEPLOY_WAVES}: add a wave job to it`);
    // deploy.yml has one job per wave, each skipped when its wave is empty.
    // A stack that runs twice (org, again after audit) is listed once among the stacks.
    const stacks = waves.flat().filter((entry, i, all) => all.findIndex((e) => e.stack === entry.stack) === i);
    return {
        stacks,
        waves: [...waves, ...Array.from({ length: MAX_DEPLOY_WAVES - waves.length }, () => [])],
        pending,
        previews: { open: stacks.filter((s) => s.preview === "open"), reviewed: stacks.filter((s) => s.preview === "reviewed") },
    };
}

/** The pipeline's Pulumi team names, from Pulumi.yaml alone (no CLI): stacks.yml needs one before it can log in. */
export function teamsOf(project: ProjectFiles): PipelineTeams {
    const [first] = stacksInDeployOrder(project).flat();
    if (first === undefined) throw new Error("the project has no stack: add a Pulumi.<stack>.yaml");
    return pipelineTeams(configOf(project, first).namespace);
}

/** Runs the Pulumi CLI with these arguments in a directory and returns its stdout; throws (with `stderr`) when it fails. */
export type PulumiCliRunner = (args: string[], cwd: string) => string;

/**
 * The org stack's `accountIds` output, read as `pulumi stack output accountIds --json --stack <org stack>`
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_output/: with a property name, just its value).
 * The stack is named as the workflows' `pulumi preview` names stacks, `<PULUMI_ORG>/org`, when the Pulumi
 * organization is known (refarch:organization, else $PULUMI_ORG), else `org` in the CLI's default organization.
 */
export function readCreatedAccountIds(project: ProjectFiles, run: PulumiCliRunner, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const organization = project.projectConfig["refarch:organization"] ?? env.PULUMI_ORG;
    const stack = organization ? `${organization}/${ORGANIZATION_STAGE}` : ORGANIZATION_STAGE;
    const ids = JSON.parse(run(["stack", "output", "accountIds", "--json", "--stack", stack], project.dir)) as unknown;
    if (typeof ids !== "object" || ids === null || Array.isArray(ids) || Object.values(ids).some((id) => typeof id !== "string")) {
        throw new Error(`pulumi stack output accountIds --stack ${stack} printed ${JSON.stringify(ids)}, not a map of stage to account id`);
    }
    return ids as Record<string, string>;
}

export const STACKS_USAGE = "usage: npm run -s deploy -- stacks --json [--project <dir>]\n       npm run -s deploy -- stacks --team <preview|protectedPreview> [--project <dir>]";

/**
 * The `stacks` command: prints the StacksDocument as one line of JSON and returns 0; 2 on bad arguments, a bad
 * config, or created accounts whose ids the org stack's outputs cannot give. Stacks left `pending` are named on err.
 */
export function stacksCommand(
    argv: string[],
    io: { projectDir: string; out: (text: string) => void; err: (text: string) => void; pulumi: PulumiCliRunner; env?: NodeJS.ProcessEnv },
): number {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, strict: true, options: { json: { type: "boolean" }, project: { type: "string" }, team: { type: "string" } } });
    } catch (err) {
        io.err(`${(err as Error).message}\n${STACKS_USAGE}`);
        return 2;
    }
    const team = parsed.values.team;
    if (team !== undefined) {
        try {
            const { preview, protectedPreview } = teamsOf(readProject(path.resolve(io.projectDir, parsed.values.project ?? ".")));
            const named: Record<string, string> = { preview, protectedPreview };
            if (!(team in named)) {
                io.err(`--team ${team} is not one of the pipeline's read-only teams (valid: ${Object.keys(named).join(", ")}; a stack's deploy team is in stacks --json)\n${STACKS_USAGE}`);
                return 2;
            }
            io.out(named[team]);
            return 0;
        } catch (err) {
            io.err((err as Error).message);
            return 2;
        }
    }
    if (!parsed.values.json) {
        io.err(STACKS_USAGE);
        return 2;
    }
    try {
        const project = readProject(path.resolve(io.projectDir, parsed.values.project ?? "."));
        // From the files alone first: only an account given as `{ email }` leaves a stack pending, and needs org's outputs.
        let described = describeStacks(project);
        if (described.pending.length > 0) {
            try {
                described = describeStacks(project, readCreatedAccountIds(project, io.pulumi, io.env));
            } catch (err) {
                const cliError = (err as { stderr?: string }).stderr?.trim();
                io.err(`stacks --json reads the ids of the accounts the org stack created from its accountIds output, and could not: ${cliError || (err as Error).message}`);
                // The CLI ran and failed: most often the org stack has no outputs yet.
                if (cliError !== undefined) {
                    io.err("If the org stack has never been deployed, deploy it once with the management account's credentials: npm run deploy -- up --stacks org --yes (docs/organization.md: A new organization, step by step).");
                }
                return 2;
            }
        }
        for (const { stack, why } of described.pending) io.err(`stacks --json: ${stack} is left out: ${why}`);
        io.out(JSON.stringify(described));
        return 0;
    } catch (err) {
        io.err((err as Error).message);
        return 2;
    }
}
