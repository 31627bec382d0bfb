/**
 * `--program DIR` loads an ES-module TypeScript program (`"type": "module"`
 * in its package.json, as current Pulumi templates are) the way the Node.js
 * language host does — `import()` through ts-node's ES-module hooks, with
 * the program's tsconfig.json — where a plain `require` fails with
 * "require() of ES Module". CommonJS programs still load with `require`.
 */
import { expect } from "chai";
import * as path from "path";
import { evaluateStack } from "../../engine/evaluate";
import { FIXTURE_PACK, FIXTURE_PROGRAM, ROOT, reportOf, runCheckCli } from "../cli/check/helpers";

const ESM_PROGRAM = path.join(ROOT, "test", "fixtures", "programs", "esm");

describe("engine: ES-module and CommonJS programs", function () {
  this.timeout(240_000);

  it("evaluates an ES-module program: ESM imports with .js extensions, top-level await, named exports as outputs", async () => {
    const { recording } = await evaluateStack({ programDir: ESM_PROGRAM, stack: "dev", log: () => undefined });
    expect(recording.resources.map((r) => r.type)).to.deep.equal(["aws:s3/bucket:Bucket"]);
    const bucket = recording.resources[0];
    expect(bucket.inputs.tags).to.deep.equal({ owner: "team-a", environment: "dev" });
    expect(recording.outputs).to.include({ where: "eu-west-1" });
    expect(recording.outputs?.bucketName).to.be.a("string");
  });

  it("still evaluates a CommonJS program with require (the fixture program)", async () => {
    const { recording } = await evaluateStack({ programDir: FIXTURE_PROGRAM, stack: "dev", log: () => undefined });
    expect(recording.resources.length).to.be.greaterThan(5);
  });

  it("`npm run check --program` checks the ES-module program with a pack", async () => {
    const run = await runCheckCli(["--program", ESM_PROGRAM, "--stack", "dev", "--policy-pack", FIXTURE_PACK, "--format", "json"]);
    const report = reportOf(run);
    expect(report.project).to.equal("esm-fixture");
    expect(report.resources.map((r: { type: string }) => r.type)).to.include("aws:s3/bucket:Bucket");
    const sse = report.violations.filter((v: { policy: string }) => v.policy === "fixture-bucket-sse");
    expect(sse.map((v: { resourceName: string }) => v.resourceName)).to.deep.equal(["esm-data"]);
  });
});
