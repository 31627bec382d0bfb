/**
 * Pure edits of a stack recording, for mutations. `mutation(fn)` hands `fn`
 * a deep copy to change in place, so a mutation never touches the recording
 * it was given. Every edit of a property changes the resource's inputs (wire
 * and plain form) and its outputs alike, as a deployment of the weakened
 * program would: resource policies read inputs, stack policies outputs.
 * Lookups throw naming the stack and what was missing, so a mutation whose
 * target disappeared from the program fails loudly instead of passing as a
 * no-op.
 */
import type { Recording, RecordedResource, ResourceOptionsRecord } from "../../engine/recorder";
import { rpc } from "../../engine/model";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type Res = Mutable<Omit<RecordedResource, "options" | "dependencies" | "propertyDependencies">> & {
  options: Mutable<ResourceOptionsRecord>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
};
export interface Rec {
  readonly project: string;
  readonly stack: string;
  resources: Res[];
  outputs?: Record<string, unknown>;
}

export class MutationTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MutationTargetError";
  }
}

/** A pure mutation from an in-place edit of a copy. */
export function mutation(edit: (rec: Rec) => void): (recording: Recording) => Recording {
  return (recording) => {
    const copy = structuredClone(recording) as unknown as Rec;
    edit(copy);
    return copy as unknown as Recording;
  };
}

// ---------------------------------------------------------------- lookup

function nameMatches(name: string, want: string | undefined): boolean {
  return want === undefined || name === want || name.endsWith(`-${want}`);
}

/** Resources of `type` whose name is `name` or ends with `-name`. */
export function all(rec: Rec, type: string, name?: string): Res[] {
  return rec.resources.filter((r) => r.type === type && nameMatches(r.name, name));
}

/** The one resource of `type` (named `name` or `*-name`); throws when there are none or several. */
export function one(rec: Rec, type: string, name?: string): Res {
  const found = all(rec, type, name);
  if (found.length !== 1) {
    const have = rec.resources.filter((r) => r.type === type).map((r) => r.name);
    throw new MutationTargetError(
      `stack ${rec.stack}: expected one ${type}${name ? ` named *-${name}` : ""}, found ${found.length} (resources of that type: ${have.join(", ") || "none"})`,
    );
  }
  return found[0];
}

// ---------------------------------------------------------------- properties

type Path = readonly (string | number)[];

function parsePath(path: string | Path): Path {
  return typeof path === "string" ? path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : path;
}

function isWrapper(v: unknown): v is { value?: unknown } {
  if (v === null || typeof v !== "object") return false;
  const sig = (v as Record<string, unknown>)[rpc.specialSigKey];
  return sig === rpc.specialSecretSig || sig === rpc.specialOutputValueSig;
}

/** Descends through secret and output-value wrappers of the wire form. */
function inner(v: unknown): unknown {
  let x = v;
  while (isWrapper(x)) x = x.value;
  return x;
}

function containerOf(v: unknown): Record<string | number, unknown> | undefined {
  const x = inner(v);
  return x !== null && typeof x === "object" ? (x as Record<string | number, unknown>) : undefined;
}

function setIn(root: Record<string, unknown>, path: Path, value: unknown): void {
  let cur: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    let next = containerOf(cur[key]);
    if (!next) {
      next = typeof path[i + 1] === "number" ? ([] as unknown as Record<number, unknown>) : {};
      cur[key] = next;
    }
    cur = next;
  }
  cur[path[path.length - 1]] = structuredClone(value);
}

function deleteIn(root: Record<string, unknown>, path: Path): boolean {
  let cur: Record<string | number, unknown> | undefined = root;
  for (let i = 0; i < path.length - 1 && cur; i++) cur = containerOf(cur[path[i]]);
  const last = path[path.length - 1];
  if (!cur || !(last in cur)) return false;
  if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
  else delete cur[last];
  return true;
}

function getIn(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const key of path) {
    const c = containerOf(cur);
    if (!c) return undefined;
    cur = c[key];
  }
  return inner(cur);
}

/** A plain input value of the resource (`"a.0.b"` paths). */
export function input(r: Res, path: string | Path): unknown {
  return getIn(r.inputs, parsePath(path));
}

/** Sets an input (wire and plain form) and the matching output. */
export function set(r: Res, path: string | Path, value: unknown): void {
  const p = parsePath(path);
  setIn(r.wireInputs, p, value);
  setIn(r.inputs, p, value);
  setIn(r.outputs, p, value);
}

/** Removes an input (wire and plain form) and the matching output; throws when the input is not there. */
export function unset(r: Res, path: string | Path): void {
  const p = parsePath(path);
  const had = deleteIn(r.inputs, p);
  deleteIn(r.wireInputs, p);
  deleteIn(r.outputs, p);
  if (!had) throw new MutationTargetError(`${r.name} has no input ${p.join(".")} to remove`);
  if (p.length === 1) delete r.propertyDependencies[String(p[0])];
}

/** Sets a resource option (e.g. `protect`), as the program's resource options would. */
export function setOption<K extends keyof ResourceOptionsRecord>(r: Res, key: K, value: ResourceOptionsRecord[K]): void {
  (r.options as Record<string, unknown>)[key] = value;
}

// ---------------------------------------------------------------- JSON policy documents

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

/** Edits the JSON policy document held as a string in input `key` (IAM, bucket, key, endpoint policies). */
export function editDocument(r: Res, key: string, edit: (doc: PolicyDocument) => void): void {
  const text = input(r, key);
  if (typeof text !== "string") throw new MutationTargetError(`${r.name}.${key} is not a JSON policy string (${typeof text})`);
  const doc = JSON.parse(text) as PolicyDocument;
  if (!Array.isArray(doc.Statement)) throw new MutationTargetError(`${r.name}.${key} has no Statement list`);
  edit(doc);
  set(r, key, JSON.stringify(doc));
}

/** The statement with `sid`; throws listing the Sids there are. */
export function statement(doc: PolicyDocument, sid: string): PolicyStatement {
  const st = doc.Statement.find((s) => s.Sid === sid);
  if (!st) throw new MutationTargetError(`no statement "${sid}" (have: ${doc.Statement.map((s) => s.Sid ?? "?").join(", ")})`);
  return st;
}

export function removeStatement(doc: PolicyDocument, sid: string): void {
  const st = statement(doc, sid);
  doc.Statement.splice(doc.Statement.indexOf(st), 1);
}

// ---------------------------------------------------------------- tags

/** Drops a tag from the resource's tags (inputs and outputs, `tagsAll` too). */
export function removeTag(r: Res, key: string): void {
  unset(r, ["tags", key]);
  deleteIn(r.outputs, ["tagsAll", key]);
}

/** The resource of the explicit provider a resource uses. */
export function providerOf(rec: Rec, r: Res): Res {
  const ref = r.provider;
  if (!ref) throw new MutationTargetError(`${r.name} uses the default provider`);
  const urn = ref.slice(0, ref.lastIndexOf("::"));
  const p = rec.resources.find((x) => x.urn === urn);
  if (!p) throw new MutationTargetError(`provider ${urn} of ${r.name} is not in the recording`);
  return p;
}

/** Edits the AWS provider's `defaultTags` (a JSON string `{"tags": {...}}` on the wire). */
export function editDefaultTags(provider: Res, edit: (tags: Record<string, string>) => void): void {
  const raw = input(provider, "defaultTags");
  if (typeof raw !== "string") throw new MutationTargetError(`provider ${provider.name} has no defaultTags`);
  const parsed = JSON.parse(raw) as { tags?: Record<string, string> };
  const tags = parsed.tags ?? {};
  edit(tags);
  set(provider, "defaultTags", JSON.stringify({ ...parsed, tags }));
}

// ---------------------------------------------------------------- resources

/** Removes a resource and every reference the engine would have to it (dependencies). */
export function remove(rec: Rec, r: Res): void {
  const children = rec.resources.filter((x) => x.parent === r.urn || x.provider?.startsWith(`${r.urn}::`));
  if (children.length > 0)
    throw new MutationTargetError(`cannot remove ${r.name}: ${children.map((c) => c.name).join(", ")} depend on it as parent or provider`);
  rec.resources = rec.resources.filter((x) => x !== r);
  for (const x of rec.resources) {
    x.dependencies = x.dependencies.filter((d) => d !== r.urn);
    for (const [k, deps] of Object.entries(x.propertyDependencies)) x.propertyDependencies[k] = deps.filter((d) => d !== r.urn);
  }
}

export interface NewResource {
  readonly type: string;
  readonly name: string;
  /** Inputs in plain form (also the wire form: no secrets or unknowns). */
  readonly inputs: Record<string, unknown>;
  /** Extra outputs the provider would compute (id, arn, ...). */
  readonly outputs?: Record<string, unknown>;
  /** Parent, provider and (with `tags`) tags come from this resource of the stack. */
  readonly like: Res;
  /** Copy `like`'s tags, as the program would pass `config.tags`. */
  readonly tags?: boolean;
  /** Inputs computed from other resources (property dependencies). */
  readonly from?: Readonly<Record<string, readonly Res[]>>;
}

/** The type chain of a URN (`parentType$type`). */
function typeChain(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/** Registers a new custom resource, as if the program had declared it next to `like`. */
export function add(rec: Rec, spec: NewResource): Res {
  const parent = spec.like.parent;
  const parentChain = parent && !parent.includes("::pulumi:pulumi:Stack::") ? `${typeChain(parent)}$` : "";
  const urn = `urn:pulumi:${rec.stack}::${rec.project}::${parentChain}${spec.type}::${spec.name}`;
  if (rec.resources.some((x) => x.urn === urn)) throw new MutationTargetError(`${urn} already exists`);
  const inputs: Record<string, unknown> = structuredClone(spec.inputs);
  if (spec.tags) {
    const tags = input(spec.like, "tags");
    if (!tags || typeof tags !== "object") throw new MutationTargetError(`${spec.like.name} has no tags to copy`);
    inputs.tags = structuredClone(tags);
  }
  const propertyDependencies: Record<string, string[]> = {};
  for (const k of Object.keys(inputs)) propertyDependencies[k] = (spec.from?.[k] ?? []).map((d) => d.urn);
  const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
  const outputs: Record<string, unknown> = { ...structuredClone(inputs), id: `${spec.name}-id`, ...structuredClone(spec.outputs ?? {}) };
  if (spec.tags && spec.type.startsWith("aws:")) outputs.tagsAll = structuredClone(inputs.tags);
  const r: Res = {
    urn,
    type: spec.type,
    name: spec.name,
    custom: true,
    wireInputs: structuredClone(inputs),
    inputs,
    outputs,
    parent,
    provider: spec.like.provider,
    dependencies,
    propertyDependencies,
    options: { ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], customTimeouts: {} },
  };
  rec.resources.push(r);
  return r;
}

/** A known output (id, arn, name) of a resource, for wiring new resources to it. */
export function output(r: Res, key: string): string {
  const v = r.outputs[key];
  if (typeof v !== "string") throw new MutationTargetError(`${r.name} has no string output ${key}`);
  return v;
}
