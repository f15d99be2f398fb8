// A config value reaches the program as text (Pulumi hands every value over as a string): JSON is read as JSON,
// wherever its first character comes after leading whitespace, and anything else is kept as the text written, so an
// error quotes what the user wrote.
import { expect } from "chai";
import { ConfigError, validateConfig } from "../src/config";
import { org, ORG, TESTING } from "./harness";

/** A stack whose stage may be protected or not (testing refuses protection). */
const stack = org.stacks.find((s) => org.stageOf(s) !== TESTING && org.stageOf(s) !== ORG)!;

function withProtect(text: string) {
    return validateConfig({ organization: org.organization, project: org.name, stack, values: { ...org.config(stack), "refarch:protect": text } });
}

describe("config values: JSON read as JSON, anything else kept as written", () => {
    it("JSON after leading whitespace, as a YAML block can leave it, is read as JSON", () => {
        expect(withProtect(" true").protect).to.equal(true);
        expect(withProtect("\n  false").protect).to.equal(false);
    });

    it("text that starts like JSON but is not (tru) is quoted as written in the error", () => {
        let error: unknown;
        try {
            withProtect("tru");
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).problems).to.deep.equal([
            `Pulumi.${stack}.yaml: refarch:protect: "tru" must be true or false. Fix: in Pulumi.${stack}.yaml, under config: set refarch:protect: true`,
        ]);
    });
});
