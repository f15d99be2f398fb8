// The one door to the IAM policy evaluator (@cloud-copilot/iam-simulate): a request and its policies in, AWS's
// decision out. A request it rejects as malformed throws, so a broken policy never passes as a safe one.
import type * as IamPolicy from "@cloud-copilot/iam-policy";
import type * as IamSimulate from "@cloud-copilot/iam-simulate";
import { asList, PolicyDocument, Statement } from "../policies";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface AccessRequest {
    /** An IAM ARN, a service principal (`cloudtrail.amazonaws.com`), or "anonymous" for an unsigned request. */
    principal: string;
    action: string;
    resource: string;
    /** The account that owns the resource: decides whether the request is cross-account. */
    resourceAccount: string;
    /** Request context, e.g. `aws:MultiFactorAuthPresent`, `aws:SourceArn`, `aws:SecureTransport`. */
    context?: Record<string, string | string[]>;
    /** The policies attached to the principal. */
    identityPolicies?: PolicyDocument[];
    /** The resource's own policy: a role's trust policy, a bucket or key policy. */
    resourcePolicy?: PolicyDocument;
    /** The principal's permissions boundary, if it has one (a role made with `permissionsBoundary`). */
    permissionBoundaries?: PolicyDocument[];
    /** The SCPs over the principal's account, one entry per level from the organization's root down to the account. */
    serviceControlPolicies?: { target: string; policies: PolicyDocument[] }[];
}

// Loaded at the first decision, not with this module: a plan that stops on bad config never pays for it.
let loaded: { simulate: typeof IamSimulate; policy: typeof IamPolicy } | undefined;
function load(): { simulate: typeof IamSimulate; policy: typeof IamPolicy } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded ??= { simulate: require("@cloud-copilot/iam-simulate") as typeof IamSimulate, policy: require("@cloud-copilot/iam-policy") as typeof IamPolicy };
    return loaded;
}

/** The simulator's decision on a request: decide() without any memo in front. */
export type Simulate = (request: AccessRequest) => Promise<Decision>;
/** How decide() reaches a decision, given the simulator: it asks it, unless decideThrough() put something in front. */
// Stryker disable next-line all: the program's own path, which no in-process test takes (the harness puts its memo in front); the tests that start `npm start` run it.
let reach: (request: AccessRequest, simulate: Simulate) => Promise<Decision> = (request, simulate) => simulate(request);

/** Puts `through` in front of the simulator; the test harness puts its memo of whole decisions there (test/harness/). */
export function decideThrough(through: (request: AccessRequest, simulate: Simulate) => Promise<Decision>): void {
    reach = through;
}

export function decide(request: AccessRequest): Promise<Decision> {
    return reach(request, simulate);
}

async function simulate(request: AccessRequest): Promise<Decision> {
    const { anonymousPrincipal, runSimulation } = load().simulate;
    const service = request.action.slice(0, request.action.indexOf(":"));
    const result = await runSimulation(
        {
            request: {
                principal: request.principal === "anonymous" ? anonymousPrincipal : request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.resourceAccount },
                contextVariables: request.context ?? {},
            },
            identityPolicies: forAction(request.identityPolicies ?? [], "identity", service, (i) => `identity-${i + 1}`),
            serviceControlPolicies: (request.serviceControlPolicies ?? []).map(({ target, policies }) => ({
                orgIdentifier: target,
                policies: forAction(policies, "scp", service, (i) => `${target}-scp-${i + 1}`),
            })),
            resourceControlPolicies: [],
            // Whole, never cut to the service: a boundary with no statement for it must still deny, not vanish.
            ...(request.permissionBoundaries && { permissionBoundaryPolicies: request.permissionBoundaries.map((d, i) => ({ name: `boundary-${i + 1}`, policy: prepared(d, "identity", () => d, "boundary")! })) }),
            resourcePolicy: request.resourcePolicy && prepared(request.resourcePolicy, "resource", () => withoutUnsimulatedConditions(request.resourcePolicy!)),
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`The IAM simulator refused ${request.action} on ${request.resource} by ${request.principal}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

type PolicyKind = "identity" | "scp" | "resource";
type Validated = IamPolicy.ValidatedPolicy;

/**
 * Each document is validated once however many requests use it: runSimulation takes a ValidatedPolicy as is
 * (iam-simulate 0.1.135 release notes). Keyed by the document object, never changed once parsed, then by kind and service.
 */
const validatedCache = new WeakMap<PolicyDocument, Map<string, Validated | null>>();

function prepared(document: PolicyDocument, kind: PolicyKind, variant: () => PolicyDocument | null, key: string = kind): Validated | null {
    let byKey = validatedCache.get(document);
    // Stryker disable next-line ConditionalExpression: a cache: validating again on every call decides the same.
    if (!byKey) validatedCache.set(document, (byKey = new Map()));
    // Stryker disable next-line ConditionalExpression: a cache: validating again on every call decides the same.
    if (!byKey.has(key)) {
        const { createValidatedPolicy, validateIdentityPolicy, validateServiceControlPolicy, validateResourcePolicy } = load().policy;
        const validate = { identity: validateIdentityPolicy, scp: validateServiceControlPolicy, resource: validateResourcePolicy }[kind];
        // The whole document is validated, so a bad statement is refused even where it would not apply to this request.
        const whole = createValidatedPolicy(document, validate);
        const used = whole.errors.length > 0 ? document : variant();
        // Stryker disable next-line ConditionalExpression: the simulator reads a policy validated from null as one with no statement, as no policy.
        byKey.set(key, used === null ? null : used === document ? whole : createValidatedPolicy(used, validate));
    }
    return byKey.get(key)!;
}

/**
 * The policies cut to the statements that can apply to an action of `service`: IAM matches `<prefix>:<name>` only
 * against that prefix, case-insensitively (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
 * NotAction, `*` and wildcard prefixes are kept. Names keep each policy's place, so an error names it as given.
 */
function forAction(documents: PolicyDocument[], kind: "identity" | "scp", service: string, nameOf: (index: number) => string): { name: string; policy: Validated }[] {
    // Keeping a statement that cannot apply decides the same: mutants that keep more statements, or whole documents,
    // are equivalent (test/simulator.test.ts proves that dropping one that applies is caught).
    const applies = (statement: Statement) =>
        // Stryker disable next-line ConditionalExpression: keeping more statements decides the same.
        statement.Action === undefined ||
        asList(statement.Action).some((action) => {
            const prefix = action.includes(":") ? action.slice(0, action.indexOf(":")) : action;
            // Stryker disable next-line ConditionalExpression: keeping more statements decides the same.
            return /[*?]/.test(prefix) || prefix.toLowerCase() === service.toLowerCase();
        });
    const forService = (document: PolicyDocument) => {
        // Stryker disable next-line MethodExpression: keeping every statement decides the same.
        const statements = asList(document.Statement).filter(applies);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the whole document, the same statements copied, or none decide alike.
        return statements.length === asList(document.Statement).length ? document : statements.length === 0 ? null : { ...document, Statement: statements };
    };
    return documents.flatMap((document, i) => {
        // Stryker disable next-line MethodExpression: a cache key: another spelling of the service only validates again.
        const policy = prepared(document, kind, () => forService(document), `${kind}/${service.toLowerCase()}`);
        return policy ? [{ name: nameOf(i), policy }] : [];
    });
}

/**
 * Whether the simulator cannot evaluate a condition key: `kms:EncryptionContext:*` (read as missing) and OIDC claims
 * (security/access.ts evaluates those on the document). Removing such a condition can only turn a denial into an
 * allow, so every denial proved holds for the real policy; tests check the removed conditions on the document.
 */
export function isUnsimulated(key: string): boolean {
    const lower = key.toLowerCase();
    return ["kms:encryptioncontext:", "api.pulumi.com/oidc:", "token.actions.githubusercontent.com:"].some((prefix) => lower.startsWith(prefix));
}

/** The document without those conditions; an operator left with no key tests nothing, as the simulator reads it. */
function withoutUnsimulatedConditions(document: PolicyDocument): PolicyDocument {
    const strip = (statement: Statement): Statement =>
        statement.Condition
            ? { ...statement, Condition: Object.fromEntries(Object.entries(statement.Condition).map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).filter(([key]) => !isUnsimulated(key)))])) }
            : statement;
    return { ...document, Statement: document.Statement.map(strip) };
}
