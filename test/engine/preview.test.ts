/**
 * `npm run check` evaluates a program as `pulumi preview` does for a new
 * stack: whatever the provider computes (a storage account's endpoints, a
 * bucket's ARN, every id) is unknown unless the program gave it, so an
 * `apply` over it never runs and values derived from it reach the policy
 * pack as unknowns; values the program gave stay known and their applies run.
 * Both module systems: the CommonJS fixture `programs/computed` and the
 * ES-module fixture `programs/esm`.
 */
import { expect } from "chai";
import * as path from "path";
import { evaluateStack } from "../../engine/evaluate";
import { rpc } from "../../engine/model";
import type { RecordedResource } from "../../engine/recorder";
import { EXIT_MANDATORY, EXIT_OK } from "../../cli/check/errors";
import { FIXTURES, REAL_PACK, reportOf, runCheckCli } from "../cli/check/helpers";

const COMPUTED = path.join(FIXTURES, "programs", "computed");
const ESM = path.join(FIXTURES, "programs", "esm");

async function evaluate(programDir: string) {
  let log = "";
  const { recording } = await evaluateStack({ programDir, stack: "dev", log: (s) => (log += s) });
  const ran = log
    .split("\n")
    .filter((l) => l.startsWith("apply ran: "))
    .map((l) => l.slice("apply ran: ".length));
  const byName = (type: string) => recording.resources.find((r) => r.type === type) as RecordedResource;
  return { recording, ran, byName };
}

describe("engine: programs evaluated with preview semantics", function () {
  this.timeout(240_000);

  it("CommonJS: applies over computed outputs do not run; applies over the program's own values do", async () => {
    const { recording, ran, byName } = await evaluate(COMPUTED);
    // The old mocks answered `primaryEndpoints` without `web` and the callback crashed on undefined.
    expect(ran).to.have.members(["kind=StorageV2", "bucket=computed-fixture-logs"]);
    expect(ran.join("\n")).to.not.match(/web=|arn=/);
    expect(recording.resources.map((r) => r.type)).to.have.members([
      "azure-native:resources:ResourceGroup",
      "azure-native:storage:StorageAccount",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketPolicy:BucketPolicy",
    ]);
    // Inputs derived from computed outputs travel as the engine's unknown marker.
    const policy = byName("aws:s3/bucketPolicy:BucketPolicy");
    expect(policy.wireInputs.policy).to.equal(rpc.unknownValue);
    expect(policy.wireInputs.bucket).to.equal("computed-fixture-logs");
    expect(byName("azure-native:storage:StorageAccount").wireInputs.resourceGroupName).to.equal(rpc.unknownValue);
    // Outputs: given values known, computed ones unknown (what AnalyzeStack receives).
    const account = byName("azure-native:storage:StorageAccount");
    expect(account.outputs.kind).to.equal("StorageV2");
    expect(account.outputs.primaryEndpoints).to.equal(rpc.unknownValue);
    const bucket = byName("aws:s3/bucket:Bucket");
    expect(bucket.outputs.bucket).to.equal("computed-fixture-logs");
    expect(bucket.outputs.arn).to.equal(rpc.unknownValue);
    // Stack outputs one by one, as the engine receives them.
    expect(recording.outputs).to.deep.equal({ accountKind: "storagev2", siteUrl: rpc.unknownValue });
  });

  it("ES module: the same, through ts-node's ES-module hooks", async () => {
    const { recording, ran, byName } = await evaluate(ESM);
    expect(ran).to.deep.equal(["owner=team-a"]);
    const bucket = byName("aws:s3/bucket:Bucket");
    expect(bucket.outputs.arn).to.equal(rpc.unknownValue);
    expect(bucket.outputs.tags).to.deep.equal({ owner: "team-a", environment: "dev" });
    expect(recording.outputs).to.deep.equal({
      bucketName: rpc.unknownValue,
      where: "eu-west-1",
      objects: rpc.unknownValue,
      owner: "team-a",
    });
  });

  it("the real policy pack checks the program over its unknowns without crashing", async () => {
    const run = await runCheckCli(["--program", COMPUTED, "--stack", "dev", "--policy-pack", REAL_PACK, "--format", "json"]);
    expect(run.code, run.stderr).to.be.oneOf([EXIT_OK, EXIT_MANDATORY]);
    const report = reportOf(run);
    expect(report.summary.resources).to.equal(7); // 4 resources, the Stack, 2 default providers
    // What the program gave is judged (an account that leaves anonymous blob access unset)...
    const violated = report.violations.map((v: { policy: string; resourceName: string }) => `${v.policy} ${v.resourceName}`);
    expect(violated).to.include("azure-storage-account-disable-blob-public-access site");
    // ...and a policy document that is unknown in a preview is not (the pack skips what it cannot know).
    expect(violated.filter((v: string) => v.startsWith("aws-s3-bucket-policy"))).to.deep.equal([]);
  });
});
