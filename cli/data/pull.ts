/**
 * `pull JOB|PREFIX DEST`: download a job's outputs (or a prefix of the
 * output location) into DEST, verifying each file.
 *
 * - Every key must map to a path inside DEST (no '..', no absolute names):
 *   keys come from the cloud, so they are checked like local names.
 * - Nothing is written when any target exists, unless --overwrite.
 * - Each object streams into a temporary file beside its target while its
 *   SHA-256 is computed; it is compared with the object's `sha256` metadata
 *   (objects written by this tool) and the cloud's own checksum is checked on
 *   the way (S3 full-object checksum, Azure Content-MD5). Only a verified file
 *   is renamed into place; a mismatch removes it and fails (exit 1).
 * - Files no checksum covers (e.g. SageMaker's model.tar.gz, which S3 stores
 *   without one) are counted as `unverified` in the summary.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { show, UsageError } from "../train/errors";
import { relativePathProblem } from "./layout";
import { runPool } from "./pool";
import type { Progress } from "./progress";
import { ChecksumMismatch, type ObjectStore, type RemoteObject } from "./store";

export interface PullOptions {
  readonly store: ObjectStore;
  /** Key prefix, ending in '/'. */
  readonly prefix: string;
  readonly dest: string;
  readonly overwrite: boolean;
  readonly concurrency: number;
  readonly progress: Progress;
}

export interface PullResult {
  readonly source: string;
  readonly dest: string;
  readonly files: number;
  readonly bytes: number;
  /** Checked against the sha256 the tool stored, or a checksum the cloud stored. */
  readonly verified: number;
  readonly unverified: number;
}

export async function pull(o: PullOptions): Promise<PullResult> {
  const source = `${o.store.location}/${o.prefix}`;
  const objects = (await o.store.list(o.prefix)).filter((x) => !x.key.endsWith("/"));
  if (objects.length === 0)
    throw new UsageError([`nothing under ${source}; check the job name or prefix (\`npm run data -- ls --stack <stack>\` lists them)`]);

  const dest = path.resolve(o.dest);
  const problems: string[] = [];
  const plan: { obj: RemoteObject; target: string }[] = [];
  for (const obj of objects) {
    const rel = obj.key.slice(o.prefix.length);
    const problem = relativePathProblem(rel, "");
    const target = path.join(dest, ...rel.split("/"));
    if (problem || !target.startsWith(dest + path.sep)) {
      problems.push(`object ${show(obj.key)}: ${problem ?? "would be written outside DEST"}; refused`);
      continue;
    }
    if (fs.existsSync(target) && !o.overwrite) problems.push(`${show(target)} exists; add --overwrite to replace it`);
    plan.push({ obj, target });
  }
  if (problems.length > 0) throw new UsageError(problems);

  let verified = 0;
  let unverified = 0;
  const totalBytes = objects.reduce((n, x) => n + x.size, 0);
  o.progress.start("downloading", totalBytes, plan.length);
  try {
    await runPool(plan, o.concurrency, async ({ obj, target }) => {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.${crypto.randomBytes(4).toString("hex")}.part`;
      try {
        const r = await o.store.download(obj.key, tmp, (n) => o.progress.add(n));
        if (r.expectedSha256 !== undefined && r.expectedSha256 !== r.sha256)
          throw new ChecksumMismatch(obj.key, `sha256 ${r.expectedSha256}`, `sha256 ${r.sha256}`);
        if (r.expectedSha256 !== undefined || r.verifiedBy !== undefined) verified += 1;
        else unverified += 1;
        fs.renameSync(tmp, target);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
      o.progress.fileDone();
    });
  } finally {
    o.progress.stop();
  }
  return { source, dest, files: plan.length, bytes: totalBytes, verified, unverified };
}
