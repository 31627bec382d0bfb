/**
 * Exit codes of `npm run data` and the failure that is not bad input. Bad
 * input is train's `UsageError` (exit 2, every problem named), so both
 * commands speak the same way.
 */
import { TrainError } from "../train/errors";

export const EXIT = {
  /** Done. */
  OK: 0,
  /** A transfer failed, a checksum did not match, or the cloud refused. */
  FAILED: 1,
  /** Bad input: flags, DIR, stack, outputs, credentials. Nothing was written. */
  BAD_INPUT: 2,
} as const;
export type DataExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command failed part-way (exit 1): what is in the cloud stays for the next run; a push wrote no manifest. */
export class TransferError extends TrainError {
  constructor(message: string) {
    super(message, EXIT.FAILED);
    this.name = "TransferError";
  }
}
