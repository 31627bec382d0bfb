/**
 * `npm run bench`, data path (issue 16): push throughput of `npm run data -- push`
 * to the local S3-compatible server (s3rver on a loopback port, the one the
 * tests and `npm run data:local` use) for 1,000 small files and for one 1 GiB
 * file. The files are generated in a temporary folder and deleted, with the
 * server's copy, at the end. Figures only: nothing is asserted about speed.
 *
 * The push is the real command (runData): hashing every file, the resume
 * listing, the uploads (one PutObject per small file; multipart for the large
 * one), the stray check and the manifest. The server writes to the same disk,
 * so the figure is the tool and the loopback server together, not a network.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { defaultDeps, runData } from "../cli/data/run";
import { silentProgress } from "../cli/data/progress";
import { LOCAL_NAMES, localAwsOutputs } from "./data-local";
import { startS3 } from "./local-storage";

export const DATA_BENCH = { smallFiles: 1_000, smallFileBytes: 4 * 1024, largeFileBytes: 1024 ** 3 } as const;

const MIB = 1024 * 1024;

/** Writes `count` files of `bytes` random bytes under dir (10 subfolders). */
function writeSmallFiles(dir: string, count: number, bytes: number): void {
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `part-${i % 10}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file-${String(i).padStart(4, "0")}.bin`), crypto.randomBytes(bytes));
  }
}

/** Writes a file of `bytes` bytes: 8 MiB of random bytes, each copy stamped with its index so no two parts are equal. */
function writeLargeFile(file: string, bytes: number): void {
  const block = crypto.randomBytes(8 * MIB);
  const fd = fs.openSync(file, "w");
  try {
    for (let offset = 0, i = 0; offset < bytes; offset += block.length, i++) {
      block.writeUInt32BE(i, 0);
      fs.writeSync(fd, block, 0, Math.min(block.length, bytes - offset));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the push; returns its wall time in ms and the JSON line it printed. */
async function timedPush(dir: string, name: string, outputsFile: string, endpoint: string, work: string) {
  const out: string[] = [];
  const err: string[] = [];
  const deps = {
    ...defaultDeps(),
    cwd: work,
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    progress: silentProgress,
    resumeDir: path.join(work, "resume"),
  };
  const t0 = performance.now();
  const code = await runData(
    ["push", dir, "--name", name, "--stack", LOCAL_NAMES.awsStack, "--outputs", outputsFile, "--endpoint", endpoint],
    deps,
  );
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`push ${name} exited ${code}: ${err.join("\n")}`);
  return { ms, result: JSON.parse(out[0]) as { files: number; bytes: number; uploaded: number } };
}

/** Prints the data-path figures with `print`. */
export async function benchData(print: (line: string) => void): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-data-"));
  const server = await startS3([LOCAL_NAMES.dataBucket, LOCAL_NAMES.artifactsBucket]);
  try {
    const outputsFile = path.join(work, "dev.outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify(localAwsOutputs()));
    print(`\nData path: npm run data -- push to the local S3 server (s3rver, ${server.endpoint}), generated files in ${os.tmpdir()}`);
    print("  dataset                    files   bytes          wall      MiB/s   files/s");
    const line = (label: string, r: { files: number; bytes: number }, ms: number) =>
      print(
        `  ${label.padEnd(25)} ${String(r.files).padStart(6)}   ${String(r.bytes).padEnd(13)}  ${`${(ms / 1000).toFixed(2)} s`.padEnd(9)} ${(r.bytes / MIB / (ms / 1000)).toFixed(1).padStart(6)}   ${(r.files / (ms / 1000)).toFixed(1).padStart(7)}`,
      );

    const small = path.join(work, "small");
    writeSmallFiles(small, DATA_BENCH.smallFiles, DATA_BENCH.smallFileBytes);
    const s = await timedPush(small, "bench-small", outputsFile, server.endpoint, work);
    line(`${DATA_BENCH.smallFiles} x ${DATA_BENCH.smallFileBytes / 1024} KiB`, s.result, s.ms);
    fs.rmSync(small, { recursive: true, force: true });

    const large = path.join(work, "large");
    fs.mkdirSync(large);
    writeLargeFile(path.join(large, "large.bin"), DATA_BENCH.largeFileBytes);
    const l = await timedPush(large, "bench-large", outputsFile, server.endpoint, work);
    line("1 x 1 GiB (multipart)", l.result, l.ms);
    print("  (wall: the whole push: SHA-256 of every file, listing, uploads with SSE-KMS headers and SHA-256 checksums, manifest)");
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchData((l) => console.log(l)).catch((e) => {
    console.error(`bench-data failed: ${(e as Error)?.stack ?? e}`);
    process.exit(1);
  });
}
