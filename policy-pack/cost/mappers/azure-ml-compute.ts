/**
 * Azure ML compute. A cluster (AmlCompute) that scales to zero nodes costs
 * nothing idle: its nodes are billed per node-hour only while jobs run. When
 * the rate table has its VM size, the estimate shows that hourly price as a
 * usage component (quantity 0: nothing idle), so a GPU cluster's price is in
 * the estimate beside its zero idle cost. A cluster that keeps nodes, or a
 * compute instance (a VM), is billed by VM size all the time: reported as not
 * priced, not zeroed.
 */
import { num, str, why } from "../inputs";
import { free, Mapper, notPriced, priced } from "../mapper";
import { RATES } from "../rate-table";

/** Rate id of a VM size (`azure.vm.Standard_NC4as_T4_v3`); Azure reports sizes in any case, the table keeps Azure's casing. */
export function vmRateId(vmSize: string): string | undefined {
  const id = Object.keys(RATES.rates).find((k) => k.toLowerCase() === `azure.vm.${vmSize}`.toLowerCase());
  return id;
}

export const azureMlCompute: Mapper = {
  types: ["azure-native:machinelearningservices:Compute"],
  map(r) {
    const computeType = str(r.inputs, "properties.computeType");
    if (computeType.state !== "known")
      return notPriced(`${why("properties.computeType", computeType)}; cannot tell whether it idles at zero`, "unknown compute type");
    if (computeType.value !== "AmlCompute")
      return notPriced(`${computeType.value} is billed by VM size while it runs; VM prices are not in the rate table`, computeType.value);
    const min = num(r.inputs, "properties.properties.scaleSettings.minNodeCount");
    if (min.state === "missing" || (min.state === "known" && min.value === 0)) {
      const size = str(r.inputs, "properties.properties.vmSize");
      const max = num(r.inputs, "properties.properties.scaleSettings.maxNodeCount");
      const rateId = size.state === "known" ? vmRateId(size.value) : undefined;
      if (size.state === "known" && rateId) {
        const rate = RATES.rates[rateId];
        const priority = str(r.inputs, "properties.properties.vmPriority");
        const upTo =
          max.state === "known" ? `, up to ${max.value} node(s) = $${(rate.price * max.value).toFixed(2)}/hour at full scale` : "";
        return priced({
          component: `${size.value} node-hours while jobs run (scales to zero)`,
          rateId,
          count: 0,
          detail: `$${rate.price}/node-hour${priority.state === "known" && priority.value === "LowPriority" ? " (dedicated list price; LowPriority nodes are billed below it)" : ""}${upTo}; $0 while no job runs`,
        });
      }
      return free(
        "usage",
        `cluster scales to zero nodes: billed per node-hour while jobs run${size.state === "known" ? ` (${size.value} is not in the rate table)` : ""}`,
      );
    }
    if (min.state === "known")
      return notPriced(`cluster keeps ${min.value} node(s) running; VM prices are not in the rate table`, "AmlCompute with idle nodes");
    return notPriced(`${why("properties.properties.scaleSettings.minNodeCount", min)}; cannot tell whether it idles at zero`, "AmlCompute");
  },
};
