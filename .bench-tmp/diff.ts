import { evaluateStack } from "/work/main/tools/check/evaluate";
import { buildStackModel } from "/work/main/tools/check/model";
import { encodeStruct } from "/work/main/tools/check/pack/wire";
import { readProject, readStackFile } from "/work/main/tools/recorder/stack-file";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { isDeepStrictEqual } from "util";
async function main() {
  const sf = readStackFile(readProject("/work/main"), process.argv[2]);
  const ev = await evaluateStack({ programDir: "/work/main", stack: process.argv[2], log: () => {} });
  const model = buildStackModel({ recording: ev.recording, programDir: "/work/main", config: sf.config, secretKeys: sf.secretKeys });
  let n = 0;
  for (const r of model.resources) for (const props of [r.inputs, r.outputs]) {
    const a = encodeStruct(props), b = Struct.fromJavaScript(props as any).serializeBinary();
    const da = Struct.deserializeBinary(a).toJavaScript(), db = Struct.deserializeBinary(b).toJavaScript();
    if (!isDeepStrictEqual(da, db)) { console.log("DIFF", r.urn); n++; }
    else if (a.length !== b.length && n++ < 3) console.log("len", r.type, a.length, b.length);
  }
  console.log("resources", model.resources.length, "diffs", n);
}
main();
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { encodeAnalyzeStackRequest, encodeAnalyzeRequest } from "/work/main/tools/check/pack/wire";
async function main2() {
  const sf = readStackFile(readProject("/work/main"), "dev");
  const ev = await evaluateStack({ programDir: "/work/main", stack: "dev", log: () => {} });
  const model = buildStackModel({ recording: ev.recording, programDir: "/work/main", config: sf.config, secretKeys: sf.secretKeys });
  const bytes = encodeAnalyzeStackRequest(model.resources);
  const req = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
  const re = req.serializeBinary();
  console.log("stack", bytes.length, re.length, isDeepStrictEqual(analyzerpb.AnalyzeStackRequest.deserializeBinary(re).toObject(), req.toObject()));
  const r0 = analyzerpb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(model.resources[5]));
  console.log("analyze", encodeAnalyzeRequest(model.resources[5]).length, r0.serializeBinary().length);
}
main2();
