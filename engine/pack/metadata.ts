/**
 * The protocol side of policy pack metadata and configuration: the pack's
 * `AnalyzerInfo` as plain metadata, enforcement levels and severities from
 * their protocol enums, and the `ConfigureAnalyzerRequest` of a reconciled
 * config.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type {
  EnforcementLevel,
  PackMetadata,
  PolicyConfigEntry,
  PolicyConfigMap,
  PolicyMetadata,
  PolicyConfigSchema,
  Severity,
} from "./policy-config";

const LEVEL_OF: Record<number, EnforcementLevel> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_TO: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
};
const SEVERITY_OF: Record<number, Severity> = {
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "unspecified",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

export function enforcementLevelOf(level: number): EnforcementLevel {
  const l = LEVEL_OF[level];
  if (!l) throw new Error(`invalid enforcement level ${level} from the policy pack`);
  return l;
}

export function severityOf(severity: number): Severity {
  return SEVERITY_OF[severity] ?? "unspecified";
}

function configEntryOf(pc: analyzerpb.PolicyConfig): PolicyConfigEntry {
  const props = pc.getProperties()?.toJavaScript();
  return {
    enforcementLevel: enforcementLevelOf(pc.getEnforcementlevel()),
    properties: props && Object.keys(props).length ? props : undefined,
  };
}

export function packMetadataOf(info: analyzerpb.AnalyzerInfo): PackMetadata {
  const policies = info.getPoliciesList().map((p): PolicyMetadata => {
    const schema = p.getConfigschema();
    const fw = p.getFramework();
    const type = p.getPolicyType();
    return {
      name: p.getName(),
      displayName: p.getDisplayname() || undefined,
      description: p.getDescription(),
      enforcementLevel: enforcementLevelOf(p.getEnforcementlevel()),
      type:
        type === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE
          ? "resource"
          : type === analyzerpb.PolicyType.POLICY_TYPE_STACK
            ? "stack"
            : "unknown",
      severity: severityOf(p.getSeverity()),
      configSchema: schema
        ? {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as PolicyConfigSchema["properties"],
            required: schema.getRequiredList(),
          }
        : undefined,
      tags: p.getTagsList(),
      remediationSteps: p.getRemediationSteps() || undefined,
      url: p.getUrl() || undefined,
      framework: fw
        ? {
            name: fw.getName() || undefined,
            version: fw.getVersion() || undefined,
            reference: fw.getReference() || undefined,
            specification: fw.getSpecification() || undefined,
          }
        : undefined,
    };
  });
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const initialConfig: PolicyConfigMap = {};
  info.getInitialconfigMap().forEach((v, k) => {
    initialConfig[k] = configEntryOf(v);
  });
  return {
    name: info.getName(),
    displayName: info.getDisplayname() || undefined,
    version: info.getVersion(),
    description: info.getDescription() || undefined,
    supportsConfig: info.getSupportsconfig(),
    policies,
    initialConfig,
  };
}

export function configureRequest(config: PolicyConfigMap): analyzerpb.ConfigureAnalyzerRequest {
  const req = new analyzerpb.ConfigureAnalyzerRequest();
  for (const [name, entry] of Object.entries(config)) {
    const pc = new analyzerpb.PolicyConfig();
    // The CLI marshals an unset level as advisory (its zero value); keep that.
    pc.setEnforcementlevel(LEVEL_TO[entry.enforcementLevel ?? "advisory"]);
    pc.setProperties(Struct.fromJavaScript((entry.properties ?? {}) as Record<string, never>));
    req.getPolicyconfigMap().set(name, pc);
  }
  return req;
}
