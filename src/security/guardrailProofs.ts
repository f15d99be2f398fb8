// Proofs of the guardrails: what each member account's people can still do under the SCPs the org stack's organization
// holds and the root stack attaches, decided by the IAM policy evaluator. The tests and the offline plan share them, so
// the guardrails printed are the ones proved.
import type { StackEvaluation } from "../offline/engine";
import { FULL_AWS_ACCESS, GITHUB_OIDC_ISSUER, GUARDED_ACTIONS, oidcProviderArn, ORGANIZATION_ACCESS_ROLE, PolicyDocument, PULUMI_OIDC_ISSUER } from "../policies";
import { decide, Decision } from "./simulator";

type ScpLevels = { target: string; policies: PolicyDocument[] }[];

/**
 * The organization as AWS holds it: the org stack's organization, units and accounts, with the SCPs and attachments of
 * every stack that makes them (root attaches the member accounts' guardrails). Undefined without a successful org stack.
 */
export function organizationOf(evaluations: StackEvaluation[]): StackEvaluation | undefined {
    const org = evaluations.find((e) => e.stage === "org" && !e.error);
    if (!org) return undefined;
    const others = evaluations.filter((e) => e !== org && !e.error).flatMap((e) => e.resources.filter((r) => r.type.startsWith("aws:organizations/")));
    return { ...org, resources: [...org.resources, ...others] };
}

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
    who: "role" | "look-alike" | "access role with MFA" | "access role without MFA" | "deployer" | "root user";
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

/** A stack's region: its own provider's (stages.ts names it "aws"); a component's provider may be in another (ACM's, us-east-1). */
export const regionOf = (e: StackEvaluation): string => String(e.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws")!.inputs.region);

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
 * The attempts made in one member account: the account's role (given full rights), a look-alike role named
 * `<ns>-<stage>-release-deployer` and OrganizationAccountAccessRole (with and without MFA) at every guarded action;
 * the role at ordinary work; its deployer at the work it must still do; its root user at anything.
 */
export function probesFor(member: StackEvaluation, audit: StackEvaluation | undefined, roleArn: string, otherRegion: string | undefined, organizationTrail?: string): GuardrailProbe[] {
    const accountId = roleArn.split(":")[4];
    const partition = roleArn.split(":")[1];
    const region = regionOf(member);
    // The member's own trail; under the organization trail (in the management account) it has none, and that one's guarded.
    const ownTrail = member.outputs.trailArn as string | undefined;
    const trail = ownTrail ?? organizationTrail;
    const deployer = member.outputs.deployerRoleArn as string | undefined;
    const auditAccount = String(audit?.outputs.accountId);
    const bucketArn = audit?.outputs.cloudtrailBucketArn as string | undefined;
    const accessLogBucket = audit?.outputs.cloudtrailAccessLogBucketName as string | undefined;
    const keyArn = audit?.outputs.cloudtrailKmsKeyArn as string | undefined;
    // The audit sink names its key's alias after its bucket.
    const keyAlias = `alias/${String(audit?.outputs.cloudtrailBucketName)}`;
    const at =
        (who: GuardrailProbe["who"], principal: string, own: Record<string, string> = {}) =>
        (action: string, resource: string, owner = accountId, extra: Record<string, string | string[]> = {}, inRegion = region): GuardrailProbe => ({
            who,
            principal,
            action,
            resource,
            resourceAccount: owner,
            // For a role session, aws:PrincipalArn is the role's ARN; for the root user, arn:<partition>:iam::<account>:root.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
            context: { "aws:PrincipalArn": principal, "aws:RequestedRegion": inRegion, ...own, ...extra },
        });
    const instances = (r: string) => `arn:${partition}:ec2:${r}:${accountId}:instance/*`;
    const buckets = [bucketArn, accessLogBucket && `arn:${partition}:s3:::${accessLogBucket}`].filter((b): b is string => b !== undefined);
    /** Every guarded action on what this plan has of it. */
    const guarded = (as: ReturnType<typeof at>): GuardrailProbe[] => [
        as("organizations:LeaveOrganization", "*"),
        ...(trail ? GUARDED_ACTIONS.trail.map((action) => as(action, trail, trail.split(":")[4])) : []),
        ...buckets.flatMap((bucket) => [
            ...GUARDED_ACTIONS.bucket.map((action) => as(action, bucket, auditAccount)),
            ...GUARDED_ACTIONS.logs.map((action) => as(action, `${bucket}/AWSLogs/${accountId}/CloudTrail/log.json.gz`, auditAccount)),
        ]),
        ...(keyArn
            ? [
                  ...GUARDED_ACTIONS.key.map((action) => as(action, keyArn, auditAccount, { "kms:ResourceAliases": [keyAlias] })),
                  ...GUARDED_ACTIONS.keyAlias.map((action) => as(action, `arn:${partition}:kms:${regionOf(audit!)}:${auditAccount}:${keyAlias}`, auditAccount)),
              ]
            : []),
        ...(deployer
            ? [
                  ...GUARDED_ACTIONS.oidcProvider.flatMap((action) => [GITHUB_OIDC_ISSUER, PULUMI_OIDC_ISSUER].map((issuer) => as(action, oidcProviderArn(partition, accountId, issuer)))),
                  ...GUARDED_ACTIONS.exemptRole.map((action) => as(action, deployer)),
              ]
            : []),
    ];
    const role = at("role", roleArn);
    const probes: GuardrailProbe[] = [...guarded(role), role("ec2:RunInstances", instances(region))];
    if (otherRegion) probes.push(role("ec2:RunInstances", instances(otherRegion), accountId, {}, otherRegion));
    if (deployer) {
        // Named like a deployer but not the account's deployer: what `<ns>-*-deployer` once exempted (issue 26).
        probes.push(...guarded(at("look-alike", deployer.replace(/-deployer$/, "-release-deployer"))));
        // After bootstrap the access role is not exempt; it may only act with MFA ("mfa") or not at all ("denied").
        const accessRole = `arn:${partition}:iam::${accountId}:role/${ORGANIZATION_ACCESS_ROLE}`;
        const withMfa = at("access role with MFA", accessRole, { "aws:MultiFactorAuthPresent": "true" });
        probes.push(...guarded(withMfa), withMfa("ec2:RunInstances", instances(region)));
        probes.push(at("access role without MFA", accessRole, { "aws:MultiFactorAuthPresent": "false" })("ec2:RunInstances", instances(region)));
        const asDeployer = at("deployer", deployer);
        if (ownTrail) probes.push(asDeployer("cloudtrail:UpdateTrail", ownTrail));
        probes.push(asDeployer("iam:UpdateAssumeRolePolicy", deployer));
        probes.push(asDeployer("iam:UpdateOpenIDConnectProviderThumbprint", oidcProviderArn(partition, accountId, GITHUB_OIDC_ISSUER)));
        probes.push(asDeployer("ec2:RunInstances", instances(region)));
        if (otherRegion) probes.push(asDeployer("ec2:RunInstances", instances(otherRegion), accountId, {}, otherRegion));
        // The audit sink is its own account's to change: the audit deployer may, every other account's deployer may not.
        if (bucketArn) probes.push(asDeployer("s3:PutLifecycleConfiguration", bucketArn, auditAccount));
        // Nobody writes or deletes a log file by hand, and nobody leaves.
        if (bucketArn) probes.push(asDeployer("s3:PutObject", `${bucketArn}/AWSLogs/${accountId}/CloudTrail/log.json.gz`, auditAccount));
        probes.push(asDeployer("organizations:LeaveOrganization", "*"));
    }
    const rootUser = at("root user", `arn:${partition}:iam::${accountId}:root`);
    probes.push(...guarded(rootUser), rootUser("ec2:RunInstances", instances(region)));
    return probes;
}

/** Every probe of every member account the org stack governs, with AWS's decision under the guardrails. */
export async function guardrailResults(evaluations: StackEvaluation[]): Promise<GuardrailResult[]> {
    // A stack that failed exports nothing: a failed org stack names no account, a failed audit stack no bucket or key.
    const org = organizationOf(evaluations);
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
