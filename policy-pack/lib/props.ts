/**
 * Typed property readers: the readers of `values.ts` (same behaviour:
 * unknowns come back as `UNKNOWN`, wrong types as `undefined`, nothing
 * throws), with each path checked against the resource class's own types,
 * so a misspelt property does not compile.
 *
 *   const pab = propsOf(s3.BucketPublicAccessBlock);
 *   pab.bool(block.props, "blockPublicAcls");
 *   propsOf(storage.StorageAccount).str(props, "encryption", "keySource");
 *
 * The shape is what the policy runtime hands a policy: the resource's inputs
 * (its constructor's `Args`, unwrapped) and, where an input of that name does
 * not exist, its outputs (`arn`, `id`, `name`, ...). Lists are stepped into
 * with a number. For data the provider types do not describe (policy
 * documents, JSON strings), use the untyped readers of `values.ts`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceClass as ResourceCtor } from "./define";
import { Unknown, arr, bool, get, num, obj, str } from "./values";

type ArgsOf<C extends ResourceCtor> = NonNullable<ConstructorParameters<C>[1]>;
type OutputsOf<C extends ResourceCtor> = {
  [K in keyof InstanceType<C> as InstanceType<C>[K] extends pulumi.Output<unknown> ? K : never]: InstanceType<C>[K] extends pulumi.Output<
    infer T
  >
    ? T
    : never;
};

/** The plain shape of a resource's properties as a policy sees them. */
export type PropsOf<C extends ResourceCtor> = pulumi.Unwrap<ArgsOf<C>> & Omit<OutputsOf<C>, keyof ArgsOf<C>>;

type Plain<T> = NonNullable<T>;
/** Keys of every object member of a union (a union of argument shapes, e.g. compute `properties`). */
type KeysOf<T> = T extends readonly unknown[] ? never : T extends object ? Extract<keyof T, string> : never;
/** What one can step into from T: a property name of any of its object shapes, or an index into a list. */
export type Step<T> = [Extract<Plain<T>, readonly unknown[]>] extends [never] ? KeysOf<Plain<T>> : number | KeysOf<Plain<T>>;
/** The type reached by stepping into T with K (over every member of a union that has it). */
export type At<T, K> =
  Plain<T> extends infer U ? (U extends readonly (infer E)[] ? (K extends number ? E : never) : K extends keyof U ? U[K] : never) : never;

/** A reader whose path (one to five steps) must exist in T. */
export interface TypedReader<T, R> {
  <A extends Step<T>>(root: unknown, a: A): R;
  <A extends Step<T>, B extends Step<At<T, A>>>(root: unknown, a: A, b: B): R;
  <A extends Step<T>, B extends Step<At<T, A>>, C extends Step<At<At<T, A>, B>>>(root: unknown, a: A, b: B, c: C): R;
  <A extends Step<T>, B extends Step<At<T, A>>, C extends Step<At<At<T, A>, B>>, D extends Step<At<At<At<T, A>, B>, C>>>(
    root: unknown,
    a: A,
    b: B,
    c: C,
    d: D,
  ): R;
  <
    A extends Step<T>,
    B extends Step<At<T, A>>,
    C extends Step<At<At<T, A>, B>>,
    D extends Step<At<At<At<T, A>, B>, C>>,
    E extends Step<At<At<At<At<T, A>, B>, C>, D>>,
  >(
    root: unknown,
    a: A,
    b: B,
    c: C,
    d: D,
    e: E,
  ): R;
}

/** Typed readers for the value a path leads to (e.g. one element of a list), to read with paths from there. */
export interface SubReaders<T> {
  <A extends Step<T>>(a: A): PropReaders<At<T, A>>;
  <A extends Step<T>, B extends Step<At<T, A>>>(a: A, b: B): PropReaders<At<At<T, A>, B>>;
  <A extends Step<T>, B extends Step<At<T, A>>, C extends Step<At<At<T, A>, B>>>(a: A, b: B, c: C): PropReaders<At<At<At<T, A>, B>, C>>;
}

export interface PropReaders<T> {
  /** The raw value (unwrapped), `UNKNOWN`, or `undefined`. */
  readonly get: TypedReader<T, unknown>;
  readonly str: TypedReader<T, string | Unknown | undefined>;
  readonly bool: TypedReader<T, boolean | Unknown | undefined>;
  readonly num: TypedReader<T, number | Unknown | undefined>;
  readonly arr: TypedReader<T, unknown[] | Unknown | undefined>;
  readonly obj: TypedReader<T, Record<string, unknown> | Unknown | undefined>;
  /**
   * Readers for a value inside (`sub("rules", 0)`: an element of `rules`),
   * for code that holds that value (`for (const rule of rules)`). The path
   * is only checked; the readers still take the value as their root.
   */
  readonly sub: SubReaders<T>;
}

const READERS: Record<string, unknown> = { get, str, bool, num, arr, obj };
READERS.sub = () => READERS;

/** Typed readers of the properties of `resourceClass` (the class is only used for its type). */
export function propsOf<C extends ResourceCtor>(resourceClass: C): PropReaders<PropsOf<C>> {
  void resourceClass;
  return READERS as unknown as PropReaders<PropsOf<C>>;
}

type Depth = [never, 0, 1, 2];
/** `a`, `a.b`, `a.b.c`: dotted paths of T's properties (not into lists), up to three steps. */
export type DottedPath<T, D extends number = 3> = [D] extends [never]
  ? never
  : Plain<T> extends readonly unknown[]
    ? never
    : Plain<T> extends object
      ? { [K in KeysOf<Plain<T>>]: K | `${K}.${DottedPath<At<T, K>, Depth[D]>}` }[KeysOf<Plain<T>>]
      : never;
