/**
 * Policy pack metadata and configuration, handled as the Pulumi CLI does:
 * `GetAnalyzerInfo` gives the policies (with their default enforcement
 * levels and config schemas) and the pack's initial config; a config file
 * (`--policy-config`, the CLI's `--policy-pack-config`) maps a policy name
 * (or `all`) to an enforcement level or to an object with
 * `enforcementLevel` and properties. Defaults, initial config and file are
 * reconciled in that order and validated against each policy's schema
 * (the CLI's `ReconcilePolicyPackConfig`), then sent with `Configure`
 * (metadata.ts has the protocol side).
 */
import * as fs from "fs";
import type AjvType from "ajv";
import { CheckUsageError } from "../../cli/check/errors";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];
export type Severity = "critical" | "high" | "medium" | "low" | "unspecified";
export type PolicyType = "resource" | "stack" | "unknown";

export interface PolicyConfigSchema {
  readonly properties: Record<string, Record<string, unknown>>;
  readonly required: readonly string[];
}

export interface PolicyMetadata {
  readonly name: string;
  readonly displayName?: string;
  readonly description: string;
  /** The level the pack declares (before config). */
  readonly enforcementLevel: EnforcementLevel;
  readonly type: PolicyType;
  readonly severity: Severity;
  readonly configSchema?: PolicyConfigSchema;
  readonly tags: readonly string[];
  readonly remediationSteps?: string;
  readonly url?: string;
  readonly framework?: { readonly name?: string; readonly version?: string; readonly reference?: string; readonly specification?: string };
}

export interface PolicyConfigEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties?: Record<string, unknown>;
}
export type PolicyConfigMap = Record<string, PolicyConfigEntry>;

export interface PackMetadata {
  readonly name: string;
  readonly displayName?: string;
  readonly version: string;
  readonly description?: string;
  readonly supportsConfig: boolean;
  /** Sorted by name, as the CLI sorts them. */
  readonly policies: readonly PolicyMetadata[];
  readonly initialConfig: PolicyConfigMap;
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** Parses a policy config document (the CLI's parsePolicyPackConfig); `where` names the file in errors. */
export function parsePolicyConfig(text: string, where: string): PolicyConfigMap {
  if (text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CheckUsageError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new CheckUsageError(`${where} must hold a JSON object mapping policy names (or "all") to an enforcement level or an object`);
  }
  const allowed = ENFORCEMENT_LEVELS.join(", ");
  const result: PolicyConfigMap = {};
  for (const [name, value] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof value === "string") {
      if (!isLevel(value))
        throw new CheckUsageError(`${where}: "${name}" has enforcement level ${JSON.stringify(value)}; allowed: ${allowed}`);
      result[name] = { enforcementLevel: value };
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        throw new CheckUsageError(`${where}: "${name}".enforcementLevel is ${JSON.stringify(enforcementLevel)}; allowed: ${allowed}`);
      }
      const entry: PolicyConfigEntry = {
        enforcementLevel: enforcementLevel as EnforcementLevel | undefined,
        properties: Object.keys(properties).length ? properties : undefined,
      };
      if (entry.enforcementLevel || entry.properties) result[name] = entry;
    } else {
      throw new CheckUsageError(`${where}: "${name}" is ${JSON.stringify(value)}; allowed: an enforcement level (${allowed}) or an object`);
    }
  }
  return result;
}

export function readPolicyConfigFile(file: string, flag = "--policy-config"): PolicyConfigMap {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CheckUsageError(
      `${flag} ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); give a JSON policy config file`,
    );
  }
  return parsePolicyConfig(text, `${flag} ${file}`);
}

function applyConfig(result: PolicyConfigMap, apply: PolicyConfigMap): void {
  const all = apply.all?.enforcementLevel;
  if (all) for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all };
  for (const [name, given] of Object.entries(apply)) {
    const current = result[name] ?? {};
    const properties = given.properties ? { ...(current.properties ?? {}), ...given.properties } : current.properties;
    result[name] = { enforcementLevel: given.enforcementLevel ?? current.enforcementLevel, properties };
  }
}

export interface ReconciledConfig {
  readonly config: PolicyConfigMap;
  /** The level each policy of the pack runs at. */
  readonly levels: Readonly<Record<string, EnforcementLevel>>;
  /** Config entries naming no policy of the pack (ignored by the pack; worth a warning). */
  readonly unknownPolicies: readonly string[];
}

/**
 * Defaults from the schemas, then the pack's initial config, then the file;
 * validated against each policy's config schema. `where` names the file.
 */
export function reconcilePolicyConfig(pack: PackMetadata, given: PolicyConfigMap, where: string): ReconciledConfig {
  const result: PolicyConfigMap = {};
  for (const p of pack.policies) {
    let props: Record<string, unknown> | undefined;
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (s && typeof s === "object" && "default" in s) (props ??= {})[k] = s.default;
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
  }
  applyConfig(result, pack.initialConfig);
  applyConfig(result, given);

  // Loaded here, not at the top: the config file is parsed before the slow children start.
  const Ajv = (require("ajv") as { default: typeof AjvType }).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const errors: string[] = [];
  for (const p of pack.policies) {
    if (!p.configSchema) continue;
    const schema: Record<string, unknown> = { type: "object" };
    if (Object.keys(p.configSchema.properties).length) schema.properties = p.configSchema.properties;
    if (p.configSchema.required.length) schema.required = p.configSchema.required;
    let validate;
    try {
      validate = ajv.compile(schema);
    } catch (e) {
      errors.push(`${p.name}: the pack's config schema does not compile: ${(e as Error).message}`);
      continue;
    }
    if (!validate(result[p.name]?.properties ?? {})) {
      for (const err of validate.errors ?? [])
        errors.push(`${p.name}${err.instancePath ? err.instancePath.replace(/\//g, ".") : ""}: ${err.message}`);
    }
  }
  if (errors.length) throw new CheckUsageError(`${where}: the policy config does not fit the pack's schemas:\n  ${errors.join("\n  ")}`);

  const names = new Set(pack.policies.map((p) => p.name));
  const levels: Record<string, EnforcementLevel> = {};
  for (const p of pack.policies) levels[p.name] = result[p.name].enforcementLevel ?? p.enforcementLevel;
  return { config: result, levels, unknownPolicies: Object.keys(given).filter((k) => k !== "all" && !names.has(k)) };
}
