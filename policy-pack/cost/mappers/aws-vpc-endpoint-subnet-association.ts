/**
 * AWS VPC endpoint subnet association: places an interface endpoint in one
 * more subnet (AZ), which is billed like the endpoint's own subnets.
 */
import { Mapper, priced } from "../mapper";

export const awsVpcEndpointSubnetAssociation: Mapper = {
  types: ["aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation"],
  map: () => priced({ component: "interface endpoint in 1 more AZ", rateId: "aws.vpce.interface", count: 1 }),
};
