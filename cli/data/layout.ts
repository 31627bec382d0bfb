/**
 * Where datasets and their manifests live in the data bucket/container, and
 * which local paths may become object keys.
 *
 *   datasets/<name>/<relative path>     the files of a dataset
 *   datasets/<name>.manifest.json       its manifest, beside the data and outside the
 *                                       prefix, so a job reading `datasets/<name>/` gets
 *                                       exactly the files
 *
 * Job outputs: AWS `<outputPrefix><job>/` in the artifacts bucket (SageMaker writes
 * `<job>/output/model.tar.gz` there), Azure `<job>/` in the artifacts container
 * (the `model` output of `npm run train`).
 */

import { DATASETS_PREFIX } from "../../stacks/data-layout";

export { DATASETS_PREFIX };
export const MANIFEST_SUFFIX = ".manifest.json";

/** Object key limits both clouds accept: S3 1,024 bytes; Azure 1,024 characters and 254 segments. */
export const KEY_LIMITS = { maxBytes: 1024, maxSegments: 254 } as const;

const DATASET_NAME_RE = /^[a-z0-9](?:[a-z0-9_-]|\.(?!\.)){0,62}$/;

/** Problem with a dataset name, or undefined. */
export function datasetNameProblem(name: string): string | undefined {
  const allowed = "1-63 lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, no '..'";
  if (!DATASET_NAME_RE.test(name)) return `allowed: ${allowed}`;
  if (name.endsWith(MANIFEST_SUFFIX))
    return `must not end with "${MANIFEST_SUFFIX}" (that is how manifests are named); allowed: ${allowed}`;
  if (name.endsWith(".")) return `must not end with '.' (Azure drops trailing dots from blob names); allowed: ${allowed}`;
  return undefined;
}

export function datasetPrefix(name: string): string {
  return `${DATASETS_PREFIX}${name}/`;
}

export function manifestKey(name: string): string {
  return `${DATASETS_PREFIX}${name}${MANIFEST_SUFFIX}`;
}

/** The dataset a manifest key names, or undefined when the key is not a manifest. */
export function datasetOfManifestKey(key: string): string | undefined {
  if (!key.startsWith(DATASETS_PREFIX) || !key.endsWith(MANIFEST_SUFFIX)) return undefined;
  const name = key.slice(DATASETS_PREFIX.length, -MANIFEST_SUFFIX.length);
  return name.includes("/") || datasetNameProblem(name) ? undefined : name;
}

/**
 * Problem with a relative local path (forward slashes) as the tail of an
 * object key, or undefined. A directory walk never yields `..`, but a file
 * name can hold characters the clouds treat specially: backslashes (Azure
 * turns them into '/'), control characters, and segments ending in '.'
 * (Azure drops trailing dots), so such names are refused rather than stored
 * under another key.
 */
export function relativePathProblem(rel: string, prefix: string): string | undefined {
  const segments = rel.split("/");
  for (const seg of segments) {
    if (seg === "" || seg === "." || seg === "..") return `has a '${seg}' segment, which would leave or blur the dataset prefix`;
    if (seg.includes("\\")) return "has a backslash, which Azure reads as '/'; rename the file";
    if (/[\u0000-\u001f\u007f]/.test(seg)) return "has a control character; rename the file";
    if (seg.endsWith(".")) return "has a name ending in '.', which Azure drops from blob names; rename the file";
  }
  const key = prefix + rel;
  if (Buffer.byteLength(key) > KEY_LIMITS.maxBytes)
    return `makes the object key ${Buffer.byteLength(key)} bytes long; allowed: at most ${KEY_LIMITS.maxBytes}`;
  if (key.split("/").length > KEY_LIMITS.maxSegments)
    return `makes the object key ${key.split("/").length} segments deep; allowed: at most ${KEY_LIMITS.maxSegments}`;
  return undefined;
}
