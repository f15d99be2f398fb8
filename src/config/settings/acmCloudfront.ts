// refarch:acmCloudfront: the settings of the AcmCloudfront component (a certificate CloudFront can use).
import { z } from "zod";
import { area, hint, matching } from "../schema";

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const dnsName = (example: string) => {
    const why = hint("is not a domain name a certificate can cover (lowercase labels, optionally *. first)", example);
    return z.string(why).max(253, why).regex(DNS_NAME, why);
};

const acmCloudfrontSchema = z.strictObject(
    {
        domainName: dnsName("www.example.com"),
        subjectAlternativeNames: z.array(dnsName("example.com"), hint("must be a list of domain names", "[example.com]")).optional(),
        hostedZoneId: matching(HOSTED_ZONE_ID, "is not a Route 53 hosted zone id", "Z0123456789ABCDEFGHIJ").optional(),
    },
    hint("must be { domainName, subjectAlternativeNames?, hostedZoneId? }", "{ domainName: www.example.com }"),
);
export type AcmCloudfrontSettings = z.infer<typeof acmCloudfrontSchema>;

export const acmCloudfrontSettings = area("refarch:acmCloudfront", "stack", acmCloudfrontSchema.optional());
