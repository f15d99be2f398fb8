// Every account, by default: the account-wide security defaults the current landing zones (Cloud Posse's
// account-settings, Control Tower, Landing Zone Accelerator) all apply, each part switchable off in
// `refarch:baseline`. They are settings of the whole account, so exactly one stack per account owns them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BaselineSettings, BaselineSwitch } from "../config";

/** refarch:baseline as written, plus the names the stage gives. */
export interface AccountBaselineArgs extends BaselineSettings {
    /** `<namespace>-<stage>`: names the analyzer and the budget. */
    namePrefix: string;
    /** The IAM account alias the `accountAlias` switch sets (the sign-in URL's name). */
    alias: string;
    /** Whether this stack owns the account's singletons: a review stack shares its stage's account and leaves them to
     * that stage's stack, which would otherwise lose them when the review stack is destroyed. Defaults to true. */
    ownsAccount?: boolean;
    /** Set the IAM account alias. Defaults to `ownsAccount`. */
    accountAlias?: boolean;
    /** The account password policy: CIS AWS Foundations' settings (14+ characters, every class, the last 24 not reused, 90 days). Defaults to `ownsAccount`. */
    passwordPolicy?: boolean;
    /** EBS encryption by default, in the provider's region. Defaults to `ownsAccount`. */
    ebsEncryption?: boolean;
    /** The account-level S3 public access block, all four settings on. Defaults to `ownsAccount`. */
    s3PublicAccessBlock?: boolean;
    /** An IAM Access Analyzer whose zone of trust is this account. Defaults to `ownsAccount`. */
    accessAnalyzer?: boolean;
    /** A monthly cost budget with an email alert. Defaults to none. */
    budget?: BaselineSettings["budget"];
}

export class AccountBaseline extends pulumi.ComponentResource {
    /** The account alias, once set; undefined when the baseline leaves it alone. */
    readonly accountAlias?: pulumi.Output<string>;
    readonly accessAnalyzerArn?: pulumi.Output<string>;
    readonly budgetName?: pulumi.Output<string>;

    constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("refarch:baseline:AccountBaseline", name, {}, opts);
        const child = { parent: this };
        const on = (part: BaselineSwitch): boolean => args[part] ?? args.ownsAccount ?? true;

        if (on("accountAlias")) {
            this.accountAlias = new aws.iam.AccountAlias(`${name}-alias`, { accountAlias: args.alias }, child).accountAlias;
        }
        if (on("passwordPolicy")) {
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
        if (on("ebsEncryption")) {
            new aws.ebs.EncryptionByDefault(`${name}-ebs-encryption`, { enabled: true }, child);
        }
        if (on("s3PublicAccessBlock")) {
            new aws.s3.AccountPublicAccessBlock(
                `${name}-s3-public-access`,
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                child,
            );
        }
        if (on("accessAnalyzer")) {
            this.accessAnalyzerArn = new aws.accessanalyzer.Analyzer(`${name}-access-analyzer`, { analyzerName: `${args.namePrefix}-access-analyzer`, type: "ACCOUNT" }, child).arn;
        }
        const budget = args.budget;
        if (budget !== undefined) {
            const alert = (notificationType: "ACTUAL" | "FORECASTED") => ({
                comparisonOperator: "GREATER_THAN",
                threshold: 100,
                thresholdType: "PERCENTAGE",
                notificationType,
                subscriberEmailAddresses: [budget.email],
            });
            this.budgetName = new aws.budgets.Budget(
                `${name}-budget`,
                {
                    name: `${args.namePrefix}-monthly`,
                    budgetType: "COST",
                    limitAmount: budget.amount.toFixed(2),
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
