/**
 * AWS VPC endpoint. Interface endpoints are billed per endpoint per AZ per
 * hour: one network interface per subnet, so the AZ count is the number of
 * `subnetIds` (one subnet per AZ is all AWS allows). Gateway endpoints (S3,
 * DynamoDB) are free. Gateway Load Balancer, Resource and Service Network
 * endpoints are not in the rate table.
 */
import { known, list, str, why } from "../inputs";
import { free, Mapper, notPriced, plural, priced } from "../mapper";

/** `com.amazonaws.eu-west-1.sagemaker.api` -> `sagemaker.api`. */
export function shortServiceName(service: string | undefined): string | undefined {
  if (!service) return undefined;
  return service.replace(/^com\.amazonaws\.(vpce\.)?[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+\./, "");
}

export const awsVpcEndpoint: Mapper = {
  types: ["aws:ec2/vpcEndpoint:VpcEndpoint"],
  map(r) {
    const type = str(r.inputs, "vpcEndpointType");
    // The provider's default is Gateway.
    const kind = type.state === "known" ? type.value : type.state === "missing" ? "Gateway" : undefined;
    if (kind !== undefined && kind.toLowerCase() === "gateway") return free("none", "gateway endpoints (S3, DynamoDB) have no charge");
    if (kind !== undefined && kind.toLowerCase() !== "interface") {
      return notPriced(`${kind} endpoints are not in the rate table`, kind);
    }
    const service = shortServiceName(known(str(r.inputs, "serviceName")));
    const subnets = list(r.inputs, "subnetIds");
    const configs = list(r.inputs, "subnetConfigurations");
    let azs: number;
    let assumed: string | undefined;
    if (subnets.state === "known" && subnets.value.length > 0) {
      azs = subnets.value.length;
    } else if (configs.state === "known" && configs.value.length > 0) {
      azs = configs.value.length;
    } else {
      azs = 1;
      assumed = `${why("subnetIds", subnets)}; assumed 1 AZ (an interface endpoint needs at least one subnet)`;
    }
    if (kind === undefined) assumed = [`${why("vpcEndpointType", type)}; assumed Interface`, assumed].filter(Boolean).join("; ");
    return priced(
      {
        component: `interface endpoint${service ? ` ${service}` : ""} in ${plural(azs, "AZ")}`,
        rateId: "aws.vpce.interface",
        count: azs,
        assumed,
      },
      { component: "data processed", rateId: "aws.vpce.interface.data", count: 0 },
    );
  },
};
