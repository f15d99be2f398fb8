// The refarch policy pack's rules, one file each, importable without starting the pack's server:
// policy/index.ts serves them to `pulumi preview --policy-pack policy`; the tests run them directly.
import type { Policies } from "@pulumi/policy";
import { accountsNeverClosed } from "./accountsNeverClosed";
import { auditBucketRetained } from "./auditBucketRetained";
import { cloudtrailTrailSecure } from "./cloudtrailTrailSecure";
import { humanRoleTrust } from "./humanRoleTrust";
import { iamUsersOnlyInRoot } from "./iamUsersOnlyInRoot";
import { noFullAdminIdentityPolicy } from "./noFullAdminIdentityPolicy";
import { protectedStagesProtect } from "./protectedStagesProtect";
import { s3BucketBlocksPublicAccess } from "./s3BucketBlocksPublicAccess";
import { s3BucketDeniesInsecureTransport } from "./s3BucketDeniesInsecureTransport";
import { s3BucketEncrypted } from "./s3BucketEncrypted";

export const REFARCH_POLICIES: Policies = [
    s3BucketBlocksPublicAccess,
    s3BucketEncrypted,
    s3BucketDeniesInsecureTransport,
    cloudtrailTrailSecure,
    humanRoleTrust,
    iamUsersOnlyInRoot,
    noFullAdminIdentityPolicy,
    protectedStagesProtect,
    auditBucketRetained,
    accountsNeverClosed,
];
