/**
 * Tests of policy-pack/policies/azure/keyvault/key.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import { durationDays, keyConfigureKeySize, keyConfigureRotationPolicy } from "../../../../../policy-pack/policies/azure/keyvault/key";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { key } from "../../../fixtures/azure";

describe("policy pack: Azure Key Vault", () => {
  describe("azure-keyvault-key-configure-rotation-policy (C2)", () => {
    const p = keyConfigureRotationPolicy;
    it("proves C2", () => expectControl(p, "C2"));
    it("reads ISO 8601 durations", () => {
      expect([durationDays("P1Y"), durationDays("P90D"), durationDays("P1Y2M"), durationDays("PT36H"), durationDays("P2W")]).to.deep.equal([
        365, 90, 425, 1.5, 14,
      ]);
      expect([durationDays("P"), durationDays("1Y"), durationDays("PT")]).to.deep.equal([undefined, undefined, undefined]);
    });
    it("passes rotation 365 days after creation, and 30 days before a one-year expiry", async () => {
      await expectPass(p, key());
      await expectPass(
        p,
        key({
          rotationPolicy: {
            attributes: { expiryTime: "P1Y" },
            lifetimeActions: [{ action: { type: "Rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
          },
        }),
      );
    });
    it("reports a key without a rotation policy, or with only a notify action", async () => {
      await expectViolation(p, key({ rotationPolicy: undefined }), [
        "the key has no rotation policy",
        "property properties.rotationPolicy",
      ]);
      await expectViolation(
        p,
        key({ rotationPolicy: { lifetimeActions: [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] } }),
        ["no Rotate action"],
      );
    });
    it("reports a rotation period above the maximum", () =>
      expectViolation(
        p,
        key({ rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P2Y" } }] } }),
        ["rotates only every 730 days, more than 365"],
      ));
  });

  describe("azure-keyvault-key-configure-rsa-key-size (C1)", () => {
    const p = keyConfigureKeySize;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes RSA 3072", () => expectPass(p, key()));
    it("reports RSA 2048, explicit or default", async () => {
      await expectViolation(p, key({ keySize: 2048 }), ["RSA key size is 2048 bits, below 3072"]);
      await expectViolation(p, key({ keySize: undefined }), ["not set (default 2048)"]);
    });
    it("does not apply to EC keys", () => expectNotApplicable(p, key({ kty: "EC", curveName: "P-384", keySize: undefined })));
  });
});
