// A team's grants become managed policies in root (src/components/rootIdentity.ts): packed in the order given, each
// up to CHUNK_BUDGET characters (IAM allows 6,144; the rest is room for ARNs longer than predicted), and a new policy
// only when the next grant would not fit. Checked at the exact boundary, on grants of this file's own.
import { expect } from "chai";
import { assumeRolesPolicy, CHUNK_BUDGET, chunkGrants, policySize } from "../src/policies";

const arn = (account: number, name: string) => `arn:aws:iam::${String(account).padStart(12, "1")}:role/${name}`;
const grant = (account: number, name: string) => ({ key: `stage${account}-${name}`, predictedArn: arn(account, name) });
const size = (grants: { predictedArn: string }[]) => policySize(assumeRolesPolicy(grants.map((g) => g.predictedArn)));

/** `count` grants whose policy together is exactly `total` characters: the last role's name takes up the difference. */
function grantsOfSize(count: number, total: number) {
    const grants = Array.from({ length: count }, (_, i) => grant(i, `role-${i}`));
    const short = total - size(grants);
    expect(short, "room to pad").to.be.at.least(0);
    grants[count - 1] = grant(count - 1, `role-${count - 1}${"x".repeat(short)}`);
    expect(size(grants)).to.equal(total);
    return grants;
}

describe("team policies: grants packed into managed policies", () => {
    it("grants whose policy is exactly the budget stay in one policy; one character more opens a second, holding the last grant", () => {
        const exact = grantsOfSize(60, CHUNK_BUDGET);
        expect(chunkGrants(exact)).to.deep.equal([exact]);
        const over = grantsOfSize(60, CHUNK_BUDGET + 1);
        expect(chunkGrants(over)).to.deep.equal([over.slice(0, 59), over.slice(59)]);
    });

    it("fills each policy before the next, in the order given, none over the budget", () => {
        const grants = Array.from({ length: 400 }, (_, i) => grant(i, `role-${i}`));
        const chunks = chunkGrants(grants);
        expect(chunks.flat()).to.deep.equal(grants);
        expect(chunks.length).to.be.greaterThan(2);
        for (const [i, chunk] of chunks.entries()) {
            expect(size(chunk), `policy ${i}`).to.be.at.most(CHUNK_BUDGET);
            // Full: the first grant of the next policy would not have fit in this one.
            if (i < chunks.length - 1) expect(size([...chunk, chunks[i + 1][0]]), `policy ${i}`).to.be.above(CHUNK_BUDGET);
        }
    });

    it("a grant too long for any policy gets one of its own, and no grants make no policy", () => {
        const huge = grant(1, "r".repeat(CHUNK_BUDGET));
        const small = grant(2, "small");
        expect(chunkGrants([huge])).to.deep.equal([[huge]]);
        expect(chunkGrants([small, huge, small])).to.deep.equal([[small], [huge], [small]]);
        expect(chunkGrants([])).to.deep.equal([]);
    });
});
