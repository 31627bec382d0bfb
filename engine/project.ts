/**
 * The project this repository holds, defined once: its root (the folder
 * with `Pulumi.yaml`), its policy pack, and its shipped stacks, discovered
 * from the `Pulumi.<stack>.yaml` files beside `Pulumi.yaml` (a new stack file
 * is picked up by the check, the benchmark, the mutation suite, the cost
 * table and the tests without another list to edit).
 */
import * as fs from "fs";
import * as path from "path";
import { readProject, readStackFile } from "./recorder/stack-file";

/** The folder that holds `Pulumi.yaml`, `package.json` and this repository's code. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The CrossGuard policy pack (its own npm package). */
export const POLICY_PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");

export interface ShippedStack {
  /** The stack name: `dev` for `Pulumi.dev.yaml`. */
  readonly name: string;
  /** Absolute path of its stack file. */
  readonly file: string;
  /** `cloud` and `tier` from its config, as written (validated by stacks/config.ts when the program runs). */
  readonly cloud: string;
  readonly tier: string;
}

const STACK_FILE = /^Pulumi\.([\w.-]+)\.yaml$/;
const CLOUD_ORDER = ["aws", "azure"];
const TIER_ORDER = ["dev", "prod"];

function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

const cache = new Map<string, readonly ShippedStack[]>();

/**
 * The stacks the project ships, one per `Pulumi.<stack>.yaml` in `root`,
 * ordered by cloud (AWS first), then tier (dev first), then name:
 * `dev`, `prod`, `azure-dev`, `azure-prod`.
 */
export function shippedStacks(root: string = PROJECT_ROOT): readonly ShippedStack[] {
  const key = path.resolve(root);
  const known = cache.get(key);
  if (known) return known;
  const project = readProject(key);
  const stacks = fs
    .readdirSync(key)
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((name): name is string => name !== undefined)
    .map((name) => {
      const file = readStackFile(project, name);
      const value = (k: string) => file.config[`${project.name}:${k}`] ?? "";
      return { name, file: file.file, cloud: value("cloud"), tier: value("tier") };
    })
    .sort(
      (a, b) =>
        rank(CLOUD_ORDER, a.cloud) - rank(CLOUD_ORDER, b.cloud) ||
        rank(TIER_ORDER, a.tier) - rank(TIER_ORDER, b.tier) ||
        a.name.localeCompare(b.name),
    );
  cache.set(key, stacks);
  return stacks;
}

/** Names of the shipped stacks, in `shippedStacks` order. */
export function shippedStackNames(root: string = PROJECT_ROOT): string[] {
  return shippedStacks(root).map((s) => s.name);
}

/** Names of the shipped stacks of one cloud. */
export function stacksOfCloud(cloud: string, root: string = PROJECT_ROOT): string[] {
  return shippedStacks(root)
    .filter((s) => s.cloud === cloud)
    .map((s) => s.name);
}
