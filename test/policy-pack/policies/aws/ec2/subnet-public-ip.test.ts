/** aws-ec2-subnet-disable-public-ip-on-launch (C4): no public address at launch. */
import * as ec2 from "@pulumi/aws/ec2";
import { subnetDisablePublicIpOnLaunch as p } from "../../../../../policy-pack/policies/aws/ec2/subnet-public-ip";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

describe("aws-ec2-subnet-disable-public-ip-on-launch (C4)", () => {
  const subnet = (props: Record<string, unknown>) => ({
    type: ec2.Subnet,
    name: "private-1",
    props: { vpcId: "vpc-1", cidrBlock: "10.20.0.0/18", ...props },
  });
  it("proves C4", () => expectControl(p, "C4"));
  it("passes false, unset (AWS default false) and unknown", async () => {
    await expectPass(p, subnet({ mapPublicIpOnLaunch: false }));
    await expectPass(p, subnet({}));
    await expectPass(p, subnet({ mapPublicIpOnLaunch: unknown("boolean") }));
  });
  it("reports mapPublicIpOnLaunch true", () =>
    expectViolation(p, subnet({ mapPublicIpOnLaunch: true }), [
      "mapPublicIpOnLaunch is true",
      "public IPv4 address",
      "property mapPublicIpOnLaunch",
    ]));
  it("reports IPv6 and customer-owned addresses on creation", async () => {
    await expectViolation(p, subnet({ assignIpv6AddressOnCreation: true, ipv6CidrBlock: "2600:1f18::/64" }), ["globally routable IPv6"]);
    await expectViolation(p, subnet({ mapCustomerOwnedIpOnLaunch: "true" }), ["customer-owned"]);
  });
  it("does not apply to a route table", () => expectNotApplicable(p, { type: ec2.RouteTable, name: "rt", props: {} }));
});
