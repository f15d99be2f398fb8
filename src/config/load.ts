// The one place the program reads the Pulumi runtime's config: everything else goes through validateConfig.
import * as pulumi from "@pulumi/pulumi";
import type { RefarchConfig } from "./types";
import { validateConfig } from "./validate";

/** Reads this stack's config from the Pulumi runtime and validates it. */
export function loadConfig(): RefarchConfig {
    return validateConfig({
        organization: pulumi.getOrganization(),
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        values: pulumi.runtime.allConfig(),
    });
}
