// The Pulumi program: validate this stack's config (nothing is created if it is wrong), then build its
// stage from the stage table. Pulumi calls the exported function and exports what it returns.
import { loadConfig } from "./config";
import { defineStack } from "./stages";

export = () => defineStack(loadConfig());
