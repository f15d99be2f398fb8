// The people, set in the root stack only: teams (IAM groups) and the roles they may assume where, and
// users (IAM users): their teams and, for console sign-in, the PGP key their first password is encrypted to.
import { z } from "zod";
import { area, hint } from "./schema";
import { ROOT_STAGE } from "./organization";

// The fixes here grant nothing the user did not write: what was written, put in the right shape (`platform` -> [platform]),
// and placeholders for what only the user knows, never a sample's role, team or user (a fix of `"*": []` that set
// `[admin]` would grant admin everywhere).
const ROLE = "<a role of refarch:roles>";
const TEAM = "<a team of refarch:teams>";
/** A name written where a list belongs, as that list; else a list of the placeholder. */
const asList = (placeholder: string) => (written: unknown) => `[${typeof written === "string" && /^[\w.@+=,-]+$/.test(written) ? written : placeholder}]`;
/** Names written where a map of them belongs, each mapped to a placeholder (`[platform]` -> { platform: ... }). */
const asMapOf = (value: string, example: string) => (written: unknown) => {
    const names = Array.isArray(written) && written.length > 0 && written.every((n) => typeof n === "string" && /^[\w.@+=,-]+$/.test(n)) ? (written as string[]) : undefined;
    return names ? `{ ${names.map((n) => `${n}: ${value}`).join(", ")} }` : example;
};
/** A role written where a stage's grants belong, kept as the grant: `admin` -> { <stage>: admin }. */
const accessOf = (written: unknown) => `{ <stage>: ${typeof written === "string" && /^[\w-]+$/.test(written) ? written : ROLE} }`;
const roleNames = z.union(
    [z.string(), z.array(z.string(hint("must be a role name", ROLE))).min(1, hint("must name at least one role", `[${ROLE}]`))],
    hint("must be a role name or a list of role names", ROLE),
);

export const teamsSettings = area(
    "refarch:teams",
    "stack",
    z
        .record(
            z.string(),
            z.strictObject(
                { access: z.record(z.string(), roleNames, hint('must map a stage (or "*", every stage) to a role or a list of roles', accessOf)) },
                hint('must be { access: { <stage> | "*": <role> | [<roles>] } }', (written) => `{ access: ${accessOf(written)} }`),
            ),
            hint('must be a map of team -> { access: { <stage> | "*": <role> | [<roles>] } }', asMapOf(`{ access: { <stage>: ${ROLE} } }`, `{ <team>: { access: { <stage>: ${ROLE} } } }`)),
        )
        .default({}),
    ROOT_STAGE,
);

const teamList = z
    .array(z.string(hint("must be a team name", TEAM)), hint("must be a list of teams", asList(TEAM)))
    .min(1, hint("must list at least one team: a user in no team could not even set up MFA", `[${TEAM}]`));

/** `keybase:<user>` or a base64 (unarmored) OpenPGP public key: the two forms IAM login profiles accept
 * (pulumi-aws UserLoginProfile `pgpKey`: "Either a base-64 encoded PGP public key, or a keybase username in
 * the form keybase:username", https://www.pulumi.com/registry/packages/aws/api-docs/iam/userloginprofile/).
 * Which of them a key is, and the fix for one that is neither, is the domain rule's (rules/identity.ts pgpKeyRule):
 * the fix is derived from the key written and the user's own name, never from another user's key. */
export const KEYBASE_KEY = /^keybase:[A-Za-z0-9_]{2,16}$/;
export const BASE64_KEY = /^[A-Za-z0-9+/]{100,}={0,2}$/;
const pgpKey = z.string(hint("must be keybase:<keybase user> or a base64 PGP public key", '"<the user\'s public key: gpg --export <key id> | base64 -w0>"'));

/**
 * The base64 body of an ASCII-armored OpenPGP block (`-----BEGIN PGP PUBLIC KEY BLOCK-----`, headers, a blank line,
 * base64 lines, `=` and the CRC-24 of the data, the END line: RFC 4880 section 6.2,
 * https://www.rfc-editor.org/rfc/rfc4880#section-6.2), as one line: what `gpg --export <key id> | base64 -w0` prints
 * for the same key. Undefined if the text is not such a block, or its checksum does not hold (a damaged copy).
 */
export function armoredKeyBody(text: string): string | undefined {
    const lines = text.split(/\r?\n/).map((line) => line.trim());
    const begin = lines.indexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    const end = lines.indexOf("-----END PGP PUBLIC KEY BLOCK-----");
    const blank = lines.indexOf("", begin + 1);
    if (begin === -1 || end === -1 || blank === -1 || blank > end) return undefined;
    const data = lines.slice(blank + 1, end).filter((line) => line !== "");
    const checksum = data.length > 0 && data[data.length - 1].startsWith("=") ? data.pop()!.slice(1) : undefined;
    const body = data.join("");
    if (!BASE64_KEY.test(body)) return undefined;
    if (checksum !== undefined && checksum !== crc24(Buffer.from(body, "base64"))) return undefined;
    return body;
}

/** OpenPGP's CRC-24 of `data`, base64 (RFC 4880 section 6.1). */
function crc24(data: Buffer): string {
    let crc = 0xb704ce;
    for (const byte of data) {
        crc ^= byte << 16;
        for (let i = 0; i < 8; i++) {
            crc <<= 1;
            if (crc & 0x1000000) crc ^= 0x1864cfb;
        }
    }
    crc &= 0xffffff;
    return Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString("base64");
}

/** One user: teams, and for console access the PGP key their initial password is encrypted to. */
export interface UserSettings {
    teams: string[];
    pgpKey?: string;
    console?: boolean;
}

export const usersSettings = area(
    "refarch:users",
    "stack",
    z
        .record(
            z.string(),
            z.union(
                [
                    teamList,
                    // No message of its own: a value that is not an object is told by the union's, and an object's
                    // problems are told at its keys (problems.ts throughShapedOption).
                    z.strictObject({ teams: teamList, pgpKey: pgpKey.optional(), console: z.boolean(hint("must be true or false", "true")).optional() }),
                ],
                hint("must be a list of teams, or { teams: [...], pgpKey?, console? }", asList(TEAM)),
            ),
            hint("must be a map of user name -> list of teams (or { teams, pgpKey, console })", asMapOf(`[${TEAM}]`, `{ <user name>: [${TEAM}] }`)),
        )
        .default({}),
    ROOT_STAGE,
);
