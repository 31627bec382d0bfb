/**
 * The bucket-policy builder's VPC endpoint deny (C4, C11): no
 * aws:ViaAWSService exemption, and the hook the data-ingest principal uses
 * (`exemptPrincipalArns`, an aws:PrincipalArn exemption of exactly the named
 * roles).
 */
import { expect } from "chai";
import type { AwsContext } from "../../../stacks/aws/context";
import { bucketPolicy } from "../../../stacks/aws/bucket-policy";
import type { PolicyStatement } from "../../../stacks/aws/iam-documents";

function ctx(enforceVpcEndpoint: boolean): AwsContext {
  return { config: { enforceVpcEndpoint }, accountId: "123456789012" } as unknown as AwsContext;
}

function deny(statements: readonly PolicyStatement[]): PolicyStatement | undefined {
  return statements.find((s) => s.Sid === "DenyDataAccessOutsideVpcEndpoint");
}

const args = { bucketArn: "arn:aws:s3:::mltrain-dev-data-1a2b3c4", s3VpcEndpointId: "vpce-0123456789abcdef0" };

describe("stacks/aws/bucket-policy: the VPC endpoint deny", () => {
  it("exempts AWS services acting as themselves (log delivery), never services acting for a principal", () => {
    const st = deny(bucketPolicy({ ctx: ctx(true), ...args }).Statement as PolicyStatement[])!;
    expect(st.Effect).to.equal("Deny");
    expect(st.Condition).to.deep.equal({
      StringNotEquals: { "aws:SourceVpce": args.s3VpcEndpointId },
      Bool: { "aws:PrincipalIsAWSService": "false" },
    });
    expect(JSON.stringify(st)).to.not.include("aws:ViaAWSService");
  });

  it("exempts exactly the given principals (the ingest role) with ArnNotEquals aws:PrincipalArn", () => {
    const ingest = "arn:aws:iam::123456789012:role/mltrain-dev-ingest-1a2b3c4";
    const statements = bucketPolicy({ ctx: ctx(true), ...args, exemptPrincipalArns: [ingest] }).Statement as PolicyStatement[];
    // Every endpoint-only action is exempted for the ingest role by default, so the plain deny gives way to one with the exemption.
    expect(deny(statements), "no unconditioned deny left beside the exempting one").to.equal(undefined);
    const st = statements.find((x) => x.Sid === "DenyDataAccessOutsideVpcEndpointExceptIngestRole")!;
    expect(st.Effect).to.equal("Deny");
    expect(st.Condition).to.deep.equal({
      StringNotEquals: { "aws:SourceVpce": args.s3VpcEndpointId },
      Bool: { "aws:PrincipalIsAWSService": "false" },
      ArnNotEquals: { "aws:PrincipalArn": [ingest] },
    });
  });

  it("adds no principal exemption for an empty list, and no deny at all without enforceVpcEndpoint", () => {
    const st = deny(bucketPolicy({ ctx: ctx(true), ...args, exemptPrincipalArns: [] }).Statement as PolicyStatement[])!;
    expect(st.Condition).to.not.have.property("ArnNotEquals");
    expect(
      deny(bucketPolicy({ ctx: ctx(false), ...args, exemptPrincipalArns: ["arn:aws:iam::1:role/x"] }).Statement as PolicyStatement[]),
    ).to.equal(undefined);
  });
});
