/**
 * A dataset named by `npm run train --dataset`: its manifest, read from the
 * stack's data location with the same store code as `npm run data`, checked
 * (it parses, it names this dataset, and the prefix holds exactly its files
 * with their sizes), and reduced to what a job needs: the data prefix for its
 * input channel and the manifest's SHA-256 for its tags.
 *
 * A missing or incomplete dataset is bad input (exit 2): nothing is sent.
 */
import { show, UsageError } from "../train/errors";
import { datasetNameProblem, datasetOfManifestKey, datasetPrefix, manifestKey, MANIFEST_SUFFIX } from "./layout";
import { manifestTotals, parseManifest, sha256Hex } from "./manifest";
import type { ObjectStore } from "./store";

export interface DatasetRef {
  readonly name: string;
  /** `datasets/<name>.manifest.json`. */
  readonly manifestKey: string;
  /** `datasets/<name>/`: what the job reads. */
  readonly prefix: string;
  /** SHA-256 of the manifest's bytes: the dataset's identity. */
  readonly sha256: string;
  readonly files: number;
  readonly bytes: number;
}

/** The dataset a `--dataset` value names (a name, or its manifest key), or a problem. */
export function parseDatasetFlag(value: string): { name: string } | { problem: string } {
  if (value.endsWith(MANIFEST_SUFFIX)) {
    const name = datasetOfManifestKey(value);
    return name !== undefined
      ? { name }
      : { problem: `${show(value)} is not a manifest key; allowed: a dataset name or datasets/<name>${MANIFEST_SUFFIX}` };
  }
  const problem = datasetNameProblem(value);
  return problem === undefined
    ? { name: value }
    : { problem: `${show(value)} is not a dataset name (${problem}), nor a manifest key datasets/<name>${MANIFEST_SUFFIX}` };
}

/** Reads and checks the dataset's manifest and its files in `store`. Throws UsageError when it is missing or incomplete. */
export async function resolveDataset(store: ObjectStore, name: string, stackName: string): Promise<DatasetRef> {
  const key = manifestKey(name);
  const where = `${store.location}/${key}`;
  const bytes = await store.getSmall(key);
  if (bytes === undefined) {
    throw new UsageError([
      `--dataset ${name}: there is no manifest ${where}, so the dataset does not exist or its push did not finish ` +
        `(a push writes the manifest last). Push it with \`npm run data -- push DIR --name ${name} --stack ${stackName}\`; ` +
        `\`npm run data -- ls --stack ${stackName}\` lists the datasets`,
    ]);
  }
  const manifest = parseManifest(bytes.toString("utf8"), where);
  if (manifest.dataset !== name)
    throw new UsageError([
      `--dataset ${name}: the manifest ${where} names the dataset ${show(manifest.dataset)}; it was not written by this tool`,
    ]);

  const prefix = datasetPrefix(name);
  const listed = new Map((await store.list(prefix)).map((o) => [o.key, o.size]));
  const problems: string[] = [];
  for (const f of manifest.files) {
    const size = listed.get(prefix + f.path);
    if (size === undefined) problems.push(`${show(f.path)} is missing`);
    else if (size !== f.size) problems.push(`${show(f.path)} is ${size} bytes, the manifest says ${f.size}`);
    listed.delete(prefix + f.path);
  }
  for (const k of listed.keys()) problems.push(`${show(k.slice(prefix.length))} is not in the manifest`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join("; ") + (problems.length > 10 ? `; ... (${problems.length} in all)` : "");
    throw new UsageError([
      `--dataset ${name}: ${store.location}/${prefix} does not hold exactly the files of its manifest (${shown}); ` +
        "a job would read other data than the tag records. Push the data again under a new --name",
    ]);
  }
  return { name, manifestKey: key, prefix, sha256: sha256Hex(bytes), ...manifestTotals(manifest) };
}
