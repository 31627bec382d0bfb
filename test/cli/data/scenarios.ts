/**
 * The data-path scenarios, run once against the local S3 server (s3.test.ts)
 * and once against Azurite (azure.test.ts): push, resume after an interrupted
 * push, pull with checksum verification, a damaged object, ls, and the
 * refusals. Each cloud's test file supplies a `Cloud` that knows how to reach
 * its server directly (to damage an object, or to write what a job writes).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { push } from "../../../cli/data/push";
import { silentProgress } from "../../../cli/data/progress";
import type { ObjectStore, UploadSource } from "../../../cli/data/store";
import type { ClientFactory } from "../../../cli/data/target";
import { harness } from "../train/helpers";
import { bytes, capture, sha256, tmpDir, writeTree } from "./helpers";

export interface Cloud {
  readonly name: string;
  readonly stack: string;
  /** --stack/--outputs/--endpoint for the CLI. */
  common(): string[];
  /** The tool's stores on the server (data, outputs) and the output prefix. */
  stores(): { data: ObjectStore; outputs: ObjectStore; outputPrefix: string };
  /** Writes an object the way a training job does: no sha256 metadata. */
  putRaw(store: "data" | "outputs", key: string, body: Buffer): Promise<void>;
  /** Replaces an object's bytes but keeps the metadata it had (a damaged object). */
  damage(store: "data" | "outputs", key: string, body: Buffer): Promise<void>;
  /** An object's bytes, or undefined. */
  read(store: "data" | "outputs", key: string): Promise<Buffer | undefined>;
  /** `npm run train` flags for a stack whose data location is this server's, and storage clients that reach it. */
  train(): { argv: string[]; clients: ClientFactory };
}

/** A store that fails the n-th upload, as if the push was interrupted there. */
function failingAt(store: ObjectStore, n: number): ObjectStore & { uploads: number } {
  let uploads = 0;
  const s = Object.create(store) as ObjectStore & { uploads: number };
  s.upload = async (key: string, src: UploadSource, onBytes: (n: number) => void) => {
    uploads += 1;
    s.uploads = uploads;
    if (uploads === n) throw new Error("connection reset (simulated interruption)");
    return store.upload(key, src, onBytes);
  };
  return s;
}

export function dataPathScenarios(cloud: () => Cloud): void {
  let work: string;
  before(() => {
    work = tmpDir("work");
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const files = {
    "a.txt": "alpha\n",
    "b/c.csv": "x,y\n1,2\n",
    "b/d/e.bin": bytes(70_000, 7),
    "with space.txt": "spaces are fine\n",
  };

  it("push uploads every file with its sha256 and writes the manifest (path, size, sha256) beside the data", async () => {
    const c = cloud();
    const dir = writeTree(path.join(work, "first"), files);
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "first", ...c.common()]), h.err()).to.equal(0);
    const line = h.line();
    expect(line).to.include({
      command: "push",
      dataset: "first",
      manifest: "datasets/first.manifest.json",
      files: 4,
      uploaded: 4,
      skipped: 0,
      unchanged: false,
    });
    const manifestBytes = await c.read("data", "datasets/first.manifest.json");
    expect(manifestBytes, "manifest").to.not.equal(undefined);
    expect(line.sha256).to.equal(sha256(manifestBytes!));
    const manifest = JSON.parse(manifestBytes!.toString());
    expect(manifest.files).to.deep.equal(
      Object.entries(files)
        .map(([p, v]) => ({ path: p, size: Buffer.byteLength(v), sha256: sha256(v) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    for (const [p, v] of Object.entries(files)) {
      expect((await c.read("data", `datasets/first/${p}`))!.equals(Buffer.from(v)), p).to.equal(true);
      expect((await c.stores().data.head(`datasets/first/${p}`))?.sha256, p).to.equal(sha256(v));
    }
  });

  it("pushing the same folder again uploads nothing (exit 0, unchanged)", async () => {
    const c = cloud();
    const h = capture(work);
    expect(await h.run(["push", path.join(work, "first"), "--name", "first", ...c.common()]), h.err()).to.equal(0);
    expect(h.line()).to.include({ uploaded: 0, unchanged: true });
  });

  it("an interrupted push leaves no manifest; running it again uploads only what is missing", async () => {
    const c = cloud();
    const dir = writeTree(path.join(work, "resume"), {
      "1.txt": "one",
      "2.txt": "two",
      "3.txt": "three",
      "4.txt": "four",
      "5.txt": "five",
    });
    const flaky = failingAt(c.stores().data, 3);
    let error: unknown;
    try {
      await push({ dir, dataset: "resume", store: flaky, concurrency: 1, progress: silentProgress, log: () => {} });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include("simulated interruption");
    expect(await c.read("data", "datasets/resume.manifest.json"), "no manifest after an interrupted push").to.equal(undefined);
    expect(await c.read("data", "datasets/resume/1.txt")).to.not.equal(undefined);

    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "resume", "--concurrency", "1", ...c.common()]), h.err()).to.equal(0);
    expect(h.line()).to.include({ files: 5, skipped: 2, uploaded: 3, unchanged: false });
    expect(await c.read("data", "datasets/resume.manifest.json")).to.not.equal(undefined);
  });

  it("a file changed since the interrupted push is uploaded again (same size, other sha256)", async () => {
    const c = cloud();
    const dir = writeTree(path.join(work, "changed"), { "x.txt": "aaaa", "y.txt": "bbbb" });
    let failed = false;
    await push({
      dir,
      dataset: "changed",
      store: failingAt(c.stores().data, 2),
      concurrency: 1,
      progress: silentProgress,
      log: () => {},
    }).catch(() => {
      failed = true;
    });
    expect(failed, "the simulated interruption").to.equal(true);
    fs.writeFileSync(path.join(dir, "x.txt"), "AAAA");
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "changed", "--concurrency", "1", ...c.common()]), h.err()).to.equal(0);
    expect(h.line()).to.include({ uploaded: 2, skipped: 0 });
    expect((await c.read("data", "datasets/changed/x.txt"))!.toString()).to.equal("AAAA");
  });

  it("a dataset name that exists with other files is refused (exit 2): datasets are immutable", async () => {
    const c = cloud();
    const dir = writeTree(path.join(work, "other"), { "a.txt": "different" });
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "first", ...c.common()])).to.equal(2);
    expect(h.err()).to.include("--name first: the dataset already exists").and.include("push under a new --name");
    expect(h.stdout).to.deep.equal([]);
  });

  it("an object under the prefix that is not in DIR stops the push before the manifest (exit 1)", async () => {
    const c = cloud();
    await c.putRaw("data", "datasets/stray/old.txt", Buffer.from("left behind"));
    const dir = writeTree(path.join(work, "stray"), { "new.txt": "new" });
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "stray", ...c.common()])).to.equal(1);
    expect(h.err()).to.include('"datasets/stray/old.txt"').and.include("No manifest was written");
    expect(await c.read("data", "datasets/stray.manifest.json")).to.equal(undefined);
  });

  it("a large file goes up in parts and comes back byte for byte", async () => {
    const c = cloud();
    const big = bytes(12 * 1024 * 1024 + 123, 42);
    const dir = writeTree(path.join(work, "large"), { "big.bin": big });
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "large", ...c.common()]), h.err()).to.equal(0);
    const back = await c.read("data", "datasets/large/big.bin");
    expect(back!.length).to.equal(big.length);
    expect(sha256(back!)).to.equal(sha256(big));
    expect((await c.stores().data.head("datasets/large/big.bin"))?.sha256).to.equal(sha256(big));
  });

  it("pull downloads a job's outputs, verifying the sha256 of what the tool wrote and counting what no checksum covers", async () => {
    const c = cloud();
    const { outputs, outputPrefix } = c.stores();
    const src = writeTree(path.join(work, "job-src"), { "metrics.json": '{"loss":0.1}' });
    const metrics = fs.readFileSync(path.join(src, "metrics.json"));
    await outputs.upload(
      `${outputPrefix}job-1/metrics.json`,
      { abs: path.join(src, "metrics.json"), size: metrics.length, sha256: sha256(metrics) },
      () => {},
    );
    await c.putRaw("outputs", `${outputPrefix}job-1/output/model.tar.gz`, bytes(5000, 3));
    const dest = path.join(work, "pulled");
    const h = capture(work);
    expect(await h.run(["pull", "job-1", dest, ...c.common()]), h.err()).to.equal(0);
    expect(h.line()).to.include({ command: "pull", files: 2 });
    expect(h.line().verified + h.line().unverified).to.equal(2);
    expect(h.line().verified).to.be.at.least(1);
    expect(fs.readFileSync(path.join(dest, "metrics.json")).equals(metrics)).to.equal(true);
    expect(fs.readFileSync(path.join(dest, "output", "model.tar.gz")).equals(bytes(5000, 3))).to.equal(true);
  });

  it("pull never overwrites an existing file unless --overwrite (exit 2, nothing written)", async () => {
    const c = cloud();
    const dest = path.join(work, "pulled");
    fs.writeFileSync(path.join(dest, "metrics.json"), "mine");
    fs.rmSync(path.join(dest, "output"), { recursive: true, force: true });
    const h = capture(work);
    expect(await h.run(["pull", "job-1", dest, ...c.common()])).to.equal(2);
    expect(h.err()).to.include("metrics.json").and.include("--overwrite");
    expect(fs.readFileSync(path.join(dest, "metrics.json"), "utf8")).to.equal("mine");
    expect(fs.existsSync(path.join(dest, "output")), "nothing written").to.equal(false);
    expect(await h.run(["pull", "job-1", dest, "--overwrite", ...c.common()]), h.err()).to.equal(0);
    expect(fs.readFileSync(path.join(dest, "metrics.json"), "utf8")).to.equal('{"loss":0.1}');
  });

  it("pull detects a damaged object (checksum mismatch): exit 1, the file is not kept", async () => {
    const c = cloud();
    const { outputPrefix } = c.stores();
    await c.damage("outputs", `${outputPrefix}job-1/metrics.json`, Buffer.from('{"loss":9.9}'));
    const dest = path.join(work, "pulled-damaged");
    const h = capture(work);
    expect(await h.run(["pull", "job-1", dest, ...c.common()])).to.equal(1);
    expect(h.err()).to.include("checksum mismatch").and.include("metrics.json");
    expect(fs.existsSync(path.join(dest, "metrics.json"))).to.equal(false);
    const leftovers = fs.existsSync(dest)
      ? fs
          .readdirSync(dest, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith(".part"))
      : [];
    expect(leftovers).to.deep.equal([]);
  });

  it("ls lists the datasets (name, files, sha256) and the jobs with outputs", async () => {
    const c = cloud();
    const h = capture(work);
    expect(await h.run(["ls", "--json", ...c.common()]), h.err()).to.equal(0);
    const l = h.line();
    expect(l.datasets.map((d: any) => d.name)).to.include.members(["first", "resume", "large"]);
    expect(l.datasets.map((d: any) => d.name)).to.not.include("stray");
    expect(l.jobs.map((j: any) => j.job)).to.deep.equal(["job-1"]);
    expect(await h.run(["ls", ...c.common()])).to.equal(0);
    expect(h.stdout.join("\n")).to.match(/first {2}4 files/);
  });

  it("train --dataset reads the pushed manifest from the server: input datasets/<name>/, tags dataset and the manifest's SHA-256", async () => {
    const c = cloud();
    const pushed = capture(work);
    expect(await pushed.run(["ls", "--json", ...c.common()]), pushed.err()).to.equal(0);
    const first = pushed.line().datasets.find((d: any) => d.name === "first");
    const { argv, clients } = c.train();
    const h = harness({ clients });
    expect(await h.run([...argv, "--dataset", "first", "--dry-run"]), h.err()).to.equal(0);
    const printed = JSON.stringify(JSON.parse(h.stdout.join("\n")));
    const tags =
      c.name === "aws"
        ? /"Key":"dataset","Value":"first"},\{"Key":"dataset-sha256","Value":"([0-9a-f]{64})"/
        : /"dataset":"first","dataset-sha256":"([0-9a-f]{64})"/;
    expect(printed).to.match(tags);
    expect(tags.exec(printed)![1])
      .to.equal(first.sha256)
      .and.equal(sha256((await c.read("data", "datasets/first.manifest.json"))!));
    expect(printed).to.match(
      c.name === "aws" ? /"S3Uri":"s3:\/\/[^"]+\/datasets\/first\/"/ : /"uri":"wasbs:\/\/data@[^"]+\/datasets\/first\/"/,
    );
  });

  it("train --dataset refuses a dataset whose push did not finish (no manifest) and one missing a file: exit 2", async () => {
    const c = cloud();
    const { argv, clients } = c.train();
    const h = harness({ clients });
    expect(await h.run([...argv, "--dataset", "stray", "--dry-run"])).to.equal(2);
    expect(h.err()).to.include("there is no manifest").and.include("datasets/stray.manifest.json");
    // A manifest whose files are not all there (written by hand: the tool never does that).
    const m = Buffer.from(JSON.stringify({ version: 1, dataset: "partial", files: [{ path: "a.txt", size: 1, sha256: sha256("a") }] }));
    await c.putRaw("data", "datasets/partial.manifest.json", m);
    expect(await h.run([...argv, "--dataset", "partial", "--dry-run"])).to.equal(2);
    expect(h.err()).to.include('"a.txt" is missing');
    expect(h.stdout).to.deep.equal([]);
  });

  it("a symlink out of DIR is refused before anything is sent (exit 2)", async () => {
    const c = cloud();
    const dir = writeTree(path.join(work, "links"), { "ok.txt": "ok" });
    fs.symlinkSync(path.join(work, "first", "a.txt"), path.join(dir, "escape.txt"));
    const h = capture(work);
    expect(await h.run(["push", dir, "--name", "links", ...c.common()])).to.equal(2);
    expect(h.err()).to.include('"escape.txt": a symlink to').and.include("outside DIR");
    expect(await c.read("data", "datasets/links/ok.txt")).to.equal(undefined);
  });
}
