import { evaluateStack } from "/work/main/tools/check/evaluate";
import { buildStackModel } from "/work/main/tools/check/model";
import { analyzeRequest, analyzeStackRequest } from "/work/main/tools/check/pack/wire";
import { syntheticRecording } from "/work/main/tools/bench";
import { readProject, readStackFile } from "/work/main/tools/recorder/stack-file";
async function main() {
  const sf = readStackFile(readProject("/work/main"), "dev");
  const ev = await evaluateStack({ programDir: "/work/main", stack: "dev", log: () => {} });
  const model = buildStackModel({ recording: syntheticRecording(ev.recording, 10000), programDir: "/work/main", config: sf.config, secretKeys: sf.secretKeys });
  let bytes = 0;
  for (let k = 0; k < 2; k++) {
    const t0 = process.cpuUsage();
    for (const r of model.resources) bytes += analyzeRequest(r).serializeBinary().length;
    const t1 = process.cpuUsage(t0);
    const t2 = process.cpuUsage();
    const b = analyzeStackRequest(model.resources).serializeBinary();
    const t3 = process.cpuUsage(t2);
    console.log("analyze reqs cpu", (t1.user + t1.system) / 1000, "ms; bytes/req", bytes / model.resources.length / (k+1), "stack req cpu", (t3.user + t3.system) / 1000, "bytes", b.length);
  }
}
main();
