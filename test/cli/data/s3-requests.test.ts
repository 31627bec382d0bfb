/**
 * The S3 requests `npm run data -- push` sends, through the real SDK client
 * under aws-sdk-client-mock (a stateful fake S3 behind `send`):
 *
 * - golden requests (test/fixtures/data/s3-push.requests.json): SSE-KMS with
 *   the stack's key (`ServerSideEncryption: aws:kms`, `SSEKMSKeyId`) on every
 *   PutObject and CreateMultipartUpload, and SHA-256 checksums
 *   (`ChecksumAlgorithm: SHA256` and the body's `ChecksumSHA256`) on every
 *   PutObject, CreateMultipartUpload and UploadPart, for the one-request path
 *   and the multipart path;
 * - the part-by-part resume of an interrupted multipart upload: ListParts on
 *   the journaled UploadId, parts whose checksum matches kept, the others sent.
 *   The local S3 server (s3rver) has no ListParts, so this is shown here;
 *   s3.test.ts shows that against s3rver an interrupted upload starts again.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { push } from "../../../cli/data/push";
import { silentProgress } from "../../../cli/data/progress";
import { S3Store } from "../../../cli/data/s3-store";
import { multipartUpload } from "../../../cli/data/s3-multipart";
import { bytes, sha256, tmpDir, writeTree } from "./helpers";

const GOLDEN = path.join(__dirname, "..", "..", "fixtures", "data", "s3-push.requests.json");
const BUCKET = "mltrain-prod-data-5d3c1e9";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/6b1f4e2a-9c3d-4a8e-b7f1-2d5c8e9a0b31";
const MIB = 1024 * 1024;
const PART = 5 * MIB;

const b64sha = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("base64");
function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, message: name, $fault: "client", $metadata: { httpStatusCode: status } });
}

interface FakePart {
  Size: number;
  ChecksumSHA256: string;
  ETag: string;
  body: Buffer;
}

/** A small S3 behind aws-sdk-client-mock: objects, multipart uploads and their parts. */
class FakeS3 {
  objects = new Map<string, { body: Buffer; metadata: Record<string, string> }>();
  uploads = new Map<string, { key: string; metadata: Record<string, string>; parts: Map<number, FakePart> }>();
  nextUpload = 1;
  /** UploadPart numbers that fail once (a dropped connection). */
  failParts = new Set<number>();

  constructor(readonly mock: AwsClientStub<S3Client>) {
    mock.on(GetObjectCommand).callsFake(async (i) => {
      const o = this.objects.get(i.Key);
      if (!o) throw s3Error("NoSuchKey", 404);
      return { Body: { transformToByteArray: async () => new Uint8Array(o.body) }, Metadata: o.metadata };
    });
    mock.on(HeadObjectCommand).callsFake(async (i) => {
      const o = this.objects.get(i.Key);
      if (!o) throw s3Error("NotFound", 404);
      return { ContentLength: o.body.length, Metadata: o.metadata };
    });
    mock.on(ListObjectsV2Command).callsFake(async (i) => ({
      Contents: [...this.objects].filter(([k]) => k.startsWith(i.Prefix ?? "")).map(([Key, o]) => ({ Key, Size: o.body.length })),
    }));
    mock.on(PutObjectCommand).callsFake(async (i) => {
      this.objects.set(i.Key, { body: Buffer.from(i.Body), metadata: i.Metadata ?? {} });
      return { ETag: '"put"' };
    });
    mock.on(CreateMultipartUploadCommand).callsFake(async (i) => {
      const id = `upload-${this.nextUpload++}`;
      this.uploads.set(id, { key: i.Key, metadata: i.Metadata ?? {}, parts: new Map() });
      return { UploadId: id };
    });
    mock.on(UploadPartCommand).callsFake(async (i) => {
      const u = this.uploads.get(i.UploadId);
      if (!u) throw s3Error("NoSuchUpload", 404);
      if (this.failParts.delete(i.PartNumber)) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      const body = Buffer.from(i.Body);
      const ETag = `"${crypto.createHash("md5").update(body).digest("hex")}"`;
      u.parts.set(i.PartNumber, { Size: body.length, ChecksumSHA256: b64sha(body), ETag, body });
      return { ETag, ChecksumSHA256: b64sha(body) };
    });
    mock.on(ListPartsCommand).callsFake(async (i) => {
      const u = this.uploads.get(i.UploadId);
      if (!u) throw s3Error("NoSuchUpload", 404);
      return {
        Parts: [...u.parts].map(([PartNumber, p]) => ({ PartNumber, Size: p.Size, ETag: p.ETag, ChecksumSHA256: p.ChecksumSHA256 })),
        IsTruncated: false,
      };
    });
    mock.on(CompleteMultipartUploadCommand).callsFake(async (i) => {
      const u = this.uploads.get(i.UploadId)!;
      const body = Buffer.concat(
        i.MultipartUpload.Parts.map((p: { PartNumber: number; ETag: string; ChecksumSHA256: string }) => {
          const part = u.parts.get(p.PartNumber)!;
          if (part.ETag !== p.ETag || part.ChecksumSHA256 !== p.ChecksumSHA256) throw s3Error("InvalidPart", 400);
          return part.body;
        }),
      );
      this.objects.set(u.key, { body, metadata: u.metadata });
      this.uploads.delete(i.UploadId);
      return { ETag: '"multipart"' };
    });
    mock.on(AbortMultipartUploadCommand).callsFake(async (i) => {
      this.uploads.delete(i.UploadId);
      return {};
    });
  }
}

/** A recorded call without the body bytes (their length and SHA-256 instead). */
function recorded(mock: AwsClientStub<S3Client>): { command: string; input: Record<string, unknown> }[] {
  return mock.calls().map((c) => {
    const cmd = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    const { Body, ...rest } = cmd.input;
    return {
      command: cmd.constructor.name,
      input: Body === undefined ? rest : { ...rest, Body: { bytes: (Body as Buffer).length, sha256: sha256(Body as Buffer) } },
    };
  });
}

const ofType = (mock: AwsClientStub<S3Client>, type: { name: string }) =>
  mock
    .calls()
    .filter((c) => (c.args[0] as object).constructor.name === type.name)
    .map((c) => (c.args[0] as { input: any }).input);

describe("npm run data push on AWS: the requests, through the SDK (aws-sdk-client-mock)", () => {
  let mock: AwsClientStub<S3Client>;
  let fake: FakeS3;
  let client: S3Client;
  let work: string;
  beforeEach(() => {
    mock = mockClient(S3Client);
    fake = new FakeS3(mock);
    client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
    work = tmpDir("s3-requests");
  });
  afterEach(() => {
    mock.restore();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const store = (resumeDir?: string) =>
    new S3Store({ client, bucket: BUCKET, kmsKeyArn: KEY_ARN, partSize: PART, queueSize: 1, resumeDir });
  const big = bytes(12 * MIB + 5, 9);

  it("golden: a small file (PutObject) and a large one (multipart), then the manifest", async () => {
    const dir = writeTree(path.join(work, "golden"), { "small.txt": "small\n", "big.bin": big });
    await push({ dir, dataset: "golden", store: store(), concurrency: 1, progress: silentProgress, log: () => {} });
    const calls = JSON.parse(JSON.stringify(recorded(mock))) as unknown;
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(GOLDEN, `${JSON.stringify(calls, null, 2)}\n`);
    expect(calls).to.deep.equal(JSON.parse(fs.readFileSync(GOLDEN, "utf8")));
    expect(fake.objects.get("datasets/golden/big.bin")!.body.equals(big)).to.equal(true);
  });

  it("every PutObject and CreateMultipartUpload asks for SSE-KMS with the stack's key and a SHA-256 checksum", async () => {
    const dir = writeTree(path.join(work, "sse"), { "a.txt": "a", "b.txt": "bb", "big.bin": big });
    await push({ dir, dataset: "sse", store: store(), concurrency: 2, progress: silentProgress, log: () => {} });
    const puts = ofType(mock, PutObjectCommand);
    const creates = ofType(mock, CreateMultipartUploadCommand);
    expect(puts.map((p) => p.Key).sort()).to.deep.equal(["datasets/sse.manifest.json", "datasets/sse/a.txt", "datasets/sse/b.txt"]);
    expect(creates.map((c) => c.Key)).to.deep.equal(["datasets/sse/big.bin"]);
    for (const i of [...puts, ...creates]) {
      expect(i.ServerSideEncryption, i.Key).to.equal("aws:kms");
      expect(i.SSEKMSKeyId, i.Key).to.equal(KEY_ARN);
      expect(i.ChecksumAlgorithm, i.Key).to.equal("SHA256");
      expect(i.Bucket, i.Key).to.equal(BUCKET);
    }
    for (const i of puts) {
      expect(i.ChecksumSHA256, i.Key).to.equal(b64sha(i.Body));
      expect(i.Metadata.sha256, i.Key).to.equal(sha256(i.Body));
    }
    expect(creates[0].Metadata).to.deep.equal({ sha256: sha256(big) });
  });

  it("every UploadPart carries its part's SHA-256 (and no SSE headers, which belong to the upload), and the completion lists them", async () => {
    const dir = writeTree(path.join(work, "parts"), { "big.bin": big });
    await push({ dir, dataset: "parts", store: store(), concurrency: 1, progress: silentProgress, log: () => {} });
    const parts = ofType(mock, UploadPartCommand);
    expect(parts.map((p) => [p.PartNumber, p.ContentLength])).to.deep.equal([
      [1, PART],
      [2, PART],
      [3, 2 * MIB + 5],
    ]);
    for (const p of parts) {
      expect(p.ChecksumAlgorithm).to.equal("SHA256");
      expect(p.ChecksumSHA256).to.equal(b64sha(p.Body));
      expect(p).to.not.have.any.keys("ServerSideEncryption", "SSEKMSKeyId");
    }
    const complete = ofType(mock, CompleteMultipartUploadCommand)[0];
    expect(complete.MultipartUpload.Parts.map((p: any) => p.ChecksumSHA256)).to.deep.equal(parts.map((p) => p.ChecksumSHA256));
  });

  it("an interrupted multipart upload resumes from the parts already uploaded (ListParts on the journaled UploadId)", async () => {
    const resumeDir = path.join(work, "journal");
    const dir = writeTree(path.join(work, "resume"), { "big.bin": big });
    fake.failParts.add(3);
    let error: unknown;
    await push({ dir, dataset: "resume", store: store(resumeDir), concurrency: 1, progress: silentProgress, log: () => {} }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.include("socket hang up");
    expect(ofType(mock, CompleteMultipartUploadCommand)).to.have.length(0);
    expect(ofType(mock, AbortMultipartUploadCommand), "the parts are kept for the resume").to.have.length(0);
    expect(fs.readdirSync(resumeDir)).to.have.length(1);
    expect(fake.objects.has("datasets/resume.manifest.json")).to.equal(false);

    mock.resetHistory();
    let sent = 0;
    const r = await push({
      dir,
      dataset: "resume",
      store: store(resumeDir),
      concurrency: 1,
      progress: { ...silentProgress, add: (n: number) => (sent += n) },
      log: () => {},
    });
    expect(r).to.include({ uploaded: 1, skipped: 0 });
    expect(ofType(mock, ListPartsCommand).map((i) => i.UploadId)).to.deep.equal(["upload-1"]);
    expect(ofType(mock, CreateMultipartUploadCommand), "no new upload").to.have.length(0);
    expect(
      ofType(mock, UploadPartCommand).map((p) => p.PartNumber),
      "only the missing part",
    ).to.deep.equal([3]);
    expect(ofType(mock, CompleteMultipartUploadCommand)[0].UploadId).to.equal("upload-1");
    expect(fake.objects.get("datasets/resume/big.bin")!.body.equals(big)).to.equal(true);
    expect(fake.objects.has("datasets/resume.manifest.json")).to.equal(true);
    expect(sent, "progress counts the reused parts").to.be.at.least(big.length);
    expect(fs.readdirSync(resumeDir), "the journal entry is gone once the object is complete").to.deep.equal([]);
  });

  it("a part whose listed checksum differs from the local part's is sent again", async () => {
    const resumeDir = path.join(work, "journal");
    const file = path.join(writeTree(path.join(work, "verify"), { "big.bin": big }), "big.bin");
    const src = { abs: file, size: big.length, sha256: sha256(big) };
    const base = {
      client,
      bucket: BUCKET,
      key: "datasets/verify/big.bin",
      src,
      partSize: PART,
      queueSize: 1,
      resumeDir,
      onBytes: () => {},
    };
    const encryption = { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: KEY_ARN };
    fake.failParts.add(3);
    await multipartUpload({ ...base, encryption }).catch(() => undefined);
    fake.uploads.get("upload-1")!.parts.get(1)!.ChecksumSHA256 = b64sha(Buffer.from("other bytes"));
    mock.resetHistory();
    const r = await multipartUpload({ ...base, encryption });
    expect(r).to.deep.equal({ uploadId: "upload-1", parts: 3, reused: 1, resumed: true });
    expect(ofType(mock, UploadPartCommand).map((p) => p.PartNumber)).to.deep.equal([1, 3]);
  });

  it("an upload S3 no longer knows (NoSuchUpload: completed, aborted or expired) starts anew", async () => {
    const resumeDir = path.join(work, "journal");
    const dir = writeTree(path.join(work, "gone"), { "big.bin": big });
    fake.failParts.add(2);
    await push({ dir, dataset: "gone", store: store(resumeDir), concurrency: 1, progress: silentProgress, log: () => {} }).catch(
      () => undefined,
    );
    fake.uploads.clear();
    mock.resetHistory();
    await push({ dir, dataset: "gone", store: store(resumeDir), concurrency: 1, progress: silentProgress, log: () => {} });
    expect(ofType(mock, ListPartsCommand)).to.have.length(1);
    expect(ofType(mock, CreateMultipartUploadCommand)).to.have.length(1);
    expect(ofType(mock, UploadPartCommand).map((p) => p.PartNumber)).to.deep.equal([1, 2, 3]);
    expect(fake.objects.get("datasets/gone/big.bin")!.body.equals(big)).to.equal(true);
  });

  it("a journal entry of other content (the file changed since) is not resumed", async () => {
    const resumeDir = path.join(work, "journal");
    const dir = writeTree(path.join(work, "changed"), { "big.bin": big });
    fake.failParts.add(2);
    await push({ dir, dataset: "changed", store: store(resumeDir), concurrency: 1, progress: silentProgress, log: () => {} }).catch(
      () => undefined,
    );
    const other = Buffer.from(big);
    other[0] ^= 0xff;
    fs.writeFileSync(path.join(dir, "big.bin"), other);
    mock.resetHistory();
    await push({ dir, dataset: "changed", store: store(resumeDir), concurrency: 1, progress: silentProgress, log: () => {} });
    expect(ofType(mock, ListPartsCommand), "the old UploadId is not even listed").to.have.length(0);
    expect(ofType(mock, UploadPartCommand).map((p) => p.PartNumber)).to.deep.equal([1, 2, 3]);
    expect(fake.objects.get("datasets/changed/big.bin")!.body.equals(other)).to.equal(true);
  });

  it("bytes that no longer match the manifest's SHA-256 abort the upload before it completes", async () => {
    const resumeDir = path.join(work, "journal");
    const file = path.join(writeTree(path.join(work, "stale"), { "big.bin": big }), "big.bin");
    let error: unknown;
    await multipartUpload({
      client,
      bucket: BUCKET,
      key: "datasets/stale/big.bin",
      src: { abs: file, size: big.length, sha256: sha256("something else") },
      partSize: PART,
      queueSize: 2,
      encryption: { ServerSideEncryption: "aws:kms", SSEKMSKeyId: KEY_ARN },
      resumeDir,
      onBytes: () => {},
    }).catch((e: unknown) => (error = e));
    expect(String(error)).to.include("changed while it was uploaded");
    expect(ofType(mock, AbortMultipartUploadCommand)).to.have.length(1);
    expect(ofType(mock, CompleteMultipartUploadCommand)).to.have.length(0);
    expect(fake.objects.has("datasets/stale/big.bin")).to.equal(false);
    expect(fs.readdirSync(resumeDir)).to.deep.equal([]);
  });
});
