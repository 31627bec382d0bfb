/**
 * Tests of policy-pack/policies/aws/kms/key.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as kms from "@pulumi/aws/kms";
import {
  keyConfigureDeletionWindow,
  keyDisallowPublicPrincipal,
  keyEnableKeyRotation,
} from "../../../../../policy-pack/policies/aws/kms/key";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT, PROD_TAGS } from "../../../fixtures/aws";
import { ResourceSpec, unknown } from "../../../harness";

const TAGS = PROD_TAGS;

function key(props: Record<string, unknown> = {}): ResourceSpec {
  return { type: kms.Key, name: "key", props: { enableKeyRotation: true, deletionWindowInDays: 30, tags: TAGS, ...props } };
}

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement });

describe("policy pack: AWS KMS", () => {
  describe("aws-kms-key-enable-key-rotation (C2)", () => {
    const p = keyEnableKeyRotation;
    it("proves C2", () => expectControl(p, "C2"));
    it("passes a rotating symmetric key", () => expectPass(p, key({ rotationPeriodInDays: 365 })));
    it("reports rotation off or unset", async () => {
      await expectViolation(p, key({ enableKeyRotation: false }), [
        "key rotation is off",
        "property enableKeyRotation",
        "Fix: set enableKeyRotation: true",
      ]);
      await expectViolation(p, key({ enableKeyRotation: undefined }), ["not set (off)"]);
    });
    it("reports a rotation period above the configured maximum", async () => {
      await expectViolation(p, key({ rotationPeriodInDays: 730 }), ["rotationPeriodInDays is 730, longer than 365 days"]);
      await expectPass(p, key({ rotationPeriodInDays: 730 }), { config: { [p.name]: { maximumRotationPeriodDays: 730 } } });
    });
    it("is not applicable to asymmetric keys", () =>
      expectNotApplicable(p, key({ customerMasterKeySpec: "RSA_3072", enableKeyRotation: false })));
    it("does not judge an unknown flag (preview)", () => expectPass(p, key({ enableKeyRotation: unknown("boolean") })));
  });

  describe("aws-kms-key-configure-deletion-window (C2)", () => {
    const p = keyConfigureDeletionWindow;
    it("proves C2", () => expectControl(p, "C2"));
    it("passes a prod key with 30 days, and the AWS default", async () => {
      await expectPass(p, key());
      await expectPass(p, key({ deletionWindowInDays: undefined }));
    });
    it("reports a prod key with a short window", () =>
      expectViolation(p, key({ deletionWindowInDays: 7 }), ["deletionWindowInDays is 7, shorter than 30 days", '"prod"']));
    it("checks a key without an environment tag (fail closed) but not a dev key", async () => {
      await expectViolation(p, key({ deletionWindowInDays: 7, tags: {} }), ["shorter than 30"]);
      await expectPass(p, key({ deletionWindowInDays: 7, tags: { ...TAGS, environment: "dev" } }));
    });
    it("reads the environment from the provider's default tags", () =>
      expectViolation(
        p,
        {
          ...key({ deletionWindowInDays: 7, tags: undefined }),
          provider: {
            type: "pulumi:providers:aws",
            name: "aws",
            props: { defaultTags: JSON.stringify({ tags: { environment: "prod" } }) },
          },
        },
        ["shorter than 30"],
      ));
    it("uses the configured minimum and environments", async () => {
      await expectPass(p, key({ deletionWindowInDays: 14 }), { config: { [p.name]: { minimumDeletionWindowDays: 14 } } });
      await expectViolation(p, key({ deletionWindowInDays: 7, tags: { ...TAGS, environment: "staging" } }), ["shorter"], {
        config: { [p.name]: { environments: ["prod", "staging"] } },
      });
    });
  });

  describe("aws-kms-key-disallow-public-principal (C6)", () => {
    const p = keyDisallowPublicPrincipal;
    const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
    it("proves C6", () => expectControl(p, "C6"));
    it("passes the account-root key policy and a wildcard principal with a condition", async () => {
      await expectPass(p, key({ policy: JSON.stringify(doc(root)) }));
      await expectPass(p, {
        type: kms.KeyPolicy,
        name: "kp",
        props: {
          keyId: "k",
          policy: JSON.stringify(
            doc(root, {
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } },
            }),
          ),
        },
      });
    });
    it("reports a wildcard principal without a condition", () =>
      expectViolation(
        p,
        key({
          policy: JSON.stringify(doc(root, { Sid: "Open", Effect: "Allow", Principal: "*", Action: ["kms:Decrypt"], Resource: "*" })),
        }),
        ['Statement 1 ("Open") allows "kms:Decrypt" to any principal', "policy.Statement[1]"],
      ));
    it("reports an unreadable key policy", () => expectViolation(p, key({ policy: "[]" }), ["cannot be read: not a JSON object"]));
  });
});
