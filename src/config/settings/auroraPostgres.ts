// refarch:auroraPostgres: the settings of the AuroraPostgres component ({} takes its defaults); needs refarch:network.
import { z } from "zod";
import { area, hint, matching, wholeNumber } from "../schema";

const MAX_AURORA_INSTANCES = 16;
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^\d+(\.\d+)?$/;

/** The RDS class a written type names: its family and size with `db.` (`t4g.medium`, `xdb.t4g.medium` -> db.t4g.medium). */
function instanceClassIn(written: unknown): string {
    const type = typeof written === "string" ? /([a-z0-9]+\.[a-z0-9]+)$/.exec(written.trim().toLowerCase()) : null;
    return type ? `db.${type[1]}` : "<an RDS instance class, such as db.t4g.medium>";
}

const auroraPostgresSchema = z.strictObject(
    {
        instanceClass: matching(DB_INSTANCE_CLASS, "is not an RDS instance class", instanceClassIn).optional(),
        instances: wholeNumber(1, MAX_AURORA_INSTANCES, "", 2).optional(),
        engineVersion: matching(ENGINE_VERSION, 'is not an Aurora PostgreSQL engine version (quote it; a major alone, e.g. "16", follows AWS\'s minor upgrades)', '"16"').optional(),
    },
    hint("must be { instanceClass?, instances?, engineVersion? } ({} takes the defaults)", "{}"),
);
export type AuroraPostgresSettings = z.infer<typeof auroraPostgresSchema>;

export const auroraPostgresSettings = area("refarch:auroraPostgres", "stack", auroraPostgresSchema.optional());
