/**
 * `--program DIR` loads an ES-module TypeScript program (`"type": "module"`
 * in its package.json, as current Pulumi templates are) the way the Node.js
 * language host does — `import()` through ts-node's ES-module hooks, with
 * the program's tsconfig.json — where a plain `require` fails with
 * "require() of ES Module". CommonJS programs still load with `require`.
 * Resources of an ES-module program carry their source position as those of
 * a CommonJS program do.
 */
import { expect } from "chai";
import * as path from "path";
import { evaluateStack } from "../../engine/evaluate";
import { FIXTURE_PACK, FIXTURE_PROGRAM, ROOT, reportOf, runCheckCli } from "../cli/check/helpers";

const ESM_PROGRAM = path.join(ROOT, "test", "fixtures", "programs", "esm");

describe("engine: ES-module and CommonJS programs", function () {
  this.timeout(240_000);

  it("evaluates an ES-module program: ESM imports with .js extensions, top-level await, named exports as outputs, source positions", async () => {
    const { recording } = await evaluateStack({ programDir: ESM_PROGRAM, stack: "dev", log: () => undefined });
    expect(recording.resources.map((r) => r.type)).to.deep.equal(["aws:s3/bucket:Bucket"]);
    const bucket = recording.resources[0];
    expect(bucket.inputs.tags).to.deep.equal({ owner: "team-a", environment: "dev" });
    // Where the program constructs it (line 11 of index.ts, at `new`), as for CommonJS programs: the TypeScript
    // position, through the inline source map of ts-node's ES-module output.
    expect(bucket.source).to.deep.equal({ file: "index.ts", line: 11, column: 16 });
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
    expect(sse[0].source).to.include({ line: 11 });
    expect(sse[0].source.file).to.match(/(^|\/)test\/fixtures\/programs\/esm\/index\.ts$/);
  });
});
