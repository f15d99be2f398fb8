// The people, set in the root stack only: teams (IAM groups) and the roles they may assume where, and
// users (IAM users) and their teams.
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

export const usersSettings = area(
    "refarch:users",
    "stack",
    z
        .record(
            z.string(),
            z
                .array(z.string(hint("must be a team name", "developers")), hint("must be a list of teams", "[developers]"))
                .min(1, hint("must list at least one team: a user in no team could not even set up MFA", "[developers]")),
            hint("must be a map of user name -> list of teams", "{ alice: [developers] }"),
        )
        .default({}),
    ROOT_STAGE,
);
