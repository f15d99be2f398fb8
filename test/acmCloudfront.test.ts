// refarch:acmCloudfront: a DNS-validated certificate in us-east-1 (CloudFront's region) whatever the
// stack's region, through a provider that keeps the stack's account guard; validated through Route 53
// when a zone is given, otherwise with the records exported to create by hand.
import { expect } from "chai";
import { StackEvaluation } from "../src/offline/engine";
import { evaluateWith, ofType, refused, SHIPPED_STACKS, shippedStack, single } from "./harness";

const CERTIFICATE = "aws:acm/certificate:Certificate";
const RECORD = "aws:route53/record:Record";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const withCertificate = (stack: string, acm: unknown, more: Record<string, string> = {}) => evaluateWith(stack, { "refarch:acmCloudfront": JSON.stringify(acm), ...more });

function ok(evaluation: StackEvaluation): StackEvaluation {
    if (evaluation.error) throw evaluation.error;
    return evaluation;
}

describe("acm-cloudfront", () => {
    it("is off in every shipped stack", async () => {
        for (const stack of SHIPPED_STACKS) expect(ofType(await shippedStack(stack), CERTIFICATE), stack).to.deep.equal([]);
    });

    it("makes the certificate in us-east-1 from a stack in another region, through its own guarded provider", async () => {
        const dev = ok(await withCertificate("dev", { domainName: "www.example.com" }, { "aws:region": "eu-west-1" }));
        const component = single(dev, "refarch:cdn:AcmCloudfront");
        const provider = single(dev, "pulumi:providers:aws", "acm-cloudfront-us-east-1");
        expect(provider.parent).to.equal(component.urn);
        expect(provider.inputs.region).to.equal("us-east-1");
        expect(JSON.parse(String(provider.inputs.allowedAccountIds))).to.deep.equal(["555555555555"]);
        const certificate = single(dev, CERTIFICATE);
        expect(certificate.inputs).to.deep.include({ domainName: "www.example.com", validationMethod: "DNS" });
        expect(certificate.state.arn).to.match(/^arn:aws:acm:us-east-1:555555555555:certificate\/[0-9a-f-]{36}$/);
        // The rest of the stack stays in its own region.
        expect(single(dev, "aws:cloudtrail/trail:Trail").state.arn).to.match(/^arn:aws:cloudtrail:eu-west-1:/);
        expect((dev.outputs.acmCloudfront as Record<string, unknown>).certificateArn).to.equal(certificate.state.arn);
    });

    it("passes the stack's aws:assumeRoles and aws:profile on to the us-east-1 provider", async () => {
        const assumeRoles = [{ roleArn: "arn:aws:iam::555555555555:role/acme-dev-admin", sessionName: "pulumi" }];
        const dev = ok(await withCertificate("dev", { domainName: "www.example.com" }, { "aws:assumeRoles": JSON.stringify(assumeRoles), "aws:profile": "acme-dev" }));
        const provider = single(dev, "pulumi:providers:aws", "acm-cloudfront-us-east-1");
        expect(JSON.parse(String(provider.inputs.assumeRoles))).to.deep.equal(assumeRoles);
        expect(provider.inputs.profile).to.equal("acme-dev");
    });

    it("with a hosted zone, writes one record per distinct name and exports the ARN once validated", async () => {
        const dev = ok(
            await withCertificate("dev", { domainName: "*.example.com", subjectAlternativeNames: ["example.com", "cdn.example.org"], hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        );
        const certificate = single(dev, CERTIFICATE);
        const options = certificate.state.domainValidationOptions as { domainName: string; resourceRecordName: string; resourceRecordValue: string }[];
        const records = ofType(dev, RECORD);
        // "*.example.com" and "example.com" share ACM's record: writing it twice would fail.
        expect(records.map((r) => r.name)).to.deep.equal(["acm-cloudfront-validation-example.com", "acm-cloudfront-validation-cdn.example.org"]);
        for (const [record, domain] of [[records[0], "example.com"], [records[1], "cdn.example.org"]] as const) {
            const option = options.find((o) => o.domainName === domain)!;
            expect(record.inputs).to.deep.include({ zoneId: "Z0123456789ABCDEFGHIJ", name: option.resourceRecordName, type: "CNAME", records: [option.resourceRecordValue] });
        }
        const validation = single(dev, VALIDATION);
        expect(validation.inputs.certificateArn).to.equal(certificate.state.arn);
        expect(validation.inputs.validationRecordFqdns).to.deep.equal(records.map((r) => r.state.fqdn));
        expect((dev.outputs.acmCloudfront as Record<string, unknown>).certificateArn).to.equal(certificate.state.arn);
    });

    it("without a hosted zone, creates no records and exports the ones to create by hand", async () => {
        const dev = ok(await withCertificate("dev", { domainName: "www.example.com", subjectAlternativeNames: ["example.com"] }));
        expect(ofType(dev, RECORD)).to.deep.equal([]);
        expect(ofType(dev, VALIDATION)).to.deep.equal([]);
        const options = single(dev, CERTIFICATE).state.domainValidationOptions as { resourceRecordName: string; resourceRecordType: string; resourceRecordValue: string }[];
        const exported = dev.outputs.acmCloudfront as { domainName: string; validationRecords: unknown[] };
        expect(exported.domainName).to.equal("www.example.com");
        expect(exported.validationRecords).to.deep.equal(options.map((o) => ({ name: o.resourceRecordName, type: o.resourceRecordType, value: o.resourceRecordValue })));
        expect(exported.validationRecords).to.have.length(2);
    });

    it("refuses bad domain names, a bad zone id and an unknown setting, all at once", async () => {
        const message = await refused("dev", {
            "refarch:acmCloudfront": JSON.stringify({ domainName: "https://example.com", subjectAlternativeNames: ["exa mple.com", "www.example.com", "www.example.com"], hostedZoneId: "example.com", region: "us-east-1" }),
        });
        expect(message).to.include(`refarch:acmCloudfront.region: "us-east-1" is not a setting of refarch:acmCloudfront (valid: domainName, subjectAlternativeNames, hostedZoneId)`);
        expect(message).to.include(`refarch:acmCloudfront.domainName: "https://example.com" is not a domain name a certificate can cover`);
        expect(message).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "exa mple.com" is not a domain name`);
        expect(message).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "www.example.com" is listed twice`);
        expect(message).to.include(`refarch:acmCloudfront.hostedZoneId: "example.com" is not a Route 53 hosted zone id`);
    });

    it("refuses a missing domain name and a domain repeated among the alternative names", async () => {
        const missing = await refused("dev", { "refarch:acmCloudfront": JSON.stringify({ subjectAlternativeNames: ["example.com"] }) });
        expect(missing).to.include(`refarch:acmCloudfront.domainName: (not set) is not a domain name`);
        const repeated = await refused("dev", { "refarch:acmCloudfront": JSON.stringify({ domainName: "example.com", subjectAlternativeNames: ["example.com"] }) });
        expect(repeated).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "example.com" is listed twice`);
    });
});
