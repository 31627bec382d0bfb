/**
 * `npm run data` against a real S3-compatible server from npm
 * (@20minutes/s3rver) on a free loopback port, started here and stopped at
 * the end. The server does not verify `x-amz-checksum-*` headers, so the
 * checksum scenarios rely on the tool's own end-to-end SHA-256; the headers
 * themselves are recorded on the wire and asserted below.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Store } from "../../../cli/data/s3-store";
import { realClients, type ClientFactory } from "../../../cli/data/target";
import { LOCAL_NAMES, localAwsOutputs } from "../../../tools/data-local";
import { startS3, type LocalServer } from "../../../tools/local-storage";
import { bytes, capture, sha256, tmpDir, writeTree } from "./helpers";
import { dataPathScenarios, type Cloud } from "./scenarios";
import { ECR_IMAGE } from "../train/helpers";

const KEY_ARN = localAwsOutputs().kmsKeyArn as string;

describe("npm run data on AWS, against a local S3 server (s3rver)", function () {
  this.timeout(120_000);
  let server: LocalServer;
  let dir: string;
  let outputsFile: string;
  let client: S3Client;

  before(async () => {
    server = await startS3([LOCAL_NAMES.dataBucket, LOCAL_NAMES.artifactsBucket]);
    dir = tmpDir("s3");
    outputsFile = path.join(dir, "dev.outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify(localAwsOutputs()));
    client = realClients.s3("us-east-1", server.endpoint);
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const bucket = (s: "data" | "outputs") => (s === "data" ? LOCAL_NAMES.dataBucket : LOCAL_NAMES.artifactsBucket);
  const cloud = (): Cloud => ({
    name: "aws",
    stack: "dev",
    common: () => ["--stack", "dev", "--outputs", outputsFile, "--endpoint", server.endpoint],
    stores: () => ({
      data: new S3Store({ client, bucket: LOCAL_NAMES.dataBucket, kmsKeyArn: KEY_ARN }),
      outputs: new S3Store({ client, bucket: LOCAL_NAMES.artifactsBucket, kmsKeyArn: KEY_ARN }),
      outputPrefix: "output/",
    }),
    putRaw: async (s, key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket(s), Key: key, Body: body }));
    },
    damage: async (s, key, body) => {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket(s), Key: key }));
      await client.send(new PutObjectCommand({ Bucket: bucket(s), Key: key, Body: body, Metadata: head.Metadata }));
    },
    read: async (s, key) => {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: bucket(s), Key: key }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (e) {
        if ((e as { name?: string }).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    train: () => ({
      argv: ["--stack", "dev", "--outputs", outputsFile, "--image", ECR_IMAGE, "--instance-type", "ml.m5.xlarge"],
      clients: { ...realClients, s3: (region) => realClients.s3(region, server.endpoint) },
    }),
  });

  dataPathScenarios(cloud);

  it("on the wire, every PutObject and CreateMultipartUpload asks for SSE-KMS with the stack's key, and every body carries a SHA-256 checksum", async () => {
    const requests: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string> }[] = [];
    const recording: ClientFactory = {
      ...realClients,
      s3: (region, endpoint) => {
        const c = realClients.s3(region, endpoint);
        c.middlewareStack.add(
          (next) => async (args) => {
            const r = args.request as { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string> };
            requests.push({ method: r.method, path: r.path, query: { ...r.query }, headers: { ...r.headers } });
            return next(args);
          },
          { step: "finalizeRequest", priority: "low", name: "recordRequests" },
        );
        return c;
      },
    };
    const work = writeTree(path.join(dir, "wire"), { "small.txt": "small", "big.bin": bytes(9 * 1024 * 1024, 5) });
    const h = capture(dir, undefined, recording);
    expect(
      await h.run(["push", work, "--name", "wire", "--stack", "dev", "--outputs", outputsFile, "--endpoint", server.endpoint]),
      h.err(),
    ).to.equal(0);

    const puts = requests.filter((r) => r.method === "PUT" && !("partNumber" in r.query) && !("uploadId" in r.query));
    const creates = requests.filter((r) => r.method === "POST" && "uploads" in r.query);
    const parts = requests.filter((r) => r.method === "PUT" && "partNumber" in r.query);
    expect(puts.map((r) => r.path).sort()).to.deep.equal([
      "/mltrain-dev-data-local/datasets/wire.manifest.json",
      "/mltrain-dev-data-local/datasets/wire/small.txt",
    ]);
    expect(creates).to.have.length(1);
    expect(parts.length).to.equal(2);
    for (const r of [...puts, ...creates]) {
      expect(r.headers["x-amz-server-side-encryption"], r.path).to.equal("aws:kms");
      expect(r.headers["x-amz-server-side-encryption-aws-kms-key-id"], r.path).to.equal(KEY_ARN);
    }
    for (const r of [...puts, ...parts]) expect(r.headers["x-amz-checksum-sha256"], r.path).to.match(/^[A-Za-z0-9+/]{43}=$/);
    expect(creates[0].headers["x-amz-checksum-algorithm"]).to.equal("SHA256");
    for (const r of [...puts, ...parts])
      expect(r.headers["x-amz-content-sha256"], "no aws-chunked trailer bodies").to.not.match(/STREAMING/);
    expect(puts.find((r) => r.path.endsWith("small.txt"))!.headers["x-amz-checksum-sha256"]).to.equal(
      Buffer.from(require("crypto").createHash("sha256").update("small").digest()).toString("base64"),
    );
  });

  it("an interrupted multipart upload is resumed from the journal; s3rver has no ListParts, so the object starts again and completes intact", async () => {
    const requests: string[] = [];
    let partsUntilFailure = 2;
    const flaky: ClientFactory = {
      ...realClients,
      s3: (region, endpoint) => {
        const c = realClients.s3(region, endpoint);
        c.middlewareStack.add(
          (next) => async (args) => {
            const r = args.request as { method: string; query: Record<string, unknown> };
            const kind =
              "partNumber" in r.query
                ? "UploadPart"
                : "uploads" in r.query
                  ? "Create"
                  : "uploadId" in r.query
                    ? `${r.method} uploadId`
                    : "";
            if (kind !== "") requests.push(kind);
            // A plain error (not one the SDK retries), as when the process is stopped mid-upload.
            if (kind === "UploadPart" && --partsUntilFailure === 0) throw new Error("simulated interruption");
            return next(args);
          },
          { step: "finalizeRequest", priority: "low", name: "flakyParts" },
        );
        return c;
      },
    };
    const big = bytes(17 * 1024 * 1024, 21);
    const work = writeTree(path.join(dir, "mpu-resume"), { "big.bin": big });
    const h = capture(dir, undefined, flaky);
    const argv = ["push", work, "--name", "mpu-resume", "--stack", "dev", "--outputs", outputsFile, "--endpoint", server.endpoint];
    expect(await h.run(argv)).to.equal(1);
    expect(h.err()).to.include("simulated interruption");
    expect(fs.readdirSync(h.deps.resumeDir), "the journal keeps the UploadId").to.have.length(1);
    requests.length = 0;
    expect(await h.run(argv), h.err()).to.equal(0);
    // GET ?uploadId= is ListParts (refused by s3rver: 405), DELETE ?uploadId= the abort of the old upload, then a new one.
    expect(requests.slice(0, 3)).to.deep.equal(["GET uploadId", "DELETE uploadId", "Create"]);
    const back = await cloud().read("data", "datasets/mpu-resume/big.bin");
    expect(sha256(back!)).to.equal(sha256(big));
    expect(fs.readdirSync(h.deps.resumeDir)).to.deep.equal([]);
  });

  it("--endpoint accepts only this machine: a non-loopback host is refused before anything is sent (exit 2)", async () => {
    const h = capture(dir);
    expect(await h.run(["ls", "--stack", "dev", "--outputs", outputsFile, "--endpoint", "http://10.0.0.5:9000"])).to.equal(2);
    expect(h.err()).to.include("--endpoint").and.include("not this machine");
  });
});
