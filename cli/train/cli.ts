/**
 * `npm run train -- --stack NAME --image URI --instance-type TYPE [...]`
 *
 * Launches a training job inside a stack's environment with every guardrail
 * set from the stack outputs. See docs/train.md and `--help`. The work is in
 * run.ts (in-process, injectable); this file only wires the real process.
 */
import { defaultDeps, runTrain } from "./run";

runTrain(process.argv.slice(2), defaultDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`train: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
