// ACM and its DNS validation (acm-cloudfront): ACM gives one CNAME per distinct name; "*.x" and "x" share theirs.
import { hashOf, ResourceMock } from "./context";

export const acmResources: Record<string, ResourceMock> = {
    "aws:acm/certificate:Certificate": (inputs, r) => {
        const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])];
        const domainValidationOptions = names.map((domainName) => {
            const base = domainName.replace(/^\*\./, "");
            const token = hashOf(`${r.accountId}/${base}`);
            return {
                domainName,
                resourceRecordName: `_${token.slice(0, 32)}.${base}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${token.slice(32, 64)}.xlfgrmvvlj.acm-validations.aws.`,
            };
        });
        const arn = r.arn("acm", `certificate/${r.uuid}`);
        return { id: arn, state: { ...inputs, arn, domainValidationOptions, status: "PENDING_VALIDATION" } };
    },
    "aws:acm/certificateValidation:CertificateValidation": (inputs) => ({ id: "2026-01-01 00:00:00 +0000 UTC", state: inputs }),
    "aws:route53/record:Record": (inputs) => ({ id: `${inputs.zoneId}_${inputs.name}_${inputs.type}`, state: { ...inputs, fqdn: String(inputs.name).replace(/\.$/, "") } }),
};
