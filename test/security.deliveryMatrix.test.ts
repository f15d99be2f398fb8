// The delivery path's threat model as a matrix (src/security/deliveryMatrix.ts): every identity that can act without a
// person's IAM user, presented for every stack T, against every account: which deployment role it assumes, and whether it
// can then read an S3 object, change the trail that logs the account or change the account's guardrail-exempt role.
// Each cell is decided over the plan of the organization under test (IAM simulator; OIDC claims, which it cannot
// evaluate, on the trust documents) and compared with what the organization's config says it must be, below. README's
// "Security model" table is this matrix, summarized for the shipped organization (test/readme.test.ts).
import { expect } from "chai";
import { githubSubjectPrefixOf } from "../src/components/deployer";
import { previewOf } from "../src/components/pulumiCloudAccess";
import { Capability, DELIVERY_IDENTITIES } from "../src/security/deliveryMatrix";
import { AUDIT, configOf as configIn, deliveryMatrixOf, deliveryStages, deliveryTargets, meeting, NEEDS, ORG, org as underTest, ROOT, TESTING } from "./harness";

// The organization under test, or a variant with a testing stage (review stacks) and a GitHub repository (the GitHub
// rows; without one no GitHub token reaches anything, which expected() also covers). Its organization is managed or not
// as configured: with one the SCPs hold the roles too, without one only their own policies and the review boundary do.
const org = meeting([NEEDS.testing, NEEDS.repository], underTest);
const targets = deliveryTargets(org);
const stages = deliveryStages(org);
const configOf = (stack: string) => configIn(org, stack);
const matrix = () => deliveryMatrixOf(org);

/** What the config says each cell must be: the threat model, written from the rules, not from the plan. */
function expected(identity: string, target: string, stage: string, capability: Capability): boolean {
    const config = configOf(target);
    const prefix = githubSubjectPrefixOf(config.deployer);
    const deployerOn = config.deployer.enabled;
    const account = org.identityOf(target);
    const stacksIn = (s: string) => targets.filter((t) => org.identityOf(t) === s);
    // A protected stage with no repository has no deployer: nothing may deploy it but a person (deployer.ts).
    const hasDeployer = (s: string) => deployerOn && (prefix !== undefined || stacksIn(s).some((t) => !org.isProtected(t)));
    const previewedOpenly = (s: string) => stacksIn(s).some((t) => previewOf(t, config.pulumiCloud.protectedPreviews) === "open");
    const changesThrough = (reached: "deployer" | "previewer" | "review role" | undefined): boolean => {
        if (capability === "assume deployer") return reached === "deployer";
        if (capability === "assume previewer") return reached === "previewer";
        if (capability === "assume review role") return reached === "review role";
        if (reached === "previewer" || reached === undefined) return false;
        if (capability === "read an S3 object") return true;
        if (reached === "review role") return false;
        // The deployer: exempt in its own account. The trail that logs it is its own, or the organization trail in the
        // management account, which only root's deployer changes; there is none without an audit stage.
        if (capability === "change the trail") return org.has(AUDIT) && (!org.hasOrganizationTrail || stage === ROOT);
        return true;
    };
    const at = (s: string, kind: "deployer" | "previewer" | "review role", when: boolean) => changesThrough(when && stage === s ? kind : undefined);
    switch (identity) {
        case "GitHub pull_request job":
            return changesThrough(deployerOn && prefix !== undefined && previewedOpenly(stage) ? "previewer" : undefined);
        case "GitHub deploy job: main, environment T":
            return at(account, "deployer", prefix !== undefined && hasDeployer(account));
        case "Pulumi Deployments preview of T":
            return at(account, "previewer", deployerOn);
        case "Pulumi Deployments update of T":
        case "Pulumi Deployments refresh of T (drift)":
            // Protected stacks, and org (root's deployer cannot see its protection), change only through GitHub's reviewed job.
            return at(account, "deployer", hasDeployer(account) && !org.isProtected(target) && org.stageOf(target) !== ORG);
        case "Pulumi Deployments update of a review stack":
            return at(TESTING, "review role", deployerOn && org.has(TESTING));
        default:
            // Every other identity: a pull request naming an environment, another branch, main outside an environment, a
            // look-alike repository or owner, another Pulumi organization, a person.
            return false;
    }
}

describe("security: the delivery path's threat model, cell by cell", function () {
    this.timeout(300_000);

    it("every identity, for every stack, in every account: assumes exactly the roles and gains exactly the reach the threat model says", async () => {
        const cells = await matrix();
        expect(cells).to.have.length(DELIVERY_IDENTITIES.length * targets.length * stages.length * 6);
        const wrong = cells.filter((c) => c.allowed !== expected(c.identity, c.target, c.stage, c.capability)).map((c) => `${c.identity} (T=${c.target}) in ${c.stage}: ${c.capability} ${c.allowed ? "allowed" : "denied"}`);
        expect(wrong).to.deep.equal([]);
    });

    it("the negative cases are real: each identity that reaches nothing is tried against roles that others do reach", async () => {
        const cells = await matrix();
        const reachedBy = (identity: string) => cells.filter((c) => c.identity === identity && c.allowed).length;
        // Without these the "reaches nothing" rows would prove nothing.
        expect(reachedBy("GitHub deploy job: main, environment T"), "the deploy job reaches deployers").to.be.greaterThan(0);
        expect(reachedBy("GitHub pull_request job"), "pull requests reach previewers").to.be.greaterThan(0);
        expect(reachedBy("Pulumi Deployments update of a review stack"), "review stacks reach the review role").to.be.greaterThan(0);
        for (const identity of ["GitHub pull_request job naming environment T", "GitHub job from another branch in environment T", "GitHub deploy job of a look-alike repository", "Pulumi Deployments update of T by another Pulumi organization"]) {
            expect(reachedBy(identity), identity).to.equal(0);
        }
    });
});
