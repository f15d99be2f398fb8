// Pulumi Cloud's resources (the pulumiservice provider).
import type { ResourceMock } from "./context";

export const pulumiServiceResources: Record<string, ResourceMock> = {
    // Pulumi Cloud's id of a stack's deployment settings is `<org>/<project>/<stack>` (the provider's import id).
    "pulumiservice:index:DeploymentSettings": (inputs) => ({ id: `${inputs.organization}/${inputs.project}/${inputs.stack}`, state: inputs }),
    // Ids as pulumi/pulumi-pulumiservice's provider forms them (provider/pkg/resources): an issuer is `<org>/<issuer id>`,
    // the id Pulumi Cloud generates on registration (a stable UUID here); a team `<org>/<name>` (team.go); a team's grant
    // on a stack `<org>/<project>/<stack>/<team>` (team_stack_perm.go).
    "pulumiservice:index:OidcIssuer": (inputs, resource) => ({ id: `${inputs.organization}/${resource.uuid}`, state: { thumbprints: [], ...inputs } }),
    "pulumiservice:index:Team": (inputs) => ({ id: `${inputs.organizationName}/${inputs.name}`, state: { displayName: inputs.name, members: [], ...inputs } }),
    "pulumiservice:index:TeamStackPermission": (inputs) => ({ id: `${inputs.organization}/${inputs.project}/${inputs.stack}/${inputs.team}`, state: inputs }),
};
