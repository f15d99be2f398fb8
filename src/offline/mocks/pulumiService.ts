// Pulumi Cloud's resources (the pulumiservice provider).
import type { ResourceMock } from "./context";

export const pulumiServiceResources: Record<string, ResourceMock> = {
    // Pulumi Cloud's id of a stack's deployment settings is `<org>/<project>/<stack>` (the provider's import id).
    "pulumiservice:index:DeploymentSettings": (inputs) => ({ id: `${inputs.organization}/${inputs.project}/${inputs.stack}`, state: inputs }),
    // An issuer's id is the one Pulumi Cloud generates on registration: a stable UUID from the registration here.
    "pulumiservice:index:OidcIssuer": (inputs, resource) => ({ id: resource.uuid, state: { thumbprints: [], ...inputs } }),
    // A team is addressed by organization and name (/api/orgs/{org}/teams/{team}); a team's grant on a stack by both and the stack.
    "pulumiservice:index:Team": (inputs) => ({ id: `${inputs.organizationName}/${inputs.name}`, state: inputs }),
    "pulumiservice:index:TeamStackPermission": (inputs) => ({ id: `${inputs.organization}/${inputs.team}/${inputs.project}/${inputs.stack}`, state: inputs }),
};
