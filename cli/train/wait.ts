/**
 * `--wait`: poll a job's status until it is final or the wait times out. The
 * clock is injected so tests run the whole loop without real waiting.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface JobState {
  /** The cloud's own status word (SageMaker TrainingJobStatus, Azure ML job status). */
  readonly status: string;
  readonly terminal: boolean;
  /** A finer-grained progress word shown on stderr when it changes (SageMaker SecondaryStatus). */
  readonly detail?: string;
}

export interface WaitResult {
  readonly state: JobState;
  readonly timedOut: boolean;
}

export async function pollUntilFinal(opts: {
  readonly poll: () => Promise<JobState>;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}): Promise<WaitResult> {
  const { clock } = opts;
  const deadline = clock.now() + opts.timeoutMs;
  let last = "";
  for (;;) {
    const state = await opts.poll();
    const shown = state.detail && state.detail !== state.status ? `${state.status} (${state.detail})` : state.status;
    if (shown !== last) {
      opts.progress(`status: ${shown}`);
      last = shown;
    }
    if (state.terminal) return { state, timedOut: false };
    const left = deadline - clock.now();
    if (left <= 0) return { state, timedOut: true };
    await clock.sleep(Math.min(opts.intervalMs, left));
  }
}
