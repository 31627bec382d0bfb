/**
 * The `cost` report section in units: the stack's region (project config,
 * provider config, explicit provider; never a secret), which resources it
 * estimates (custom ones; components never show up), the table lines, and
 * failure handling: a mapper that throws leaves its resource "not priced"
 * with a warning; a section that throws becomes `{error}` plus a warning in
 * every output format, and the check's exit code stays the policies' (one
 * in-process check of the fixture program per exit code).
 */
import { expect } from "chai";
import * as path from "path";
import { CostEstimate, MAPPER_BY_TYPE, usd } from "../../../policy-pack/cost";
import type { Mapper } from "../../../policy-pack/cost/mapper";
import { parseCheckArgs } from "../../../cli/check/args";
import { CheckResult, render, runCheck } from "../../../cli/check/check";
import { EXIT_MANDATORY, EXIT_OK } from "../../../cli/check/errors";
import { costTableLines } from "../../../cli/check/format/cost";
import { renderTable } from "../../../cli/check/format/table";
import { buildStackModel } from "../../../engine/model";
import { addSections, CheckReport, isSectionError, ReportSection, SectionContext } from "../../../cli/check/report";
import { COST_SECTION, estimateStackCost, plannedResources, stackRegion } from "../../../cli/check/sections";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { FIXTURE_PACK, FIXTURE_PROGRAM, reportSchemaErrors, ROOT, sarifSchemaErrors, scratchPath } from "./helpers";
import * as fs from "fs";

const PROJECT = "costtest";

function resource(type: string, name: string, inputs: Record<string, unknown> = {}, custom = true, parent?: string): RecordedResource {
  return {
    urn: `urn:pulumi:dev::${PROJECT}::${type}::${name}`,
    type,
    name,
    custom,
    wireInputs: inputs,
    inputs,
    outputs: {},
    parent,
    dependencies: [],
    propertyDependencies: {},
    options: { ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [] },
  };
}

function context(
  resources: RecordedResource[],
  config: Record<string, string>,
  secretKeys: string[] = [],
  warnings: string[] = [],
): SectionContext {
  const recording: Recording = { project: PROJECT, stack: "dev", resources };
  const model = buildStackModel({ recording, programDir: ROOT, config, secretKeys });
  return { recording, model, config, secretKeys, report: {} as CheckReport, warn: (m) => warnings.push(m) };
}

const COMPONENT = resource("costtest:index:Env", "env", {}, false);
const KEY = resource("aws:kms/key:Key", "key", { enableKeyRotation: true }, true, COMPONENT.urn);
const ENDPOINT = resource("aws:ec2/vpcEndpoint:VpcEndpoint", "vpce", {
  vpcEndpointType: "Interface",
  serviceName: "com.amazonaws.eu-west-1.sts",
  subnetIds: ["a", "b"],
});
const NOTEBOOK = resource("aws:sagemaker/notebookInstance:NotebookInstance", "nb", { instanceType: "ml.t3.medium" });

describe("check units: the stack's region for the estimate", () => {
  const provider = { type: "pulumi:providers:aws", name: "regional", inputs: { region: "ap-south-1" } };

  it("takes the project's <project>:region, else <project>:location, else aws:region / azure-native:location, else an explicit provider's input", () => {
    const all = { [`${PROJECT}:region`]: "eu-west-1", [`${PROJECT}:location`]: "westeurope", "aws:region": "us-west-2" };
    expect(stackRegion(PROJECT, all, [provider])).to.deep.equal({ region: "eu-west-1", from: `config ${PROJECT}:region` });
    expect(stackRegion(PROJECT, { [`${PROJECT}:location`]: "westeurope", "aws:region": "us-west-2" }, [provider])?.region).to.equal(
      "westeurope",
    );
    expect(stackRegion(PROJECT, { "aws:region": "us-west-2" }, [provider])).to.deep.equal({
      region: "us-west-2",
      from: "config aws:region",
    });
    expect(stackRegion(PROJECT, { "azure-native:location": "eastus" }, [provider])?.region).to.equal("eastus");
    expect(stackRegion(PROJECT, {}, [provider])).to.deep.equal({ region: "ap-south-1", from: "provider regional input region" });
    expect(
      stackRegion(PROJECT, {}, [{ type: "pulumi:providers:azure-native", name: "az", inputs: { location: "northeurope" } }])?.region,
    ).to.equal("northeurope");
    expect(stackRegion(PROJECT, {}, [])).to.equal(undefined);
  });

  it("never uses a secret, an unknown or a value that is not a region name", () => {
    expect(stackRegion(PROJECT, { [`${PROJECT}:region`]: "eu-west-1" }, [], [`${PROJECT}:region`])).to.equal(undefined);
    expect(stackRegion(PROJECT, { [`${PROJECT}:region`]: "v1:abc/def==" }, [])).to.equal(undefined);
    expect(stackRegion(PROJECT, { "aws:region": "[secret]" }, [])).to.equal(undefined);
    const unknown = { type: "pulumi:providers:aws", name: "p", inputs: { region: "<unknown>" } };
    const secret = {
      type: "pulumi:providers:aws",
      name: "p",
      inputs: { region: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "eu-west-1" } },
    };
    expect(stackRegion(PROJECT, {}, [unknown, secret])).to.equal(undefined);
  });
});

describe("check units: the cost section", () => {
  it("estimates the program's custom resources (the component is neither priced, free nor 'not priced')", () => {
    const ctx = context([COMPONENT, KEY, ENDPOINT, NOTEBOOK], { "aws:region": "eu-west-1" });
    expect(plannedResources(ctx).map((r) => r.type)).to.deep.equal(["pulumi:providers:aws", KEY.type, ENDPOINT.type, NOTEBOOK.type]);
    const e = estimateStackCost(ctx);
    const classified = [...e.components.map((c) => c.resourceType), ...e.free.map((f) => f.type), ...e.notPriced.map((n) => n.type)];
    expect(classified).not.to.include(COMPONENT.type);
    expect(
      e.components
        .filter((c) => c.kind === "fixed")
        .map((c) => c.rateId)
        .sort(),
    ).to.deep.equal(["aws.kms.key", "aws.kms.rotation", "aws.vpce.interface"]);
    expect(e.notPriced.map((n) => n.type)).to.deep.equal([NOTEBOOK.type]);
    expect(e.region).to.equal("eu-west-1");
    // The region differs from the rates' basis: the estimate says so.
    expect(e.notes.join("\n")).to.contain("eu-west-1 may be priced higher");
  });

  it("renders the total, one row per fixed component (quantity x unit price, monthly), free count, not priced types, notes and rate basis", () => {
    const e = estimateStackCost(context([KEY, ENDPOINT, NOTEBOOK], { [`${PROJECT}:region`]: "us-east-1" }));
    const lines = costTableLines(e);
    expect(lines[0]).to.equal(
      `Total: at least ${usd(e.idleMonthlyUsd)}/month idle in us-east-1: 1 resource not priced (below), so the real idle cost is higher`,
    );
    expect(lines[1]).to.match(/^Resource\s+Component\s+Quantity x unit price\s+Monthly$/);
    const text = lines.join("\n");
    expect(text).to.match(/\nvpce\s+interface endpoint sts in 2 AZs\s+1,460 endpoint-AZ-hours x \$0\.01\s+\$14\.60\n/);
    expect(text).to.match(/\nkey\s+customer managed key\s+1 key-month x \$1\.00\s+\$1\.00\n/);
    expect(text).to.contain("Billed by use on top (not in the total): ");
    expect(text).to.contain(`  - ${NOTEBOOK.type} x1 (nb): the cost model has no rate for this type`);
    expect(lines[lines.length - 1]).to.equal(`Rates: ${e.rateBasis}`);

    const empty = costTableLines(estimateStackCost(context([resource("aws:s3/bucket:Bucket", "b")], {})));
    expect(empty).to.include.members([
      "Total: $0.00/month idle",
      "Components: none (nothing with a fixed charge)",
      "Not priced: none (every resource is priced or free)",
    ]);
    expect(empty.join("\n")).to.match(/No idle charge: 1 type \(1 resource;/);
  });

  it("a mapper that throws leaves its resource 'not priced' with the error, warns on stderr, and prices the rest", () => {
    const mappers = MAPPER_BY_TYPE as Map<string, Mapper>;
    const original = mappers.get(KEY.type)!;
    mappers.set(KEY.type, {
      types: original.types,
      map: () => {
        throw new Error("bug in the key mapper");
      },
    });
    const warnings: string[] = [];
    let e: CostEstimate;
    try {
      e = estimateStackCost(context([KEY, ENDPOINT], {}, [], warnings));
    } finally {
      mappers.set(KEY.type, original);
    }
    expect(e.notPriced).to.have.length(1);
    expect(e.notPriced[0]).to.include({ type: KEY.type, count: 1 });
    expect(e.notPriced[0].reason).to.contain("bug in the key mapper");
    expect(e.incomplete).to.equal(true);
    expect(e.components.some((c) => c.rateId === "aws.vpce.interface")).to.equal(true);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^idle cost: aws:kms\/key:Key \(key\) is not priced: .*bug in the key mapper.*a bug in the cost model/);
    // An ordinary unknown type is no bug: no warning.
    const quiet: string[] = [];
    estimateStackCost(context([NOTEBOOK], {}, [], quiet));
    expect(quiet).to.deep.equal([]);
  });

  it("a section that throws becomes {error} and a warning; the summary is untouched and other sections still run", async () => {
    const base = { summary: { passed: false, violations: { mandatory: 2, advisory: 0, total: 2 } } } as unknown as CheckReport;
    const failing: ReportSection = {
      key: "cost",
      title: COST_SECTION.title,
      compute: () => {
        throw new Error("boom\nat line 2");
      },
      renderTable: () => ["never"],
    };
    const after: ReportSection<number> = { key: "other", title: "Other", compute: () => 42, renderTable: (v) => [`value ${v}`] };
    const warnings: string[] = [];
    const ctx = context([KEY], {}, [], warnings);
    const out = await addSections(base, [failing, after as ReportSection], ctx);
    expect(out.cost).to.deep.equal({ error: "Idle cost (monthly, list prices) could not be computed: boom at line 2" });
    expect(isSectionError(out.cost)).to.equal(true);
    expect(out.other).to.equal(42);
    expect(out.summary).to.equal(base.summary);
    expect(warnings).to.deep.equal([
      "Idle cost (monthly, list prices) could not be computed: boom at line 2 (the check goes on; please report this as a bug)",
    ]);
  });

  it("tells an error value from an estimate", () => {
    expect(isSectionError({ error: "x" })).to.equal(true);
    expect(isSectionError({ error: "x", idleMonthlyUsd: 1 })).to.equal(false);
    expect(isSectionError(estimateStackCost(context([KEY], {})))).to.equal(false);
    expect(isSectionError(null)).to.equal(false);
  });
});

describe("check: a failing estimate does not change the check (fixture program, in process)", function () {
  this.timeout(240_000);
  const BOOM = "a mapper bug";
  const failingCost: ReportSection = {
    ...COST_SECTION,
    compute: () => {
      throw new Error(BOOM);
    },
  } as ReportSection;
  const results: Record<"fail" | "pass", { result: CheckResult; progress: string[] }> = {} as never;

  before(async () => {
    const allAdvisory = scratchPath("advisory.json");
    fs.writeFileSync(allAdvisory, JSON.stringify({ all: "advisory" }));
    const base = ["--program", FIXTURE_PROGRAM, "--policy-pack", FIXTURE_PACK];
    const once = async (argv: string[]) => {
      const progress: string[] = [];
      const result = await runCheck(parseCheckArgs(argv, ROOT), (m) => progress.push(m), [failingCost]);
      return { result, progress };
    };
    [results.fail, results.pass] = await Promise.all([once(base), once([...base, "--policy-config", allAdvisory])]);
  });

  it("keeps the exit code the policies decide: 1 with mandatory violations, 0 without", () => {
    expect(results.fail.result.exitCode).to.equal(EXIT_MANDATORY);
    expect(results.fail.result.report.summary.violations.mandatory).to.equal(4);
    expect(results.pass.result.exitCode).to.equal(EXIT_OK);
    expect(results.pass.result.report.summary.violations).to.include({ mandatory: 0, advisory: 5 });
  });

  it("reports the failure in the section of every format and as a warning on the progress (stderr) channel", () => {
    const { result, progress } = results.fail;
    const error = `${COST_SECTION.title} could not be computed: ${BOOM}`;
    expect(result.report.cost).to.deep.equal({ error });
    expect(progress.filter((m) => m.startsWith("warning: "))).to.deep.equal([
      `warning: ${error} (the check goes on; please report this as a bug)`,
    ]);

    const table = render(result, "table");
    expect(table).to.contain(`\n${COST_SECTION.title}:\n    ${error}\n\nSummary: FAILED`);
    expect(renderTable(result.report, result.sections)).to.equal(table);

    const json = JSON.parse(render(result, "json"));
    expect(reportSchemaErrors(json)).to.equal("");
    expect(json.cost).to.deep.equal({ error });

    const sarif = JSON.parse(render(result, "sarif"));
    expect(sarifSchemaErrors(sarif)).to.equal("");
    expect(sarif.runs[0].properties.idleCost).to.deep.equal({ error });
    expect(path.isAbsolute(result.root)).to.equal(true);
  });
});
