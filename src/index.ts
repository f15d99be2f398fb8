// The Pulumi program: validate this stack's config (nothing is created if it is wrong), fill in the ids of
// accounts the org stack created, then build its stage from the stage table. Pulumi calls the exported
// function and exports what it returns.
import { resolveAccounts } from "./accountIds";
import { loadConfig } from "./config";
import { defineStack } from "./stages";

export = async () => defineStack(await resolveAccounts(loadConfig()));
