/**
 * Matching resources to each other in a stack policy: which
 * `BucketPublicAccessBlock` belongs to which bucket, which diagnostic
 * setting watches which vault. A property refers to a resource when its
 * value equals one of the resource's identifiers (name, id, ARN, URN), or,
 * when the value is not known yet (preview), when the engine's property
 * dependencies say it was computed from that resource.
 */
import type { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, get, isUnknown, known } from "./values";

export type Match = "yes" | "no" | "unknown";

/** The known string values of `keys` on a resource, plus its URN. */
export function identifiers(r: PolicyResource, keys: readonly string[]): Set<string> {
  const ids = new Set<string>([r.urn]);
  for (const k of keys) {
    const v = get(r.props, k);
    if (known(v) && v !== "") ids.add(v);
  }
  return ids;
}

function dependencyUrns(from: PolicyResource, prop: string): string[] | undefined {
  const deps = from.propertyDependencies?.[prop];
  if (!Array.isArray(deps)) return undefined;
  return deps.map((d) => d?.urn).filter((u): u is string => typeof u === "string");
}

/**
 * Does `from.props[prop]` refer to `to`? `idKeys` are the properties of `to`
 * that identify it (e.g. `bucket`, `id`, `arn`). `transform` maps the
 * referring value before comparison (e.g. strip `/blobServices/default`).
 */
export function refersTo(
  from: PolicyResource,
  prop: string,
  to: PolicyResource,
  idKeys: readonly string[],
  transform: (value: string) => string[] = (v) => [v],
): Match {
  const value = get(from.props, prop);
  const deps = dependencyUrns(from, prop);
  if (known(value)) {
    const ids = identifiers(to, idKeys);
    if (transform(value).some((v) => ids.has(v))) return "yes";
    // The identifiers of `to` may themselves be unknown in preview: fall back on dependencies.
    const toUnknown = idKeys.some((k) => get(to.props, k) === UNKNOWN);
    if (!toUnknown) return "no";
    if (deps) return deps.includes(to.urn) ? "yes" : "no";
    return "unknown";
  }
  if (value === UNKNOWN || isUnknown(value)) {
    if (deps) return deps.includes(to.urn) ? "yes" : "no";
    return "unknown";
  }
  // Missing or not a string: only dependencies can tell.
  if (deps && deps.includes(to.urn)) return "yes";
  return "no";
}

export interface Coverage {
  readonly target: PolicyResource;
  /** Resources that definitely refer to the target. */
  readonly matches: PolicyResource[];
  /** Resources that may refer to it (values unknown during preview). */
  readonly undetermined: PolicyResource[];
}

/** For each target, the `candidates` whose `prop` refers to it. */
export function coverage(
  targets: readonly PolicyResource[],
  candidates: readonly PolicyResource[],
  prop: string,
  idKeys: readonly string[],
  transform?: (value: string) => string[],
): Coverage[] {
  return targets.map((target) => {
    const matches: PolicyResource[] = [];
    const undetermined: PolicyResource[] = [];
    for (const c of candidates) {
      const m = refersTo(c, prop, target, idKeys, transform);
      if (m === "yes") matches.push(c);
      else if (m === "unknown") undetermined.push(c);
    }
    return { target, matches, undetermined };
  });
}

/** Resources of any of the given type tokens. */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/** The stack's resources of `types`; marks the policy not applicable when there are none. */
export function targetsOf(args: { readonly resources: readonly PolicyResource[]; notApplicable(reason?: string): never }, types: readonly string[], what: string): PolicyResource[] {
  const found = ofTypes(args.resources, types);
  if (found.length === 0) args.notApplicable(`the stack has no ${what}`);
  return found;
}
