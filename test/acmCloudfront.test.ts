// refarch:acmCloudfront: a DNS-validated certificate in us-east-1 (CloudFront's region) whatever the
// stack's region, through a provider that keeps the stack's account guard; validated through Route 53
// when a zone is given, otherwise with the records exported to create by hand.
import { expect } from "chai";
import { meeting, NEEDS, ofType, org as underTest, required, single, succeeded } from "./harness";

// The organization under test, or a variant of it whose region guardrail allows a region besides CloudFront's.
const org = meeting([NEEDS.regionBesidesUsEast1], underTest);

const CERTIFICATE = "aws:acm/certificate:Certificate";
const RECORD = "aws:route53/record:Record";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const stack = org.trialStack;
const withCertificate = (acm: unknown, more: Record<string, string> = {}) => org.evaluateWith(stack, { "refarch:acmCloudfront": JSON.stringify(acm), ...more });


describe("acm-cloudfront", () => {
    it("is on exactly in the stacks whose config sets refarch:acmCloudfront", async () => {
        for (const s of org.stacks) expect(ofType(await org.evaluation(s), CERTIFICATE), s).to.have.length(org.value(s, "refarch:acmCloudfront") ? 1 : 0);
    });

    it("makes the certificate in us-east-1 from a stack in another region, through its own guarded provider", async function () {
        // Another region than CloudFront's, one the organization lets the stack use; the access analyzer is switched on to show where the rest of the stack lives.
        const region = required(org.regionOtherThan("us-east-1"), "the region guardrail allows only us-east-1");
        const baseline = { ...org.value<object>(stack, "refarch:baseline"), accessAnalyzer: true };
        const evaluation = succeeded(await withCertificate({ domainName: "www.example.com" }, { "aws:region": region, "refarch:baseline": JSON.stringify(baseline) }));
        const component = single(evaluation, "refarch:cdn:AcmCloudfront");
        const provider = single(evaluation, "pulumi:providers:aws", "acm-cloudfront-us-east-1");
        expect(provider.parent).to.equal(component.urn);
        expect(provider.inputs.region).to.equal("us-east-1");
        expect(JSON.parse(String(provider.inputs.allowedAccountIds))).to.deep.equal([org.accountOf(stack)]);
        const certificate = single(evaluation, CERTIFICATE);
        expect(certificate.inputs).to.deep.include({ domainName: "www.example.com", validationMethod: "DNS", tags: { Name: "www.example.com" } });
        expect(certificate.state.arn).to.match(new RegExp(`^arn:aws:acm:us-east-1:${org.accountOf(stack)}:certificate/[0-9a-f-]{36}$`));
        // The rest of the stack stays in its own region.
        expect(evaluation.outputs.accessAnalyzerArn).to.match(new RegExp(`^arn:aws:access-analyzer:${region}:${org.accountOf(stack)}:`));
        expect((evaluation.outputs.acmCloudfront as Record<string, unknown>).certificateArn).to.equal(certificate.state.arn);
    });

    it("passes the stack's aws:assumeRoles and aws:profile on to the us-east-1 provider", async () => {
        const assumeRoles = [{ roleArn: `arn:aws:iam::${org.accountOf(stack)}:role/${org.namePrefix(stack)}-deploy`, sessionName: "pulumi" }];
        const profile = org.namePrefix(stack);
        const evaluation = succeeded(await withCertificate({ domainName: "www.example.com" }, { "aws:assumeRoles": JSON.stringify(assumeRoles), "aws:profile": profile }));
        const provider = single(evaluation, "pulumi:providers:aws", "acm-cloudfront-us-east-1");
        expect(JSON.parse(String(provider.inputs.assumeRoles))).to.deep.equal(assumeRoles);
        expect(provider.inputs.profile).to.equal(profile);
    });

    it("with a hosted zone, writes one record per distinct name and exports the ARN once validated", async () => {
        const evaluation = succeeded(
            await withCertificate({ domainName: "*.example.com", subjectAlternativeNames: ["example.com", "cdn.example.org"], hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        );
        const certificate = single(evaluation, CERTIFICATE);
        const options = certificate.state.domainValidationOptions as { domainName: string; resourceRecordName: string; resourceRecordValue: string }[];
        const records = ofType(evaluation, RECORD);
        // "*.example.com" and "example.com" share ACM's record: writing it twice would fail.
        expect(records.map((r) => r.name)).to.deep.equal(["acm-cloudfront-validation-example.com", "acm-cloudfront-validation-cdn.example.org"]);
        for (const [record, domain] of [[records[0], "example.com"], [records[1], "cdn.example.org"]] as const) {
            const option = options.find((o) => o.domainName === domain)!;
            expect(record.inputs).to.deep.include({ zoneId: "Z0123456789ABCDEFGHIJ", name: option.resourceRecordName, type: "CNAME", records: [option.resourceRecordValue] });
            // A record already in the zone (ACM reuses it for every certificate of the name) is taken over, not a failed deploy.
            expect(record.inputs.allowOverwrite).to.equal(true);
        }
        const validation = single(evaluation, VALIDATION);
        expect(validation.inputs.certificateArn).to.equal(certificate.state.arn);
        expect(validation.inputs.validationRecordFqdns).to.deep.equal(records.map((r) => r.state.fqdn));
        expect((evaluation.outputs.acmCloudfront as Record<string, unknown>).certificateArn).to.equal(certificate.state.arn);
    });

    it("without a hosted zone, creates no records and exports the ones to create by hand", async () => {
        const evaluation = succeeded(await withCertificate({ domainName: "www.example.com", subjectAlternativeNames: ["example.com"] }));
        expect(ofType(evaluation, RECORD)).to.deep.equal([]);
        expect(ofType(evaluation, VALIDATION)).to.deep.equal([]);
        const options = single(evaluation, CERTIFICATE).state.domainValidationOptions as { resourceRecordName: string; resourceRecordType: string; resourceRecordValue: string }[];
        const exported = evaluation.outputs.acmCloudfront as { domainName: string; validationRecords: unknown[] };
        expect(exported.domainName).to.equal("www.example.com");
        expect(exported.validationRecords).to.deep.equal(options.map((o) => ({ name: o.resourceRecordName, type: o.resourceRecordType, value: o.resourceRecordValue })));
        expect(exported.validationRecords).to.have.length(2);
    });

    it("refuses bad domain names, a bad zone id and an unknown setting, all at once", async () => {
        const message = await org.refused(stack, {
            "refarch:acmCloudfront": JSON.stringify({ domainName: "https://example.com", subjectAlternativeNames: ["exa mple.com", "www.example.com", "www.example.com"], hostedZoneId: "example.com", region: "us-east-1" }),
        });
        expect(message).to.include(`refarch:acmCloudfront.region: "us-east-1" is not a setting of refarch:acmCloudfront (valid: domainName, subjectAlternativeNames, hostedZoneId)`);
        expect(message).to.include(`refarch:acmCloudfront.domainName: "https://example.com" is not a domain name a certificate can cover`);
        expect(message).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "exa mple.com" is not a domain name`);
        expect(message).to.include(
            `refarch:acmCloudfront.subjectAlternativeNames: "www.example.com" is listed twice (the domain name is already on the certificate). Fix: in Pulumi.${stack}.yaml, under config: refarch:acmCloudfront:, list www.example.com once`,
        );
        expect(message).to.include(`refarch:acmCloudfront.hostedZoneId: "example.com" is not a Route 53 hosted zone id`);
    });

    it("takes the domain names ACM does: one-letter labels, two-letter and long top-level domains, a wildcard", async () => {
        const names = ["a.example.com", "example.io", "shop.example.museum", "*.example.info"];
        const certificate = single(succeeded(await withCertificate({ domainName: names[0], subjectAlternativeNames: names.slice(1) })), CERTIFICATE);
        expect(certificate.inputs).to.deep.include({ domainName: names[0], subjectAlternativeNames: names.slice(1) });
    });

    it("refuses a name or zone id with anything around it, and alternative names not in a list, each with the value to set", async () => {
        const fix = `Fix: in Pulumi.${stack}.yaml, under config: refarch:acmCloudfront: set`;
        const message = await org.refused(stack, {
            // A URL's path after the name; a zone id as the Route 53 API returns it, with its /hostedzone/ prefix.
            "refarch:acmCloudfront": JSON.stringify({ domainName: "www.example.com/shop", subjectAlternativeNames: "example.com", hostedZoneId: "/hostedzone/Z0123456789ABCDEFGHIJ" }),
        });
        expect(message).to.include(`refarch:acmCloudfront.domainName: "www.example.com/shop" is not a domain name a certificate can cover (lowercase labels, optionally *. first). ${fix} domainName: www.example.com`);
        expect(message).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "example.com" must be a list of domain names. ${fix} subjectAlternativeNames: [example.com]`);
        expect(message).to.include(`refarch:acmCloudfront.hostedZoneId: "/hostedzone/Z0123456789ABCDEFGHIJ" is not a Route 53 hosted zone id. ${fix} hostedZoneId: Z0123456789ABCDEFGHIJ`);
        const trailing = await org.refused(stack, { "refarch:acmCloudfront": JSON.stringify({ domainName: "www.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ.example.com" }) });
        expect(trailing).to.include(`refarch:acmCloudfront.hostedZoneId: "Z0123456789ABCDEFGHIJ.example.com" is not a Route 53 hosted zone id`);
    });

    it("refuses a missing domain name and a domain repeated among the alternative names", async () => {
        const missing = await org.refused(stack, { "refarch:acmCloudfront": JSON.stringify({ subjectAlternativeNames: ["example.com"] }) });
        expect(missing).to.include(`refarch:acmCloudfront.domainName: (not set) is not a domain name`);
        const repeated = await org.refused(stack, { "refarch:acmCloudfront": JSON.stringify({ domainName: "example.com", subjectAlternativeNames: ["example.com"] }) });
        expect(repeated).to.include(`refarch:acmCloudfront.subjectAlternativeNames: "example.com" is listed twice`);
    });
});
