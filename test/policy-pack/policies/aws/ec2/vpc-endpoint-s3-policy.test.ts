/**
 * Tests of policy-pack/policies/aws/ec2/vpc-endpoint-s3-policy.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { vpcEndpointConfigureS3Policy } from "../../../../../policy-pack/policies/aws/ec2/vpc-endpoint-s3-policy";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { ResourceSpec } from "../../../harness";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("policy pack: AWS network", () => {
  describe("aws-ec2-vpc-endpoint-configure-s3-policy (C4)", () => {
    const p = vpcEndpointConfigureS3Policy;
    const s3 = (policy?: unknown): ResourceSpec => ({
      type: ec2.VpcEndpoint,
      name: "s3",
      props: {
        vpcId: "vpc-1",
        serviceName: "com.amazonaws.eu-west-1.s3",
        vpcEndpointType: "Gateway",
        ...(policy === undefined ? {} : { policy }),
      },
    });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a policy naming the environment's buckets", () =>
      expectPass(p, s3(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: ["arn:aws:s3:::data/*"] }))));
    it("reports a missing policy and Resource *", async () => {
      await expectViolation(p, s3(), ["no policy (full access to every bucket)"]);
      await expectViolation(p, s3(doc({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" })), [
        "on *, i.e. every bucket",
        "policy.Statement[0]",
      ]);
    });
    it("does not apply to other endpoints", () =>
      expectNotApplicable(p, { type: ec2.VpcEndpoint, name: "sts", props: { vpcId: "v", serviceName: "com.amazonaws.eu-west-1.sts" } }));
  });
});
