/** The pack's policies as the entry file assembles them, for tests (importing the entry file would start the server). */
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as modules from "../../policy-pack/policies";
import { collectPolicies } from "../../policy-pack/lib/registry";

export const ALL_POLICIES: Policies = collectPolicies(modules);

export function policyNamed(name: string): ResourceValidationPolicy | StackValidationPolicy {
  const p = ALL_POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`no policy named ${name}`);
  return p;
}
