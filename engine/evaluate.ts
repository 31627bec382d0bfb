/**
 * Evaluates a stack of a Pulumi program in a child process (ts-node,
 * transpile-only) under the offline mocks and returns its recording: every
 * resource with URN, type, name, inputs, parent, provider, dependencies,
 * options and source position. The program's own output goes to stderr, so
 * the check's stdout stays machine-readable.
 */
import { fork } from "child_process";
import * as path from "path";
import type { Recording } from "./recorder";
import type { EvaluateMessage } from "./evaluate-child";
import { PROJECT_ROOT } from "./project";
import { CheckUsageError, ProgramError } from "../cli/check/errors";

export interface EvaluateOptions {
  readonly programDir: string;
  readonly stack: string;
  /** Where the program's stdout/stderr go (default: this process's stderr). */
  readonly log?: (chunk: string) => void;
  readonly timeoutMs?: number;
  /** Aborting kills the child. */
  readonly signal?: AbortSignal;
  /**
   * Preview semantics (default, as `pulumi preview` of a new stack: computed
   * outputs unknown); false answers every output the mocks know, as after `pulumi up`.
   */
  readonly preview?: boolean;
}

export interface Evaluation {
  readonly recording: Recording;
  /** Wall time from fork to the recording's arrival. */
  readonly wallMs: number;
  /** Time the child spent running the program (after loading the recorder). */
  readonly runMs: number;
}

const CHILD = path.join(__dirname, "evaluate-child.ts");

/** The stack frames of a program error that point into the program (not Node, node_modules or the recorder). */
function programFrames(stack: string | undefined): string | undefined {
  const frames = (stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !/node:internal|node_modules|[\\/]tools[\\/](recorder|check)[\\/]/.test(l));
  return frames.length ? frames.slice(0, 8).join("\n") : undefined;
}

export function evaluateStack(opts: EvaluateOptions): Promise<Evaluation> {
  const started = Date.now();
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const child = fork(CHILD, [opts.programDir, opts.stack, opts.preview === false ? "up" : "preview"], {
    cwd: PROJECT_ROOT,
    execArgv: ["-r", require.resolve("ts-node/register/transpile-only", { paths: [PROJECT_ROOT] })],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, TS_NODE_PROJECT: path.join(PROJECT_ROOT, "tsconfig.json") },
  });
  let output = "";
  const capture = (d: Buffer) => {
    const s = d.toString();
    output = (output + s).slice(-20_000);
    log(s);
  };
  opts.signal?.addEventListener("abort", () => child.kill("SIGKILL"), { once: true });
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);

  return new Promise<Evaluation>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timeoutMs = opts.timeoutMs ?? 180_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() =>
        reject(
          new ProgramError(`the program in ${opts.programDir} did not finish evaluating stack ${opts.stack} within ${timeoutMs / 1000} s`),
        ),
      );
    }, timeoutMs);
    child.on("message", (msg: EvaluateMessage) => {
      if (msg.ok) {
        settle(() => resolve({ recording: msg.recording, wallMs: Date.now() - started, runMs: msg.runMs }));
      } else if (msg.kind === "stack-file") {
        settle(() => reject(new CheckUsageError(msg.message)));
      } else {
        const partial = msg.resources !== undefined ? ` (after registering ${msg.resources} resource(s))` : "";
        settle(() =>
          reject(
            new ProgramError(
              `the program in ${opts.programDir} threw while evaluating stack ${opts.stack}${partial}: ${msg.message}`,
              programFrames(msg.stack),
            ),
          ),
        );
      }
    });
    child.on("error", (e) => settle(() => reject(new ProgramError(`could not start the program evaluator: ${e.message}`))));
    child.on("exit", (code, signal) =>
      settle(() =>
        reject(
          new ProgramError(
            `the program in ${opts.programDir} exited (${signal ?? `code ${code}`}) before finishing stack ${opts.stack}` +
              (output.trim() ? `; its last output:\n${output.trim().split("\n").slice(-15).join("\n")}` : ""),
          ),
        ),
      ),
    );
  });
}
