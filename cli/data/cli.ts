/**
 * `npm run data -- push DIR | pull JOB|PREFIX DEST | ls  --stack NAME [...]`
 *
 * Moves datasets into a stack's data location and job outputs out of it,
 * through the environment's own guarded path. See README "Loading data" and
 * `--help`. The work is in run.ts (in-process, injectable); this file only
 * wires the real process.
 */
import { defaultDeps, runData } from "./run";

runData(process.argv.slice(2), defaultDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`data: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
