// The one door to the IAM policy evaluator (@cloud-copilot/iam-simulate): a request, the identity
// policies of whoever makes it and the resource's own policy in; AWS's decision out. A request the
// evaluator rejects as malformed (an unknown action, a policy that does not parse) throws rather than
// reading as a denial, so a broken policy can never pass as a safe one.
import type * as IamSimulate from "@cloud-copilot/iam-simulate";
import type { PolicyDocument, Statement } from "../policies";

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
let simulator: typeof IamSimulate | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSimulator = (): typeof IamSimulate => (simulator ??= require("@cloud-copilot/iam-simulate") as typeof IamSimulate);

export async function decide(request: AccessRequest): Promise<Decision> {
    const { anonymousPrincipal, runSimulation } = loadSimulator();
    const result = await runSimulation(
        {
            request: {
                principal: request.principal === "anonymous" ? anonymousPrincipal : request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.resourceAccount },
                contextVariables: request.context ?? {},
            },
            identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
            serviceControlPolicies: (request.serviceControlPolicies ?? []).map(({ target, policies }) => ({
                orgIdentifier: target,
                policies: policies.map((policy, i) => ({ name: `${target}-scp-${i + 1}`, policy })),
            })),
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy && withoutUnsimulatedConditions(request.resourcePolicy),
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`The IAM simulator refused ${request.action} on ${request.resource} by ${request.principal}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
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
