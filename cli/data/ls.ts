/**
 * `ls`: the datasets (their manifests) in the data location and the jobs
 * that wrote outputs to the output location.
 */
import { DATASETS_PREFIX, datasetOfManifestKey } from "./layout";
import { manifestTotals, parseManifest, sha256Hex } from "./manifest";
import { formatBytes } from "./progress";
import type { ObjectStore } from "./store";

export interface DatasetInfo {
  readonly name: string;
  readonly manifest: string;
  readonly sha256: string;
  readonly files: number;
  readonly bytes: number;
}

export interface JobOutputInfo {
  readonly job: string;
  readonly prefix: string;
  readonly files: number;
  readonly bytes: number;
}

export interface Listing {
  readonly datasets: DatasetInfo[];
  readonly jobs: JobOutputInfo[];
}

export async function listAll(data: ObjectStore, outputs: ObjectStore, outputPrefix: string): Promise<Listing> {
  const datasets: DatasetInfo[] = [];
  for (const obj of await data.list(DATASETS_PREFIX)) {
    const name = datasetOfManifestKey(obj.key);
    if (name === undefined) continue;
    const body = await data.getSmall(obj.key);
    if (body === undefined) continue;
    const m = parseManifest(body.toString("utf8"), `${data.location}/${obj.key}`);
    datasets.push({ name, manifest: obj.key, sha256: sha256Hex(body), ...manifestTotals(m) });
  }
  const jobs = new Map<string, { files: number; bytes: number }>();
  for (const obj of await outputs.list(outputPrefix)) {
    const rest = obj.key.slice(outputPrefix.length);
    const slash = rest.indexOf("/");
    if (slash <= 0) continue;
    const job = rest.slice(0, slash);
    const j = jobs.get(job) ?? { files: 0, bytes: 0 };
    j.files += 1;
    j.bytes += obj.size;
    jobs.set(job, j);
  }
  return {
    datasets: datasets.sort((a, b) => a.name.localeCompare(b.name)),
    jobs: [...jobs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([job, j]) => ({ job, prefix: `${outputPrefix}${job}/`, ...j })),
  };
}

export function formatListing(l: Listing, dataLocation: string, outputLocation: string): string {
  const lines = [`datasets in ${dataLocation}/${DATASETS_PREFIX}`];
  if (l.datasets.length === 0) lines.push("  (none)");
  for (const d of l.datasets) lines.push(`  ${d.name}  ${d.files} files  ${formatBytes(d.bytes)}  sha256 ${d.sha256}`);
  lines.push(`job outputs in ${outputLocation}`);
  if (l.jobs.length === 0) lines.push("  (none)");
  for (const j of l.jobs) lines.push(`  ${j.job}  ${j.files} files  ${formatBytes(j.bytes)}`);
  return lines.join("\n");
}
