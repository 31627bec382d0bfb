/**
 * `computeClusters` (issue 19): the Azure ML training clusters a stack
 * declares are validated before anything is registered: Azure VM size names,
 * Azure ML compute names, scale-to-zero, node limits and priority, each
 * problem naming the element, the field, the bad value and what is allowed.
 */
import { expect } from "chai";
import { AzureStackConfig, ConfigError, defaultComputeClusters, parseStackConfig } from "../../../stacks/config";
import { isAzureVmSize, isGpuVmSize } from "../../../stacks/azure/vm-sizes";
import { PROJECT } from "../../harness";

const BASE: Record<string, string> = {
  "secure-ml-training:cloud": "azure",
  "secure-ml-training:tier": "prod",
  "secure-ml-training:owner": "ml-platform@example.com",
  "secure-ml-training:location": "westeurope",
  "secure-ml-training:mlWorkspace": "true",
};
const parse = (clusters?: unknown, extra: Record<string, string> = {}) =>
  parseStackConfig(
    {
      ...BASE,
      ...(clusters === undefined
        ? {}
        : { "secure-ml-training:computeClusters": typeof clusters === "string" ? clusters : JSON.stringify(clusters) }),
      ...extra,
    },
    PROJECT,
    "t",
  ) as AzureStackConfig;
function problems(clusters: unknown, extra: Record<string, string> = {}): string[] {
  try {
    parse(clusters, extra);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("Azure VM size names", () => {
  const valid = [
    "Standard_DS3_v2",
    "Standard_NC6s_v3",
    "Standard_NC4as_T4_v3",
    "Standard_NC24ads_A100_v4",
    "Standard_ND96isr_H100_v5",
    "Standard_ND96asr_v4",
    "Standard_E16-4ds_v5",
    "Standard_D2s_v3",
    "Standard_B2s",
    "Standard_M416ms_v2",
    "Standard_HB120rs_v3",
    "Standard_NV36ads_A10_v5",
  ];
  const invalid = [
    "DS3_v2",
    "Standard_",
    "standard_ds3_v2",
    "Standard_DS3 v2",
    "Standard_DS3_v2;rm",
    "ml.g5.xlarge",
    "Standard_GPU",
    "Standard_NC",
    "Standard_DS3_",
    "Standard_DS3__v2",
    "Basic A0",
    "",
  ];
  for (const size of valid) it(`accepts ${size}`, () => expect(isAzureVmSize(size)).to.equal(true));
  for (const size of invalid) it(`refuses ${JSON.stringify(size)}`, () => expect(isAzureVmSize(size)).to.equal(false));
  it("knows the N family as GPU sizes", () => {
    expect(["Standard_NC4as_T4_v3", "Standard_ND96isr_H100_v5", "Standard_DS3_v2"].map(isGpuVmSize)).to.deep.equal([true, true, false]);
  });
});

describe("config: computeClusters", () => {
  it("defaults to one CPU cluster (max 4 in prod, 1 in dev) when the workspace is on and the key is absent", () => {
    expect(parse().computeClusters).to.deep.equal(defaultComputeClusters("prod"));
    expect(defaultComputeClusters("prod")[0]).to.include({ name: "train-cpu", vmSize: "Standard_DS3_v2", minNodes: 0, maxNodes: 4 });
    expect(defaultComputeClusters("dev")[0].maxNodes).to.equal(1);
  });

  it("is empty without the workspace", () => {
    expect(parse(undefined, { "secure-ml-training:mlWorkspace": "false" }).computeClusters).to.deep.equal([]);
  });

  it("reads a CPU and a GPU cluster, defaulting minNodes to 0 and priority to Dedicated", () => {
    const c = parse([
      { name: "train-cpu", vmSize: "Standard_DS3_v2", maxNodes: 4 },
      { name: "train-gpu", vmSize: "Standard_NC4as_T4_v3", minNodes: 0, maxNodes: 2, priority: "LowPriority" },
    ]);
    expect(c.computeClusters).to.deep.equal([
      { name: "train-cpu", vmSize: "Standard_DS3_v2", minNodes: 0, maxNodes: 4, priority: "Dedicated" },
      { name: "train-gpu", vmSize: "Standard_NC4as_T4_v3", minNodes: 0, maxNodes: 2, priority: "LowPriority" },
    ]);
  });

  const K = "secure-ml-training:computeClusters";
  const BAD: [string, unknown, string[]][] = [
    ["not JSON", "train-gpu", [K, '"train-gpu"', "a list of {name, vmSize, maxNodes"]],
    ["an empty list", [], [K, "[]", "1-8 clusters"]],
    ["an element that is not a map", ["train-gpu"], [`${K}[0]`, '"train-gpu"', "a map"]],
    [
      "an invalid VM size",
      [{ name: "gpu", vmSize: "Standard NC6", maxNodes: 1 }],
      [`${K}[0].vmSize`, '"Standard NC6"', "an Azure VM size name", "Standard_NC4as_T4_v3"],
    ],
    ["a VM size of another cloud", [{ name: "gpu", vmSize: "ml.g5.2xlarge", maxNodes: 1 }], [`${K}[0].vmSize`, '"ml.g5.2xlarge"']],
    ["a missing VM size", [{ name: "gpu", maxNodes: 1 }], [`${K}[0].vmSize`, "got undefined"]],
    [
      "minNodes above 0",
      [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3", minNodes: 2, maxNodes: 2 }],
      [`${K}[0].minNodes`, "got 2", "allowed: 0", "scales to zero"],
    ],
    ["maxNodes 0", [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3", maxNodes: 0 }], [`${K}[0].maxNodes`, "got 0", "1-100"]],
    [
      "maxNodes as a string",
      [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3", maxNodes: "2" }],
      [`${K}[0].maxNodes`, 'got "2"', "an integer 1-100"],
    ],
    [
      "an unknown priority",
      [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3", maxNodes: 1, priority: "Spot" }],
      [`${K}[0].priority`, '"Spot"', "Dedicated | LowPriority"],
    ],
    [
      "a name too long for Azure ML",
      [{ name: "a-very-long-cluster-name", vmSize: "Standard_DS3_v2", maxNodes: 1 }],
      [`${K}[0].name`, '"a-very-long-cluster-name"', "2-16 letters"],
    ],
    ["a name starting with a digit", [{ name: "1gpu", vmSize: "Standard_DS3_v2", maxNodes: 1 }], [`${K}[0].name`, '"1gpu"']],
    [
      "two clusters with one name (case-insensitive)",
      [
        { name: "gpu", vmSize: "Standard_DS3_v2", maxNodes: 1 },
        { name: "GPU", vmSize: "Standard_NC4as_T4_v3", maxNodes: 1 },
      ],
      [`${K}[1].name`, '"GPU"', `${K}[0]`, "used once"],
    ],
    [
      "an unknown field",
      [{ name: "gpu", vmSize: "Standard_DS3_v2", maxNodes: 1, publicIp: true }],
      [`${K}[0].publicIp`, "unknown field", "name, vmSize, maxNodes, minNodes, priority"],
    ],
  ];
  for (const [what, value, fragments] of BAD) {
    it(`refuses ${what}, naming key, value and what is allowed`, () => {
      const found = problems(value);
      expect(found, "problems").to.not.deep.equal([]);
      const text = found.join("\n");
      for (const f of fragments) expect(text).to.include(f);
    });
  }

  it("reports every bad cluster at once", () => {
    const found = problems([
      { name: "1", vmSize: "x", maxNodes: 0 },
      { name: "ok", vmSize: "Standard_DS3_v2", maxNodes: 1, priority: "x" },
    ]);
    expect(found.filter((p) => p.startsWith(`${K}[0]`))).to.have.length(3);
    expect(found.filter((p) => p.startsWith(`${K}[1]`))).to.have.length(1);
  });
});
