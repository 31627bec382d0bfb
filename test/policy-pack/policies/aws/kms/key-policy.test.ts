/** aws-kms-key-missing-key-policy (C6): every key states who may use it. */
import * as kms from "@pulumi/aws/kms";
import { keyMissingKeyPolicy as p } from "../../../../../policy-pack/policies/aws/kms/key-policy";
import { ResourceSpec, unknown, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { expect } from "chai";

const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
});

describe("aws-kms-key-missing-key-policy (C6)", () => {
  const key = (props: Record<string, unknown>): ResourceSpec => ({
    type: kms.Key,
    name: "cmk",
    props: { id: "1234abcd", arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd", enableKeyRotation: true, ...props },
  });
  it("proves C6", () => expectControl(p, "C6"));
  it("passes a key with an inline policy", () => expectStackPass(p, [key({ policy: POLICY })]));
  it("passes a key named by an aws.kms.KeyPolicy", () =>
    expectStackPass(p, [key({}), { type: kms.KeyPolicy, name: "cmk-policy", props: { keyId: "1234abcd", policy: POLICY } }]));
  it("passes a key whose policy is unknown in preview", () => expectStackPass(p, [key({ policy: unknown() })]));
  it("reports a key without a policy (AWS's default key policy)", () =>
    expectStackViolations(p, [key({})], [[urnOf(key({})), ["KMS key cmk has no key policy", "default policy", "property policy"]]]));
  it("reports a key whose KeyPolicy names another key, and an empty policy", async () => {
    await expectStackViolations(
      p,
      [key({}), { type: kms.KeyPolicy, name: "other", props: { keyId: "9999", policy: POLICY } }],
      [[urnOf(key({})), ["has no key policy"]]],
    );
    await expectStackViolations(p, [key({ policy: "" })], [[urnOf(key({})), ["has no key policy"]]]);
  });
  it("reports a replica key without a policy", () => {
    const replica: ResourceSpec = {
      type: kms.ReplicaKey,
      name: "replica",
      props: { primaryKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd" },
    };
    return expectStackViolations(p, [key({ policy: POLICY }), replica], [[urnOf(replica), ["KMS key replica has no key policy"]]]);
  });
  it("is not applicable without keys", async () =>
    expect((await onStack(p, [{ type: kms.Alias, name: "a", props: {} }])).notApplicable).to.equal(true));
});
