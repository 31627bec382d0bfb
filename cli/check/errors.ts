/**
 * Errors that end `npm run check` with exit code 2 (usage or program error):
 * each message names the flag, file or value at fault and what is allowed.
 */
export class CheckUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckUsageError";
  }
}

/** The Pulumi program threw (or could not be loaded) while it was evaluated. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "ProgramError";
  }
}

/** The policy pack could not be started or answered with an error. */
export class PolicyPackError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "PolicyPackError";
  }
}

export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_USAGE = 2;
