// `npm start` says what it assumes rather than knows: which Pulumi organization every StackReference and Pulumi
// OIDC trust names, and where that name came from; and which output values the mocks made up. Each expectation is
// derived from the config of the project planned: the organization under test as it is, and a copy of it with
// refarch:organization flipped (unset if it was set, set if it was not) and every user signing in to the console.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ORGANIZATION } from "../src/offline/engine";
import { MOCK_OUTPUT_FIELDS } from "../src/plan/assumptions";
import { StackPlan, STACK_REFERENCE_TYPE } from "../src/plan/model";
import { addTeam, editedProject, org, Organization, organizationAt, PlanResult, ROOT, runPlan, scratchDir, setProjectConfig } from "./harness";

const KEY = "refarch:organization";

/** The Pulumi organization a project's stacks name, as its Pulumi.yaml sets it; undefined when unset. */
const configuredOrganization = (o: Organization): string | undefined => o.project.projectConfig[KEY];

/** Every Pulumi organization the written plan names: in StackReference names and in Pulumi OIDC subjects. */
function organizationsNamed(out: string): string[] {
    const plans = fs.readdirSync(out).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(fs.readFileSync(path.join(out, f), "utf8")) as StackPlan);
    const references = plans.flatMap((p) => p.resources.filter((r) => r.type === STACK_REFERENCE_TYPE).map((r) => String(r.inputs.name).split("/")[0]));
    expect(references, "no StackReference in the plan").to.not.be.empty;
    const subjects = plans.flatMap((p) => [...JSON.stringify(p.resources).matchAll(/pulumi:deploy:org:([^:]+):/g)].map((m) => m[1]));
    return [...new Set([...references, ...subjects])];
}

/** A Keybase key name for `user`: Keybase names are 2 to 16 letters, digits or underscores. */
const keybaseKeyOf = (user: string) => `keybase:${user.replace(/[^A-Za-z0-9_]/g, "_").padEnd(2, "_").slice(0, 16)}`;

/** The copy: refarch:organization flipped, and every user of root's file signing in to the console with a PGP key. */
const flipped = (() => {
    const configured = configuredOrganization(org);
    const dir = editedProject((files) => {
        if (configured === undefined) setProjectConfig(files, KEY, `${org.namespace}-pulumi`);
        else delete files["Pulumi.yaml"].config[KEY];
        // An organization without users gets one, in a team of its own, so there is a first password to mark.
        if (Object.keys(org.users).length === 0) addTeam("onboarding", org.stages[0], org.roleNames[0])(files, org);
        const users = files[`Pulumi.${ROOT}.yaml`].config["refarch:users"] as Record<string, unknown>;
        for (const [user, spec] of Object.entries(users)) users[user] = { teams: org.users[user] ?? spec, pgpKey: keybaseKeyOf(user), console: true };
    });
    return organizationAt(dir);
})();

let flippedRun: Promise<{ result: PlanResult; out: string }> | undefined;
const flippedPlan = () =>
    (flippedRun ??= (async () => {
        const out = path.join(scratchDir("refarch-plan-assumptions-"), "plan");
        return { result: await runPlan("--project", flipped.dir, "--out", out), out };
    })());

describe("npm start says what it assumes", function () {
    this.timeout(180_000);

    for (const [label, of, planOf] of [
        ["the organization under test", org, () => org.plan()],
        [`a copy with ${KEY} ${configuredOrganization(org) === undefined ? "set" : "unset"}`, flipped, flippedPlan],
    ] as const) {
        it(`names the Pulumi organization its StackReferences and OIDC trusts name, and where it came from: ${label}`, async () => {
            const { result, out } = await planOf();
            expect(result.code, result.stderr).to.equal(0);
            const configured = configuredOrganization(of);
            const expected = configured ?? DEFAULT_ORGANIZATION;
            const line = result.stdout.split("\n")[1];
            expect(line).to.equal(
                configured === undefined
                    ? `Pulumi organization: ${DEFAULT_ORGANIZATION} (assumed: ${KEY} is not set in Pulumi.yaml; set it to your Pulumi Cloud organization, which every StackReference and Pulumi OIDC trust names)`
                    : `Pulumi organization: ${configured} (${KEY})`,
            );
            expect(organizationsNamed(out)).to.deep.equal([expected]);
        });
    }

    it("--json says it on stderr, leaving stdout to the JSON", async () => {
        const result = await runPlan("--project", flipped.dir, "--json", "--stack", flipped.waves[0][0], "--out", path.join(scratchDir("refarch-plan-assumptions-"), "plan"));
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stderr.split("\n")[1]).to.match(new RegExp(`^Pulumi organization: ${configuredOrganization(flipped) ?? DEFAULT_ORGANIZATION} `));
        expect(() => JSON.parse(result.stdout)).to.not.throw();
    });

    it("marks each value the mocks made up for a console user's first password as a mock, and nothing else", async () => {
        const { result, out } = await flippedPlan();
        expect(result.code, result.stderr).to.equal(0);
        const consoleUsers = Object.keys(flipped.consoleUsers);
        expect(consoleUsers, "the copy has console users").to.not.be.empty;
        const root: StackPlan = JSON.parse(fs.readFileSync(path.join(out, `${ROOT}.json`), "utf8"));
        const passwords = root.outputs.initialPasswords as Record<string, Record<string, string>>;
        expect(Object.keys(passwords).sort()).to.deep.equal([...consoleUsers].sort());
        // Each made-up value is printed with its mark beside it; no other line carries one.
        const marked = result.stdout.split("\n").filter((l) => l.includes("# mock"));
        const expected = consoleUsers.flatMap((user) => Object.keys(MOCK_OUTPUT_FIELDS).map((field) => `${field}: ${passwords[user][field]}  # ${MOCK_OUTPUT_FIELDS[field]}`));
        expect(marked.map((l) => l.trim()).sort()).to.deep.equal(expected.sort());
        expect(Object.values(MOCK_OUTPUT_FIELDS).every((why) => why.startsWith("mock: "))).to.equal(true);
    });
});
