/**
 * KMS key policies (AWS, C6): every key states who may use it. A key
 * created without `policy` gets AWS's default key policy, which "gives all
 * principals in the owning account unlimited access to all KMS operations
 * for the key" (delegating everything to IAM), so least privilege on the
 * key is lost without a word.
 */
import * as kms from "@pulumi/aws/kms";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

/** A key and a replica key hold their key policy in `policy`. */
const keyProps = propsOf(kms.Key);

/** Severity high. Stack: every KMS key has an explicit key policy (inline or an aws.kms.KeyPolicy). */
export const keyMissingKeyPolicy = stackPolicy({
  name: "aws-kms-key-missing-key-policy",
  control: "C6",
  severity: "high",
  description:
    "Every KMS key has an explicit key policy (its `policy` input or an aws.kms.KeyPolicy naming it); without one AWS applies the default key policy, which lets every principal of the account that IAM allows use the key.",
  remediationSteps:
    "Set `policy` on the aws.kms.Key to a typed key policy document: the account root for administration, the roles and service principals that use the key, with kms:ViaService / kms:CallerAccount conditions.",
  url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
  checks: ["CKV2_AWS_64"],
  frameworks: [
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "SC-12"],
  ],
  targetType: kms.Key,
  validateStack: (args, report) => {
    const keys = targetsOf(args, tokens(kms.Key, kms.ReplicaKey), "KMS keys");
    const withoutInline = keys.filter((k) => {
      const policy = keyProps.get(k.props, "policy");
      return policy !== UNKNOWN && (policy === undefined || policy === null || policy === "");
    });
    const standalone = ofTypes(args.resources, tokens(kms.KeyPolicy));
    for (const { target, matches, undetermined } of coverage(withoutInline, standalone, "keyId", ["id", "arn", "keyId"])) {
      if (matches.length > 0 || undetermined.length > 0) continue;
      report(
        formatViolation({
          what: `KMS key ${target.name} has no key policy, so AWS applies the default policy: every principal of the account that IAM allows can use and manage it`,
          where: at(target, "policy"),
          fix: "set policy to an explicit key policy document (or add an aws.kms.KeyPolicy for this key)",
        }),
        target.urn,
      );
    }
  },
});
