/**
 * Analyzer protocol messages for the resources of a stack model: the
 * `AnalyzeRequest` the engine sends per resource (inputs) and the
 * `AnalyzeStackRequest` with every resource's outputs, parent, dependencies
 * and property dependencies.
 *
 * The envelope of each message (everything but the properties and provider)
 * is written by envelope-encoder.ts, byte for byte as the generated classes of
 * `@pulumi/pulumi/proto/analyzer_pb` serialize it; the provider (field 6,
 * serialized once per provider with the generated classes) and the
 * properties (`google.protobuf.Struct`, field 2, written by
 * struct-encoder.ts straight from the plain value) are appended. Protobuf parsers accept
 * fields in any order, and test/cli/check/units.test.ts decodes every message
 * with the generated classes.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ModelResource, ProviderRef } from "../model";
import { analyzeEnvelopeBytes, resourceEnvelopeBytes } from "./envelope-encoder";
import { delimited, StructEncoder } from "./struct-encoder";

export { encodeStruct } from "./struct-encoder";

/** Tag of `properties`, field 2 (length-delimited) of both AnalyzeRequest and AnalyzerResource. */
const PROPERTIES_TAG = 0x12;
/** Tag of `resources`, field 1 (length-delimited) of AnalyzeStackRequest. */
const RESOURCES_TAG = 0x0a;

/** Tag of `provider`, field 6 (length-delimited) of both AnalyzeRequest and AnalyzerResource. */
const PROVIDER_TAG = 0x32;

/** A provider is shared by many resources: its field's bytes are built once. */
const providerFields = new WeakMap<ProviderRef, Uint8Array>();

function providerField(p: ProviderRef | undefined): Uint8Array | undefined {
  if (!p) return undefined;
  let bytes = providerFields.get(p);
  if (!bytes) {
    const m = new analyzerpb.AnalyzerProviderResource();
    m.setUrn(p.urn);
    m.setType(p.type);
    m.setName(p.name);
    m.setProperties(Struct.fromJavaScript(p.properties as Record<string, never>));
    const body = m.serializeBinary();
    const e = new StructEncoder();
    bytes = Buffer.allocUnsafe(delimited(body.length));
    e.begin(bytes as Buffer, 0);
    e.byte(PROVIDER_TAG);
    e.varint(body.length);
    e.bytes(body);
    providerFields.set(p, bytes);
  }
  return bytes;
}

/** Bytes of the AnalyzeRequest that `Analyze` and `Remediate` receive; `properties` overrides the inputs (after a remediation). */
export function encodeAnalyzeRequest(r: ModelResource, properties: Record<string, unknown> = r.inputs): Uint8Array {
  const envelope = analyzeEnvelopeBytes(r);
  const provider = providerField(r.provider);
  const e = new StructEncoder();
  const size = e.measureStruct(properties);
  const buf = Buffer.allocUnsafe(envelope.length + (provider?.length ?? 0) + delimited(size));
  e.begin(buf, 0);
  e.bytes(envelope);
  if (provider) e.bytes(provider);
  e.byte(PROPERTIES_TAG);
  e.varint(size);
  e.writeStruct(properties);
  return buf;
}

/** Bytes of the AnalyzeStackRequest: every resource with its outputs (or `outputsOf(r)`). */
export function encodeAnalyzeStackRequest(
  resources: readonly ModelResource[],
  outputsOf: (r: ModelResource) => Record<string, unknown> = (r) => r.outputs,
): Uint8Array {
  const e = new StructEncoder();
  const parts = resources.map((r) => {
    const envelope = resourceEnvelopeBytes(r);
    const provider = providerField(r.provider);
    const outputs = outputsOf(r);
    const size = e.measureStruct(outputs);
    return { envelope, provider, outputs, size, message: envelope.length + (provider?.length ?? 0) + delimited(size) };
  });
  const buf = Buffer.allocUnsafe(parts.reduce((n, p) => n + delimited(p.message), 0));
  e.begin(buf, 0);
  for (const p of parts) {
    e.byte(RESOURCES_TAG);
    e.varint(p.message);
    e.bytes(p.envelope);
    if (p.provider) e.bytes(p.provider);
    e.byte(PROPERTIES_TAG);
    e.varint(p.size);
    e.writeStruct(p.outputs);
  }
  return buf;
}

/** Field number of `diagnostics` in AnalyzeResponse (`not_applicable` is 3). */
const DIAGNOSTICS_FIELD = 2;

/**
 * Whether an encoded AnalyzeResponse holds a diagnostic, read from the
 * top-level field tags without decoding the message. Nearly every response
 * holds only the not-applicable list (one entry per policy that skipped the
 * resource), whose full decode cost the check about 0.08 ms per resource.
 * Anything unexpected in the bytes says "true", so the caller decodes.
 */
export function hasDiagnostics(bytes: Uint8Array): boolean {
  let i = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (i >= bytes.length) return -1;
      const b = bytes[i++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    return -1;
  };
  while (i < bytes.length) {
    const tag = varint();
    if (tag < 0) return true;
    if (Math.floor(tag / 8) === DIAGNOSTICS_FIELD) return true;
    switch (tag & 7) {
      case 0:
        if (varint() < 0) return true;
        break;
      case 1:
        i += 8;
        break;
      case 2: {
        const length = varint();
        if (length < 0) return true;
        i += length;
        break;
      }
      case 5:
        i += 4;
        break;
      default:
        return true;
    }
  }
  return i !== bytes.length;
}
