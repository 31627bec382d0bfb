/**
 * Real local storage servers from npm, for the data-path tests, the bench and
 * README "Loading data" (`npm run data:local`): an S3-compatible server
 * (@20minutes/s3rver, in-process) and Azurite's blob service (a child
 * process). Both listen on a free loopback port (port 0: the OS picks), keep
 * their files in a temporary folder, and `stop()` removes it.
 *
 * Notes on the servers (see /docs in README "Loading data"):
 * - s3rver rebuilds the canonical URI of bucket-level requests without the
 *   trailing slash the AWS SDK signs, so bucket operations would fail with
 *   SignatureDoesNotMatch: buckets come from `configureBuckets` and signatures
 *   are not enforced (`allowMismatchedSignatures`). It stores but does not
 *   verify `x-amz-checksum-*` headers; the tool's own SHA-256 check does.
 * - Azurite runs with `--disableTelemetry`: without it, it sends usage data to
 *   a Microsoft endpoint (this project never sends traffic off the machine).
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import S3rver from "@20minutes/s3rver";
import { StorageSharedKeyCredential, BlobServiceClient } from "@azure/storage-blob";
import { AZURITE_ACCOUNT, AZURITE_KEY } from "../cli/data/target";

export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startS3(buckets: readonly string[]): Promise<LocalServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    allowMismatchedSignatures: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

/** Azurite's blob service; gives up (and kills it) if it has not said where it listens within `startTimeoutMs`. */
export async function startAzurite(containers: readonly string[], startTimeoutMs = 120_000): Promise<LocalServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "azurite-"));
  const main = require.resolve("azurite/dist/src/blob/main.js");
  const child = spawn(
    process.execPath,
    [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", dir, "--disableTelemetry", "--silent"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    children.delete(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${startTimeoutMs} ms: ${out}`)), startTimeoutMs);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code}: ${out}`));
      });
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const service = new BlobServiceClient(`${endpoint}/${AZURITE_ACCOUNT}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  for (const c of containers) await service.getContainerClient(c).createIfNotExists();
  let stopped = false;
  return {
    endpoint,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await cleanup();
    },
  };
}
