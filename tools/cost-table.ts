/**
 * Prints the markdown table of each shipped stack's idle monthly cost, from
 * offline recordings of the program (engine/recorder) and the cost model
 * (policy-pack/cost), with each tier's budget from policy-pack/config.
 *
 *   npm run cost:table              print the table
 *   npm run cost:table -- --write   replace the tables between the markers
 *                                   in docs/cost.md and README.md (the
 *                                   stack table; docs/cost.md also carries
 *                                   the rate table between cost-rates markers)
 *   npm run cost:table -- --check   exit 1 if either file is out of date
 *
 * The docs carry it between `<!-- cost-table:start -->` and
 * `<!-- cost-table:end -->`; a test keeps them equal to this output.
 */
import * as fs from "fs";
import * as path from "path";
import { CostEstimate, estimateIdleCost, groupByRate, groupText, priceText, RATES, usd } from "../policy-pack/cost";
import { BUDGET_CONFIG_SCHEMA, BUDGET_POLICY_NAME } from "../policy-pack/policies/common/budget";
import { PROJECT_ROOT, shippedStackNames } from "../engine/project";
import { readProject, readStackFile, recordStack, Recording } from "../engine/recorder";
import { instanceStorage } from "../policy-pack/lib/sagemaker-instance-storage";
import { Generator, generatorMain, replaceBetweenMarkers as replaceMarked, textBetweenMarkers } from "./generated-file";

export const ROOT = PROJECT_ROOT;
export const TABLE_START = "<!-- cost-table:start -->";
export const TABLE_END = "<!-- cost-table:end -->";
/** docs/cost.md also lists the rate table itself, generated from rates.json. */
export const RATES_START = "<!-- cost-rates:start -->";
export const RATES_END = "<!-- cost-rates:end -->";
/** Files that carry the generated table (a file without the markers is left alone). */
export const TABLE_FILES = ["docs/cost.md", "README.md"] as const;

export interface StackCostRow {
  readonly stack: string;
  readonly cloud: string;
  readonly region: string;
  readonly tier: string;
  readonly estimate: CostEstimate;
  readonly budgetUsd: number;
  readonly enforcement: string;
}

export interface TierBudget {
  readonly monthlyBudgetUsd: number;
  readonly enforcementLevel: string;
}

/** The budget policy's settings for a tier, from policy-pack/config/<tier>.json (schema default when absent). */
export function tierBudget(tier: string, root: string = ROOT): TierBudget {
  const fallback = (BUDGET_CONFIG_SCHEMA.properties.monthlyBudgetUsd as { default: number }).default;
  const file = path.join(root, "policy-pack", "config", `${tier}.json`);
  let entry: unknown;
  try {
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    entry = doc[BUDGET_POLICY_NAME] ?? doc.all;
  } catch {
    entry = undefined;
  }
  if (typeof entry === "string") return { monthlyBudgetUsd: fallback, enforcementLevel: entry };
  const e = (entry ?? {}) as { monthlyBudgetUsd?: unknown; enforcementLevel?: unknown };
  return {
    monthlyBudgetUsd: typeof e.monthlyBudgetUsd === "number" ? e.monthlyBudgetUsd : fallback,
    enforcementLevel: typeof e.enforcementLevel === "string" ? e.enforcementLevel : "advisory",
  };
}

/** Records and estimates every shipped stack, in order. `record` lets tests reuse their cached runs. */
export async function stackCostRows(
  record: (stack: string) => Promise<Recording> = (stack) => recordStack(ROOT, stack),
  root: string = ROOT,
): Promise<StackCostRow[]> {
  const project = readProject(root);
  const rows: StackCostRow[] = [];
  for (const stack of shippedStackNames(root)) {
    const config = readStackFile(project, stack).config;
    const get = (k: string) => config[`${project.name}:${k}`] ?? "";
    const cloud = get("cloud");
    const region = cloud === "aws" ? get("region") : get("location");
    const tier = get("tier");
    const recording = await record(stack);
    const estimate = estimateIdleCost(recording.resources, { region });
    const budget = tierBudget(tier, root);
    rows.push({ stack, cloud, region, tier, estimate, budgetUsd: budget.monthlyBudgetUsd, enforcement: budget.enforcementLevel });
  }
  return rows;
}

const CLOUD_NAMES: Readonly<Record<string, string>> = { aws: "AWS", azure: "Azure" };

/** The markdown table (with its footnote), as it appears between the markers. */
export function renderCostTable(rows: readonly StackCostRow[]): string {
  const lines = ["| Stack | Cloud (region) | Tier | Idle cost / month | Tier budget | Fixed components |", "|---|---|---|---:|---|---|"];
  for (const r of rows) {
    const parts = groupByRate(r.estimate).map(groupText);
    const within = r.estimate.idleMonthlyUsd <= r.budgetUsd ? "within" : "**over**";
    lines.push(
      `| \`${r.stack}\` | ${CLOUD_NAMES[r.cloud] ?? r.cloud} (${r.region}) | ${r.tier} | ${usd(r.estimate.idleMonthlyUsd)}${r.estimate.incomplete ? " (at least)" : ""} | ${usd(r.budgetUsd)} (${r.enforcement}; ${within}) | ${parts.join("; ") || "none"} |`,
    );
  }
  const notPriced = [...new Set(rows.flatMap((r) => r.estimate.notPriced.map((e) => `\`${e.type}\` (${r.stack})`)))];
  lines.push("");
  lines.push(
    `Generated by \`npm run cost:table\` from offline recordings of the stack files. ${rows[0]?.estimate.rateBasis ?? ""} ` +
      "Idle cost = charges billed while the resources exist, before any traffic, storage or training; KMS keys at their steady state (two billed rotations).",
  );
  if (notPriced.length > 0) lines.push("", `Not priced (not included above): ${notPriced.join(", ")}.`);
  return lines.join("\n");
}

/** The rate table (rates.json) as markdown: what each rate bills, its price, basis, source and date read. */
export function renderRatesTable(): string {
  const lines = ["| Rate | Price | Kind | Region basis | Source (read) |", "|---|---:|---|---|---|"];
  for (const r of Object.values(RATES.rates)) {
    const per = r.per === "rotation" ? "scheduled rotation" : r.per;
    lines.push(
      `| ${r.label} (\`${r.id}\`) | ${priceText(r.price)} per ${["hour", "day", "month"].includes(r.per) ? `${r.item}-${per}` : per} | ${r.kind} | ${r.regionBasis} | [${new URL(r.source).hostname}${new URL(r.source).pathname}](${r.source}) (${r.read}) |`,
    );
  }
  return lines.join("\n");
}

/** The stacks' training compute prices: where the stacks name one, the hourly price from the rate table with its source and date. */
export const TRAINING_START = "<!-- training-prices:start -->";
export const TRAINING_END = "<!-- training-prices:end -->";

/**
 * Hourly prices of what a job runs on: each Azure stack's declared clusters (usage components of the
 * estimate, from the cluster's VM size) and the SageMaker training instance types in the rate table
 * (AWS stacks pick the type per job; `npm run train` checks it). Idle cost stays zero for both.
 */
export function renderTrainingPricesTable(rows: readonly StackCostRow[]): string {
  const lines = ["| Stack | Runs on | Price while a job runs | Idle | Source (read) |", "|---|---|---:|---|---|"];
  const link = (r: { source: string; read: string }) =>
    `[${new URL(r.source).hostname}${new URL(r.source).pathname}](${r.source}) (${r.read})`;
  for (const row of rows) {
    if (row.cloud === "azure") {
      for (const c of row.estimate.components.filter((x) => x.rateId.startsWith("azure.vm."))) {
        const rate = RATES.rates[c.rateId];
        lines.push(
          `| \`${row.stack}\` | cluster \`${c.resourceName.replace(/^.*-compute-/, "")}\`: ${rate.label.replace(/^Azure VM /, "")} | ${priceText(rate.price)} per node-hour | $0 (scales to zero) | ${link(rate)} |`,
        );
      }
    } else {
      const stacks = rows
        .filter((r) => r.cloud === "aws")
        .map((r) => `\`${r.stack}\``)
        .join(", ");
      if (row !== rows.find((r) => r.cloud === "aws")) continue;
      for (const rate of Object.values(RATES.rates).filter((r) => r.id.startsWith("aws.sagemaker.training."))) {
        const type = rate.id.slice("aws.sagemaker.training.".length);
        const storage = instanceStorage(type) === "nvme" ? "no volume key (local NVMe, hardware-encrypted)" : "volume key required (EBS)";
        const hardware = /\((?:EBS only|local NVMe), ([^)]*)\)/.exec(rate.label)?.[1] ?? rate.label;
        lines.push(
          `| ${stacks} | \`${type}\` (${hardware}), ${storage} | ${priceText(rate.price)} per instance-hour | $0 (no job, no instance) | ${link(rate)} |`,
        );
      }
    }
  }
  lines.push(
    "",
    "Generated by `npm run cost:table` from the rate table (`policy-pack/cost/rates.json`) and the stacks' clusters. List prices, on demand; each rate's note says how it was read.",
  );
  return lines.join("\n");
}

/** `text` with the block between the markers (the cost table's by default) replaced by `body`; undefined without markers. */
export function replaceBetweenMarkers(text: string, body: string, start = TABLE_START, end = TABLE_END): string | undefined {
  return replaceMarked(text, body, start, end);
}

/** The text between the markers (the cost table's by default, trimmed), or undefined when a file has none. */
export function tableBetweenMarkers(text: string, start: string = TABLE_START, end: string = TABLE_END): string | undefined {
  return textBetweenMarkers(text, start, end);
}

/** A file's text with every generated part brought up to date (unchanged parts and files without markers left alone). */
export function updatedText(text: string, costTable: string, trainingTable?: string): string {
  let out = replaceBetweenMarkers(text, costTable) ?? text;
  out = replaceBetweenMarkers(out, renderRatesTable(), RATES_START, RATES_END) ?? out;
  if (trainingTable !== undefined) out = replaceBetweenMarkers(out, trainingTable, TRAINING_START, TRAINING_END) ?? out;
  return out;
}

/** `npm run cost:table`: the stack table (printed), every generated part of TABLE_FILES (written or checked). */
export const COST_TABLE: Generator = {
  script: "cost:table",
  async generate() {
    const rows = await stackCostRows();
    const table = renderCostTable(rows);
    const training = renderTrainingPricesTable(rows);
    const parts = TABLE_FILES.map((file) => ({
      file,
      what: "the cost table",
      optional: true,
      update: (t: string) => updatedText(t, table, training),
    }));
    return { print: table, parts };
  },
};

if (require.main === module) generatorMain(COST_TABLE);
