/**
 * Where datasets live in the data bucket/container: the stacks scope the data
 * ingest principal's rights to this prefix, and `npm run data` writes under it
 * (`datasets/<name>/...` and the manifest `datasets/<name>.manifest.json`).
 */
export const DATASETS_PREFIX = "datasets/";
