/**
 * Disabled KMS keys (AWS, C11): KMS refuses every cryptographic operation
 * with a disabled key (DisabledException), so the buckets, log groups and
 * training jobs that use it stop working: nothing can be written or read.
 */
import * as kms from "@pulumi/aws/kms";
import { resourcePolicy, typeToken, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";

const keyProps = propsOf(kms.Key);
const replicaProps = propsOf(kms.ReplicaKey);

/** Severity high. Resource: the environment's keys are enabled (the default). */
export const keyDisallowDisabled = resourcePolicy({
  name: "aws-kms-key-disallow-disabled",
  control: "C11",
  severity: "high",
  description:
    "Every KMS key of the environment is enabled (isEnabled not false): KMS refuses encryption and decryption with a disabled key.",
  remediationSteps: "Remove `isEnabled: false` (or set it to true); to retire a key, schedule its deletion with a deletion window instead.",
  url: "https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html",
  checks: ["CKV_AWS_227"],
  frameworks: [["nist-800-53-r5", "SC-12"]],
  validateResource: validateResourcesOfTypes([kms.Key, kms.ReplicaKey], (props, args, report) => {
    // A key says isEnabled, a replica key enabled.
    const property = args.type === typeToken(kms.ReplicaKey) ? "enabled" : "isEnabled";
    const enabled = property === "enabled" ? replicaProps.bool(props, "enabled") : keyProps.bool(props, "isEnabled");
    if (enabled === false) {
      report(
        formatViolation({
          what: `${property} is false: KMS rejects every Encrypt, Decrypt and GenerateDataKey call with this key (DisabledException), so the data it protects can be neither written nor read`,
          where: at(args, property),
          fix: `remove ${property}: false`,
        }),
      );
    }
  }),
});
