const fs = require("fs");
const f = fs.readdirSync("/tmp/prof").map(x => "/tmp/prof/" + x)[0];
const p = JSON.parse(fs.readFileSync(f));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = new Map(); for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
const target = process.argv[2];
const agg = new Map();
for (const n of p.nodes) if (n.callFrame.functionName === target) {
  let chain = []; let id = parent.get(n.id);
  for (let k = 0; k < 6 && id; k++) { const x = byId.get(id); chain.push(`${x.callFrame.functionName}@${x.callFrame.url.split("/").slice(-1)}:${x.callFrame.lineNumber}`); id = parent.get(id); }
  const key = chain.join(" < "); agg.set(key, (agg.get(key) || 0) + (dt.get(n.id) || 0));
}
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log((v / 1000).toFixed(0), k);
