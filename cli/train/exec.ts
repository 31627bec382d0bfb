/**
 * Runs a local CLI (`pulumi`, `az`) without a shell and collects its output.
 * A missing executable rejects with a `MissingToolError` so callers can say
 * how to install it.
 */
import { spawn } from "child_process";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd args` (no shell: arguments are never interpreted). */
export type CommandRunner = (cmd: string, args: readonly string[], opts?: { cwd?: string }) => Promise<CommandResult>;

export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH`);
    this.name = "MissingToolError";
  }
}

export const runCommand: CommandRunner = (cmd, args, opts = {}) =>
  new Promise((resolve, reject) => {
    // On Windows the CLIs are .cmd shims; without a shell Node needs the extension.
    const exe = process.platform === "win32" && cmd === "az" ? "az.cmd" : cmd;
    const child = spawn(exe, [...args], { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new MissingToolError(cmd) : e));
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
