/**
 * VpcOnly SageMaker domains (C11): with no internet, Studio reaches SageMaker
 * only through interface endpoints. The SageMaker developer guide: "you won't
 * be able to run a Studio notebook unless your VPC has an interface endpoint
 * to the SageMaker API and runtime, or a NAT gateway with internet access".
 * A domain planned without both endpoints (and without a NAT gateway in the
 * stack) deploys, but no Studio app starts.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as sagemaker from "@pulumi/aws/sagemaker";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens, typeToken } from "../../../lib/define";
import { ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, isUnknown, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const endpointProps = propsOf(ec2.VpcEndpoint);
const domainProps = propsOf(sagemaker.Domain);
const vpcProps = propsOf(ec2.Vpc);
const DOMAIN_TYPE = typeToken(sagemaker.Domain);

/** Endpoint services a VpcOnly domain needs, as the suffix of `com.amazonaws.<region>.<service>`. */
export const STUDIO_ENDPOINT_SERVICES = ["sagemaker.api", "sagemaker.runtime"] as const;

function urnsOf(r: PolicyResource, prop: string): string[] {
  const deps = r.propertyDependencies?.[prop];
  return Array.isArray(deps) ? deps.map((d) => d?.urn).filter((u): u is string => typeof u === "string") : [];
}

/**
 * Where a resource's vpcId points, as index keys: `id:<vpc id>` when the
 * value is known, else `urn:<resource>` for each resource it was computed
 * from (preview), a VPC of the stack with a known id counting as that id.
 * Undefined when nothing can tell.
 */
function vpcKeys(r: PolicyResource, vpcIdByUrn: ReadonlyMap<string, string>): string[] | undefined {
  // A domain and an endpoint both name their VPC in vpcId.
  const v = r.type === DOMAIN_TYPE ? domainProps.get(r.props, "vpcId") : endpointProps.get(r.props, "vpcId");
  if (known(v)) return [`id:${v}`];
  const deps = urnsOf(r, "vpcId");
  if (deps.length > 0) return deps.map((u) => (vpcIdByUrn.has(u) ? `id:${vpcIdByUrn.get(u)}` : `urn:${u}`));
  return isUnknown(v) || v === UNKNOWN ? undefined : [];
}

/** The Studio service an interface endpoint serves (`sagemaker.api` for `com.amazonaws.us-east-1.sagemaker.api`), "unknown", or undefined. */
function serviceOf(endpoint: PolicyResource): string | "unknown" | undefined {
  const type = endpointProps.str(endpoint.props, "vpcEndpointType");
  if (type === UNKNOWN) return "unknown";
  if (type !== "Interface") return undefined;
  const name = endpointProps.str(endpoint.props, "serviceName");
  if (name === UNKNOWN) return "unknown";
  if (!known(name)) return undefined;
  return STUDIO_ENDPOINT_SERVICES.find((s) => name.endsWith(`.${s}`));
}

/** Severity high. Stack: every VpcOnly SageMaker domain has sagemaker.api and sagemaker.runtime interface endpoints in its VPC. */
export const domainMissingStudioEndpoints = stackPolicy({
  name: "aws-sagemaker-domain-missing-studio-endpoints",
  control: "C11",
  severity: "high",
  description:
    "Every VpcOnly SageMaker domain has Interface VPC endpoints for the SageMaker API (sagemaker.api) and runtime (sagemaker.runtime) in its VPC (or the stack has a NAT gateway); without them no Studio app starts.",
  remediationSteps:
    'Add `new aws.ec2.VpcEndpoint(name, { vpcId, vpcEndpointType: "Interface", serviceName: "com.amazonaws.<region>.sagemaker.api", privateDnsEnabled: true, subnetIds, securityGroupIds })` and the same for sagemaker.runtime, or leave the domain out of stacks that only run training jobs (jobs need neither endpoint).',
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
  targetType: sagemaker.Domain,
  validateStack: (args, report) => {
    const domains = targetsOf(args, tokens(sagemaker.Domain), "SageMaker domains");
    // A NAT gateway gives the domain the internet path the guide offers as the alternative.
    if (ofTypes(args.resources, tokens(ec2.NatGateway)).length > 0) return;
    // Indexed once (linear in the stack): the Studio services (or "unknown") of the interface endpoints by VPC key.
    const vpcIdByUrn = new Map<string, string>();
    for (const v of ofTypes(args.resources, tokens(ec2.Vpc))) {
      const id = vpcProps.get(v.props, "id");
      if (known(id)) vpcIdByUrn.set(v.urn, id);
    }
    const servicesByVpc = new Map<string, Set<string>>();
    let endpointsWithUnknownVpc = false;
    for (const e of ofTypes(args.resources, tokens(ec2.VpcEndpoint))) {
      const service = serviceOf(e);
      if (service === undefined) continue;
      const keys = vpcKeys(e, vpcIdByUrn);
      if (keys === undefined) {
        endpointsWithUnknownVpc = true;
        continue;
      }
      for (const k of keys) {
        const set = servicesByVpc.get(k) ?? new Set<string>();
        set.add(service);
        servicesByVpc.set(k, set);
      }
    }
    for (const domain of domains) {
      const mode = domainProps.str(domain.props, "appNetworkAccessType");
      if (mode !== "VpcOnly") continue;
      const keys = vpcKeys(domain, vpcIdByUrn);
      const found = new Set<string>();
      let undecided = keys === undefined || endpointsWithUnknownVpc;
      for (const k of keys ?? []) {
        for (const service of servicesByVpc.get(k) ?? []) {
          if (service === "unknown") undecided = true;
          else found.add(service);
        }
      }
      const missing = STUDIO_ENDPOINT_SERVICES.filter((s) => !found.has(s));
      if (missing.length === 0 || undecided) continue;
      report(
        formatViolation({
          what: `the VpcOnly SageMaker domain has no Interface VPC endpoint for ${missing.join(" and ")} in its VPC (and the stack has no NAT gateway): the domain deploys, but SageMaker cannot start any Studio app in it`,
          where: at(domain, "vpcId"),
          fix: `add aws.ec2.VpcEndpoint resources (vpcEndpointType "Interface", privateDnsEnabled: true) for ${missing.map((s) => `com.amazonaws.<region>.${s}`).join(" and ")} in the domain's VPC and subnets`,
        }),
        domain.urn,
      );
    }
  },
});
