/** aws-sagemaker-domain-enable-home-efs-delete-unless-protected (C11): a retained home EFS volume blocks deleting the VPC. */
import { expect } from "chai";
import * as sagemaker from "@pulumi/aws/sagemaker";
import { domainEnableHomeEfsDeleteUnlessProtected } from "../../../../../policy-pack/policies/aws/sagemaker/domain-home-efs";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { unknown } from "../../../harness";

const domain = (retentionPolicy: unknown, protect?: boolean) => ({
  type: sagemaker.Domain,
  name: "studio",
  props: {
    domainName: "mltrain-dev-studio",
    appNetworkAccessType: "VpcOnly",
    ...(retentionPolicy === undefined ? {} : { retentionPolicy }),
  },
  ...(protect === undefined ? {} : { opts: { protect } }),
});

describe("policy pack: aws-sagemaker-domain-enable-home-efs-delete-unless-protected (C11)", () => {
  const p = domainEnableHomeEfsDeleteUnlessProtected;
  it("proves C11 and cites the RetentionPolicy API", () => {
    expectControl(p, "C11");
    expect(p.url).to.equal("https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RetentionPolicy.html");
  });
  it("passes a domain that deletes its home volume (dev) and a protected domain that retains it (prod)", async () => {
    await expectPass(p, domain({ homeEfsFileSystem: "Delete" }));
    await expectPass(p, domain({ homeEfsFileSystem: "Retain" }, true));
  });
  it("reports an unprotected domain that retains its home volume, explicitly or by default", async () => {
    await expectViolation(p, domain({ homeEfsFileSystem: "Retain" }), [
      'retained (retentionPolicy.homeEfsFileSystem "Retain")',
      "cannot delete the subnets or the VPC",
      "property retentionPolicy.homeEfsFileSystem",
    ]);
    await expectViolation(p, domain(undefined, false), ['retained by default (retentionPolicy.homeEfsFileSystem not set: "Retain")']);
  });
  it("does not judge an unknown retention (preview), and applies only to domains", async () => {
    await expectPass(p, domain({ homeEfsFileSystem: unknown() }));
    await expectPass(p, domain(unknown("object")));
    await expectNotApplicable(p, { type: sagemaker.UserProfile, name: "u", props: {} });
  });
});
