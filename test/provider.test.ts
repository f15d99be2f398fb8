// Every stack deploys through one explicit AWS provider that the program builds from refarch:accounts and
// aws:region, so an account id is written once (Pulumi.yaml) and a stack run with another account's
// credentials fails. Pulumi.yaml turns the default aws provider off, so nothing can bypass it.
import { expect } from "chai";
import { org } from "./harness";
import { stackConfig } from "../src/project";

const PROVIDER = "pulumi:providers:aws";

describe("the stack's AWS provider", () => {
    it("Pulumi.yaml disables the default aws provider for every stack", () => {
        expect(JSON.parse(org.project.projectConfig["pulumi:disable-default-providers"] ?? "[]")).to.include("aws");
    });

    it("every stack has one provider guarded to its stage's account, in its region; every AWS resource goes through it or a guarded one of its components", async () => {
        for (const [stack, evaluation] of await org.evaluations()) {
            expect(evaluation.error, stack).to.equal(undefined);
            const config = stackConfig(org.project, stack);
            // A created account's id comes from the org stack. The org stack itself deploys into the management account,
            // root's: with root given as { email }, no id exists before the organization does, so it has no guard to set.
            const guard = org.kindOf(stack) === "organization" && org.writtenAccountOf(stack) === undefined ? undefined : [org.accountOf(stack)];
            // Not counted: a created account's `credentials` provider, which only asks STS whose credentials the deploy
            // holds (organization.test.ts proves nothing is deployed through it).
            const providers = evaluation.resources.filter((r) => r.type === PROVIDER && r.name !== "credentials");
            const own = providers.filter((p) => p.parent === "" || p.parent.endsWith(`::pulumi:pulumi:Stack::${org.name}-${stack}`));
            expect(own, stack).to.have.length(1);
            expect(own[0].inputs.region, stack).to.equal(config["aws:region"]);
            for (const provider of providers) {
                const allowed = provider.inputs.allowedAccountIds === undefined ? undefined : JSON.parse(String(provider.inputs.allowedAccountIds));
                expect(allowed, `${stack}: ${provider.name}`).to.deep.equal(guard);
            }
            const awsResources = evaluation.resources.filter((r) => r.custom && !r.read && r.type.startsWith("aws:"));
            expect(awsResources.length, stack).to.be.greaterThan(0);
            for (const r of awsResources) expect(providers.some((p) => r.provider.startsWith(`${p.urn}::`)), `${stack}: ${r.type} ${r.name} via ${r.provider}`).to.equal(true);
        }
    });

    it("no stack file repeats an account's id or email: each is written once, in Pulumi.yaml", () => {
        const written = [...Object.values(org.accounts), ...Object.values(org.accountEmails)];
        expect(written.length).to.be.greaterThan(0);
        for (const [stack, values] of Object.entries(org.project.stackConfigs)) {
            for (const [key, value] of Object.entries(values)) for (const account of written) expect(value, `Pulumi.${stack}.yaml ${key}`).not.to.include(account);
        }
    });
});
