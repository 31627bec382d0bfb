/**
 * Azure ML compute. A cluster (AmlCompute) that scales to zero nodes costs
 * nothing idle; one that keeps nodes, or a compute instance (a VM), is billed
 * by VM size, which the rate table does not price: reported, not zeroed.
 */
import { num, str, why } from "../inputs";
import { free, Mapper, notPriced } from "../mapper";

export const azureMlCompute: Mapper = {
  types: ["azure-native:machinelearningservices:Compute"],
  map(r) {
    const computeType = str(r.inputs, "properties.computeType");
    if (computeType.state !== "known") return notPriced(`${why("properties.computeType", computeType)}; cannot tell whether it idles at zero`, "unknown compute type");
    if (computeType.value !== "AmlCompute") return notPriced(`${computeType.value} is billed by VM size while it runs; VM prices are not in the rate table`, computeType.value);
    const min = num(r.inputs, "properties.properties.scaleSettings.minNodeCount");
    if (min.state === "missing" || (min.state === "known" && min.value === 0)) return free("usage", "cluster scales to zero nodes: billed per node-hour while jobs run");
    if (min.state === "known") return notPriced(`cluster keeps ${min.value} node(s) running; VM prices are not in the rate table`, "AmlCompute with idle nodes");
    return notPriced(`${why("properties.properties.scaleSettings.minNodeCount", min)}; cannot tell whether it idles at zero`, "AmlCompute");
  },
};
