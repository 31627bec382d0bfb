// Preloaded (`node -r`) into every policy pack process started by engine/pack/spawn.ts: the pack process
// exits when the check that started it is gone (e.g. killed), as the Pulumi CLI's plugins die with the CLI.
// It touches nothing else: the pack starts exactly as the CLI starts it.
"use strict";
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
