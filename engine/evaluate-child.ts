/**
 * Child process of `npm run check`: evaluates one stack of a Pulumi program
 * under the offline mocks (engine/recorder) and sends the recording to the
 * parent over the IPC channel. The program runs here, not in the parent, so
 * its global Pulumi runtime, console output and crashes stay out of the
 * check's own process. Started by `evaluate.ts` with `fork`; argv: DIR STACK [preview|up].
 */
import { recordStack, Recording, StackFileError } from "./recorder";

export type EvaluateMessage =
  | { readonly ok: true; readonly recording: Recording; readonly runMs: number }
  | {
      readonly ok: false;
      readonly kind: "stack-file" | "program";
      readonly message: string;
      readonly stack?: string;
      readonly resources?: number;
    };

let sent = false;

function send(msg: EvaluateMessage): void {
  if (sent) return;
  sent = true;
  if (!process.send) {
    process.stderr.write("evaluate-child: must be started with an IPC channel (child_process.fork)\n");
    process.exit(2);
  }
  // Exit once the message is flushed: a program may leave timers or handles behind.
  process.send(msg, () => process.exit(0));
}

function failure(e: unknown): EvaluateMessage {
  const err = e instanceof Error ? e : new Error(String(e));
  const recording = (err as Error & { recording?: Recording }).recording;
  return {
    ok: false,
    kind: err.name === StackFileError.name ? "stack-file" : "program",
    message: err.message,
    stack: err.stack,
    resources: recording?.resources.length,
  };
}

async function main(): Promise<void> {
  const [programDir, stack, mode] = process.argv.slice(2);
  process.on("unhandledRejection", (e) => send(failure(e)));
  // The check is gone (killed): stop too.
  process.on("disconnect", () => process.exit(1));
  const started = Date.now();
  try {
    const recording = await recordStack(programDir, stack, { preview: mode !== "up" });
    send({ ok: true, recording, runMs: Date.now() - started });
  } catch (e) {
    send(failure(e));
  }
}

void main();
