// Proofs of the guardrails: what each member account's people can still do under the SCPs the org stack attaches,
// decided by the IAM policy evaluator. The tests and the offline plan share them, so the guardrails printed are the ones proved.
import type { StackEvaluation } from "../offline/engine";
import { FULL_AWS_ACCESS, GUARDED_ACTIONS, PolicyDocument } from "../policies";
import { decide, Decision } from "./simulator";

type ScpLevels = { target: string; policies: PolicyDocument[] }[];

/** A member account's SCPs, level by level (the organization's root, its unit if any, the account), each with AWS's default FullAWSAccess. */
export function scpLevels(org: StackEvaluation, accountId: string): ScpLevels {
    const ofType = (type: string) => org.resources.filter((r) => r.type === type);
    // The org stack always creates (or imports) the organization; its root is where every account hangs from.
    const [organization] = ofType("aws:organizations/organization:Organization");
    const rootId = String((organization.state.roots as { id: string }[])[0].id);
    const documents = new Map(ofType("aws:organizations/policy:Policy").map((r) => [r.id, JSON.parse(String(r.inputs.content)) as PolicyDocument]));
    const attached = (target: string) =>
        ofType("aws:organizations/policyAttachment:PolicyAttachment")
            .filter((r) => r.inputs.targetId === target)
            .map((r) => documents.get(String(r.inputs.policyId))!);
    const account = ofType("aws:organizations/account:Account").find((r) => r.id === accountId);
    const unit = account && String(account.inputs.parentId) !== rootId ? String(account.inputs.parentId) : undefined;
    return [
        { target: rootId, policies: [FULL_AWS_ACCESS, ...attached(rootId)] },
        ...(unit ? [{ target: unit, policies: [FULL_AWS_ACCESS, ...attached(unit)] }] : []),
        { target: accountId, policies: [FULL_AWS_ACCESS, ...attached(accountId)] },
    ];
}

export interface GuardrailProbe {
    who: "role" | "deployer" | "root user";
    principal: string;
    action: string;
    resource: string;
    /** The account that owns the resource: the audit account for the audit bucket, its logs, key and alias. */
    resourceAccount: string;
    context: Record<string, string | string[]>;
}

export interface GuardrailResult extends GuardrailProbe {
    stage: string;
    accountId: string;
    decision: Decision;
}

/** A region the region guardrail does not allow, to try an action in; undefined with no region guardrail. */
export function outsideRegion(org: StackEvaluation): string | undefined {
    const regions = org.resources
        .filter((r) => r.type === "aws:organizations/policy:Policy")
        .flatMap((r) => (JSON.parse(String(r.inputs.content)) as PolicyDocument).Statement)
        .flatMap((s) => s.Condition?.StringNotEquals?.["aws:RequestedRegion"] ?? []);
    if (regions.length === 0) return undefined;
    return ["sa-east-1", "ap-southeast-2", "eu-north-1", "af-south-1"].find((r) => !regions.includes(r));
}

/**
 * The attempts made in one member account: the account's role (given full rights) at every guarded action and
 * at ordinary work; its deployer at the work it must still do; its root user at anything.
 */
export function probesFor(member: StackEvaluation, audit: StackEvaluation | undefined, roleArn: string, otherRegion: string | undefined, organizationTrail?: string): GuardrailProbe[] {
    const accountId = roleArn.split(":")[4];
    const partition = roleArn.split(":")[1];
    // A stack's region is its own provider's (stages.ts names it "aws"); a component's provider may be in another (ACM's, us-east-1).
    const regionOf = (e: StackEvaluation) => String(e.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws")!.inputs.region);
    const region = regionOf(member);
    // The member's own trail; under the organization trail (in the management account) it has none, and that one's guarded.
    const ownTrail = member.outputs.trailArn as string | undefined;
    const trail = ownTrail ?? organizationTrail;
    const deployer = member.outputs.deployerRoleArn as string | undefined;
    const auditAccount = String(audit?.outputs.accountId);
    const bucketArn = audit?.outputs.cloudtrailBucketArn as string | undefined;
    const keyArn = audit?.outputs.cloudtrailKmsKeyArn as string | undefined;
    // The audit sink names its key's alias after its bucket.
    const keyAlias = `alias/${String(audit?.outputs.cloudtrailBucketName)}`;
    const at =
        (who: GuardrailProbe["who"], principal: string) =>
        (action: string, resource: string, owner = accountId, extra: Record<string, string | string[]> = {}, inRegion = region): GuardrailProbe => ({
            who,
            principal,
            action,
            resource,
            resourceAccount: owner,
            // For a role session, aws:PrincipalArn is the role's ARN; for the root user, arn:<partition>:iam::<account>:root.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
            context: { "aws:PrincipalArn": principal, "aws:RequestedRegion": inRegion, ...extra },
        });
    const role = at("role", roleArn);
    const instances = (r: string) => `arn:${partition}:ec2:${r}:${accountId}:instance/*`;
    const probes: GuardrailProbe[] = [role("organizations:LeaveOrganization", "*")];
    if (trail) probes.push(...GUARDED_ACTIONS.trail.map((action) => role(action, trail, trail.split(":")[4])));
    if (bucketArn) {
        probes.push(...GUARDED_ACTIONS.bucket.map((action) => role(action, bucketArn, auditAccount)));
        probes.push(...GUARDED_ACTIONS.logs.map((action) => role(action, `${bucketArn}/AWSLogs/${accountId}/CloudTrail/log.json.gz`, auditAccount)));
    }
    if (keyArn) {
        probes.push(...GUARDED_ACTIONS.key.map((action) => role(action, keyArn, auditAccount, { "kms:ResourceAliases": [keyAlias] })));
        probes.push(...GUARDED_ACTIONS.keyAlias.map((action) => role(action, `arn:${partition}:kms:${regionOf(audit!)}:${auditAccount}:${keyAlias}`, auditAccount)));
    }
    if (deployer) probes.push(role("iam:UpdateAssumeRolePolicy", deployer));
    probes.push(role("ec2:RunInstances", instances(region)));
    if (otherRegion) probes.push(role("ec2:RunInstances", instances(otherRegion), accountId, {}, otherRegion));
    if (deployer) {
        const asDeployer = at("deployer", deployer);
        if (ownTrail) probes.push(asDeployer("cloudtrail:UpdateTrail", ownTrail));
        probes.push(asDeployer("iam:UpdateAssumeRolePolicy", deployer));
        probes.push(asDeployer("ec2:RunInstances", instances(region)));
        if (otherRegion) probes.push(asDeployer("ec2:RunInstances", instances(otherRegion), accountId, {}, otherRegion));
        probes.push(asDeployer("organizations:LeaveOrganization", "*"));
    }
    probes.push(at("root user", `arn:${partition}:iam::${accountId}:root`)("ec2:RunInstances", instances(region)));
    return probes;
}

/** Every probe of every member account the org stack governs, with AWS's decision under the guardrails. */
export async function guardrailResults(evaluations: StackEvaluation[]): Promise<GuardrailResult[]> {
    // A stack that failed exports nothing: a failed org stack names no account, a failed audit stack no bucket or key.
    const org = evaluations.find((e) => e.stage === "org");
    if (!org) return [];
    const accountIds = (org.outputs.accountIds ?? {}) as Record<string, string>;
    const audit = evaluations.find((e) => e.stack === e.stage && e.stage === "audit");
    const otherRegion = outsideRegion(org);
    const results: GuardrailResult[] = [];
    // Each member account once, through its stage's own stack (a review stack borrows the account); the org stack has no
    // entry in accountIds.
    for (const member of evaluations.filter((e) => e.stack === e.stage && e.stage !== "root" && accountIds[e.stage])) {
        const roles = Object.values((member.outputs.roles ?? {}) as Record<string, string>);
        if (roles.length === 0) continue;
        const levels = scpLevels(org, accountIds[member.stage]);
        for (const probe of probesFor(member, audit, roles[0], otherRegion, org.outputs.organizationTrailArn as string | undefined)) {
            const decision = await decide({ ...probe, identityPolicies: [FULL_AWS_ACCESS], serviceControlPolicies: levels });
            results.push({ ...probe, stage: member.stage, accountId: accountIds[member.stage], decision });
        }
    }
    return results;
}
