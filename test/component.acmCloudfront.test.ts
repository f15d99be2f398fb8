// The AcmCloudfront component alone: a us-east-1 certificate naming each domain once, validated in the zone when given.
import { expect } from "chai";
import { AcmCloudfront, CLOUDFRONT_CERTIFICATE_REGION } from "../src/components/acmCloudfront";
import { buildAlone, only, resourcesOf } from "./componentHarness";

const CERTIFICATE = "aws:acm/certificate:Certificate";

describe("AcmCloudfront component, built alone", () => {
    it("defaults to no alternative names and no hosted zone: the certificate alone, its records exported", async () => {
        const evaluation = await buildAlone(() => void new AcmCloudfront("cert", { domainName: "www.example.com", provider: {} }));
        expect(evaluation.error).to.equal(undefined);
        expect(only(evaluation, CERTIFICATE).inputs).to.deep.include({ domainName: "www.example.com", subjectAlternativeNames: [], validationMethod: "DNS" });
        expect(only(evaluation, "pulumi:providers:aws").inputs.region).to.equal(CLOUDFRONT_CERTIFICATE_REGION);
        expect(resourcesOf(evaluation, "aws:route53/record:Record")).to.deep.equal([]);
        const component = only(evaluation, "refarch:cdn:AcmCloudfront");
        expect(component.outputs.certificateArn).to.equal(only(evaluation, CERTIFICATE).state.arn);
        expect(component.outputs.validationRecords).to.have.length(1);
    });

    it("names an alternative name listed twice once, and with a hosted zone writes one record per distinct name", async () => {
        const evaluation = await buildAlone(
            () => void new AcmCloudfront("cert", { domainName: "example.com", subjectAlternativeNames: ["*.example.com", "api.example.com", "api.example.com"], hostedZoneId: "Z0123456789ABCDEFGHIJ", provider: {} }),
        );
        expect(only(evaluation, CERTIFICATE).inputs.subjectAlternativeNames).to.deep.equal(["*.example.com", "api.example.com"]);
        // example.com and *.example.com share one validation record.
        expect(resourcesOf(evaluation, "aws:route53/record:Record").map((r) => r.name)).to.have.members(["cert-validation-example.com", "cert-validation-api.example.com"]);
        expect(only(evaluation, "refarch:cdn:AcmCloudfront").outputs.certificateArn).to.equal(only(evaluation, "aws:acm/certificateValidation:CertificateValidation").state.certificateArn);
    });
});
