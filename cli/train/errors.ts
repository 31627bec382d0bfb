/**
 * Exit codes of `npm run train` and the errors that carry them.
 *
 * Every failure the tool expects is a `TrainError` with the exit code it
 * maps to; `cli.ts` prints its message on stderr and exits with the code.
 */

export const EXIT = {
  /** Submitted (or, with --wait, completed). */
  OK: 0,
  /** The job failed, or was stopped / canceled. */
  FAILED: 1,
  /** Bad input: flags, files, stack outputs, local tools. Nothing was sent. */
  BAD_INPUT: 2,
  /** The cloud API rejected a request (or could not be reached). */
  REJECTED: 3,
  /** --wait gave up before the job reached a final state; the job keeps running. */
  WAIT_TIMEOUT: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class TrainError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "TrainError";
  }
}

/** Bad input (exit 2): one error listing every problem found, each naming the flag/key, the value and what is allowed. */
export class UsageError extends TrainError {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      EXIT.BAD_INPUT,
    );
    this.name = "UsageError";
  }
}

/** A cloud API rejected a request (exit 3): the API's own code and message, and what to do about it. */
export class ApiError extends TrainError {
  constructor(
    readonly api: string,
    readonly code: string,
    readonly apiMessage: string,
    readonly hint?: string,
  ) {
    super(`${api} rejected the request: ${code}: ${apiMessage}${hint ? `\nhint: ${hint}` : ""}`, EXIT.REJECTED);
    this.name = "ApiError";
  }
}

/** A JSON value rendered for an error message, shortened so a huge value cannot flood the terminal. */
export function show(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
