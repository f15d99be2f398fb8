// Any stage whose config sets `refarch:acmCloudfront`: a DNS-validated ACM certificate in us-east-1, the
// only region CloudFront takes certificates from, whatever the stack's own region. With a hosted zone the
// validation records are written there and the ARN is exported once the certificate is issued; without
// one, the records are exported for whoever runs the domain's DNS.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { area, hint, matching } from "../config/schema";

export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface ValidationRecord {
    name: string;
    type: string;
    value: string;
}

export interface AcmCloudfrontArgs {
    domainName: string;
    /** More names on the same certificate (none: []). */
    subjectAlternativeNames: string[];
    /** The Route 53 zone that serves these names. Default none: the validation records are only exported. */
    hostedZoneId?: string;
    /** Settings of the us-east-1 provider this component makes: at least the account guard of the stack's own provider. */
    provider: Omit<aws.ProviderArgs, "region">;
}

export class AcmCloudfront extends pulumi.ComponentResource {
    /** With a hosted zone, known only once the certificate is issued. */
    readonly certificateArn: pulumi.Output<string>;
    /** One CNAME per distinct name (`*.example.com` and `example.com` share one). */
    readonly validationRecords: pulumi.Output<ValidationRecord[]>;

    constructor(name: string, args: AcmCloudfrontArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:cdn:AcmCloudfront", name, {}, opts);
        const provider = new aws.Provider(`${name}-${CLOUDFRONT_CERTIFICATE_REGION}`, { ...args.provider, region: CLOUDFRONT_CERTIFICATE_REGION }, { parent: this });
        const inRegion = { parent: this, provider };

        const certificate = new aws.acm.Certificate(
            `${name}-certificate`,
            { domainName: args.domainName, subjectAlternativeNames: args.subjectAlternativeNames, validationMethod: "DNS", tags: { Name: args.domainName } },
            inRegion,
        );

        // Keyed by name without "*.", known before deploy, so records never move when the list is reordered.
        const names = [...new Set([args.domainName, ...args.subjectAlternativeNames].map(withoutWildcard))];
        const recordOf = (base: string): pulumi.Output<ValidationRecord> =>
            certificate.domainValidationOptions.apply((options) => {
                const option = options.find((o) => withoutWildcard(o.domainName) === base);
                if (!option) throw new Error(`ACM returned no validation record for ${base}`);
                return { name: option.resourceRecordName, type: option.resourceRecordType, value: option.resourceRecordValue };
            });
        const records = names.map((base) => ({ base, record: recordOf(base) }));
        this.validationRecords = pulumi.all(records.map((r) => r.record));

        if (args.hostedZoneId !== undefined) {
            // allowOverwrite: a certificate for a name already validated in this account (another stack's, or this one's
            // before a destroy) gets the same CNAME from ACM (dflook/cloudformation-dns-certificate#7); without it,
            // creating the record fails because it exists (@pulumi/aws route53 Record `allowOverwrite`, false by default).
            const created = records.map(
                ({ base, record }) =>
                    new aws.route53.Record(
                        `${name}-validation-${base}`,
                        { zoneId: args.hostedZoneId!, name: record.name, type: record.type, records: [record.value], ttl: 60, allowOverwrite: true },
                        inRegion,
                    ),
            );
            const validation = new aws.acm.CertificateValidation(
                `${name}-validation`,
                { certificateArn: certificate.arn, validationRecordFqdns: created.map((r) => r.fqdn) },
                inRegion,
            );
            this.certificateArn = validation.certificateArn;
        } else {
            this.certificateArn = certificate.arn;
        }
        this.registerOutputs({ certificateArn: this.certificateArn, validationRecords: this.validationRecords });
    }
}

function withoutWildcard(domain: string): string {
    return domain.replace(/^\*\./, "");
}

// ---- refarch:acmCloudfront: this component's config ----

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const dnsName = (example: string) => {
    const why = hint("is not a domain name a certificate can cover (lowercase labels, optionally *. first)", example);
    return z.string(why).max(253, why).regex(DNS_NAME, why);
};

export const acmCloudfrontSettings = area(
    "refarch:acmCloudfront",
    "stack",
    z.strictObject(
        {
            domainName: dnsName("www.example.com"),
            subjectAlternativeNames: z.array(dnsName("example.com"), hint("must be a list of domain names", "[example.com]")).optional(),
            hostedZoneId: matching(HOSTED_ZONE_ID, "is not a Route 53 hosted zone id", "Z0123456789ABCDEFGHIJ").optional(),
        },
        hint("must be { domainName, subjectAlternativeNames?, hostedZoneId? }", "{ domainName: www.example.com }"),
    ).optional(),
);
