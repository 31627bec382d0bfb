/** aws-pulumi-provider-disallow-static-credentials (C6): no long-lived keys in the program. */
import * as s3 from "@pulumi/aws/s3";
import { providerDisallowStaticCredentials as p } from "../../../../../policy-pack/policies/aws/provider/static-credentials";
import { secret, unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation, onResource } from "../../../expect";
import { expect } from "chai";

const provider = (props: Record<string, unknown>) => ({
  type: "pulumi:providers:aws",
  name: "regional",
  props: { region: "us-east-1", ...props },
});

describe("aws-pulumi-provider-disallow-static-credentials (C6)", () => {
  it("proves C6", () => expectControl(p, "C6"));
  it("passes a provider that takes credentials from the environment", async () => {
    await expectPass(p, provider({}));
    await expectPass(p, provider({ assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::111122223333:role/deploy" }]) }));
  });
  it("reports static keys, secret or not, known or not", async () => {
    await expectViolation(p, provider({ accessKey: "AKIAIOSFODNN7EXAMPLE" }), ["the provider is given accessKey", "property accessKey"]);
    await expectViolation(p, provider({ secretKey: secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") }), ["secretKey"]);
    await expectViolation(p, provider({ token: unknown() }), ["token"]);
    const both = await onResource(p, provider({ accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: secret("x") }));
    expect(both.violations).to.have.length(2);
  });
  it("does not apply to other resources or providers", async () => {
    await expectNotApplicable(p, { type: s3.Bucket, name: "b", props: {} });
    await expectNotApplicable(p, { type: "pulumi:providers:azure-native", name: "az", props: { clientSecret: "x" } });
  });
});
