/**
 * A dataset's manifest: every file's path (relative to the dataset prefix),
 * size and SHA-256. It holds nothing else (no time stamp), so the same files
 * always give the same bytes, and the manifest's own SHA-256 names exactly
 * one content: that is what a training job records in its tags.
 */
import * as crypto from "crypto";
import { show, UsageError } from "../train/errors";
import { datasetNameProblem, datasetPrefix, relativePathProblem } from "./layout";

export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

export interface Manifest {
  readonly version: typeof MANIFEST_VERSION;
  readonly dataset: string;
  readonly files: readonly ManifestEntry[];
}

const SHA256_HEX_RE = /^[0-9a-f]{64}$/;

export function buildManifest(dataset: string, files: readonly ManifestEntry[]): Manifest {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { version: MANIFEST_VERSION, dataset, files: sorted.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })) };
}

/** The canonical bytes of a manifest (fixed key order, files sorted by path). */
export function serializeManifest(m: Manifest): Buffer {
  const doc = { version: m.version, dataset: m.dataset, files: m.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })) };
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, "utf8");
}

export function sha256Hex(data: Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

export function manifestTotals(m: Manifest): { files: number; bytes: number } {
  return { files: m.files.length, bytes: m.files.reduce((n, f) => n + f.size, 0) };
}

/**
 * Parses and checks a manifest (from the cloud or a local file). Every
 * problem names where it is and what is allowed; throws one UsageError.
 */
export function parseManifest(text: string, source: string): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError([
      `${source}: not valid JSON (${(e as Error).message}); expected a dataset manifest written by \`npm run data -- push\``,
    ]);
  }
  const problems: string[] = [];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UsageError([`${source}: got ${show(doc)}; expected a JSON object {version, dataset, files}`]);
  }
  const o = doc as Record<string, unknown>;
  if (o.version !== MANIFEST_VERSION) problems.push(`${source}: "version" is ${show(o.version)}; allowed: ${MANIFEST_VERSION}`);
  const dataset = typeof o.dataset === "string" ? o.dataset : "";
  const nameProblem = typeof o.dataset === "string" ? datasetNameProblem(o.dataset) : "allowed: a dataset name";
  if (nameProblem) problems.push(`${source}: "dataset" is ${show(o.dataset)}; ${nameProblem}`);
  const files: ManifestEntry[] = [];
  if (!Array.isArray(o.files) || o.files.length === 0) {
    problems.push(`${source}: "files" is ${show(o.files)}; allowed: a non-empty list of {path, size, sha256}`);
  } else {
    const seen = new Set<string>();
    o.files.forEach((f: unknown, i: number) => {
      const where = `${source}: files[${i}]`;
      if (f === null || typeof f !== "object" || Array.isArray(f)) {
        problems.push(`${where} is ${show(f)}; allowed: {path, size, sha256}`);
        return;
      }
      const e = f as Record<string, unknown>;
      const p = typeof e.path === "string" ? e.path : undefined;
      const pathProblem = p === undefined ? "is not a string" : relativePathProblem(p, datasetPrefix(dataset || "x"));
      if (pathProblem) problems.push(`${where}.path ${show(e.path)} ${pathProblem}`);
      else if (seen.has(p!)) problems.push(`${where}.path ${show(p)} is listed twice`);
      else seen.add(p!);
      if (typeof e.size !== "number" || !Number.isSafeInteger(e.size) || e.size < 0)
        problems.push(`${where}.size is ${show(e.size)}; allowed: a whole number of bytes >= 0`);
      if (typeof e.sha256 !== "string" || !SHA256_HEX_RE.test(e.sha256))
        problems.push(`${where}.sha256 is ${show(e.sha256)}; allowed: 64 lowercase hex digits`);
      if (!pathProblem && typeof e.size === "number" && typeof e.sha256 === "string")
        files.push({ path: p!, size: e.size, sha256: e.sha256 });
    });
  }
  if (problems.length > 0) throw new UsageError(problems);
  return buildManifest(dataset, files);
}

/** True when two manifests describe the same files. */
export function sameFiles(a: Manifest, b: Manifest): boolean {
  if (a.files.length !== b.files.length) return false;
  return a.files.every((f, i) => f.path === b.files[i].path && f.size === b.files[i].size && f.sha256 === b.files[i].sha256);
}
