// refarch:baseline: the settings of the AccountBaseline component; each switch left unset takes the component's default.
import { z } from "zod";
import { area, flag, hint } from "../schema";

export const BASELINE_SWITCHES = ["accountAlias", "passwordPolicy", "ebsEncryption", "s3PublicAccessBlock", "accessAnalyzer"] as const;
export type BaselineSwitch = (typeof BASELINE_SWITCHES)[number];

const budgetSchema = z.strictObject(
    {
        amount: z.number(hint("must be a positive number of US dollars per month", "500")).positive(hint("must be a positive number of US dollars per month", "500")),
        email: z.email(hint("must be an email address to send the budget alert to", "finance@example.com")),
    },
    hint("must be { amount, email }: a monthly limit in USD and the address to alert", "{ amount: 500, email: finance@example.com }"),
);
/** A monthly cost budget: its limit in US dollars and where the alert goes when actual or forecast spend passes it. */
export type BudgetSpec = z.infer<typeof budgetSchema>;

const baselineSchema = z.strictObject(
    {
        ...(Object.fromEntries(BASELINE_SWITCHES.map((s) => [s, flag(false).optional()])) as Record<BaselineSwitch, z.ZodOptional<z.ZodBoolean>>),
        budget: budgetSchema.optional(),
    },
    hint(`must be a map of { ${BASELINE_SWITCHES.join("?, ")}?, budget? }`, "{ accessAnalyzer: false }"),
);
export type BaselineSettings = z.infer<typeof baselineSchema>;

// prefault({}): an unset refarch:baseline is every switch at its default, so the component is built the same way.
export const baselineSettings = area("refarch:baseline", "stack", baselineSchema.prefault({}));
