// refarch:deployments: the settings of each stack's StackDeploymentSettings component (Pulumi.yaml).
import { z } from "zod";
import { area, flag, hint } from "../schema";


export const deploymentsSettings = area(
    "refarch:deployments",
    "project",
    z.strictObject(
        {
            /** Whether each stage's stack manages its Pulumi Deployments settings (needs refarch:deployer.githubRepository). */
            enabled: flag(true).default(true),
            /** The branch Pulumi Deployments runs from, and merges to which deploy. */
            branch: z
                .string(hint("must be a branch name", '"main"'))
                .regex(/^[A-Za-z0-9._\/-]+$/, hint("must be a branch name: letters, digits, '.', '_', '/' and '-'", '"main"'))
                .refine((branch) => !branch.startsWith("refs/"), hint("must be a branch name, without refs/heads/", '"main"'))
                .default("main"),
        },
        hint("must be { enabled?, branch? }", '{ branch: "main" }'),
    ).prefault({}),
);
export type DeploymentsSettings = z.infer<typeof deploymentsSettings.schema>;
