/**
 * The cost tables in the docs are generated, not typed: the stack table in
 * docs/cost.md (and README.md, when it carries the markers) and the rate
 * table in docs/cost.md equal what `npm run cost:table` produces now.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import {
  RATES_END,
  RATES_START,
  renderCostTable,
  renderRatesTable,
  renderTrainingPricesTable,
  TRAINING_END,
  TRAINING_START,
  replaceBetweenMarkers,
  stackCostRows,
  StackCostRow,
  tableBetweenMarkers,
  TABLE_END,
  TABLE_START,
} from "../../../tools/cost-table";
import { RATES } from "../../../policy-pack/cost";
import { ROOT, runStack, STACKS } from "../../harness";

const FIX = "run `npm run cost:table -- --write` to regenerate it";

describe("generated cost tables in the docs", () => {
  let rows: StackCostRow[];
  let table: string;

  before(async () => {
    rows = await stackCostRows((stack) => runStack(stack));
    table = renderCostTable(rows);
  });

  it("has one row per shipped stack with its estimate and tier budget", () => {
    expect(rows.map((r) => r.stack)).to.deep.equal([...STACKS]);
    const lines = table.split("\n").filter((l) => l.startsWith("| `"));
    expect(lines).to.have.length(STACKS.length);
    for (const r of rows) {
      const line = lines.find((l) => l.startsWith(`| \`${r.stack}\``));
      expect(line)
        .to.contain(`$${r.estimate.idleMonthlyUsd.toFixed(2)}`)
        .and.to.contain(`$${r.budgetUsd.toFixed(2)} (${r.enforcement}; within)`);
    }
    expect(rows.find((r) => r.stack === "dev")).to.include({ budgetUsd: 15, enforcement: "advisory" });
    expect(rows.find((r) => r.stack === "prod")).to.include({ budgetUsd: 110, enforcement: "mandatory" });
  });

  it("docs/cost.md carries the current stack table", () => {
    const text = fs.readFileSync(path.join(ROOT, "docs", "cost.md"), "utf8");
    const shown = tableBetweenMarkers(text);
    expect(shown, `docs/cost.md has no ${TABLE_START} ... ${TABLE_END} block`).to.be.a("string");
    expect(shown, `docs/cost.md's cost table is stale: ${FIX}`).to.equal(table);
  });

  it("README.md, when it carries the markers, shows the same table", function () {
    const file = path.join(ROOT, "README.md");
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const shown = tableBetweenMarkers(text);
    if (shown === undefined) this.skip();
    expect(shown, `README.md's cost table is stale: ${FIX}`).to.equal(table);
  });

  it("docs/cost.md lists every rate of rates.json with its source", () => {
    const text = fs.readFileSync(path.join(ROOT, "docs", "cost.md"), "utf8");
    const shown = tableBetweenMarkers(text, RATES_START, RATES_END);
    expect(shown, `docs/cost.md's rate table is stale: ${FIX}`).to.equal(renderRatesTable());
    for (const r of Object.values(RATES.rates)) expect(shown).to.contain(`\`${r.id}\``).and.to.contain(r.source);
  });

  it("README.md and docs/cost.md carry the current training prices: every declared cluster and the SageMaker types, with source and date (issue 19)", () => {
    const training = renderTrainingPricesTable(rows);
    for (const rel of ["README.md", "docs/cost.md"]) {
      const shown = tableBetweenMarkers(fs.readFileSync(path.join(ROOT, rel), "utf8"), TRAINING_START, TRAINING_END);
      expect(shown, `${rel}'s training prices are stale: ${FIX}`).to.equal(training);
    }
    expect(training).to.contain("cluster `train-gpu`: Standard_NC4as_T4_v3").and.to.contain("$0.526 per node-hour");
    expect(training).to.contain("`ml.g5.2xlarge` (1 NVIDIA A10G), no volume key").and.to.contain("$1.515 per instance-hour");
    expect(training).to.contain("`ml.p4d.24xlarge`").and.to.contain("`ml.m5.xlarge`").and.to.contain("`ml.p3.2xlarge`");
    for (const id of Object.keys(RATES.rates).filter((k) => k.startsWith("aws.sagemaker.training.") || k.startsWith("azure.vm."))) {
      expect(RATES.rates[id].source).to.match(/^https:\/\//);
      expect(RATES.rates[id].read).to.match(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("replaces only the text between the markers", () => {
    const doc = `# T\nbefore\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(replaceBetweenMarkers(doc, "NEW")).to.equal(`# T\nbefore\n${TABLE_START}\nNEW\n${TABLE_END}\nafter\n`);
    expect(replaceBetweenMarkers("no markers", "NEW")).to.be.undefined;
    expect(replaceBetweenMarkers(`${TABLE_END}\n${TABLE_START}`, "NEW")).to.be.undefined;
  });
});
