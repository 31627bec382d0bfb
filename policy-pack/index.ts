// The CrossGuard policy pack: assembles every policy module of the registry
// (policies/index.ts). Loading this file starts the analyzer's gRPC server,
// so tests import the modules instead.
import { PolicyPack } from "@pulumi/policy";
import * as modules from "./policies";
import { installDeserializeOnce } from "./lib/deserialize-once";
import { collectPolicies } from "./lib/registry";

// Properties turned into JavaScript once per resource, not once per policy (lib/deserialize-once.ts).
installDeserializeOnce();

new PolicyPack("secure-ml-training", {
  policies: collectPolicies(modules),
});
