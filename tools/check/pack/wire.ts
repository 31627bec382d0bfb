/**
 * Analyzer protocol messages for the resources of a stack model: the
 * `AnalyzeRequest` the engine sends per resource (inputs) and the
 * `AnalyzeStackRequest` with every resource's outputs, parent, dependencies
 * and property dependencies.
 *
 * The messages are encoded straight to bytes with google-protobuf's
 * `BinaryWriter`: the envelope with the generated `serializeBinaryToWriter`,
 * the properties (`google.protobuf.Struct`) written from the plain value
 * without building a `Struct`/`Value` object per node, which is most of the
 * client's cost per call on large stacks. The bytes are what
 * `Struct.fromJavaScript` would give (test/check/units.test.ts decodes both).
 */
import { BinaryWriter } from "google-protobuf";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ModelResource, ProviderRef } from "../model";

// google.protobuf.Value fields.
const NULL_VALUE = 1;
const NUMBER_VALUE = 2;
const STRING_VALUE = 3;
const BOOL_VALUE = 4;
const STRUCT_VALUE = 5;
const LIST_VALUE = 6;
/** `properties` is field 2 of both AnalyzeRequest and AnalyzerResource. */
const PROPERTIES_FIELD = 2;
/** `resources` of AnalyzeStackRequest. */
const RESOURCES_FIELD = 1;

function writeValue(v: unknown, w: BinaryWriter): void {
  if (v === null || v === undefined) {
    w.writeEnum(NULL_VALUE, 0);
    return;
  }
  switch (typeof v) {
    case "string":
      w.writeString(STRING_VALUE, v);
      return;
    case "number":
      w.writeDouble(NUMBER_VALUE, v);
      return;
    case "boolean":
      w.writeBool(BOOL_VALUE, v);
      return;
    case "object":
      if (Array.isArray(v)) w.writeMessage(LIST_VALUE, v, writeList);
      else w.writeMessage(STRUCT_VALUE, v, writeStruct);
      return;
    default:
      throw new Error(`cannot send a ${typeof v} in a resource's properties`);
  }
}

/** `writeMessage` skips null values, so values travel boxed (a null is a Value with null_value set). */
function writeBoxedValue(box: { v: unknown }, w: BinaryWriter): void {
  writeValue(box.v, w);
}

function writeList(list: unknown[], w: BinaryWriter): void {
  for (const v of list) w.writeMessage(1, { v }, writeBoxedValue);
}

function writeEntry(entry: [string, unknown], w: BinaryWriter): void {
  w.writeString(1, entry[0]);
  w.writeMessage(2, { v: entry[1] }, writeBoxedValue);
}

/** Writes a plain object as the fields of a google.protobuf.Struct (entries with undefined values are left out). */
export function writeStruct(obj: Record<string, unknown>, w: BinaryWriter): void {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v !== undefined) w.writeMessage(1, [k, v], writeEntry);
  }
}

/** google.protobuf.Struct bytes of a plain object. */
export function encodeStruct(obj: Record<string, unknown>): Uint8Array {
  const w = new BinaryWriter();
  writeStruct(obj, w);
  return w.getResultBuffer();
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

/** Provider messages are shared by every resource of the provider: built once. */
const providers = new WeakMap<ProviderRef, analyzerpb.AnalyzerProviderResource>();

function providerOf(p: ProviderRef): analyzerpb.AnalyzerProviderResource {
  let m = providers.get(p);
  if (!m) {
    m = new analyzerpb.AnalyzerProviderResource();
    m.setUrn(p.urn);
    m.setType(p.type);
    m.setName(p.name);
    m.setProperties(Struct.fromJavaScript(p.properties as Record<string, never>));
    providers.set(p, m);
  }
  return m;
}

/** AnalyzeRequest without its properties (they are written separately). */
function analyzeEnvelope(r: ModelResource): analyzerpb.AnalyzeRequest {
  const req = new analyzerpb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setOptions(optionsOf(r));
  if (r.provider) req.setProvider(providerOf(r.provider));
  return req;
}

/** AnalyzerResource without its properties. */
function resourceEnvelope(r: ModelResource): analyzerpb.AnalyzerResource {
  const m = new analyzerpb.AnalyzerResource();
  m.setUrn(r.urn);
  m.setType(r.type);
  m.setName(r.name);
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

/** Bytes of the AnalyzeRequest that `Analyze` and `Remediate` receive; `properties` overrides the inputs (after a remediation). */
export function encodeAnalyzeRequest(r: ModelResource, properties: Record<string, unknown> = r.inputs): Uint8Array {
  const w = new BinaryWriter();
  analyzerpb.AnalyzeRequest.serializeBinaryToWriter(analyzeEnvelope(r), w);
  w.writeMessage(PROPERTIES_FIELD, properties, writeStruct);
  return w.getResultBuffer();
}

function writeStackResource(item: [ModelResource, Record<string, unknown>], w: BinaryWriter): void {
  analyzerpb.AnalyzerResource.serializeBinaryToWriter(resourceEnvelope(item[0]), w);
  w.writeMessage(PROPERTIES_FIELD, item[1], writeStruct);
}

/** Bytes of the AnalyzeStackRequest: every resource with its outputs (or `outputsOf(r)`). */
export function encodeAnalyzeStackRequest(resources: readonly ModelResource[], outputsOf: (r: ModelResource) => Record<string, unknown> = (r) => r.outputs): Uint8Array {
  const w = new BinaryWriter();
  for (const r of resources) w.writeMessage(RESOURCES_FIELD, [r, outputsOf(r)], writeStackResource);
  return w.getResultBuffer();
}
