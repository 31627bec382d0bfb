// Preloaded (`node -r`) before the policy pack's entry file in a child
// process: replaces the analyzer server's `serve` so that constructing the
// PolicyPack prints what it would serve (name, version, policies) as JSON
// and exits, instead of starting the gRPC server.
"use strict";
const server = require("@pulumi/policy/server");
server.serve = (name, version, enforcementLevel, args) => {
  const policies = (args.policies || []).map((p) => ({ name: p.name, description: p.description, enforcementLevel: p.enforcementLevel }));
  process.stdout.write(JSON.stringify({ name, version, enforcementLevel, policies }));
  process.exit(0);
};
