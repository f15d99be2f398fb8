// Any stage whose config sets `refarch:acmCloudfront`: a DNS-validated ACM certificate in us-east-1, the
// only region CloudFront takes certificates from, whatever the stack's own region. With a hosted zone the
// validation records are written there and the ARN is exported once the certificate is issued; without
// one, the records are exported for whoever runs the domain's DNS.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AcmCloudfrontSettings } from "../config";

export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface ValidationRecord {
    name: string;
    type: string;
    value: string;
}

/** refarch:acmCloudfront as written, plus the provider settings the us-east-1 provider copies. */
export interface AcmCloudfrontArgs extends AcmCloudfrontSettings {
    /** More names on the same certificate, each once however often listed. Defaults to none. */
    subjectAlternativeNames?: AcmCloudfrontSettings["subjectAlternativeNames"];
    /** The Route 53 zone that serves these names. Defaults to none: the validation records are only exported. */
    hostedZoneId?: AcmCloudfrontSettings["hostedZoneId"];
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
        const subjectAlternativeNames = [...new Set(args.subjectAlternativeNames ?? [])];
        const provider = new aws.Provider(`${name}-${CLOUDFRONT_CERTIFICATE_REGION}`, { ...args.provider, region: CLOUDFRONT_CERTIFICATE_REGION }, { parent: this });
        const inRegion = { parent: this, provider };

        const certificate = new aws.acm.Certificate(
            `${name}-certificate`,
            { domainName: args.domainName, subjectAlternativeNames, validationMethod: "DNS", tags: { Name: args.domainName } },
            inRegion,
        );

        // Keyed by name without "*.", known before deploy, so records never move when the list is reordered.
        const names = [...new Set([args.domainName, ...subjectAlternativeNames].map(withoutWildcard))];
        const recordOf = (base: string): pulumi.Output<ValidationRecord> =>
            certificate.domainValidationOptions.apply((options) => {
                const option = options.find((o) => withoutWildcard(o.domainName) === base);
                if (!option) throw new pulumi.ResourceError(`ACM returned no validation record for ${base}`, this);
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
