// The refarch policy pack: `pulumi preview --policy-pack policy` (or `pulumi up`) checks every
// resource of a stack against the rules in ./rules before anything changes.
import { PolicyPack } from "@pulumi/policy";
import { REFARCH_POLICIES } from "./rules";

new PolicyPack("refarch", { policies: REFARCH_POLICIES });
