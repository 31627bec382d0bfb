/**
 * The check report's JSON schema and the cost model's: the `cost` property
 * of check-report.schema.json embeds policy-pack/cost/schema.json (so one
 * schema validates the whole report) and must stay equal to it; a report
 * whose `cost` breaks the CostEstimate schema is rejected; `{error}` is the
 * only other shape allowed.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { COST_ESTIMATE_SCHEMA, estimateIdleCost } from "../../../policy-pack/cost";
import { reportSchemaErrors, ROOT } from "./helpers";

const REPORT_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "cli", "check", "schema", "check-report.schema.json"), "utf8"));

/** A minimal valid report (no resources, no violations) with the given extra keys. */
function report(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    schemaVersion: 1,
    tool: { name: "npm run check", version: "0.1.0" },
    project: "p",
    stack: "dev",
    program: { dir: ".", main: "index.ts" },
    policyPack: { name: "pack", version: "1.0.0", dir: "policy-pack", config: null, policies: [] },
    resources: [],
    violations: [],
    remediations: [],
    summary: { resources: 0, policies: 0, violations: { mandatory: 0, advisory: 0, total: 0 }, remediations: 0, passed: true },
    timings: { evaluateMs: 1, analyzeMs: 1, totalMs: 2, packProcesses: 1 },
    ...extra,
  };
}

const estimate = estimateIdleCost(
  [
    { urn: "urn:pulumi:dev::p::aws:kms/key:Key::k", type: "aws:kms/key:Key", name: "k", inputs: { enableKeyRotation: true } },
    { urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", name: "b", inputs: {} },
    {
      urn: "urn:pulumi:dev::p::aws:sagemaker/notebookInstance:NotebookInstance::n",
      type: "aws:sagemaker/notebookInstance:NotebookInstance",
      name: "n",
      inputs: {},
    },
  ],
  { region: "eu-west-1" },
);

describe("check: the report schema's cost property", () => {
  it("embeds policy-pack/cost/schema.json unchanged (apart from $schema, $id and a $comment)", () => {
    const { $comment, ...embedded } = REPORT_SCHEMA.definitions.costEstimate;
    const { $schema, $id, ...own } = COST_ESTIMATE_SCHEMA as Record<string, unknown>;
    expect($comment).to.contain("policy-pack/cost/schema.json");
    expect([$schema, $id].every((x) => typeof x === "string")).to.equal(true);
    expect(embedded).to.deep.equal(own);
    expect(REPORT_SCHEMA.properties.cost.oneOf).to.deep.equal([
      { $ref: "#/definitions/costEstimate" },
      { $ref: "#/definitions/sectionError" },
    ]);
    expect(REPORT_SCHEMA.properties.schemaVersion).to.deep.equal({ const: 1 }, "a compatible addition keeps schemaVersion 1");
  });

  it("accepts a report with a real estimate (priced, free and not priced entries), or with none", () => {
    expect(estimate.components.length).to.be.greaterThan(0);
    expect(estimate.free.length).to.be.greaterThan(0);
    expect(estimate.notPriced.length).to.be.greaterThan(0);
    expect(reportSchemaErrors(report({ cost: JSON.parse(JSON.stringify(estimate)) }))).to.equal("");
    expect(reportSchemaErrors(report({}))).to.equal("");
  });

  it("accepts {error} for a failed estimate, and nothing else in its place", () => {
    expect(reportSchemaErrors(report({ cost: { error: "Idle cost (monthly, list prices) could not be computed: boom" } }))).to.equal("");
    expect(reportSchemaErrors(report({ cost: { error: "" } }))).not.to.equal("");
    expect(reportSchemaErrors(report({ cost: { error: "boom", idleMonthlyUsd: 1 } }))).not.to.equal("");
    expect(reportSchemaErrors(report({ cost: {} }))).not.to.equal("");
    expect(reportSchemaErrors(report({ cost: "12.30" }))).not.to.equal("");
  });

  it("rejects a report whose estimate breaks the CostEstimate schema", () => {
    const broken: [string, (e: any) => void][] = [
      ["total as text", (e) => (e.idleMonthlyUsd = "10.30")],
      ["no notPriced list", (e) => delete e.notPriced],
      ["a component without its unit price", (e) => delete e.components[0].unitPrice],
      ["a component of an unknown kind", (e) => (e.components[0].kind = "idle")],
      ["an unknown key", (e) => (e.total = 1)],
      ["another currency", (e) => (e.currency = "EUR")],
    ];
    for (const [what, breakIt] of broken) {
      const e = JSON.parse(JSON.stringify(estimate));
      breakIt(e);
      expect(reportSchemaErrors(report({ cost: e })), what).to.match(/\/cost/);
    }
  });
});
