/**
 * Collects the policies of the modules listed in `policies/index.ts`: every
 * exported policy object (or array of them) of every module, each once.
 * Two different policies with the same name are an error, so a module can
 * never silently shadow another.
 */
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** True for a CrossGuard policy object (a name and a validate/remediate function). */
export function isPolicy(value: unknown): value is AnyPolicy {
  if (value === null || typeof value !== "object") return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.name === "string" &&
    typeof p.description === "string" &&
    (typeof p.validateResource === "function" ||
      Array.isArray(p.validateResource) ||
      typeof p.remediateResource === "function" ||
      typeof p.validateStack === "function")
  );
}

/** The policies a module exports, in export order. */
export function policiesOfModule(mod: Readonly<Record<string, unknown>>): AnyPolicy[] {
  const out: AnyPolicy[] = [];
  for (const value of Object.values(mod)) {
    if (isPolicy(value)) out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter(isPolicy));
  }
  return [...new Set(out)];
}

/** All policies of all modules, each once, in registry order. */
export function collectPolicies(modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Policies {
  const byName = new Map<string, AnyPolicy>();
  for (const [moduleName, mod] of Object.entries(modules)) {
    for (const p of policiesOfModule(mod)) {
      const seen = byName.get(p.name);
      if (seen && seen !== p) throw new Error(`policy name "${p.name}" is defined twice (second time in module ${moduleName})`);
      byName.set(p.name, p);
    }
  }
  return [...byName.values()];
}
