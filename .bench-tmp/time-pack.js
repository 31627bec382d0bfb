const { spawn } = require("child_process");
const t0 = Date.now();
const script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [process.cwd()] });
const p = spawn(process.execPath, ["-r", "/work/main/tools/check/pack/transpile-only-preload.js", script, "127.0.0.1:0", "."], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, CHECK_RUN_POLICY_PACK: script } });
p.stdout.on("data", (d) => { console.log("port after", Date.now() - t0, "ms"); p.kill(); });
