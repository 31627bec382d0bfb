/**
 * AWS Elastic IP: every public IPv4 address is billed hourly, attached or not.
 */
import { Mapper, priced } from "../mapper";

export const awsEip: Mapper = {
  types: ["aws:ec2/eip:Eip"],
  map: () => priced({ component: "public IPv4 address", rateId: "aws.ipv4.public", count: 1 }),
};
