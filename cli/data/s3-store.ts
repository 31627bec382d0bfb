/**
 * S3 side of `npm run data` (@aws-sdk/client-s3).
 *
 * Every write sends `x-amz-server-side-encryption: aws:kms` and
 * `x-amz-server-side-encryption-aws-kms-key-id: <the stack's key ARN>` (the
 * data bucket's policy denies any other encryption) and a SHA-256 checksum:
 * - a file up to one part: one PutObject whose `ChecksumSHA256` is the hash
 *   computed when the file was read for the manifest, so S3 refuses the
 *   object if a byte changed on the way or since (BadDigest);
 * - a larger file: a multipart upload that resumes part by part
 *   (s3-multipart.ts): `ChecksumAlgorithm: SHA256` on CreateMultipartUpload and
 *   each part's `ChecksumSHA256` (S3 verifies every part), while the bytes read
 *   are hashed again; a whole-file mismatch aborts the upload before it completes.
 * Bodies are always Buffers, never streams: no `aws-chunked` trailer encoding is needed.
 *
 * Downloads ask for the stored checksum (`ChecksumMode: ENABLED`); the SDK
 * validates a full-object checksum when the object has one.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { Transform, type Readable } from "stream";
import { pipeline } from "stream/promises";
import {
  GetObjectCommand,
  HeadObjectCommand,
  type ChecksumAlgorithm,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { multipartUpload } from "./s3-multipart";
import { SHA256_METADATA_KEY, type DownloadResult, type ObjectStore, type RemoteObject, type UploadSource } from "./store";

/** 8 MiB: the parts and the single-request limit. S3 allows 5 MiB-5 GiB parts, 10,000 per upload. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const S3_CHECKSUM_ALGORITHM: ChecksumAlgorithm = "SHA256";

export interface S3StoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The full KMS key ARN every object is encrypted with. */
  readonly kmsKeyArn: string;
  readonly partSize?: number;
  /** Parts in flight per file. */
  readonly queueSize?: number;
  /** Journal of multipart uploads in progress, so an interrupted one resumes part by part (s3-multipart.ts). */
  readonly resumeDir?: string;
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === "NotFound" || err?.name === "NoSuchKey" || err?.$metadata?.httpStatusCode === 404;
}

export class S3Store implements ObjectStore {
  readonly location: string;
  private readonly partSize: number;

  constructor(private readonly o: S3StoreOptions) {
    this.location = `s3://${o.bucket}`;
    this.partSize = o.partSize ?? DEFAULT_PART_SIZE;
  }

  private encryption(): Pick<PutObjectCommandInput, "ServerSideEncryption" | "SSEKMSKeyId" | "BucketKeyEnabled"> {
    return { ServerSideEncryption: "aws:kms", SSEKMSKeyId: this.o.kmsKeyArn, BucketKeyEnabled: true };
  }

  async head(key: string): Promise<RemoteObject | undefined> {
    try {
      const r = await this.o.client.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: key }));
      return { key, size: r.ContentLength ?? 0, sha256: r.Metadata?.[SHA256_METADATA_KEY] };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<RemoteObject[]> {
    const out: RemoteObject[] = [];
    for await (const page of paginateListObjectsV2({ client: this.o.client }, { Bucket: this.o.bucket, Prefix: prefix })) {
      for (const c of page.Contents ?? []) if (c.Key !== undefined) out.push({ key: c.Key, size: c.Size ?? 0 });
    }
    return out;
  }

  async upload(key: string, src: UploadSource, onBytes: (n: number) => void): Promise<void> {
    if (src.size <= this.partSize) {
      const body = await fs.promises.readFile(src.abs);
      await this.o.client.send(
        new PutObjectCommand({
          Bucket: this.o.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ChecksumAlgorithm: S3_CHECKSUM_ALGORITHM,
          ChecksumSHA256: hexToBase64(src.sha256),
          Metadata: { [SHA256_METADATA_KEY]: src.sha256 },
          ...this.encryption(),
        }),
      );
      onBytes(body.length);
      return;
    }
    await multipartUpload({
      client: this.o.client,
      bucket: this.o.bucket,
      key,
      src,
      partSize: this.partSize,
      queueSize: this.o.queueSize ?? 4,
      encryption: this.encryption(),
      resumeDir: this.o.resumeDir,
      onBytes,
    });
  }

  async putSmall(key: string, body: Buffer, sha256: string): Promise<void> {
    await this.o.client.send(
      new PutObjectCommand({
        Bucket: this.o.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: "application/json",
        ChecksumAlgorithm: S3_CHECKSUM_ALGORITHM,
        ChecksumSHA256: hexToBase64(sha256),
        Metadata: { [SHA256_METADATA_KEY]: sha256 },
        ...this.encryption(),
      }),
    );
  }

  async getSmall(key: string): Promise<Buffer | undefined> {
    try {
      const r = await this.o.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key, ChecksumMode: "ENABLED" }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async download(key: string, file: string, onBytes: (n: number) => void): Promise<DownloadResult> {
    const r = await this.o.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key, ChecksumMode: "ENABLED" }));
    const h = crypto.createHash("sha256");
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        h.update(chunk);
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    await pipeline(r.Body as Readable, tap, fs.createWriteStream(file, { flags: "wx" }));
    const full = r.ChecksumType === "FULL_OBJECT";
    const alg = r.ChecksumSHA256
      ? "SHA256"
      : r.ChecksumCRC32
        ? "CRC32"
        : r.ChecksumCRC32C
          ? "CRC32C"
          : r.ChecksumCRC64NVME
            ? "CRC64NVME"
            : undefined;
    return {
      sha256: h.digest("hex"),
      verifiedBy: full && alg ? `S3 ${alg} checksum` : undefined,
      expectedSha256: r.Metadata?.[SHA256_METADATA_KEY],
    };
  }
}
