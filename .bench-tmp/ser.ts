import { evaluateStack } from "/work/main/tools/check/evaluate";
import { buildStackModel } from "/work/main/tools/check/model";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "/work/main/tools/check/pack/wire";
import { syntheticRecording } from "/work/main/tools/bench";
import { readProject, readStackFile } from "/work/main/tools/recorder/stack-file";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
async function main() {
  const sf = readStackFile(readProject("/work/main"), "dev");
  const ev = await evaluateStack({ programDir: "/work/main", stack: "dev", log: () => {} });
  const model = buildStackModel({ recording: syntheticRecording(ev.recording, 10000), programDir: "/work/main", config: sf.config, secretKeys: sf.secretKeys });
  for (let k = 0; k < 3; k++) {
    let t0 = process.cpuUsage(); let bytes = 0;
    for (const r of model.resources) bytes += encodeAnalyzeRequest(r).length;
    let t1 = process.cpuUsage(t0);
    const t2 = process.cpuUsage();
    const b = encodeAnalyzeStackRequest(model.resources);
    const t3 = process.cpuUsage(t2);
    t0 = process.cpuUsage();
    for (const r of model.resources) Struct.fromJavaScript(r.inputs as any).serializeBinary();
    const t4 = process.cpuUsage(t0);
    console.log("analyze reqs cpu", (t1.user + t1.system) / 1000, "stack req cpu", (t3.user + t3.system) / 1000, "bytes", b.length, "jspb structs", (t4.user + t4.system) / 1000);
  }
}
main();
