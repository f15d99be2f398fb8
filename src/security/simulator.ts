// The one door to the IAM policy evaluator (@cloud-copilot/iam-simulate): a request, the identity
// policies of whoever makes it and the resource's own policy in; AWS's decision out. A request the
// evaluator rejects as malformed (an unknown action, a policy that does not parse) throws rather than
// reading as a denial, so a broken policy can never pass as a safe one.
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
    /** The SCPs over the principal's account, one entry per level from the organization's root down to the account. */
    serviceControlPolicies?: { target: string; policies: PolicyDocument[] }[];
}

// Loaded at the first decision, not with this module: a plan that stops on bad config never pays for it.
let loaded: { simulate: typeof IamSimulate; policy: typeof IamPolicy } | undefined;
const load = () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (loaded ??= { simulate: require("@cloud-copilot/iam-simulate") as typeof IamSimulate, policy: require("@cloud-copilot/iam-policy") as typeof IamPolicy });

export async function decide(request: AccessRequest): Promise<Decision> {
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
 * Each document is validated once however many requests it is part of (the access matrix asks about every user and
 * role, with and without MFA): the simulator takes a policy validated beforehand and skips validating it again
 * (iam-simulate 0.1.135, "Leverage ValidatedPolicy in simulation"; simulationEngine.js validateOrReuse). Keyed by
 * the document object, which the program's documents never change once parsed; by what the simulator validates it
 * as (identity, SCP or resource policy, each with its own rules) and by the request's service.
 */
const validatedCache = new WeakMap<PolicyDocument, Map<string, Validated | null>>();

function prepared(document: PolicyDocument, kind: PolicyKind, variant: () => PolicyDocument | null, key: string = kind): Validated | null {
    let byKey = validatedCache.get(document);
    if (!byKey) validatedCache.set(document, (byKey = new Map()));
    if (!byKey.has(key)) {
        const { createValidatedPolicy, validateIdentityPolicy, validateServiceControlPolicy, validateResourcePolicy } = load().policy;
        const validate = { identity: validateIdentityPolicy, scp: validateServiceControlPolicy, resource: validateResourcePolicy }[kind];
        // The whole document is validated, so a bad statement is refused even where it would not apply to this request.
        const whole = createValidatedPolicy(document, validate);
        const used = whole.errors.length > 0 ? document : variant();
        byKey.set(key, used === null ? null : used === document ? whole : createValidatedPolicy(used, validate));
    }
    return byKey.get(key)!;
}

/**
 * The policies as the simulator is given them for an action of `service`: each with only the statements that can
 * apply to it, and a policy with none left out. IAM matches an Action entry `<prefix>:<name>` only against actions
 * of that service prefix, case-insensitively (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html),
 * so a statement whose every Action names another service can neither allow nor deny the request; a NotAction
 * statement, and an Action of `*` or with a wildcard in its prefix, are kept. The decision is the same and the
 * simulator evaluates a user's group policies (self-service: seven statements about iam:) only where they apply.
 * Names keep the policy's place in the request, so an error names the policy as given.
 */
function forAction(documents: PolicyDocument[], kind: "identity" | "scp", service: string, nameOf: (index: number) => string): { name: string; policy: Validated }[] {
    const applies = (statement: Statement) =>
        statement.Action === undefined ||
        asList(statement.Action).some((action) => {
            const prefix = action.includes(":") ? action.slice(0, action.indexOf(":")) : action;
            return /[*?]/.test(prefix) || prefix.toLowerCase() === service.toLowerCase();
        });
    const forService = (document: PolicyDocument) => {
        const statements = asList(document.Statement).filter(applies);
        return statements.length === asList(document.Statement).length ? document : statements.length === 0 ? null : { ...document, Statement: statements };
    };
    return documents.flatMap((document, i) => {
        const policy = prepared(document, kind, () => forService(document), `${kind}/${service.toLowerCase()}`);
        return policy ? [{ name: nameOf(i), policy }] : [];
    });
}

/** OIDC claim keys (`<issuer host>:sub`, `:aud`): the simulator denies any request whose trust policy tests them; security/access.ts evaluates them on the document. */
function OIDC_CLAIM_KEYS(): RegExp[] {
    return [/^api\.pulumi\.com\/oidc:/i, /^token\.actions\.githubusercontent\.com:/i];
}

/**
 * Condition keys the simulator (0.1.x) cannot evaluate: it recognizes `kms:EncryptionContext:<key>` only
 * for keys without a colon, so `kms:EncryptionContext:aws:cloudtrail:arn` would always read as missing.
 * Such a condition is removed before simulating, which can only turn a denial into an allow: every
 * denial proved is a denial of the real policy. Tests check the removed condition on the document.
 */
export const UNSIMULATED_CONDITION_KEYS = [/^kms:EncryptionContext:.*:.*$/i, ...OIDC_CLAIM_KEYS()];

function withoutUnsimulatedConditions(document: PolicyDocument): PolicyDocument {
    const strip = (statement: Statement): Statement => {
        if (!statement.Condition) return statement;
        const condition = Object.fromEntries(
            Object.entries(statement.Condition)
                .map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).filter(([key]) => !UNSIMULATED_CONDITION_KEYS.some((k) => k.test(key))))] as const)
                .filter(([, keys]) => Object.keys(keys).length > 0),
        );
        const { Condition: _removed, ...rest } = statement;
        return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
    };
    return { ...document, Statement: document.Statement.map(strip) };
}
