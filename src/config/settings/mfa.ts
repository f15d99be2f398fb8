// refarch:mfaMaxAgeSeconds: how recent a sign-in's MFA must be for role trusts and team policies (aws:MultiFactorAuthAge).
import { DEFAULT_MFA_MAX_AGE_SECONDS } from "../../policies";
import { area, wholeNumber } from "../schema";

// 900 to 43200: the shortest and longest role session STS grants (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
export const MFA_MAX_AGE_BOUNDS = { min: 900, max: 43200 } as const;

export const mfaMaxAgeSettings = area(
    "refarch:mfaMaxAgeSeconds",
    "project",
    wholeNumber(MFA_MAX_AGE_BOUNDS.min, MFA_MAX_AGE_BOUNDS.max, "of seconds ", DEFAULT_MFA_MAX_AGE_SECONDS).default(DEFAULT_MFA_MAX_AGE_SECONDS),
);
