// refarch:acmCloudfront: the settings of the AcmCloudfront component (a certificate CloudFront can use).
import { z } from "zod";
import { area, hint, matching } from "../schema";

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/**
 * The domain name inside what was written, if there is one: a URL's host (`https://www.Example.com/` -> www.example.com),
 * lowercased, without a port or a final dot. Otherwise only the user knows the name: the fix says what to write.
 */
export function domainNameIn(written: unknown, placeholder: string): string {
    if (typeof written !== "string") return placeholder;
    const host = written
        .trim()
        .toLowerCase()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
        .replace(/[/?#].*$/, "")
        .replace(/^.*@/, "")
        .replace(/:\d*$/, "")
        .replace(/\.$/, "");
    return DNS_NAME.test(host) && host.length <= 253 ? host : placeholder;
}

/** The zone id inside what was written: the Route 53 CLI and API print it as `/hostedzone/Z...`. */
function zoneIdIn(written: unknown): string {
    const id = typeof written === "string" ? written.trim().replace(/^\/?hostedzone\//i, "").toUpperCase() : "";
    return HOSTED_ZONE_ID.test(id) ? id : "<the id of the domain's Route 53 hosted zone, Z followed by letters and digits>";
}

const dnsName = (placeholder: string) => {
    const why = hint("is not a domain name a certificate can cover (lowercase labels, optionally *. first)", (written) => domainNameIn(written, placeholder));
    return z.string(why).max(253, why).regex(DNS_NAME, why);
};

const acmCloudfrontSchema = z.strictObject(
    {
        domainName: dnsName("<the domain name the certificate is for, such as www.example.com>"),
        subjectAlternativeNames: z.array(dnsName("<another domain name the certificate covers, such as example.com>"), hint("must be a list of domain names", "[example.com]")).optional(),
        hostedZoneId: matching(HOSTED_ZONE_ID, "is not a Route 53 hosted zone id", zoneIdIn).optional(),
    },
    hint("must be { domainName, subjectAlternativeNames?, hostedZoneId? }", "{ domainName: www.example.com }"),
);
export type AcmCloudfrontSettings = z.infer<typeof acmCloudfrontSchema>;

export const acmCloudfrontSettings = area("refarch:acmCloudfront", "stack", acmCloudfrontSchema.optional());
