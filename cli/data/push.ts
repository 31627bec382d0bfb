/**
 * `push DIR`: upload a folder as the dataset `datasets/<name>/` and, last,
 * its manifest `datasets/<name>.manifest.json`.
 *
 * Order, so that an interrupted push leaves no manifest claiming data that
 * is not there:
 *   1. list and check DIR (symlinks, names), hash every file -> the manifest (memory);
 *   2. a manifest already in the cloud: the same files -> nothing to do; other
 *      files -> refused (datasets are immutable: a job's tag names one content);
 *   3. upload each file unless an object with the same size and SHA-256 is
 *      already there (that is the resume: run the same command again);
 *   4. the prefix must hold exactly the manifest's files (an object left by an
 *      earlier, different push is reported: the ingest principal cannot delete);
 *   5. write the manifest.
 */
import * as fs from "fs";
import * as path from "path";
import { show, UsageError } from "../train/errors";
import { TransferError } from "./errors";
import { datasetPrefix, manifestKey } from "./layout";
import { hashFile, listLocalFiles } from "./local-files";
import {
  buildManifest,
  manifestTotals,
  parseManifest,
  sameFiles,
  serializeManifest,
  sha256Hex,
  type Manifest,
  type ManifestEntry,
} from "./manifest";
import { runPool } from "./pool";
import type { Progress } from "./progress";
import type { ObjectStore } from "./store";

export interface PushOptions {
  readonly dir: string;
  readonly dataset: string;
  readonly store: ObjectStore;
  readonly concurrency: number;
  readonly progress: Progress;
  readonly log: (line: string) => void;
  /** Also write the manifest here (atomically; never over a different file). */
  readonly manifestOut?: string;
}

export interface PushResult {
  readonly dataset: string;
  readonly manifest: string;
  /** SHA-256 of the manifest's bytes: the dataset's identity. */
  readonly sha256: string;
  readonly files: number;
  readonly bytes: number;
  readonly uploaded: number;
  readonly skipped: number;
  /** The same dataset was already complete in the cloud. */
  readonly unchanged: boolean;
  readonly location: string;
}

export async function push(o: PushOptions): Promise<PushResult> {
  const prefix = datasetPrefix(o.dataset);
  const files = listLocalFiles(o.dir, prefix);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);

  o.progress.start("hashing", totalBytes, files.length);
  const entries = new Map<string, ManifestEntry>();
  await runPool(files, o.concurrency, async (f) => {
    entries.set(f.rel, { path: f.rel, size: f.size, sha256: await hashFile(f.abs, (n) => o.progress.add(n)) });
    o.progress.fileDone();
  });
  o.progress.stop();
  const manifest = buildManifest(o.dataset, [...entries.values()]);
  const body = serializeManifest(manifest);
  const sha256 = sha256Hex(body);
  const key = manifestKey(o.dataset);
  const base = { dataset: o.dataset, manifest: key, sha256, ...manifestTotals(manifest), location: o.store.location };

  const existing = await o.store.getSmall(key);
  if (existing !== undefined) {
    const remote = parseManifest(existing.toString("utf8"), `${o.store.location}/${key}`);
    if (!sameFiles(remote, manifest)) {
      throw new UsageError([
        `--name ${o.dataset}: the dataset already exists in ${o.store.location} with other files (manifest ${sha256Hex(existing)}); ` +
          "datasets are immutable so that a job's tag names exactly one content: push under a new --name",
      ]);
    }
    o.log(`dataset ${o.dataset} is already complete in ${o.store.location}; nothing to upload`);
    writeManifestCopy(o.manifestOut, body);
    return { ...base, uploaded: 0, skipped: manifest.files.length, unchanged: true };
  }

  o.log(`uploading ${files.length} files (${totalBytes} bytes) to ${o.store.location}/${prefix}`);
  let uploaded = 0;
  let skipped = 0;
  o.progress.start("uploading", totalBytes, files.length);
  try {
    // One listing first: only objects already there (same size) need a HEAD for their sha256.
    const present = new Map((await o.store.list(prefix)).map((x) => [x.key, x]));
    await runPool(files, o.concurrency, async (f) => {
      const entry = entries.get(f.rel)!;
      const objectKey = prefix + f.rel;
      const listed = present.get(objectKey);
      const there =
        listed && listed.size === entry.size ? (listed.sha256 !== undefined ? listed : await o.store.head(objectKey)) : undefined;
      if (there && there.size === entry.size && there.sha256 === entry.sha256) {
        skipped += 1;
        o.progress.add(entry.size);
      } else {
        await o.store.upload(objectKey, { abs: f.abs, size: entry.size, sha256: entry.sha256 }, (n) => o.progress.add(n));
        uploaded += 1;
      }
      o.progress.fileDone();
    });
  } finally {
    o.progress.stop();
  }

  checkNoStrays(manifest, prefix, await o.store.list(prefix), o.store.location);
  await o.store.putSmall(key, body, sha256);
  writeManifestCopy(o.manifestOut, body);
  return { ...base, uploaded, skipped, unchanged: false };
}

function checkNoStrays(manifest: Manifest, prefix: string, objects: readonly { key: string }[], location: string): void {
  const expected = new Set(manifest.files.map((f) => prefix + f.path));
  const strays = objects.map((o) => o.key).filter((k) => !expected.has(k));
  const missing = [...expected].filter((k) => !objects.some((o) => o.key === k));
  if (strays.length > 0 || missing.length > 0) {
    const list = (ks: string[]) => ks.slice(0, 10).map(show).join(", ") + (ks.length > 10 ? `, ... (${ks.length} in all)` : "");
    throw new TransferError(
      [
        strays.length > 0
          ? `${location}/${prefix} holds objects that are not in DIR: ${list(strays)} (left by an earlier push of other files; the ingest principal cannot delete)`
          : "",
        missing.length > 0 ? `${location}/${prefix} lacks uploaded objects: ${list(missing)}` : "",
      ]
        .filter(Boolean)
        .join("; ") + `. No manifest was written; push the folder under a new --name, or ask an administrator to empty ${prefix}`,
    );
  }
}

/** Writes the manifest copy via a temporary file and a rename; an existing different file is refused. */
function writeManifestCopy(file: string | undefined, body: Buffer): void {
  if (file === undefined) return;
  if (fs.existsSync(file)) {
    if (fs.readFileSync(file).equals(body)) return;
    throw new UsageError([
      `--manifest-out ${show(file)}: the file exists with other content; choose another path (it is never overwritten)`,
    ]);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, body, { flag: "wx" });
  fs.renameSync(tmp, file);
}
