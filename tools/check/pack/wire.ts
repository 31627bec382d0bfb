/**
 * Analyzer protocol messages for the resources of a stack model: the
 * `AnalyzeRequest` the engine sends per resource (inputs) and the
 * `AnalyzerResource` list of `AnalyzeStackRequest` (outputs, parent,
 * dependencies, property dependencies).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ModelResource, ProviderRef } from "../model";

function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(value as Record<string, never>);
}

function optionsOf(r: ModelResource): analyzerpb.AnalyzerResourceOptions {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList([...r.options.ignoreChanges]);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
  o.setAdditionalsecretoutputsList([...r.options.additionalSecretOutputs]);
  o.setAliasesList([...r.options.aliases]);
  const t = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(r.options.customTimeouts.create);
  t.setUpdate(r.options.customTimeouts.update);
  t.setDelete(r.options.customTimeouts.delete);
  o.setCustomtimeouts(t);
  o.setParent(r.options.parent ?? "");
  return o;
}

function providerOf(p: ProviderRef): analyzerpb.AnalyzerProviderResource {
  const m = new analyzerpb.AnalyzerProviderResource();
  m.setUrn(p.urn);
  m.setType(p.type);
  m.setName(p.name);
  m.setProperties(struct(p.properties));
  return m;
}

/** What `Analyze` and `Remediate` receive for one resource; `properties` overrides the inputs (after a remediation). */
export function analyzeRequest(r: ModelResource, properties: Record<string, unknown> = r.inputs): analyzerpb.AnalyzeRequest {
  const req = new analyzerpb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(struct(properties));
  req.setOptions(optionsOf(r));
  if (r.provider) req.setProvider(providerOf(r.provider));
  return req;
}

/** One entry of `AnalyzeStackRequest.resources`: the resource's outputs and its graph edges. */
export function analyzerResource(r: ModelResource, outputs: Record<string, unknown> = r.outputs): analyzerpb.AnalyzerResource {
  const m = new analyzerpb.AnalyzerResource();
  m.setUrn(r.urn);
  m.setType(r.type);
  m.setName(r.name);
  m.setProperties(struct(outputs));
  m.setOptions(optionsOf(r));
  if (r.provider) m.setProvider(providerOf(r.provider));
  m.setParent(r.parent ?? "");
  m.setDependenciesList([...r.dependencies]);
  const deps = m.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(r.propertyDependencies)) {
    if (urns.length === 0) continue; // the engine skips properties without dependencies
    const d = new analyzerpb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(k, d);
  }
  return m;
}

export function analyzeStackRequest(resources: readonly ModelResource[], outputsOf?: (r: ModelResource) => Record<string, unknown>): analyzerpb.AnalyzeStackRequest {
  const req = new analyzerpb.AnalyzeStackRequest();
  req.setResourcesList(resources.map((r) => analyzerResource(r, outputsOf ? outputsOf(r) : r.outputs)));
  return req;
}
