// The mock provider: answers each registration and invoke as AWS (and the other providers) would, from the
// service families' tables under mocks/, with ARNs in the stack's own account and the region of the provider
// used. An invoke it does not know fails loudly instead of returning something made up.
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../config";
import { accountServiceResources } from "./mocks/accountServices";
import { acmResources } from "./mocks/acm";
import { awsProviderInvokes } from "./mocks/awsProvider";
import { InvokeMock, MockOrganization, MockResource, resourceContext, ResourceMock } from "./mocks/context";
import { ec2Resources } from "./mocks/ec2";
import { iamInvokes, iamResources } from "./mocks/iam";
import { kmsResources } from "./mocks/kms";
import { organizationsInvokes, organizationsResources } from "./mocks/organizations";
import { pulumiServiceResources } from "./mocks/pulumiService";
import { randomResources } from "./mocks/random";
import { rdsResources } from "./mocks/rds";
import { s3Resources } from "./mocks/s3";

const RESOURCE_MOCKS: Record<string, ResourceMock> = {
    ...iamResources,
    ...s3Resources,
    ...kmsResources,
    ...organizationsResources,
    ...ec2Resources,
    ...rdsResources,
    ...acmResources,
    ...accountServiceResources,
    ...randomResources,
    ...pulumiServiceResources,
};

const INVOKE_MOCKS: Record<string, InvokeMock> = { ...awsProviderInvokes, ...iamInvokes, ...organizationsInvokes };

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** What exists around a stack before it runs: the account, the credentials, and the other stacks' outputs. */
export interface MockSurroundings {
    accountId: string;
    stackRegion: string;
    /** `<org>/<project>/<stack>` -> outputs, for StackReferences. */
    deployedOutputs: Record<string, Record<string, unknown>>;
    /** `pulumi:disable-default-providers` names aws: as the engine does, refuse an aws resource or invoke with no explicit provider. */
    explicitAwsProvider: boolean;
    accountRoles: string[];
    credentialsAccount: string;
    existingOrganization?: MockOrganization;
    organizationReadError?: string;
}

export class AwsMocks implements pulumi.runtime.Mocks {
    /** Explicit providers' ids -> their region, so a resource made through one gets ARNs in that region. */
    private readonly providerRegions = new Map<string, string>();
    /** Explicit providers that assume a role: through them the caller is the stack's account, not the credentials'. */
    private readonly assumingProviders = new Set<string>();

    /** The inputs of the registration being made, as the mock monitor deserialized them for newResource: the recorder keeps them. */
    lastInputs: Record<string, unknown> | undefined;

    constructor(private readonly surroundings: MockSurroundings) {}

    newResource(args: pulumi.runtime.MockResourceArgs): MockResource {
        this.lastInputs = args.inputs;
        const made = this.made(args);
        // An imported resource (the `import` option) keeps the id it was imported by.
        return args.id ? { ...made, id: args.id } : made;
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        try {
            return this.answer(args);
        } catch (err) {
            // The SDK shows an invoke's failure by the gRPC error's `details`, as the engine reports a provider's error.
            throw Object.assign(err as Error, { details: `invocation of ${args.token} returned an error: ${(err as Error).message}` });
        }
    }

    private made(args: pulumi.runtime.MockResourceArgs): MockResource {
        if (args.custom !== false) this.requireProvider(args.type, args.provider);
        const inputs = args.inputs as Record<string, any>;
        const { accountId, stackRegion, deployedOutputs } = this.surroundings;
        const region = this.regionOf(args.provider);
        const resource = resourceContext(accountId, region, partitionOf(region), args.type, args.name);
        if (args.type === "pulumi:providers:aws") {
            const id = `${args.name}-${resource.digest.slice(0, 12)}`;
            this.providerRegions.set(id, String(inputs.region ?? stackRegion));
            if (inputs.assumeRoles !== undefined) this.assumingProviders.add(id);
            return { id, state: inputs };
        }
        if (args.type === STACK_REFERENCE_TYPE) {
            const name = String(inputs.name ?? args.name);
            return { id: name, state: { name, outputs: deployedOutputs[name] ?? {}, secretOutputNames: [] } };
        }
        const mock = RESOURCE_MOCKS[args.type];
        if (mock) return mock(inputs, resource);
        // Resources with no computed attribute the program reads: their id is their bucket, name or logical name.
        return { id: String(inputs.bucket ?? inputs.name ?? `${args.name}-${resource.digest.slice(0, 8)}`), state: inputs };
    }

    private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.requireProvider(args.token, args.provider);
        const mock = INVOKE_MOCKS[args.token];
        if (!mock) throw new Error(`The offline engine has no mock for invoke ${args.token}; add one to its service's table under src/offline/mocks/`);
        const { accountId, credentialsAccount, accountRoles, existingOrganization, organizationReadError } = this.surroundings;
        const region = this.regionOf(args.provider);
        // Through a provider that assumes a role, the caller is that role's account (the stack's); else the credentials'.
        const providerId = args.provider?.slice(args.provider.lastIndexOf("::") + 2);
        const callerAccount = providerId && !this.assumingProviders.has(providerId) ? credentialsAccount : accountId;
        return mock({ inputs: args.inputs, accountId, region, partition: partitionOf(region), callerAccount, accountRoles, existingOrganization, organizationReadError });
    }

    private requireProvider(token: string, provider: string | undefined): void {
        if (this.surroundings.explicitAwsProvider && token.startsWith("aws:") && !provider) {
            throw new Error(`${token} has no explicit AWS provider, and Pulumi.yaml disables the default one (pulumi:disable-default-providers): pass the stack's provider through { parent } or { provider }`);
        }
    }

    /** The region of the provider a resource is made through (`<provider urn>::<provider id>`), else the stack's. */
    private regionOf(provider: string | undefined): string {
        const id = provider?.slice(provider.lastIndexOf("::") + 2);
        return (id && this.providerRegions.get(id)) || this.surroundings.stackRegion;
    }
}
