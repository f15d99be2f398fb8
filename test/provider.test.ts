// Every stack deploys through one explicit AWS provider that the program builds from refarch:accounts and
// aws:region, so an account id is written once (Pulumi.yaml) and a stack run with another account's
// credentials fails. Pulumi.yaml turns the default aws provider off, so nothing can bypass it.
import { expect } from "chai";
import { org } from "./harness";
import { stackConfig } from "../src/offline/engine";

const PROVIDER = "pulumi:providers:aws";

describe("the stack's AWS provider", () => {
    it("Pulumi.yaml disables the default aws provider for every stack", () => {
        expect(JSON.parse(org.project.projectConfig["pulumi:disable-default-providers"] ?? "[]")).to.include("aws");
    });

    it("every stack has one provider guarded to its stage's account, in its region; every AWS resource goes through it or a guarded one of its components", async () => {
        for (const [stack, evaluation] of await org.evaluations()) {
            expect(evaluation.error, stack).to.equal(undefined);
            const config = stackConfig(org.project, stack);
            const account = JSON.parse(config["refarch:accounts"])[evaluation.stage];
            const providers = evaluation.resources.filter((r) => r.type === PROVIDER);
            const own = providers.filter((p) => p.parent === "" || p.parent.endsWith(`::pulumi:pulumi:Stack::${org.name}-${stack}`));
            expect(own, stack).to.have.length(1);
            expect(own[0].inputs.region, stack).to.equal(config["aws:region"]);
            for (const provider of providers) expect(JSON.parse(String(provider.inputs.allowedAccountIds)), `${stack}: ${provider.name}`).to.deep.equal([account]);
            const awsResources = evaluation.resources.filter((r) => r.custom && !r.read && r.type.startsWith("aws:"));
            expect(awsResources.length, stack).to.be.greaterThan(0);
            for (const r of awsResources) expect(providers.some((p) => r.provider.startsWith(`${p.urn}::`)), `${stack}: ${r.type} ${r.name} via ${r.provider}`).to.equal(true);
        }
    });

    it("no stack file repeats an account id: each is written once, in Pulumi.yaml", () => {
        const ids = Object.values(JSON.parse(org.project.projectConfig["refarch:accounts"]) as Record<string, string>);
        for (const [stack, values] of Object.entries(org.project.stackConfigs)) {
            for (const [key, value] of Object.entries(values)) for (const id of ids) expect(value, `Pulumi.${stack}.yaml ${key}`).not.to.include(id);
        }
    });
});
