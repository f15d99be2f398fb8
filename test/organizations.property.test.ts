// Any valid organization, not only the sample: fast-check generates organizations as README documents them (random
// stages in random regions, account ids with leading zeros or `{ email }` accounts the org stack creates, with or
// without the AWS Organization managed and its units and region guardrail, refarch:organization set or not, the
// default or custom roles, teams with every grant form, users in both forms with and without console sign-in, the
// baseline's switches and budget, every catalog component on and off), writes each into a scratch project, and holds
// the harness's whole-organization proofs on it (test/harness/proofs.ts: `npm start` plans it; the IAM simulator's
// access matrix is exactly the grants; users, login profiles, stack reads and guardrails as the config says). The seed
// is fixed; a failure prints the seed, the case and the generated Pulumi files. Budget: RUNS organizations within
// BUDGET_MS.
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { BASELINE_SWITCHES } from "../src/config/settings/baseline";
import { AUDIT, editedProject, org, Organization, organizationAt, ProjectFile, ROOT, TESTING, wholeOrganizationDisagreements } from "./harness";

const SEED = 20261207;
/** Organizations per run, and the time they may take: 8 took 3.0 to 3.3 s on this 2-CPU machine, in `npm test` and alone while other suites ran (load 10); 150 took 67 s, 200 took 71 s. */
const RUNS = 8;
const BUDGET_MS = 10_000;
/** A real public key, as `gpg --export | base64 -w0` prints it (test/keys/README.md). */
const REAL_KEY = fs.readFileSync(path.join(__dirname, "keys", "dana.b64"), "utf8").trim();

const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-northeast-1", "ap-southeast-2", "sa-east-1", "ca-central-1"];
const WORKLOADS = ["prod", "staging", "dev", TESTING, "qa", "sandbox", "data-lake"];
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const READONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** A 12-digit account id, leading zeros kept (written quoted). */
const accountId = fc.oneof(fc.bigInt({ min: 1n, max: 999_999_999_999n }), fc.bigInt({ min: 1n, max: 99_999_999n })).map((n) => n.toString().padStart(12, "0"));

const organizationSpec = fc
    .record({
        namespace: fc.stringMatching(/^[a-z][a-z0-9]{1,5}(-[a-z0-9]{1,3})?$/),
        pulumiOrganization: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{2,10}$/), { nil: undefined }),
        audit: fc.boolean(),
        workloads: fc.uniqueArray(fc.constantFrom(...WORKLOADS), { minLength: 0, maxLength: 3 }),
        manages: fc.boolean(),
        customRoles: fc.boolean(),
        repository: fc.boolean(),
    })
    .chain((base) => {
        const stages = [ROOT, ...(base.audit ? [AUDIT] : []), ...base.workloads];
        const roles = base.customRoles ? ["admin", "readonly", "operator"] : ["admin", "readonly"];
        const grantable = [...stages, "*"];
        const roleValue = fc.oneof(fc.constantFrom(...roles), fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: 2 }));
        // Every grant form: a stage or "*" to a role or a list of roles, and the audit account's logs reader.
        const access = fc
            .dictionary(fc.constantFrom(...grantable), roleValue, { minKeys: 1, maxKeys: 3 })
            .chain((a) => (base.audit ? fc.boolean().map((logs) => (logs ? { ...a, [AUDIT]: [...new Set([a[AUDIT] ?? [], "logs-reader"].flat())] } : a)) : fc.constant(a)));
        const teamNames = fc.uniqueArray(fc.constantFrom("platform", "developers", "auditors", "data-team"), { minLength: 1, maxLength: 3 });
        return fc.record({
            base: fc.constant(base),
            stages: fc.constant(stages),
            roles: fc.constant(roles),
            requireMfaOff: fc.boolean(),
            // Each stage's account: its own id, or `{ email }` for the org stack to create (only with the organization managed).
            ids: fc.uniqueArray(accountId, { minLength: stages.length, maxLength: stages.length }),
            created: fc.tuple(...stages.map(() => fc.boolean().map((created) => base.manages && created))),
            regions: fc.tuple(...stages.map(() => fc.constantFrom(...REGIONS))),
            units: fc.boolean(),
            regionGuardrail: fc.boolean(),
            teams: teamNames.chain((names) => fc.tuple(...names.map((n) => access.map((a) => [n, a] as const)))),
            users: fc.uniqueArray(fc.constantFrom("ann", "ben.o", "cho_li", "dee-x", "eve@example.com"), { minLength: 1, maxLength: 3 }),
            // Per user: the list form, { teams }, or a console user with a real key or a Keybase name.
            userForms: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
            catalog: fc.tuple(
                ...stages.map(() =>
                    fc.record({
                        network: fc.option(fc.record({ octet: fc.nat(255), zones: fc.option(fc.constantFrom(2, 3), { nil: undefined }), nat: fc.option(fc.constantFrom("None", "Single", "OnePerAz"), { nil: undefined }) }), { nil: undefined }),
                        aurora: fc.boolean(),
                        acm: fc.option(fc.boolean(), { nil: undefined }),
                        // The baseline's switches turned off, and a budget, or neither.
                        baseline: fc.option(fc.record({ off: fc.subarray([...BASELINE_SWITCHES]), budget: fc.boolean() }), { nil: undefined }),
                    }),
                ),
            ),
        });
    });
type OrganizationSpec = typeof organizationSpec extends fc.Arbitrary<infer T> ? T : never;

/** The Pulumi files of a generated organization, as a user would write them. */
function filesOf(spec: OrganizationSpec): Record<string, ProjectFile> {
    const { base, stages } = spec;
    const accounts = Object.fromEntries(stages.map((s, i) => [s, spec.created[i] ? { email: `aws+${s}@${base.namespace}.example.com` } : spec.ids[i]]));
    const region = (stage: string) => spec.regions[stages.indexOf(stage)];
    const members = stages.filter((s) => s !== ROOT);
    const manages = base.manages || Object.values(accounts).some((a) => typeof a === "object");
    const config: Record<string, unknown> = {
        "pulumi:disable-default-providers": ["aws"],
        "refarch:namespace": { value: base.namespace },
        "refarch:accounts": { value: accounts },
        ...(base.pulumiOrganization && { "refarch:organization": { value: base.pulumiOrganization } }),
        ...(base.customRoles && {
            "refarch:roles": {
                value: {
                    admin: { policyArns: [ADMIN] },
                    readonly: { policyArns: [READONLY], maxSessionDuration: 7200 },
                    operator: { policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"], ...(spec.requireMfaOff && { requireMfa: false }) },
                },
            },
        }),
        ...(base.repository && { "refarch:deployer": { value: { githubRepository: `${base.namespace}/infrastructure` } } }),
        ...(manages && {
            "refarch:awsOrganization": {
                value: {
                    ...(spec.units && members.length > 0 && { units: { security: members.filter((s) => s === AUDIT), workloads: members.filter((s) => s !== AUDIT) } }),
                    ...(spec.regionGuardrail && members.length > 0 && { guardrails: { allowedRegions: [...new Set(members.map(region))] } }),
                },
            },
        }),
    };
    if (spec.units && manages && !members.includes(AUDIT)) delete (config["refarch:awsOrganization"] as any).value.units?.security;
    const files: Record<string, ProjectFile> = { "Pulumi.yaml": { name: "refarch", runtime: { name: "nodejs", options: { typescript: true } }, main: "", config } };
    spec.stages.forEach((stage, i) => {
        const { network, aurora, acm, baseline } = spec.catalog[i];
        const workload = stage !== ROOT && stage !== AUDIT;
        const vpc = workload && network && { cidrBlock: `10.${network.octet}.0.0/16`, ...(network.zones && { numberOfAvailabilityZones: network.zones }), ...(network.nat && { natGateways: { strategy: network.nat } }) };
        files[`Pulumi.${stage}.yaml`] = {
            config: {
                "aws:region": region(stage),
                ...(stage === TESTING && { "refarch:stage": TESTING }),
                ...(baseline && {
                    "refarch:baseline": { ...Object.fromEntries(baseline.off.map((s) => [s, false])), ...(baseline.budget && { budget: { amount: 250, email: `finance@${base.namespace}.example.com` } }) },
                }),
                ...(vpc && { "refarch:network": vpc }),
                ...(vpc && aurora && { "refarch:auroraPostgres": {} }),
                // ACM with a Route 53 zone (validated there) and without one (validated by the DNS owner).
                ...(workload && acm !== undefined && { "refarch:acmCloudfront": { domainName: `${stage}.${base.namespace}.example.com`, ...(acm && { hostedZoneId: "Z0123456789ABCDEFGHIJ" }) } }),
            },
        };
    });
    if (manages) files["Pulumi.org.yaml"] = { config: { "aws:region": region(ROOT) } };
    const teamNames = spec.teams.map(([n]) => n);
    const root = files["Pulumi.root.yaml"].config;
    root["refarch:teams"] = Object.fromEntries(spec.teams.map(([n, access]) => [n, { access }]));
    root["refarch:users"] = Object.fromEntries(
        spec.users.map((user, i) => {
            const teams = [teamNames[i % teamNames.length]];
            const form = spec.userForms[i];
            const keybase = `keybase:${user.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 16)}`;
            return [user, form === 0 ? teams : form === 1 ? { teams } : { teams, pgpKey: form === 2 ? REAL_KEY : keybase, console: true }];
        }),
    );
    return files;
}

/** A generated organization written into a scratch project that runs this checkout's program. */
function projectOf(spec: OrganizationSpec): Organization {
    return organizationAt(
        editedProject((files) => {
            const main = files["Pulumi.yaml"].main;
            for (const name of Object.keys(files)) delete files[name];
            Object.assign(files, filesOf(spec));
            files["Pulumi.yaml"].main = main;
        }),
    );
}

describe("any valid organization (property-based): the whole-organization proofs hold", function () {
    this.timeout(4 * BUDGET_MS);

    it("the organization under test", async () => {
        expect(await wholeOrganizationDisagreements(org)).to.deep.equal([]);
    });

    it(`${RUNS} generated organizations (seed ${SEED}), within ${BUDGET_MS / 1000} s`, async () => {
        const started = Date.now();
        await fc.assert(
            fc.asyncProperty(organizationSpec, async (spec) => {
                const o = projectOf(spec);
                const disagreements = await wholeOrganizationDisagreements(o);
                if (disagreements.length > 0) {
                    const files = fs.readdirSync(o.dir).filter((f) => /^Pulumi.*\.yaml$/.test(f)).map((f) => `--- ${f}\n${fs.readFileSync(path.join(o.dir, f), "utf8")}`);
                    throw new Error(`seed ${SEED}: the generated organization in ${o.dir} disagrees with its plan:\n${disagreements.join("\n")}\n${files.join("\n")}`);
                }
            }),
            // No shrinking: each case evaluates a whole organization, and the case printed is already small.
            { numRuns: RUNS, seed: SEED, endOnFailure: true },
        );
        expect(Date.now() - started, "the property test's time budget").to.be.below(BUDGET_MS);
    });

    it("the generator covers what README documents, over the cases it draws (checked on 300 cases, no evaluation)", () => {
        const seen = new Set<string>();
        for (const spec of fc.sample(organizationSpec, { numRuns: 300, seed: SEED })) {
            const files = filesOf(spec);
            const text = yaml.dump(files);
            const users = Object.values(files["Pulumi.root.yaml"].config["refarch:users"]);
            if (users.some(Array.isArray)) seen.add("user as a list");
            if (users.some((u: any) => !Array.isArray(u) && !u.console)) seen.add("user as { teams }");
            if (users.some((u: any) => u.console && u.pgpKey === REAL_KEY)) seen.add("console user with a base64 key");
            if (users.some((u: any) => u.console && String(u.pgpKey).startsWith("keybase:"))) seen.add("console user with a Keybase name");
            if (text.includes("email:")) seen.add("created account");
            if (/: '0\d{11}'/.test(text)) seen.add("id with a leading zero");
            if (files["Pulumi.org.yaml"]) seen.add("org stack");
            else seen.add("no org stack");
            if (text.includes("units:")) seen.add("units");
            if (text.includes("allowedRegions")) seen.add("region guardrail");
            if (text.includes("refarch:organization")) seen.add("refarch:organization");
            if (text.includes("requireMfa: false")) seen.add("a role without MFA");
            for (const key of ["refarch:baseline", "budget:", "passwordPolicy: false", "refarch:network", "refarch:auroraPostgres", "hostedZoneId", "refarch:acmCloudfront", "logs-reader", "'*'", "refarch:roles"]) if (text.includes(key)) seen.add(key);
            const regions = new Set(Object.entries(files).filter(([f]) => f !== "Pulumi.yaml").map(([, f]) => f.config["aws:region"]));
            if (regions.size > 2) seen.add("three regions");
        }
        expect([...seen].sort()).to.deep.equal(
            [
                "user as a list", "user as { teams }", "console user with a base64 key", "console user with a Keybase name", "created account", "id with a leading zero", "org stack", "no org stack",
                "units", "region guardrail", "refarch:organization", "a role without MFA", "refarch:network", "refarch:auroraPostgres", "hostedZoneId", "refarch:acmCloudfront", "logs-reader", "'*'",
                "refarch:roles", "three regions", "refarch:baseline", "budget:", "passwordPolicy: false",
            ].sort(),
        );
    });
});
