// Imported first by the pack's entry, before anything loads @pulumi/pulumi: its closure serialization's npm
// machinery (@npmcli/arborist and some 150 modules) loads only if something reads it (deferred-modules.ts).
import { deferClosureSerializationModules } from "./deferred-modules";

deferClosureSerializationModules();
