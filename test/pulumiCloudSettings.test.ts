// refarch:pulumiCloud: bad values are refused with the file, key, value and a fix correct as written, and nothing is
// created; the default previews no protected stage on a pull request.
import { expect } from "chai";
import { validateConfig } from "../src/config";
import { problemsOf, raw } from "./configFixture";
import { org, ROOT } from "./harness";

describe("config: refarch:pulumiCloud", () => {
    it("defaults to on, with protected stages' pull-request previews off", () => {
        expect(validateConfig(raw("prod", { "refarch:pulumiCloud": undefined })).pulumiCloud).to.deep.equal({ enabled: true, protectedPreviews: "off" });
        expect(validateConfig(raw("prod", { "refarch:pulumiCloud": JSON.stringify({ protectedPreviews: "reviewed" }) })).pulumiCloud.protectedPreviews).to.equal("reviewed");
    });

    it("refuses a mode it does not have, a non-boolean switch and an unknown field, each naming Pulumi.yaml, the key and the value", () => {
        expect(problemsOf(raw("prod", { "refarch:pulumiCloud": JSON.stringify({ protectedPreviews: "on" }) }))).to.deep.equal([
            'Pulumi.yaml: refarch:pulumiCloud.protectedPreviews: "on" must be one of off, reviewed. Fix: in Pulumi.yaml, under config: refarch:pulumiCloud: value: set protectedPreviews: "off"',
        ]);
        const [enabled] = problemsOf(raw("prod", { "refarch:pulumiCloud": JSON.stringify({ enabled: "yes" }) }));
        expect(enabled).to.match(/^Pulumi\.yaml: refarch:pulumiCloud\.enabled: "yes" must be true or false\. Fix: .*set enabled: true$/);
        expect(problemsOf(raw("prod", { "refarch:pulumiCloud": JSON.stringify({ previews: "off" }) }))).to.deep.equal([
            'Pulumi.yaml: refarch:pulumiCloud.previews: "off" is not a setting of refarch:pulumiCloud (valid: enabled, protectedPreviews). Fix: in Pulumi.yaml, under config: refarch:pulumiCloud: value: rename previews to protectedPreviews (or remove it)',
        ]);
        // The fix, applied as written, is valid.
        expect(validateConfig(raw("prod", { "refarch:pulumiCloud": JSON.stringify({ protectedPreviews: "off" }) })).pulumiCloud.protectedPreviews).to.equal("off");
    });

    it("a bad value stops root before it registers anything", async () => {
        const message = await org.refused(ROOT, { "refarch:pulumiCloud": JSON.stringify({ protectedPreviews: "always" }) });
        expect(message).to.include("refarch:pulumiCloud.protectedPreviews");
    });
});
