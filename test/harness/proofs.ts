// Whole-organization proofs over any Organization: what its config says against what the plan of it proves. The
// per-organization test files assert them on the organization under test; the property test
// (organizations.property.test.ts) on organizations it generates. Each returns what disagrees, [] when all agree.
import { ofType } from "./resources";
import { Organization, ROOT } from "./organization";

const LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile";

/** What the plan's access matrix (the IAM simulator over both sides of each trust) lets a user assume, as `<stage>/<role>`, and which of it without MFA. */
export async function reachOf(o: Organization, user: string): Promise<{ reach: string[]; withoutMfa: string[] }> {
    const entries = (await o.accessMatrix()).filter((e) => e.user === user);
    return {
        reach: entries.map((e) => `${e.stage}/${e.role}`).sort(),
        withoutMfa: entries.filter((e) => !e.mfaRequired).map((e) => `${e.stage}/${e.role}`).sort(),
    };
}

/**
 * Every disagreement between an organization's config and the plan of it: every stack plans (`npm start` exits 0);
 * each user reaches exactly the roles their teams grant, and only with MFA (decided by the IAM simulator); IAM users exist only in root, one per user; console users, and only they, get a login profile encrypted
 * to their own key; each stack reads exactly the stacks it needs; and with an org stack, every member account's role
 * is denied leaving the organization.
 */
export async function wholeOrganizationDisagreements(o: Organization): Promise<string[]> {
    const found: string[] = [];
    const same = (what: string, actual: unknown, expected: unknown) => {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) found.push(`${what}: got ${JSON.stringify(actual)}, config says ${JSON.stringify(expected)}`);
    };
    const evaluations = await o.evaluations();
    for (const [stack, evaluation] of evaluations) if (evaluation.error) found.push(`stack ${stack} failed: ${evaluation.error.message}`);
    if (found.length > 0) return found;

    const { result } = await o.plan();
    if (result.code !== 0) found.push(`npm start exited ${result.code}: ${result.stderr}`);
    for (const user of Object.keys(o.users)) {
        const { reach, withoutMfa } = await reachOf(o, user);
        same(`${user}'s reach`, reach, o.grantsOf(user));
        // Even a role of `requireMfa: false`: that drops the condition from the role's trust only, and a root user's own
        // team policy still denies every role assumption without MFA.
        same(`${user}'s reach without MFA`, withoutMfa, []);
    }
    for (const stack of o.stacks) {
        const users = ofType(evaluations.get(stack)!, "aws:iam/user:User").map((u) => String(u.inputs.name)).sort();
        same(`IAM users of ${stack}`, users, o.stageOf(stack) === ROOT ? Object.keys(o.users).sort() : []);
        const reads = ofType(evaluations.get(stack)!, "pulumi:pulumi:StackReference").map((r) => r.name).sort();
        // The org stack also reads its own last outputs when root is `{ email }`: the management account's id, to pin its provider to (src/accountIds.ts).
        const ownLast = o.kindOf(stack) === "organization" && ROOT in o.accountEmails ? [stack] : [];
        same(`stacks ${stack} reads`, reads, [...o.readsOf(stack), ...ownLast].map((s) => o.referenceName(s)).sort());
    }
    const root = evaluations.get(o.stacks.find((s) => o.stageOf(s) === ROOT)!)!;
    same("console users' login profiles", Object.fromEntries(ofType(root, LOGIN_PROFILE).map((p) => [p.inputs.user, p.inputs.pgpKey])), o.consoleUsers);
    if (o.managesOrganization) {
        const guardrails = (await o.proofs())[1];
        const members = o.stages.filter((s) => s !== ROOT).sort();
        same("member accounts the guardrails are proved on", [...new Set(guardrails.map((r) => r.stage))].sort(), members);
        for (const r of guardrails.filter((g) => g.who === "role" && g.action === "organizations:LeaveOrganization")) same(`${r.stage}'s role leaving the organization`, r.decision, "ExplicitlyDenied");
    }
    return found;
}
