// Imported first by the pack's entry, before anything loads @pulumi/pulumi: the packages of its closure serialization
// and Automation API (npm's arborist and some 150 modules, execa, ...) load only if something reads them (deferred-modules.ts).
import { deferUnusedRuntimeModules } from "./deferred-modules";

deferUnusedRuntimeModules();
