/**
 * Runs a teardown plan phase by phase: every step of a phase is started,
 * then the phase waits until each deletion has completed (SageMaker and EFS
 * delete asynchronously, and the next phase is refused until then: a domain
 * with apps, a file system with mount targets, a security group with a
 * network interface).
 */
import { PHASES, Step } from "./plan";

export interface ExecuteOptions {
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** Between two checks of a phase's deletions. */
  readonly pollMs: number;
  /** Longest wait for one phase. */
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export class TeardownTimeoutError extends Error {
  constructor(
    readonly phase: string,
    readonly pending: string[],
  ) {
    super(
      `timed out waiting for the ${phase} to be deleted: ${pending.join("; ")}. Re-run the teardown to continue (it starts from what is left).`,
    );
    this.name = "TeardownTimeoutError";
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function executeTeardown(steps: readonly Step[], o: ExecuteOptions): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  for (const phase of PHASES) {
    const inPhase = steps.filter((s) => s.phase === phase);
    if (inPhase.length === 0) continue;
    for (const step of inPhase) {
      o.log(`  ${step.what}`);
      await step.run();
    }
    const started = now();
    let pending = [...inPhase];
    for (;;) {
      const states = await Promise.all(pending.map((s) => s.gone()));
      pending = pending.filter((_, i) => !states[i]);
      if (pending.length === 0) break;
      if (now() - started >= o.timeoutMs)
        throw new TeardownTimeoutError(
          phase,
          pending.map((s) => s.what),
        );
      await sleep(o.pollMs);
    }
    o.log(`  ${phase}: done`);
  }
}
