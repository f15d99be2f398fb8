// refarch:pulumiCloud: Pulumi Cloud access as code (the root stack's PulumiCloudAccess component, Pulumi.yaml): the GitHub
// OIDC issuer's policies and the pipeline's teams, and whether pull requests preview the protected stages.
import { z } from "zod";
import { area, flag, hint } from "../schema";

/** off: protected stages are never previewed on a pull request; reviewed: previewed in a `preview-<stack>` environment whose reviewers approve first. */
export const PROTECTED_PREVIEW_MODES = ["off", "reviewed"] as const;

export const pulumiCloudSettings = area(
    "refarch:pulumiCloud",
    "project",
    z.strictObject(
        {
            /** Whether root manages the issuer and teams (needs refarch:deployer.githubRepository; teams need Pulumi's Pro or Enterprise edition). */
            enabled: flag(true).default(true),
            /**
             * Pull-request previews of the protected stages (org, root, prod, audit). Default off: with no GitHub setup at all
             * nothing of theirs is read by a pull request; "reviewed" needs the preview-<stack> environments made first.
             */
            protectedPreviews: z.enum(PROTECTED_PREVIEW_MODES, hint(`must be one of ${PROTECTED_PREVIEW_MODES.join(", ")}`, '"off"')).default("off"),
        },
        hint("must be { enabled?, protectedPreviews? }", '{ protectedPreviews: "off" }'),
    ).prefault({}),
);
export type PulumiCloudSettings = z.infer<typeof pulumiCloudSettings.schema>;
