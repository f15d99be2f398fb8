// refarch:auroraPostgres: the settings of the AuroraPostgres component ({} takes its defaults); needs refarch:network.
import { z } from "zod";
import { area, hint, matching, wholeNumber } from "../schema";

const MAX_AURORA_INSTANCES = 16;
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^\d+(\.\d+)?$/;

const auroraPostgresSchema = z.strictObject(
    {
        instanceClass: matching(DB_INSTANCE_CLASS, "is not an RDS instance class", "db.t4g.medium").optional(),
        instances: wholeNumber(1, MAX_AURORA_INSTANCES, "", 2).optional(),
        engineVersion: matching(ENGINE_VERSION, 'is not an Aurora PostgreSQL engine version (quote it; a major alone, e.g. "16", follows AWS\'s minor upgrades)', '"16"').optional(),
    },
    hint("must be { instanceClass?, instances?, engineVersion? } ({} takes the defaults)", "{}"),
);
export type AuroraPostgresSettings = z.infer<typeof auroraPostgresSchema>;

export const auroraPostgresSettings = area("refarch:auroraPostgres", "stack", auroraPostgresSchema.optional());
