/** aws-kms-key-disallow-disabled (C11): KMS refuses every operation with a disabled key. */
import * as kms from "@pulumi/aws/kms";
import { keyDisallowDisabled as p } from "../../../../../policy-pack/policies/aws/kms/key-enabled";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

describe("aws-kms-key-disallow-disabled (C11)", () => {
  it("proves C11", () => expectControl(p, "C11"));
  it("passes enabled keys (the default) and unknown values", async () => {
    await expectPass(p, { type: kms.Key, name: "cmk", props: { enableKeyRotation: true } });
    await expectPass(p, { type: kms.Key, name: "cmk", props: { isEnabled: true } });
    await expectPass(p, { type: kms.Key, name: "cmk", props: { isEnabled: unknown("boolean") } });
  });
  it("reports a disabled key or replica", async () => {
    await expectViolation(p, { type: kms.Key, name: "cmk", props: { isEnabled: false } }, [
      "isEnabled is false",
      "DisabledException",
      "property isEnabled",
    ]);
    await expectViolation(p, { type: kms.ReplicaKey, name: "replica", props: { enabled: false, primaryKeyArn: "arn" } }, [
      "enabled is false",
    ]);
  });
  it("does not apply to an alias", () => expectNotApplicable(p, { type: kms.Alias, name: "a", props: {} }));
});
