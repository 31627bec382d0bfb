// The CrossGuard policy pack: assembles every policy module of the registry
// (policies/index.ts). Loading this file starts the analyzer's gRPC server,
// so tests import the modules instead.
// First: the pack starts without loading what it never uses (lib/deferred-modules.ts).
import "./lib/defer-unused-runtime-modules";
import { PolicyPack } from "@pulumi/policy";
import * as modules from "./policies";
import { installDeserializeOnce } from "./lib/deserialize-once";
import { collectPolicies } from "./lib/registry";
import { installTypeDispatch } from "./lib/type-dispatch";

// Properties turned into JavaScript once per resource, not once per policy (lib/deserialize-once.ts).
installDeserializeOnce();
// Each Analyze request goes only to the policies that can apply to its type (lib/type-dispatch.ts).
installTypeDispatch();

new PolicyPack("secure-ml-training", {
  policies: collectPolicies(modules),
});
