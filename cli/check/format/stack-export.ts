/**
 * `--format stack-export`: the recorded plan as `pulumi stack export` writes
 * a stack (an UntypedDeployment of version 3; field names as in the engine's
 * apitype, github.com/pulumi/pulumi sdk/go/common/apitype/core.go:
 * DeploymentV3 {manifest, resources}, ManifestV1 {time, magic, version},
 * ResourceV3 {urn, custom, id, type, inputs, outputs, parent, protect,
 * dependencies, provider, propertyDependencies, ...}). With Pulumi CLI 3.229
 * or later, `pulumi policy analyze --file <export> --policy-pack ./policy-pack`
 * runs the same pack over it, for comparison with the check.
 *
 * What it is not: a real state. Ids are the offline mocks' placeholders;
 * values unknown during the preview keep the engine's unknown placeholder
 * (which the engine reads back as unknown); secrets are written as
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "<JSON>"}`,
 * as `pulumi stack export --show-secrets` does (the stack file's secure
 * values stay encrypted: the check never decrypts them).
 */
import * as crypto from "crypto";
import type { ModelResource, StackModel } from "../../../engine/model";
import { rpc } from "../../../engine/model";

/** The CLI version the manifest names (its magic is derived from it, as the engine checks). */
export const MANIFEST_VERSION = "3.248.0";

function isSecret(v: unknown): v is { value: unknown } {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** Wire values to state values: secrets carry their plaintext as JSON text. */
export function stateValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stateValue);
  if (isSecret(v)) return { [rpc.specialSigKey]: rpc.specialSecretSig, plaintext: JSON.stringify(v.value ?? null) };
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, stateValue(x)]));
  return v;
}

function idOf(r: ModelResource): string | undefined {
  if (!r.custom) return undefined;
  const id = r.outputs.id;
  if (typeof id === "string" && id !== "") return id;
  return `${r.name}-id`;
}

export function toStackExport(model: StackModel, now: Date = new Date()): Record<string, unknown> {
  const ids = new Map(model.resources.map((r) => [r.urn, idOf(r)]));
  const resources = model.resources.map((r) => {
    const t = r.options.customTimeouts;
    const timeouts = {
      ...(t.create ? { create: t.create } : {}),
      ...(t.update ? { update: t.update } : {}),
      ...(t.delete ? { delete: t.delete } : {}),
    };
    const out: Record<string, unknown> = { urn: r.urn, custom: r.custom };
    const id = ids.get(r.urn);
    if (id !== undefined) out.id = id;
    out.type = r.type;
    if (Object.keys(r.inputs).length) out.inputs = stateValue(r.inputs);
    if (Object.keys(r.outputs).length) out.outputs = stateValue(r.outputs);
    if (r.parent) out.parent = r.parent;
    if (r.options.protect) out.protect = true;
    if (r.dependencies.length) out.dependencies = [...r.dependencies];
    if (r.provider) out.provider = `${r.provider.urn}::${ids.get(r.provider.urn) ?? `${r.provider.name}-id`}`;
    if (Object.keys(r.propertyDependencies).length) out.propertyDependencies = r.propertyDependencies;
    if (r.options.additionalSecretOutputs.length) out.additionalSecretOutputs = [...r.options.additionalSecretOutputs];
    if (Object.keys(timeouts).length) out.customTimeouts = timeouts;
    if (r.options.retainOnDelete) out.retainOnDelete = true;
    if (r.options.ignoreChanges.length) out.ignoreChanges = [...r.options.ignoreChanges];
    return out;
  });
  return {
    version: 3,
    deployment: {
      manifest: {
        time: now.toISOString(),
        magic: crypto.createHash("sha256").update(MANIFEST_VERSION).digest("hex"),
        version: MANIFEST_VERSION,
      },
      resources,
    },
  };
}
