/**
 * Azure Blob side of `npm run data` (@azure/storage-blob).
 *
 * Every upload is Put Block + Put Block List, even for a one-block file:
 * each block carries its MD5 (`transactionalContentMD5`), which the service
 * checks on arrival and refuses on mismatch (a single Put Blob's MD5 is not
 * checked by Azurite, so the tool never uses it). The block id is the
 * block's index and the first 128 bits of its SHA-256, so a push that was
 * interrupted resumes block by block: a block already staged with the same
 * id is not sent again (`getBlockList("uncommitted")`). The whole file's
 * SHA-256 is recomputed from the blocks; a mismatch with the manifest stops
 * before the commit. The committed blob gets `sha256` metadata and its
 * whole-content MD5 (`x-ms-blob-content-md5`), which a download checks too.
 *
 * Encryption at rest is the account's (customer-managed key, C1): the blob
 * API has no per-request key to set.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { Transform, type Readable } from "stream";
import { pipeline } from "stream/promises";
import type { ContainerClient } from "@azure/storage-blob";
import {
  ChecksumMismatch,
  SHA256_METADATA_KEY,
  type DownloadResult,
  type ObjectStore,
  type RemoteObject,
  type UploadSource,
} from "./store";

/** 8 MiB blocks (Azure allows up to 4,000 MiB per block and 50,000 blocks per blob). */
export const DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;

export interface BlobStoreOptions {
  readonly container: ContainerClient;
  readonly blockSize?: number;
  /** Blocks in flight per file. */
  readonly concurrency?: number;
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number })?.statusCode === 404;
}

/** Fixed-length block id: `<6-digit index>-<32 hex of the block's SHA-256>`, base64. */
export function blockId(index: number, blockSha256Hex: string): string {
  return Buffer.from(`${String(index).padStart(6, "0")}-${blockSha256Hex.slice(0, 32)}`).toString("base64");
}

export class BlobStore implements ObjectStore {
  readonly location: string;
  private readonly blockSize: number;

  constructor(private readonly o: BlobStoreOptions) {
    this.location = o.container.url;
    this.blockSize = o.blockSize ?? DEFAULT_BLOCK_SIZE;
  }

  async head(key: string): Promise<RemoteObject | undefined> {
    try {
      const p = await this.o.container.getBlockBlobClient(key).getProperties();
      return { key, size: p.contentLength ?? 0, sha256: p.metadata?.[SHA256_METADATA_KEY] };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<RemoteObject[]> {
    const out: RemoteObject[] = [];
    for await (const b of this.o.container.listBlobsFlat({ prefix, includeMetadata: true })) {
      out.push({ key: b.name, size: b.properties.contentLength ?? 0, sha256: b.metadata?.[SHA256_METADATA_KEY] });
    }
    return out;
  }

  private async staged(key: string): Promise<Map<string, number>> {
    try {
      const list = await this.o.container.getBlockBlobClient(key).getBlockList("uncommitted");
      return new Map((list.uncommittedBlocks ?? []).map((b) => [b.name, b.size]));
    } catch (e) {
      if (isNotFound(e)) return new Map();
      throw e;
    }
  }

  async upload(key: string, src: UploadSource, onBytes: (n: number) => void): Promise<void> {
    const blob = this.o.container.getBlockBlobClient(key);
    const already = await this.staged(key);
    const whole = crypto.createHash("sha256");
    const wholeMd5 = crypto.createHash("md5");
    const ids: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const limit = Math.max(1, this.o.concurrency ?? 4);
    const fh = await fs.promises.open(src.abs, "r");
    try {
      let offset = 0;
      let index = 0;
      while (offset < src.size || (src.size === 0 && index === 0)) {
        const len = Math.min(this.blockSize, src.size - offset);
        const buf = Buffer.alloc(len);
        let read = 0;
        while (read < len) {
          const r = await fh.read(buf, read, len - read, offset + read);
          if (r.bytesRead === 0) break;
          read += r.bytesRead;
        }
        if (read !== len)
          throw new Error(
            `${src.abs} got shorter while it was uploaded (read ${offset + read} of ${src.size} bytes); nothing was committed`,
          );
        whole.update(buf);
        wholeMd5.update(buf);
        const id = blockId(index, crypto.createHash("sha256").update(buf).digest("hex"));
        ids.push(id);
        if (already.get(id) === len) {
          onBytes(len);
        } else {
          const md5 = crypto.createHash("md5").update(buf).digest();
          const p = blob.stageBlock(id, buf, len, { transactionalContentMD5: md5 }).then(() => onBytes(len));
          const tracked: Promise<void> = p.finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
          if (inFlight.size >= limit) await Promise.race(inFlight);
        }
        offset += len;
        index += 1;
        if (src.size === 0) break;
      }
      await Promise.all(inFlight);
    } finally {
      await fh.close();
    }
    const digest = whole.digest("hex");
    if (digest !== src.sha256) {
      throw new Error(
        `${src.abs} changed while it was uploaded (SHA-256 ${digest}, expected ${src.sha256}); the blocks were not committed`,
      );
    }
    await blob.commitBlockList(ids, {
      metadata: { [SHA256_METADATA_KEY]: src.sha256 },
      blobHTTPHeaders: { blobContentMD5: wholeMd5.digest() },
    });
  }

  async putSmall(key: string, body: Buffer, sha256: string): Promise<void> {
    const blob = this.o.container.getBlockBlobClient(key);
    const md5 = crypto.createHash("md5").update(body).digest();
    const id = blockId(0, sha256);
    await blob.stageBlock(id, body, body.length, { transactionalContentMD5: md5 });
    await blob.commitBlockList([id], {
      metadata: { [SHA256_METADATA_KEY]: sha256 },
      blobHTTPHeaders: { blobContentMD5: md5, blobContentType: "application/json" },
    });
  }

  async getSmall(key: string): Promise<Buffer | undefined> {
    try {
      return await this.o.container.getBlockBlobClient(key).downloadToBuffer();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async download(key: string, file: string, onBytes: (n: number) => void): Promise<DownloadResult> {
    const r = await this.o.container.getBlockBlobClient(key).download();
    const h = crypto.createHash("sha256");
    const m = crypto.createHash("md5");
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        h.update(chunk);
        m.update(chunk);
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    await pipeline(r.readableStreamBody as Readable, tap, fs.createWriteStream(file, { flags: "wx" }));
    const md5 = m.digest();
    if (r.blobContentMD5 && !Buffer.from(r.blobContentMD5).equals(md5)) {
      throw new ChecksumMismatch(key, `Content-MD5 ${Buffer.from(r.blobContentMD5).toString("base64")}`, md5.toString("base64"));
    }
    return {
      sha256: h.digest("hex"),
      expectedSha256: r.metadata?.[SHA256_METADATA_KEY],
      verifiedBy: r.blobContentMD5 ? "Content-MD5" : undefined,
    };
  }
}
