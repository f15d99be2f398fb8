// Every account, by default: the account-wide security defaults the current landing zones (Cloud Posse's
// account-settings, Control Tower, Landing Zone Accelerator) all apply, each part switchable off in
// `refarch:baseline`. They are settings of the whole account, so exactly one stack per account owns them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { area, flag, hint } from "../config/schema";

export interface BudgetSpec {
    /** Monthly limit in US dollars. */
    amount: number;
    /** Where the alert goes when actual or forecast spend passes the limit. */
    email: string;
}

export interface AccountBaselineArgs {
    /** `<namespace>-<stage>`: names the analyzer and the budget. */
    namePrefix: string;
    /** The IAM account alias (sign-in URL). Default: none, the account's alias is left alone. */
    accountAlias?: string;
    // The switches below have no default here: refarch:baseline decides them (each on in the stack that owns the account).
    /** The account password policy: CIS AWS Foundations' settings (14+ characters, every class, the last 24 not reused, 90 days). */
    passwordPolicy: boolean;
    /** EBS encryption by default, in the provider's region. */
    ebsEncryption: boolean;
    /** The account-level S3 public access block, all four settings on. */
    s3PublicAccessBlock: boolean;
    /** An IAM Access Analyzer whose zone of trust is this account. */
    accessAnalyzer: boolean;
    /** A monthly cost budget with an email alert. Default none. */
    budget?: BudgetSpec;
}

export class AccountBaseline extends pulumi.ComponentResource {
    /** The account alias, once set; undefined when the baseline leaves it alone. */
    readonly accountAlias?: pulumi.Output<string>;
    readonly accessAnalyzerArn?: pulumi.Output<string>;
    readonly budgetName?: pulumi.Output<string>;

    constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:baseline:AccountBaseline", name, {}, opts);
        const child = { parent: this };

        if (args.accountAlias !== undefined) {
            this.accountAlias = new aws.iam.AccountAlias(`${name}-alias`, { accountAlias: args.accountAlias }, child).accountAlias;
        }
        if (args.passwordPolicy) {
            new aws.iam.AccountPasswordPolicy(
                `${name}-password-policy`,
                {
                    minimumPasswordLength: 14,
                    requireLowercaseCharacters: true,
                    requireUppercaseCharacters: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    allowUsersToChangePassword: true,
                    passwordReusePrevention: 24,
                    maxPasswordAge: 90,
                },
                child,
            );
        }
        if (args.ebsEncryption) {
            new aws.ebs.EncryptionByDefault(`${name}-ebs-encryption`, { enabled: true }, child);
        }
        if (args.s3PublicAccessBlock) {
            new aws.s3.AccountPublicAccessBlock(
                `${name}-s3-public-access`,
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                child,
            );
        }
        if (args.accessAnalyzer) {
            this.accessAnalyzerArn = new aws.accessanalyzer.Analyzer(`${name}-access-analyzer`, { analyzerName: `${args.namePrefix}-access-analyzer`, type: "ACCOUNT" }, child).arn;
        }
        if (args.budget !== undefined) {
            const alert = (notificationType: "ACTUAL" | "FORECASTED") => ({
                comparisonOperator: "GREATER_THAN",
                threshold: 100,
                thresholdType: "PERCENTAGE",
                notificationType,
                subscriberEmailAddresses: [args.budget!.email],
            });
            this.budgetName = new aws.budgets.Budget(
                `${name}-budget`,
                {
                    name: `${args.namePrefix}-monthly`,
                    budgetType: "COST",
                    limitAmount: args.budget.amount.toFixed(2),
                    limitUnit: "USD",
                    timeUnit: "MONTHLY",
                    notifications: [alert("ACTUAL"), alert("FORECASTED")],
                },
                child,
            ).name;
        }
        this.registerOutputs({ accountAlias: this.accountAlias, accessAnalyzerArn: this.accessAnalyzerArn, budgetName: this.budgetName });
    }
}

// ---- refarch:baseline: this component's config; each switch defaults to on in the stack that owns the account ----

export const BASELINE_SWITCHES = ["accountAlias", "passwordPolicy", "ebsEncryption", "s3PublicAccessBlock", "accessAnalyzer"] as const;

export const baselineSettings = area(
    "refarch:baseline",
    "stack",
    z.strictObject(
        {
            ...(Object.fromEntries(BASELINE_SWITCHES.map((s) => [s, flag(false).optional()])) as Record<(typeof BASELINE_SWITCHES)[number], z.ZodOptional<z.ZodBoolean>>),
            budget: z
                .strictObject(
                    {
                        amount: z.number(hint("must be a positive number of US dollars per month", "500")).positive(hint("must be a positive number of US dollars per month", "500")),
                        email: z.email(hint("must be an email address to send the budget alert to", "finance@example.com")),
                    },
                    hint("must be { amount, email }: a monthly limit in USD and the address to alert", "{ amount: 500, email: finance@example.com }"),
                )
                .optional(),
        },
        hint(`must be a map of { ${BASELINE_SWITCHES.join("?, ")}?, budget? }`, "{ accessAnalyzer: false }"),
    ).optional(),
);
