import { evaluateStack } from "/work/main/tools/check/evaluate";
import { buildStackModel } from "/work/main/tools/check/model";
import { PackPool } from "/work/main/tools/check/pack/pool";
import { analyzeModel } from "/work/main/tools/check/analyze";
import { syntheticRecording } from "/work/main/tools/bench";
import { readProject, readStackFile } from "/work/main/tools/recorder/stack-file";
async function main() {
  const pack = process.argv[2], n = Number(process.argv[3]), procs = Number(process.argv[4]), inFlight = Number(process.argv[5] ?? 48);
  const sf = readStackFile(readProject("/work/main"), "dev");
  const ev = await evaluateStack({ programDir: "/work/main", stack: "dev", log: () => {} });
  const model = buildStackModel({ recording: syntheticRecording(ev.recording, n), programDir: "/work/main", config: sf.config, secretKeys: sf.secretKeys });
  const cpu0 = process.cpuUsage();
  const pool = await PackPool.start({ packDir: pack, project: "secure-ml-training", stack: "dev", config: sf.config, secretKeys: sf.secretKeys }, procs);
  const t1 = Date.now() - pool.startedAt;
  await pool.configure({}, "x");
  const cpuA = process.cpuUsage();
  const a = await analyzeModel(pool, model, { inFlight });
  const cpuAn = process.cpuUsage(cpuA);
  console.log("parent CPU in analyzeModel", ((cpuAn.user + cpuAn.system) / 1000).toFixed(0));
  const cpu = process.cpuUsage(cpu0);
  console.log(`n=${model.resources.length} procs=${procs} inFlight=${inFlight} start=${t1} total=${a.timings.totalMs} analyze=${a.timings.analyzeMs} stack=${a.timings.analyzeStackMs} diags=${a.diagnostics.length} parentCPU=${((cpu.user + cpu.system) / 1000).toFixed(0)}ms policies=${pool.metadata.policies.length}`);
  const fs = require("fs");
  const tck = 100;
  for (const pk of pool.processes) { const st = fs.readFileSync(`/proc/${pk.pid}/stat`, "utf8").split(") ")[1].split(" "); console.log("pack", pk.pid, "cpu ms", (Number(st[11]) + Number(st[12])) * 1000 / tck); }
  await pool.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
