import { runStack } from "../harness";
import { analyzeRecording, loadPackConfig, specsOf } from "./harness";
import { ALL_POLICIES } from "./pack";
describe("dbg", function () {
  this.timeout(300000);
  for (const s of ["prod", "azure-prod"]) it(s, async () => {
    const rec = await runStack(s);
    console.log(s, rec.resources.length, [...new Set(rec.resources.map((r) => r.type))].join(" "));
    const r = await analyzeRecording(ALL_POLICIES, rec, { config: loadPackConfig("prod") });
    console.log("applied", r.applied.size, ALL_POLICIES.filter((p) => !r.applied.has(p.name)).map((p) => p.name));
    const { outputs } = specsOf(rec);
    const b = outputs.find((o) => o.type === "aws:s3/bucketPolicy:BucketPolicy");
    if (b) console.log(JSON.stringify(b.props).slice(0, 1500));
    console.log(JSON.stringify(rec.resources.filter((x) => x.provider).slice(0,1).map((x) => [x.type, x.provider])));
  });
});
