/**
 * Azure GPU clusters (issue 19): `npm run train` targets a compute cluster by
 * name (`--cluster`, default the stack's first) from the `computeClusters`
 * output, checks --instance-type against that cluster's VM size and
 * --instance-count against its max nodes before anything is sent, and the
 * job's computeId names the chosen cluster. The live pre-check also accepts a
 * cluster in the workspace's managed network (no subnet) when its nodes have
 * no public IP.
 */
import { expect } from "chai";
import { AZURE_ML_API_VERSION, computeProblems, selectCluster } from "../../../cli/train/azure";
import { parseTrainArgs } from "../../../cli/train/args";
import { AZURE_ARGV, azureOutputs, harness, json, virtualOutputs, withFlag } from "./helpers";

const O = azureOutputs();
const CLUSTERS = [
  { name: O.computeName, vmSize: "Standard_DS3_v2", maxNodes: 4, priority: "Dedicated" },
  { name: "train-gpu", vmSize: "Standard_NC4as_T4_v3", maxNodes: 2, priority: "Dedicated" },
];
const WS = `https://management.azure.com/subscriptions/${O.subscriptionId}/resourceGroups/${O.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${O.workspaceName}`;

function run(argv: string[], outputs: Record<string, unknown> = { ...O, computeClusters: CLUSTERS }) {
  const h = harness({
    httpHandler: (req) => {
      if (req.method === "GET" && req.url.includes("/computes/")) {
        const name = decodeURIComponent(req.url.split("/computes/")[1].split("?")[0]);
        const c = CLUSTERS.find((x) => x.name === name)!;
        return json(200, {
          identity: { userAssignedIdentities: { [O.identityId]: {} } },
          properties: {
            computeType: "AmlCompute",
            properties: {
              vmSize: c.vmSize,
              enableNodePublicIp: false,
              remoteLoginPortPublicAccess: "Disabled",
              subnet: { id: O.subnetIds[0] },
              scaleSettings: { maxNodeCount: c.maxNodes },
            },
          },
        });
      }
      if (req.method === "PUT") return json(201, { properties: { status: "NotStarted" } });
      return json(404, {});
    },
  });
  const file = virtualOutputs(h, outputs);
  return { h, done: h.run(withFlag(argv, "--outputs", file)) };
}

describe("train (Azure): choosing the compute cluster", () => {
  it("--cluster train-gpu with its T4 size: the dry run's job runs on train-gpu", async () => {
    const { h, done } = run([...withFlag(AZURE_ARGV, "--instance-type", "Standard_NC4as_T4_v3"), "--cluster", "train-gpu", "--dry-run"]);
    expect(await done, h.err()).to.equal(0);
    const job = JSON.parse(h.stdout.join("\n")).requests[1].body.properties;
    expect(job.computeId).to.match(/\/computes\/train-gpu$/);
  });

  it("a real run on train-gpu reads that cluster, then submits the job to it", async () => {
    const { h, done } = run([
      ...withFlag(withFlag(AZURE_ARGV, "--instance-type", "Standard_NC4as_T4_v3"), "--instance-count", "2"),
      "--cluster",
      "train-gpu",
    ]);
    expect(await done, h.err()).to.equal(0);
    expect(h.http[0]).to.include({ method: "GET", url: `${WS}/computes/train-gpu?api-version=${AZURE_ML_API_VERSION}` });
    expect(JSON.parse(h.http[2].body!).properties.computeId).to.match(/\/computes\/train-gpu$/);
  });

  it("without --cluster the job runs on the stack's default (first) cluster", async () => {
    const { h, done } = run([...AZURE_ARGV, "--dry-run"]);
    expect(await done, h.err()).to.equal(0);
    expect(JSON.parse(h.stdout.join("\n")).requests[1].body.properties.computeId).to.match(new RegExp(`/computes/${O.computeName}$`));
  });

  const REFUSED: [string, string[], string[]][] = [
    [
      "a GPU size on the default CPU cluster, pointing at the GPU cluster",
      withFlag(AZURE_ARGV, "--instance-type", "Standard_NC4as_T4_v3"),
      [
        "--instance-type: got Standard_NC4as_T4_v3",
        `cluster ${O.computeName} (the stack's default) runs Standard_DS3_v2`,
        "pass --cluster train-gpu",
      ],
    ],
    [
      "a size no cluster has",
      [...withFlag(AZURE_ARGV, "--instance-type", "Standard_ND96asr_v4"), "--cluster", "train-gpu"],
      ["cluster train-gpu runs Standard_NC4as_T4_v3", "train-gpu (Standard_NC4as_T4_v3, max 2 nodes, Dedicated)"],
    ],
    [
      "more nodes than the cluster scales to",
      [...withFlag(withFlag(AZURE_ARGV, "--instance-type", "Standard_NC4as_T4_v3"), "--instance-count", "3"), "--cluster", "train-gpu"],
      ["--instance-count: got 3", "at most 2 nodes", "allowed: 1-2"],
    ],
    [
      "an unknown cluster name",
      [...AZURE_ARGV, "--cluster", "train-tpu"],
      ['--cluster: got "train-tpu"', "one of the stack's compute clusters", "train-gpu (Standard_NC4as_T4_v3"],
    ],
    ["an invalid cluster name", [...AZURE_ARGV, "--cluster", "gpu_1"], [`--cluster: got "gpu_1"`]],
    [
      "an invalid Azure VM size",
      withFlag(AZURE_ARGV, "--instance-type", "NC4as_T4_v3"),
      ['--instance-type: got "NC4as_T4_v3"', "an Azure VM size name"],
    ],
  ];
  for (const [what, argv, fragments] of REFUSED) {
    it(`refuses ${what} with exit 2, nothing sent`, async () => {
      const { h, done } = run(argv);
      expect(await done).to.equal(2);
      for (const f of fragments) expect(h.err()).to.include(f);
      expect(h.http).to.deep.equal([]);
      expect(h.stdout.join("")).to.equal("");
    });
  }

  it("--cluster on an AWS stack is a usage error", async () => {
    const h = harness();
    expect(
      await h.run([
        "--stack",
        "prod",
        "--outputs",
        "test/fixtures/outputs/aws-prod.json",
        "--image",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1",
        "--instance-type",
        "ml.g5.2xlarge",
        "--cluster",
        "gpu",
        "--dry-run",
      ]),
    ).to.equal(2);
    expect(h.err()).to.include("--cluster: applies only to Azure stacks");
  });

  it("older outputs without computeClusters: --cluster must be computeName", () => {
    const args = (extra: string[]) => parseTrainArgs([...withFlag(AZURE_ARGV, "--outputs", "x.json"), ...extra]);
    expect(selectCluster(args([]), O as never).computeName).to.equal(O.computeName);
    expect(() => selectCluster(args(["--cluster", "train-gpu"]), O as never)).to.throw(/one compute cluster, /);
  });

  it("outputs whose computeClusters does not list computeName are refused as inconsistent", async () => {
    const { h, done } = run([...AZURE_ARGV, "--dry-run"], { ...O, computeClusters: [CLUSTERS[1]] });
    expect(await done).to.equal(2);
    expect(h.err()).to.include('stack output "computeClusters"').and.include("does not list computeName");
  });
});

describe("train (Azure): the live pre-check and the managed network", () => {
  const args = parseTrainArgs(withFlag(AZURE_ARGV, "--outputs", "x.json"));
  const doc = (props: Record<string, unknown>) => ({
    identity: { userAssignedIdentities: { [O.identityId]: {} } },
    properties: {
      computeType: "AmlCompute",
      properties: {
        vmSize: "Standard_DS3_v2",
        enableNodePublicIp: false,
        remoteLoginPortPublicAccess: "Disabled",
        scaleSettings: { maxNodeCount: 4 },
        ...props,
      },
    },
  });
  it("accepts a cluster without a subnet (the workspace's managed network) whose nodes have no public IP", () => {
    expect(computeProblems(doc({}), args, O as never)).to.deep.equal([]);
  });
  it("still refuses such a cluster when its nodes get public IPs", () => {
    expect(computeProblems(doc({ enableNodePublicIp: true }), args, O as never).join("\n")).to.include("gives its nodes public IPs");
  });
  it("still refuses a cluster in a subnet that is not the stack's", () => {
    expect(computeProblems(doc({ subnet: { id: `${O.networkId}/subnets/other` } }), args, O as never).join("\n")).to.include(
      "not in the stack's private subnet",
    );
  });
});
