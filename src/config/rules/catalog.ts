// The rules that span the catalog components: what one needs of another, and of the stack's partition.
// Each component applies its own defaults; these rules see the settings as written.
import { Problems } from "../problems";
import type { NetworkSettings } from "../settings/network";

/** Aurora lives in the stack's VPC; CloudFront's certificate needs the aws partition; a certificate names each domain once. */
export function catalogRules(parsed: Map<string, unknown>, given: Map<string, unknown>, ctx: { stack: string; partition: string }, problems: Problems): void {
    const network = parsed.get("refarch:network") as NetworkSettings | undefined;
    if (given.get("refarch:auroraPostgres") !== undefined) {
        if (given.get("refarch:network") === undefined) {
            problems.add("refarch:network.cidrBlock", undefined, "is required by refarch:auroraPostgres: the cluster lives in the private subnets of this stack's VPC", { set: "10.0.0.0/16" });
        } else if (network?.numberOfAvailabilityZones !== undefined && network.numberOfAvailabilityZones < 2) {
            // Unset, the Network component's default (3) is enough.
            problems.add("refarch:network.numberOfAvailabilityZones", network.numberOfAvailabilityZones, "must be at least 2 with refarch:auroraPostgres: an Aurora subnet group spans two or more availability zones", { set: "2" });
        }
    }

    if (given.get("refarch:acmCloudfront") !== undefined && ctx.partition !== "aws") {
        problems.add("refarch:acmCloudfront", given.get("refarch:acmCloudfront"), `needs the aws partition: CloudFront takes ACM certificates only from us-east-1, and this stack is in ${ctx.partition}`, { remove: true });
    } else {
        // Checked on the names as given, so a repeat is reported beside a malformed name, not after it is fixed.
        const asGiven = (given.get("refarch:acmCloudfront") ?? {}) as { domainName?: unknown; subjectAlternativeNames?: unknown };
        const names = Array.isArray(asGiven.subjectAlternativeNames) ? asGiven.subjectAlternativeNames : [];
        const repeated = names.filter((san, i) => typeof san === "string" && (san === asGiven.domainName || names.indexOf(san) !== i));
        for (const san of new Set(repeated)) {
            problems.add("refarch:acmCloudfront.subjectAlternativeNames", san, "is listed twice (the domain name is already on the certificate)", { text: `in Pulumi.${ctx.stack}.yaml, under config: refarch:acmCloudfront:, list ${san} once` });
        }
    }
}
