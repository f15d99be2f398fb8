// Records every registration a program makes, with the options the mock provider never sees (protect,
// dependsOn, ignoreChanges, ...), by standing in front of the SDK's mock monitor.
import * as pulumi from "@pulumi/pulumi";
import type { AwsMocks } from "./awsMocks";

export interface RecordedResource {
    urn: string;
    /** The id the provider gave it; "" for components and reads. */
    id: string;
    type: string;
    name: string;
    /** True for a resource the provider manages; false for a component. */
    custom: boolean;
    /** The parent's URN, or "" for the stack's own children. */
    parent: string;
    inputs: Record<string, unknown>;
    /** What the mock provider returned: the inputs plus computed attributes such as `arn`. */
    state: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    /** The `ignoreChanges` option: input properties a deploy never updates once the resource exists (or is imported). */
    ignoreChanges: string[];
    /** The `deleteBeforeReplace` option: a replacement deletes the old resource before creating the new one. */
    deleteBeforeReplace: boolean;
    dependsOn: string[];
    /** True for a resource read rather than created (StackReferences). */
    read: boolean;
    /** The provider it is made through, `<provider urn>::<id>`; "" for components and default providers. */
    provider: string;
    /** The `import` option: the id of an existing cloud resource this registration adopts; "" when it creates one. */
    importId: string;
    /** Output properties the resource's SDK asks Pulumi to keep secret (RandomPassword's `result`), which the mocks return in the clear. */
    additionalSecretOutputs: string[];
    /** What a component registered as its outputs (`registerOutputs`), which Pulumi keeps in the state; {} until it does, and for custom resources. */
    outputs: Record<string, unknown>;
}

type Callback = (err: unknown, resp: any) => void;
type MonitorMethod = (req: any, callback: Callback) => unknown;

/**
 * Installs the mocks, then a recorder in front of the SDK's mock monitor through the public setMockOptions, which takes
 * any monitor. The stack asks the monitor for its features as it starts (runtime/settings.js setRootResource), so they stay the mock's.
 */
export async function recordRegistrations(mocks: AwsMocks, project: string, stack: string, organization: string): Promise<RecordedResource[]> {
    await pulumi.runtime.setMocks(mocks, project, stack, false, organization);
    const mockMonitor = pulumi.runtime.getMonitor() as unknown as Record<string, MonitorMethod>;
    const recorded: RecordedResource[] = [];
    const recording: Record<string, MonitorMethod> = {
        registerResource: (req, callback) => record(mockMonitor.registerResource.bind(mockMonitor), req, callback, false),
        readResource: (req, callback) => record(mockMonitor.readResource.bind(mockMonitor), req, callback, true),
        // A component's registerOutputs reaches the monitor once its URN is known, so its entry is recorded by then.
        registerResourceOutputs: (req, callback) => {
            const entry = recorded.find((r) => r.urn === req.getUrn());
            if (entry) entry.outputs = pulumi.runtime.deserializeProperties(req.getOutputs());
            return mockMonitor.registerResourceOutputs(req, callback);
        },
    };
    // Every other call (invokes, features, packages, and any a newer SDK adds) goes to the mock monitor as it is.
    const monitor = new Proxy(mockMonitor, {
        get: (target, method: string) => recording[method] ?? (typeof target[method] === "function" ? target[method].bind(target) : target[method]),
    });
    pulumi.runtime.setMockOptions(monitor, project, stack, false, organization);

    function record(register: MonitorMethod, req: any, callback: Callback, read: boolean): unknown {
        const entry: RecordedResource = {
            urn: "",
            id: "",
            type: req.getType(),
            name: req.getName(),
            custom: read || req.getCustom(),
            parent: req.getParent(),
            inputs: {},
            state: {},
            protect: read ? false : req.getProtect() === true,
            retainOnDelete: read ? false : req.getRetainondelete() === true,
            ignoreChanges: read ? [] : req.getIgnorechangesList(),
            deleteBeforeReplace: read ? false : req.getDeletebeforereplace() === true,
            dependsOn: read ? [] : req.getDependenciesList(),
            read,
            provider: req.getProvider() ?? "",
            importId: read ? "" : (req.getImportid() ?? ""),
            additionalSecretOutputs: read ? [] : req.getAdditionalsecretoutputsList(),
            outputs: {},
        };
        // The mock monitor hands newResource the inputs it deserialized before its first await, so they are there as
        // soon as it returns and need no second deserializing; a monitor that calls the mocks later gets one here.
        mocks.lastInputs = undefined;
        const pending = register(req, (err: unknown, resp: any) => {
            if (!err) {
                entry.urn = resp.getUrn();
                entry.id = read ? "" : (resp.getId?.() ?? "");
                entry.state = pulumi.runtime.deserializeProperties(read ? resp.getProperties() : resp.getObject());
                recorded.push(entry);
            }
            callback(err, resp);
        });
        entry.inputs = mocks.lastInputs ?? pulumi.runtime.deserializeProperties(read ? req.getProperties() : req.getObject());
        mocks.lastInputs = undefined;
        return pending;
    }
    return recorded;
}
