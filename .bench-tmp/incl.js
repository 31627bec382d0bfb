const fs = require("fs");
const f = fs.readdirSync("/tmp/prof").map(x => "/tmp/prof/" + x)[0];
const p = JSON.parse(fs.readFileSync(f));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = new Map(); for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
const incl = new Map();
function tot(n) { let t = dt.get(n.id) || 0; for (const c of n.children || []) t += tot(byId.get(c)); return t; }
const names = process.argv.slice(2);
for (const n of p.nodes) if (names.includes(n.callFrame.functionName)) incl.set(n.callFrame.functionName, (incl.get(n.callFrame.functionName) || 0) + tot(n));
for (const [k, v] of incl) console.log(k, (v / 1000).toFixed(0), "ms inclusive");
