// Pulumi Cloud's resources (the pulumiservice provider).
import type { ResourceMock } from "./context";

export const pulumiServiceResources: Record<string, ResourceMock> = {
    // Pulumi Cloud's id of a stack's deployment settings is `<org>/<project>/<stack>` (the provider's import id).
    "pulumiservice:index:DeploymentSettings": (inputs) => ({ id: `${inputs.organization}/${inputs.project}/${inputs.stack}`, state: inputs }),
};
