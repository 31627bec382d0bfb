/**
 * A multipart upload to S3 that resumes part by part (issue 16), with the
 * low-level commands (lib-storage's `Upload` always starts a new upload).
 *
 * - CreateMultipartUpload carries SSE-KMS with the stack's key, `sha256`
 *   metadata and `ChecksumAlgorithm: SHA256`; every UploadPart carries the
 *   part's SHA-256 (`ChecksumSHA256`), which S3 checks on arrival
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity-upload.html).
 *   UploadPart takes no SSE-KMS headers: the encryption is the upload's
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html).
 * - Right after CreateMultipartUpload a journal entry (bucket, key, the file's
 *   size and SHA-256, the part size, the UploadId) is written to the resume
 *   directory. The metadata of an upload in progress cannot be read back, so
 *   the journal is what ties an UploadId to one content.
 * - An interrupted upload leaves its parts and its journal entry. The next
 *   upload of the same content lists the parts of that UploadId (ListParts)
 *   and keeps each part whose size and `ChecksumSHA256` equal the local
 *   part's; only the others are sent. S3 lists a part's checksum when the
 *   upload was created with that algorithm
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Part.html).
 *   An upload S3 no longer knows (completed, aborted, expired by the
 *   bucket's lifecycle rule) or a server without ListParts starts anew.
 * - The file is read once, in order, hashing the whole file on the way: if it
 *   no longer matches the manifest's SHA-256 the upload is aborted before
 *   CompleteMultipartUpload, so no object claims bytes it does not have.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  type Part,
  paginateListParts,
  type PutObjectCommandInput,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { SHA256_METADATA_KEY, type UploadSource } from "./store";

/** S3's limits: 10,000 parts per upload, parts of 5 MiB to 5 GiB (the last may be smaller). */
export const S3_MULTIPART_LIMITS = { maxParts: 10_000, minPartSize: 5 * 1024 * 1024 } as const;

export interface MultipartOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly src: UploadSource;
  readonly partSize: number;
  /** Parts in flight. */
  readonly queueSize: number;
  readonly encryption: Pick<PutObjectCommandInput, "ServerSideEncryption" | "SSEKMSKeyId" | "BucketKeyEnabled">;
  /** Where journal entries live; without one an interrupted upload is aborted instead of kept for a resume. */
  readonly resumeDir?: string;
  readonly onBytes: (n: number) => void;
}

export interface MultipartResult {
  readonly uploadId: string;
  readonly parts: number;
  /** Parts found already uploaded with the same checksum and not sent again. */
  readonly reused: number;
  readonly resumed: boolean;
}

interface JournalEntry {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly partSize: number;
  readonly uploadId: string;
}

/** The default resume directory: `$XDG_CACHE_HOME` or `~/.cache`, then `secure-ml-training/s3-uploads`. */
export function defaultResumeDir(env: NodeJS.ProcessEnv, home: string): string {
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "secure-ml-training", "s3-uploads");
}

/** The part size for a file: at least `partSize`, large enough for 10,000 parts, whole MiB. */
export function partSizeFor(size: number, partSize: number): number {
  const mib = 1024 * 1024;
  const needed = Math.ceil(size / S3_MULTIPART_LIMITS.maxParts / mib) * mib;
  return Math.max(partSize, needed, S3_MULTIPART_LIMITS.minPartSize);
}

function journalFile(dir: string, bucket: string, key: string): string {
  return path.join(dir, `${crypto.createHash("sha256").update(`${bucket}\0${key}`).digest("hex")}.json`);
}

function readJournal(dir: string | undefined, bucket: string, key: string, src: UploadSource, partSize: number): JournalEntry | undefined {
  if (dir === undefined) return undefined;
  let e: Partial<JournalEntry>;
  try {
    e = JSON.parse(fs.readFileSync(journalFile(dir, bucket, key), "utf8")) as Partial<JournalEntry>;
  } catch {
    return undefined;
  }
  const same = e.bucket === bucket && e.key === key && e.size === src.size && e.sha256 === src.sha256 && e.partSize === partSize;
  return same && typeof e.uploadId === "string" && e.uploadId !== "" ? (e as JournalEntry) : undefined;
}

function writeJournal(dir: string | undefined, entry: JournalEntry): void {
  if (dir === undefined) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = journalFile(dir, entry.bucket, entry.key);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function removeJournal(dir: string | undefined, bucket: string, key: string): void {
  if (dir !== undefined) fs.rmSync(journalFile(dir, bucket, key), { force: true });
}

/** The parts S3 holds for the upload, or undefined when it cannot list them (unknown upload, or a server without ListParts). */
async function listParts(client: S3Client, bucket: string, key: string, uploadId: string): Promise<Map<number, Part> | undefined> {
  const parts = new Map<number, Part>();
  try {
    for await (const page of paginateListParts({ client }, { Bucket: bucket, Key: key, UploadId: uploadId })) {
      for (const p of page.Parts ?? []) if (p.PartNumber !== undefined) parts.set(p.PartNumber, p);
    }
  } catch {
    return undefined;
  }
  return parts;
}

async function abort(client: S3Client, bucket: string, key: string, uploadId: string): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch {
    // Best effort: the bucket's lifecycle rule aborts incomplete uploads anyway.
  }
}

export async function multipartUpload(o: MultipartOptions): Promise<MultipartResult> {
  const { client, bucket, key, src } = o;
  const partSize = partSizeFor(src.size, o.partSize);
  const partCount = Math.max(1, Math.ceil(src.size / partSize));

  let uploadId: string | undefined;
  let remote = new Map<number, Part>();
  const journal = readJournal(o.resumeDir, bucket, key, src, partSize);
  if (journal !== undefined) {
    const listed = await listParts(client, bucket, key, journal.uploadId);
    if (listed !== undefined) {
      uploadId = journal.uploadId;
      remote = listed;
    } else {
      await abort(client, bucket, key, journal.uploadId);
      removeJournal(o.resumeDir, bucket, key);
    }
  }
  const resumed = uploadId !== undefined;
  if (uploadId === undefined) {
    const created = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ChecksumAlgorithm: "SHA256",
        Metadata: { [SHA256_METADATA_KEY]: src.sha256 },
        ...o.encryption,
      }),
    );
    if (!created.UploadId) throw new Error(`CreateMultipartUpload of ${key} returned no UploadId`);
    uploadId = created.UploadId;
    writeJournal(o.resumeDir, { bucket, key, size: src.size, sha256: src.sha256, partSize, uploadId });
  }
  const id = uploadId;

  const done: CompletedPart[] = [];
  let reused = 0;
  let failure: { error: unknown } | undefined;
  const inflight = new Set<Promise<void>>();
  const whole = crypto.createHash("sha256");
  const fh = await fs.promises.open(src.abs, "r");
  try {
    for (let n = 1; n <= partCount && failure === undefined; n++) {
      const offset = (n - 1) * partSize;
      const length = Math.min(partSize, src.size - offset);
      const body = Buffer.alloc(length);
      const { bytesRead } = await fh.read(body, 0, length, offset);
      if (bytesRead !== length) {
        failure = { error: new Error(`${src.abs} is shorter than when it was hashed (${offset + bytesRead} bytes, expected ${src.size})`) };
        break;
      }
      whole.update(body);
      const checksum = crypto.createHash("sha256").update(body).digest("base64");
      const there = remote.get(n);
      if (there !== undefined && there.Size === length && there.ChecksumSHA256 === checksum && there.ETag) {
        done.push({ PartNumber: n, ETag: there.ETag, ChecksumSHA256: checksum });
        reused += 1;
        o.onBytes(length);
        continue;
      }
      const sent: Promise<void> = (async () => {
        try {
          const r = await client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: id,
              PartNumber: n,
              Body: body,
              ContentLength: length,
              ChecksumAlgorithm: "SHA256",
              ChecksumSHA256: checksum,
            }),
          );
          if (!r.ETag) throw new Error(`UploadPart ${n} of ${key} returned no ETag`);
          done.push({ PartNumber: n, ETag: r.ETag, ChecksumSHA256: checksum });
          o.onBytes(length);
        } catch (e) {
          failure ??= { error: e };
        }
      })();
      inflight.add(sent);
      void sent.then(() => inflight.delete(sent));
      if (inflight.size >= Math.max(1, o.queueSize)) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  } finally {
    await fh.close();
  }
  if (failure !== undefined) {
    // Keep the parts for the next run when a journal remembers them; otherwise nothing could resume them.
    if (o.resumeDir === undefined) await abort(client, bucket, key, id);
    throw failure.error;
  }
  const digest = whole.digest("hex");
  if (digest !== src.sha256) {
    await abort(client, bucket, key, id);
    removeJournal(o.resumeDir, bucket, key);
    throw new Error(`${src.abs} changed while it was uploaded (SHA-256 ${digest}, expected ${src.sha256}); the upload was aborted`);
  }
  done.sort((a, b) => a.PartNumber! - b.PartNumber!);
  await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id, MultipartUpload: { Parts: done } }));
  removeJournal(o.resumeDir, bucket, key);
  return { uploadId: id, parts: partCount, reused, resumed };
}
