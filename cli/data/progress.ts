/**
 * Progress of a transfer: a cli-progress bar with bytes, rate and ETA when
 * stderr is a terminal and CI is not set; otherwise nothing until the
 * summary (CI logs stay short). Tests inject their own `Progress`.
 */
import { SingleBar } from "cli-progress";

export interface Progress {
  /** Starts a phase ("hashing", "uploading", "downloading") of `totalBytes`. */
  start(phase: string, totalBytes: number, totalFiles: number): void;
  add(bytes: number): void;
  fileDone(): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, add() {}, fileDone() {}, stop() {} };

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

/** The terminal bar. `now` is injectable for the rate. */
export function terminalProgress(stream: NodeJS.WritableStream, now: () => number = Date.now): Progress {
  let bar: SingleBar | undefined;
  let done = 0;
  let files = 0;
  let totalFiles = 0;
  let started = 0;
  let phase = "";
  const payload = () => {
    const secs = Math.max((now() - started) / 1000, 0.001);
    return { phase, bytes: formatBytes(done), rate: `${formatBytes(done / secs)}/s`, files: `${files}/${totalFiles} files` };
  };
  return {
    start(p, totalBytes, nFiles) {
      bar?.stop();
      phase = p;
      done = 0;
      files = 0;
      totalFiles = nFiles;
      started = now();
      bar = new SingleBar({
        stream,
        format: "{phase} [{bar}] {percentage}% | {bytes}/{total_bytes} | {rate} | {files} | ETA {eta_formatted}",
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      });
      bar.start(Math.max(totalBytes, 1), 0, { ...payload(), total_bytes: formatBytes(totalBytes) });
    },
    add(n) {
      done += n;
      bar?.update(done, payload());
    },
    fileDone() {
      files += 1;
      bar?.update(done, payload());
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** A bar only on a terminal outside CI. */
export function defaultProgress(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Progress {
  return stream.isTTY && !env.CI ? terminalProgress(stream) : silentProgress;
}
