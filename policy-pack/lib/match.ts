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

/** Pushes `value` onto the list at `key`. */
function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The `candidates` of a stack indexed by what their `prop` refers to, built
 * once (O(candidates)) so that matching each target costs only its own
 * matches: `refersTo` for every target and candidate pair, without the
 * pairs. `match(target, idKeys)` returns exactly the candidates, in
 * candidate order, for which `refersTo(candidate, prop, target, idKeys,
 * transform)` says "yes" (matches) and "unknown" (undetermined).
 */
export class ReferenceIndex {
  /** Known values (after `transform`) -> positions of the candidates carrying them. */
  private readonly byValue = new Map<string, number[]>();
  /** URN -> positions of candidates with a known value whose dependencies name it (used when the target's ids are unknown). */
  private readonly knownByDependency = new Map<string, number[]>();
  /** URN -> positions of candidates with an unknown or missing value whose dependencies name it. */
  private readonly otherByDependency = new Map<string, number[]>();
  /** Candidates with a known value and no dependencies: undetermined for a target whose ids are unknown. */
  private readonly knownWithoutDependencies: number[] = [];
  /** Candidates with an unknown value and no dependencies: undetermined for every target. */
  private readonly unknownWithoutDependencies: number[] = [];

  constructor(
    private readonly candidates: readonly PolicyResource[],
    prop: string,
    transform: (value: string) => string[] = (v) => [v],
  ) {
    candidates.forEach((c, pos) => {
      const value = get(c.props, prop);
      const deps = dependencyUrns(c, prop);
      if (known(value)) {
        for (const v of transform(value)) add(this.byValue, v, pos);
        if (deps) for (const urn of deps) add(this.knownByDependency, urn, pos);
        else this.knownWithoutDependencies.push(pos);
      } else if (value === UNKNOWN || isUnknown(value)) {
        if (deps) for (const urn of deps) add(this.otherByDependency, urn, pos);
        else this.unknownWithoutDependencies.push(pos);
      } else if (deps) {
        for (const urn of deps) add(this.otherByDependency, urn, pos);
      }
    });
  }

  /** The candidates that refer (or may refer) to `target`, identified by its `idKeys`. */
  match(target: PolicyResource, idKeys: readonly string[]): Coverage {
    const yes = new Set<number>();
    for (const id of identifiers(target, idKeys)) for (const pos of this.byValue.get(id) ?? []) yes.add(pos);
    for (const pos of this.otherByDependency.get(target.urn) ?? []) yes.add(pos);
    const maybe = new Set<number>(this.unknownWithoutDependencies);
    // The identifiers of the target may themselves be unknown in preview: fall back on dependencies.
    if (idKeys.some((k) => get(target.props, k) === UNKNOWN)) {
      for (const pos of this.knownByDependency.get(target.urn) ?? []) yes.add(pos);
      for (const pos of this.knownWithoutDependencies) if (!yes.has(pos)) maybe.add(pos);
    }
    const inOrder = (s: Set<number>) => [...s].sort((a, b) => a - b).map((pos) => this.candidates[pos]);
    return { target, matches: inOrder(yes), undetermined: inOrder(maybe) };
  }
}

/**
 * For each target, the `candidates` whose `prop` refers to it (as
 * `refersTo` decides), in O(targets + candidates + matches).
 */
export function coverage(
  targets: readonly PolicyResource[],
  candidates: readonly PolicyResource[],
  prop: string,
  idKeys: readonly string[],
  transform?: (value: string) => string[],
): Coverage[] {
  if (targets.length === 0) return [];
  const index = new ReferenceIndex(candidates, prop, transform);
  return targets.map((target) => index.match(target, idKeys));
}

/** Resources of any of the given type tokens. */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/** The stack's resources of `types`; marks the policy not applicable when there are none. */
export function targetsOf(
  args: { readonly resources: readonly PolicyResource[]; notApplicable(reason?: string): never },
  types: readonly string[],
  what: string,
): PolicyResource[] {
  const found = ofTypes(args.resources, types);
  if (found.length === 0) args.notApplicable(`the stack has no ${what}`);
  return found;
}
