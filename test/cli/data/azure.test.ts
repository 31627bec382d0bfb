/**
 * `npm run data` against Azurite (Microsoft's storage emulator, from npm) on
 * a free loopback port, started here and stopped at the end. Azurite checks
 * each block's transactional MD5, so a block damaged on the way is refused by
 * the server itself; the whole-blob SHA-256 and Content-MD5 are the tool's.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BlobServiceClient, ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { BlobStore, blockId } from "../../../cli/data/blob-store";
import { AZURITE_ACCOUNT, AZURITE_KEY, realClients } from "../../../cli/data/target";
import { ACR_IMAGE, AZURE_OUTPUTS } from "../train/helpers";
import { LOCAL_NAMES, localAzureOutputs } from "../../../tools/data-local";
import { startAzurite, type LocalServer } from "../../../tools/local-storage";
import { bytes, sha256, tmpDir, writeTree } from "./helpers";
import { dataPathScenarios, type Cloud } from "./scenarios";

describe("npm run data on Azure, against Azurite", function () {
  this.timeout(180_000);
  let server: LocalServer;
  let dir: string;
  let outputsFile: string;
  let service: BlobServiceClient;

  before(async () => {
    server = await startAzurite([LOCAL_NAMES.dataContainer, LOCAL_NAMES.artifactsContainer]);
    dir = tmpDir("azure");
    outputsFile = path.join(dir, "azure-dev.outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify(localAzureOutputs()));
    service = new BlobServiceClient(`${server.endpoint}/${AZURITE_ACCOUNT}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const container = (s: "data" | "outputs"): ContainerClient =>
    service.getContainerClient(s === "data" ? LOCAL_NAMES.dataContainer : LOCAL_NAMES.artifactsContainer);
  const cloud = (): Cloud => ({
    name: "azure",
    stack: "azure-dev",
    common: () => ["--stack", "azure-dev", "--outputs", outputsFile, "--endpoint", server.endpoint],
    stores: () => ({
      data: new BlobStore({ container: container("data") }),
      outputs: new BlobStore({ container: container("outputs") }),
      outputPrefix: "",
    }),
    putRaw: async (s, key, body) => {
      await container(s).getBlockBlobClient(key).upload(body, body.length);
    },
    damage: async (s, key, body) => {
      const b = container(s).getBlockBlobClient(key);
      const props = await b.getProperties();
      // Put Blob with a stale Content-MD5 is refused by the service, so the damage keeps only the sha256 metadata.
      await b.upload(body, body.length, { metadata: props.metadata });
    },
    read: async (s, key) => {
      try {
        return await container(s).getBlockBlobClient(key).downloadToBuffer();
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
    // A stack with an ML workspace (the fixture outputs of azure-prod: containers data and artifacts), its blobs served by Azurite.
    train: () => ({
      argv: ["--stack", "azure-prod", "--outputs", AZURE_OUTPUTS, "--image", ACR_IMAGE, "--instance-type", "Standard_DS3_v2"],
      clients: { ...realClients, container: (_url, c) => realClients.container("", c, AZURITE_ACCOUNT, server.endpoint) },
    }),
  });

  dataPathScenarios(cloud);

  it("resumes a large file block by block: blocks already staged with the same content are not sent again", async () => {
    const data = bytes(5 * 1024 * 1024 + 17, 11);
    const file = path.join(writeTree(path.join(dir, "blocks"), { "big.bin": data }), "big.bin");
    const blockSize = 1024 * 1024;
    const key = "datasets/blocks/big.bin";
    // An earlier, interrupted run staged the first three blocks.
    const blob = container("data").getBlockBlobClient(key);
    for (let i = 0; i < 3; i++) {
      const part = data.subarray(i * blockSize, (i + 1) * blockSize);
      await blob.stageBlock(blockId(i, sha256(part)), part, part.length);
    }
    let staged = 0;
    const counting = new Proxy(container("data"), {
      get(target, prop, receiver) {
        if (prop !== "getBlockBlobClient") return Reflect.get(target, prop, receiver);
        return (name: string) => {
          const b = target.getBlockBlobClient(name);
          const original = b.stageBlock.bind(b);
          b.stageBlock = (...args: Parameters<typeof b.stageBlock>) => {
            staged += 1;
            return original(...args);
          };
          return b;
        };
      },
    });
    let sent = 0;
    await new BlobStore({ container: counting, blockSize }).upload(
      key,
      { abs: file, size: data.length, sha256: sha256(data) },
      (n) => (sent += n),
    );
    expect(staged, "blocks sent: 6 in all, 3 already there").to.equal(3);
    expect(sent).to.equal(data.length);
    const props = await blob.getProperties();
    expect(props.metadata?.sha256).to.equal(sha256(data));
    expect(Buffer.from(props.contentMD5!).equals(crypto.createHash("md5").update(data).digest())).to.equal(true);
    expect(sha256(await blob.downloadToBuffer())).to.equal(sha256(data));
  });

  it("a block whose bytes do not match its MD5 is refused by the server (the transactional MD5 is checked)", async () => {
    const b = container("data").getBlockBlobClient("datasets/md5/x.bin");
    let status: number | undefined;
    try {
      await b.stageBlock(blockId(0, sha256("a")), Buffer.from("a"), 1, {
        transactionalContentMD5: crypto.createHash("md5").update("b").digest(),
      });
    } catch (e) {
      status = (e as { statusCode?: number }).statusCode;
    }
    expect(status).to.equal(400);
  });
});
