/**
 * AWS KMS customer managed key: $1 per key-month, plus the rotation surcharge
 * as AWS bills it since 2024: the first and the second rotation each add
 * $1/month, later rotations are free.
 *
 * Idle basis: the steady state. A key with rotation on costs $1/month until
 * its first rotation (`rotationPeriodInDays`, default 365), $2 until its
 * second and $3 from then on, for the rest of its life. A budget should hold
 * for the environment's life, so the estimate counts both billed rotations;
 * the component's detail says what the first period costs.
 */
import { bool, num, why } from "../inputs";
import { ComponentDraft, Mapper, priced } from "../mapper";

export const DEFAULT_ROTATION_DAYS = 365;
/** Rotations AWS bills per key: the first two. */
export const BILLED_ROTATIONS = 2;

export const awsKmsKey: Mapper = {
  types: ["aws:kms/key:Key", "aws:kms/externalKey:ExternalKey"],
  map(r) {
    const drafts: ComponentDraft[] = [{ component: "customer managed key", rateId: "aws.kms.key", count: 1 }];
    if (r.type === "aws:kms/key:Key") {
      const rotation = bool(r.inputs, "enableKeyRotation");
      // Not set means off (the provider default); unknown means we cannot tell: assume on, the costlier case.
      const on = rotation.state === "known" ? rotation.value : rotation.state === "unknown";
      if (on) {
        const period = num(r.inputs, "rotationPeriodInDays");
        const days = period.state === "known" && period.value > 0 ? period.value : DEFAULT_ROTATION_DAYS;
        drafts.push({
          component: `rotation surcharge (rotates every ${days} d)`,
          rateId: "aws.kms.rotation",
          count: BILLED_ROTATIONS,
          detail: `steady state: ${BILLED_ROTATIONS} billed rotations x $1/month from day ${BILLED_ROTATIONS * days} (surcharge $0 until day ${days}, $1/month until day ${BILLED_ROTATIONS * days})`,
          assumed: rotation.state === "known" ? undefined : `${why("enableKeyRotation", rotation)}; assumed rotation on`,
        });
      }
    }
    drafts.push({ component: "API requests", rateId: "aws.kms.requests", count: 0 });
    return priced(...drafts);
  },
};
