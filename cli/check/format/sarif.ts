/**
 * SARIF 2.1.0 output for GitHub code scanning: one run per check; the policy
 * pack is the tool (its policies are the rules, levels from the enforcement
 * levels); each violation is a result located at the file:line where the
 * program constructed the resource (paths relative to the repository root).
 * The idle-cost estimate's headline figures ride along as the run's
 * `properties.idleCost` (the full estimate is in --format json).
 */
import * as crypto from "crypto";
import * as path from "path";
import * as url from "url";
import type * as sarif from "sarif";
import type { CheckReport, ReportPolicy, ReportViolation } from "../report";
import { isSectionError } from "../report";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

type Level = sarif.ReportingConfiguration.level;

function levelOf(enforcement: string): Level {
  switch (enforcement) {
    case "mandatory":
    case "remediate":
      return "error";
    case "advisory":
      return "warning";
    default:
      return "none";
  }
}

/** GitHub's `security-severity` (0-10) for a policy severity. */
const SECURITY_SEVERITY: Record<string, string | undefined> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function rule(p: ReportPolicy): sarif.ReportingDescriptor {
  const props: sarif.PropertyBag = { tags: ["security", "pulumi-policy", ...p.tags], severity: p.severity, policyType: p.type };
  if (p.frameworks.length > 0) props.frameworks = [...p.frameworks];
  if (p.framework) props.framework = { ...p.framework };
  const sec = SECURITY_SEVERITY[p.severity];
  if (sec) props["security-severity"] = sec;
  const help = p.remediationSteps ?? p.description;
  return {
    id: p.name,
    ...(p.displayName ? { name: p.displayName } : {}),
    shortDescription: { text: p.description },
    fullDescription: { text: p.description },
    help: { text: help },
    ...(p.url ? { helpUri: p.url } : {}),
    defaultConfiguration: { level: levelOf(p.enforcementLevel), enabled: p.enforcementLevel !== "disabled" },
    properties: props,
  };
}

function fingerprint(v: ReportViolation, project: string, stack: string): string {
  return crypto
    .createHash("sha256")
    .update([project, stack, v.policy, v.urn ?? "", v.stage].join("\0"))
    .digest("hex");
}

/**
 * @param root absolute repository root (the base of the report's paths)
 * @param fallbackFile where results without a source go (GitHub needs a location): the program's main file
 */
/** The run's `idleCost` property: the estimate's headline figures, or why there is none. */
function idleCostProperty(report: CheckReport): sarif.PropertyBag | undefined {
  const cost = report.cost;
  if (cost === undefined) return undefined;
  if (isSectionError(cost)) return { error: cost.error };
  return {
    monthlyUsd: cost.idleMonthlyUsd,
    currency: cost.currency,
    incomplete: cost.incomplete,
    ...(cost.region ? { region: cost.region } : {}),
    notPricedTypes: cost.notPriced.map((e) => e.type),
    rateBasis: cost.rateBasis,
  };
}

/**
 * A file relative to %SRCROOT% (the repository root, or the program's folder outside a repository), or, for
 * a file elsewhere (an absolute path), an absolute `file://` URI without a base: SARIF's relative references
 * must not begin with a slash (validator rule SARIF1004).
 */
function artifactLocation(file: string): sarif.ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: url.pathToFileURL(file).href };
  return { uri: file.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

export function toSarif(report: CheckReport, root: string, fallbackFile: string): sarif.Log {
  const rules = report.policyPack.policies.map(rule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = report.violations.map((v) => {
    const file = v.source?.file ?? fallbackFile;
    const region: sarif.Region = v.source ? { startLine: v.source.line, startColumn: v.source.column } : { startLine: 1 };
    const index = ruleIndex.get(v.policy);
    const where = v.resourceType ? ` (${v.resourceType} ${v.resourceName})` : "";
    return {
      ruleId: v.policy,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: levelOf(v.enforcementLevel),
      message: { text: `${v.message}${where}` },
      locations: [
        {
          physicalLocation: { artifactLocation: artifactLocation(file), region },
          ...(v.urn ? { logicalLocations: [{ fullyQualifiedName: v.urn, name: v.resourceName ?? undefined, kind: "resource" }] } : {}),
        },
      ],
      partialFingerprints: { "pulumiPolicyViolation/v1": fingerprint(v, report.project, report.stack) },
      properties: {
        enforcementLevel: v.enforcementLevel,
        severity: v.severity,
        stage: v.stage,
        ...(v.urn ? { urn: v.urn } : {}),
        ...(v.frameworks.length > 0 ? { frameworks: [...v.frameworks] } : {}),
      },
    };
  });
  const rootUri = url.pathToFileURL(root).href.replace(/\/?$/, "/");
  const idleCost = idleCostProperty(report);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.policyPack.name,
            version: report.policyPack.version,
            informationUri: "https://www.pulumi.com/docs/iac/packages-and-automation/crossguard/",
            rules,
          },
        },
        automationDetails: { id: `pulumi-check/${report.project}/${report.stack}/` },
        originalUriBaseIds: { "%SRCROOT%": { uri: rootUri } },
        invocations: [{ executionSuccessful: true, exitCode: report.summary.passed ? 0 : 1 }],
        results,
        properties: {
          project: report.project,
          stack: report.stack,
          resources: report.summary.resources,
          ...(idleCost ? { idleCost } : {}),
        },
      },
    ],
  };
}
