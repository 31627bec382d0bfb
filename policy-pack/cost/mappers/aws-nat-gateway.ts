/**
 * AWS NAT gateway: hourly (public and private alike) plus data processed.
 * A zonal gateway lives in one AZ; a regional one is billed in each AZ it is
 * active in: the AZs listed in `availabilityZoneAddresses`, or (auto mode)
 * whatever AZs have workloads, which a plan cannot know: 1 is assumed.
 * Its Elastic IPs are priced as their own resources.
 */
import { list, str, why } from "../inputs";
import { Mapper, plural, priced } from "../mapper";

export const awsNatGateway: Mapper = {
  types: ["aws:ec2/natGateway:NatGateway"],
  map(r) {
    const mode = str(r.inputs, "availabilityMode");
    const connectivity = str(r.inputs, "connectivityType");
    const label = `${connectivity.state === "known" ? connectivity.value : "public"} NAT gateway`;
    if (mode.state === "known" && mode.value.toLowerCase() === "regional") {
      const azs = list(r.inputs, "availabilityZoneAddresses");
      const known = azs.state === "known" && azs.value.length > 0;
      const count = known ? azs.value.length : 1;
      return priced(
        {
          component: `regional ${label} in ${plural(count, "AZ")}`,
          rateId: "aws.nat.hour",
          count,
          assumed: known ? undefined : `${why("availabilityZoneAddresses", azs)} (auto mode expands to the AZs in use); assumed 1 AZ`,
        },
        { component: "data processed", rateId: "aws.nat.data", count: 0 },
      );
    }
    return priced(
      {
        component: label,
        rateId: "aws.nat.hour",
        count: 1,
        assumed: mode.state === "unknown" ? `${why("availabilityMode", mode)}; assumed zonal` : undefined,
      },
      { component: "data processed", rateId: "aws.nat.data", count: 0 },
    );
  },
};
