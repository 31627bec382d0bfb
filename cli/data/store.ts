/**
 * What `npm run data` needs from a cloud's object storage, implemented by
 * s3-store.ts (S3, @aws-sdk/client-s3; multipart in s3-multipart.ts) and blob-store.ts
 * (Azure Blob, @azure/storage-blob). push/pull/ls are written once against
 * this interface.
 *
 * Every object the tool writes carries its whole-content SHA-256 in user
 * metadata (`sha256`), because neither cloud's multipart checksum is the
 * checksum of the whole object: S3's multipart SHA-256 is a checksum of the
 * part checksums, Azure keeps no hash of a block list.
 */

export const SHA256_METADATA_KEY = "sha256";

export interface RemoteObject {
  readonly key: string;
  readonly size: number;
  /** From the object's `sha256` metadata, when it has one. */
  readonly sha256?: string;
}

export interface UploadSource {
  readonly abs: string;
  readonly size: number;
  /** Hex SHA-256 of the whole file. */
  readonly sha256: string;
}

export interface DownloadResult {
  readonly sha256: string;
  /** The object's `sha256` metadata, when it has one. */
  readonly expectedSha256?: string;
  /** What else the cloud verified on the way (e.g. "S3 CRC32 checksum", "Content-MD5"), if anything. */
  readonly verifiedBy?: string;
}

export interface ObjectStore {
  /** Where this store points, for messages: s3://bucket or https://account.blob.core.windows.net/container. */
  readonly location: string;
  /** The object's size and sha256 metadata, or undefined when it does not exist. */
  head(key: string): Promise<RemoteObject | undefined>;
  /** Every object under the prefix (sha256 only where the listing carries metadata). */
  list(prefix: string): Promise<RemoteObject[]>;
  /** Uploads a file with its checksum(s) and encryption settings; `onBytes` reports progress. */
  upload(key: string, src: UploadSource, onBytes: (n: number) => void): Promise<void>;
  /** A small object in one request (the manifest). */
  putSmall(key: string, body: Buffer, sha256: string): Promise<void>;
  /** A small object's bytes, or undefined when it does not exist. */
  getSmall(key: string): Promise<Buffer | undefined>;
  /** Streams the object to `file` (created, must not exist), hashing on the way. */
  download(key: string, file: string, onBytes: (n: number) => void): Promise<DownloadResult>;
}

/** The downloaded bytes do not match a checksum the cloud or the manifest stored (exit 1). */
export class ChecksumMismatch extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`checksum mismatch for ${key}: expected ${expected}, the downloaded bytes give ${actual}`);
    this.name = "ChecksumMismatch";
  }
}
