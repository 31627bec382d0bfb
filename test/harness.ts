/**
 * Shared test harness: runs the whole program under Pulumi mocks with the
 * config of one stack file (the way the engine passes it) and returns every
 * registered resource with its type, name, inputs, parent and options.
 * Runs are cached per stack and overrides, since the runtime is global and
 * a run takes a moment.
 */
import { PROJECT_ROOT, shippedStackNames, stacksOfCloud } from "../engine/project";
import { recordStack, Recording, RecordedResource } from "../engine/recorder";

export const ROOT = PROJECT_ROOT;
export const PROJECT = "secure-ml-training";
/** Every stack file the project ships (`Pulumi.<stack>.yaml`), AWS first, dev before prod. */
export const STACKS: readonly string[] = shippedStackNames();
export const AWS_STACKS: readonly string[] = stacksOfCloud("aws");
export const AZURE_STACKS: readonly string[] = stacksOfCloud("azure");

const cache = new Map<string, Promise<Recording>>();
let queue: Promise<unknown> = Promise.resolve();

/** Fully qualified config key of this project. */
export function key(k: string): string {
  return `${PROJECT}:${k}`;
}

/**
 * Runs `stack` (a shipped stack file) with optional config overrides (short
 * keys; `undefined` removes a key). Successful runs are cached; a failing run
 * rejects with the program's error, its partial recording on `error.recording`.
 */
export function runStack(stack: string, overrides: Record<string, string | undefined> = {}): Promise<Recording> {
  const id = `${stack}|${JSON.stringify(Object.entries(overrides).sort())}`;
  let run = cache.get(id);
  if (!run) {
    const qualified = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k.includes(":") ? k : key(k), v]));
    // One program at a time: the Pulumi runtime is process-global.
    run = queue.then(() => recordStack(ROOT, stack, { overrides: qualified }));
    queue = run.catch(() => undefined);
    run.catch(() => cache.delete(id));
    cache.set(id, run);
  }
  return run;
}

/** Runs a stack that is expected to fail; resolves with the error. */
export async function runStackExpectingError(
  stack: string,
  overrides: Record<string, string | undefined>,
): Promise<Error & { recording?: Recording }> {
  try {
    await runStack(stack, overrides);
  } catch (e) {
    return e as Error & { recording?: Recording };
  }
  throw new Error(`stack ${stack} with ${JSON.stringify(overrides)} was expected to fail but succeeded`);
}

export function ofType(rec: Recording, type: string): RecordedResource[] {
  return rec.resources.filter((r) => r.type === type);
}

/** The single resource of `type`; fails naming the stack when there are none or several. */
export function single(rec: Recording, type: string): RecordedResource {
  const found = ofType(rec, type);
  if (found.length !== 1) throw new Error(`${rec.stack}: expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

export function byUrn(rec: Recording, urn: string): RecordedResource | undefined {
  return rec.resources.find((r) => r.urn === urn);
}

/** Parses a JSON policy document input (IAM, bucket, key policy). */
export function policyDoc(value: unknown): { Version?: string; Statement: any[] } {
  const doc = typeof value === "string" ? JSON.parse(value) : value;
  if (!doc || !Array.isArray((doc as any).Statement)) throw new Error(`not a policy document: ${JSON.stringify(value)}`);
  return doc as { Statement: any[] };
}
