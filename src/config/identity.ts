// The people, set in the root stack only: teams (IAM groups) and the roles they may assume where, and
// users (IAM users): their teams and, for console sign-in, the PGP key their first password is encrypted to.
import { z } from "zod";
import { area, hint } from "./schema";
import { ROOT_STAGE } from "./organization";

const ACCESS_EXAMPLE = "{ access: { dev: admin, prod: readonly } }";
const roleNames = z.union(
    [z.string(), z.array(z.string(hint("must be a role name", "admin"))).min(1, hint("must name at least one role", "[admin]"))],
    hint("must be a role name or a list of role names", "admin"),
);

export const teamsSettings = area(
    "refarch:teams",
    "stack",
    z
        .record(
            z.string(),
            z.strictObject(
                { access: z.record(z.string(), roleNames, hint('must map a stage (or "*", every stage) to a role or a list of roles', "{ dev: admin, prod: readonly }")) },
                hint('must be { access: { <stage> | "*": <role> | [<roles>] } }', ACCESS_EXAMPLE),
            ),
            hint('must be a map of team -> { access: { <stage> | "*": <role> | [<roles>] } }', `{ developers: ${ACCESS_EXAMPLE} }`),
        )
        .default({}),
    ROOT_STAGE,
);

const TEAMS_EXAMPLE = "[developers]";
const teamList = z
    .array(z.string(hint("must be a team name", "developers")), hint("must be a list of teams", TEAMS_EXAMPLE))
    .min(1, hint("must list at least one team: a user in no team could not even set up MFA", TEAMS_EXAMPLE));

/** `keybase:<user>` or a base64 (unarmored) OpenPGP public key: the two forms IAM login profiles accept
 * (pulumi-aws UserLoginProfile `pgpKey`: "Either a base-64 encoded PGP public key, or a keybase username in
 * the form keybase:username", https://www.pulumi.com/registry/packages/aws/api-docs/iam/userloginprofile/). */
export const KEYBASE_KEY = /^keybase:[A-Za-z0-9_]{2,16}$/;
export const BASE64_KEY = /^[A-Za-z0-9+/]{100,}={0,2}$/;
const PGP_KEY_EXAMPLE = '"keybase:alice"';
const pgpKey = z
    .string(hint("must be keybase:<keybase user> or a base64 PGP public key", PGP_KEY_EXAMPLE))
    .refine((key) => KEYBASE_KEY.test(key) || BASE64_KEY.test(key), {
        error: (issue) =>
            hint(
                String(issue.input).includes("BEGIN PGP")
                    ? "is an ASCII-armored key: give its base64 body on one line (gpg --export <key id> | base64 -w0), or keybase:<keybase user>"
                    : "is neither keybase:<keybase user> nor a base64 PGP public key (gpg --export <key id> | base64 -w0)",
                PGP_KEY_EXAMPLE,
            ).error(),
    });

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
                hint("must be a list of teams, or { teams: [...], pgpKey?, console? }", TEAMS_EXAMPLE),
            ),
            hint("must be a map of user name -> list of teams (or { teams, pgpKey, console })", "{ alice: [developers] }"),
        )
        .default({}),
    ROOT_STAGE,
);
