/** aws-sagemaker-domain-missing-studio-endpoints (C11): a VpcOnly domain needs the SageMaker API and runtime endpoints. */
import { expect } from "chai";
import * as ec2 from "@pulumi/aws/ec2";
import * as sagemaker from "@pulumi/aws/sagemaker";
import { domainMissingStudioEndpoints } from "../../../../../policy-pack/policies/aws/sagemaker/studio-endpoints";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { ResourceSpec, unknown, urnOf } from "../../../harness";

const VPC = "vpc-0a1b2c3d4e5f60718";
const vpc: ResourceSpec = { type: ec2.Vpc, name: "vpc", props: { id: VPC } };
const domain = (props: Record<string, unknown> = {}): ResourceSpec => ({
  type: sagemaker.Domain,
  name: "domain",
  props: { appNetworkAccessType: "VpcOnly", vpcId: VPC, ...props },
});
const endpoint = (service: string, props: Record<string, unknown> = {}): ResourceSpec => ({
  type: ec2.VpcEndpoint,
  name: `vpce-${service.replace(/\./g, "-")}`,
  props: { vpcId: VPC, vpcEndpointType: "Interface", serviceName: `com.amazonaws.us-east-1.${service}`, privateDnsEnabled: true, ...props },
});

describe("policy pack: aws-sagemaker-domain-missing-studio-endpoints (C11, stack)", () => {
  const p = domainMissingStudioEndpoints;
  it("proves C11 and cites the Studio VPC guide", () => {
    expectControl(p, "C11");
    expect(p.url).to.equal("https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html");
  });
  it("passes a VpcOnly domain with both endpoints in its VPC, and a public domain without any", async () => {
    await expectStackPass(p, [vpc, domain(), endpoint("sagemaker.api"), endpoint("sagemaker.runtime")]);
    await expectStackPass(p, [vpc, domain({ appNetworkAccessType: "PublicInternetOnly" })]);
  });
  it("reports each missing endpoint at the domain, saying no Studio app will start", async () => {
    await expectStackViolations(
      p,
      [vpc, domain(), endpoint("sagemaker.api")],
      [
        [
          urnOf(domain()),
          [
            "no Interface VPC endpoint for sagemaker.runtime in its VPC",
            "cannot start any Studio app",
            "com.amazonaws.<region>.sagemaker.runtime",
          ],
        ],
      ],
    );
    await expectStackViolations(p, [vpc, domain(), endpoint("sts")], [[urnOf(domain()), ["sagemaker.api and sagemaker.runtime"]]]);
  });
  it("does not count endpoints of another VPC, Gateway endpoints or other services", () =>
    expectStackViolations(
      p,
      [vpc, domain(), endpoint("sagemaker.api", { vpcId: "vpc-other" }), endpoint("sagemaker.runtime", { vpcEndpointType: "Gateway" })],
      [[urnOf(domain()), ["sagemaker.api and sagemaker.runtime"]]],
    ));
  it("accepts a NAT gateway as the internet path the guide allows instead", () =>
    expectStackPass(p, [vpc, domain(), { type: ec2.NatGateway, name: "nat", props: { subnetId: "subnet-1" } }]));
  it("matches VPCs through dependencies while ids are unknown (preview), and does not judge unknown service names", async () => {
    const deps = { vpcId: [urnOf(vpc)] };
    await expectStackPass(p, [
      vpc,
      { ...domain({ vpcId: unknown() }), propertyDependencies: deps },
      { ...endpoint("sagemaker.api", { vpcId: unknown() }), propertyDependencies: deps },
      { ...endpoint("sagemaker.runtime", { vpcId: unknown() }), propertyDependencies: deps },
    ]);
    await expectStackPass(p, [vpc, domain(), endpoint("sagemaker.api"), endpoint("x", { serviceName: unknown() })]);
  });
  it("is not applicable to a stack without a domain", async () => {
    const f = await onStack(p, [vpc, endpoint("sagemaker.api")]);
    expect(f.notApplicable).to.equal(true);
  });
});
