/**
 * A resource policy that checks one (dotted) property of one resource type
 * against one expected value. Unknown values (preview) pass; the message
 * names the property, its value, what is expected and how to fix it.
 */
import type { Severity } from "@pulumi/policy";
import type { ControlId } from "../controls";
import { ResourceClass, resourcePolicy, validateResourcesOfTypes } from "./define";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { FrameworkRef } from "./frameworks";
import { at, formatViolation } from "./messages";
import type { DottedPath, PropsOf } from "./props";
import { UNKNOWN, describe, get } from "./values";

/** A flag policy's spec; `P` is the set of property paths allowed (see `flagPolicy`). */
export interface FlagSpec<P extends string = string> {
  readonly name: string;
  readonly control: ControlId;
  readonly severity: Severity;
  readonly description: string;
  /** Dotted path from the resource's inputs, e.g. `properties.enablePurgeProtection` (checked against the class's types). */
  readonly property: P;
  /** True when the value is compliant. */
  readonly ok: (value: unknown) => boolean;
  readonly expected: string;
  readonly remediationSteps: string;
  readonly url: string;
  readonly checks?: readonly string[];
  readonly frameworks?: readonly FrameworkRef[];
}

/** The flag spec of a resource class: its `property` must be a dotted path of the class's properties. */
export type FlagSpecOf<C extends ResourceClass> = FlagSpec<DottedPath<PropsOf<C>>>;

export function flagPolicy<C extends ResourceClass>(resourceClass: C, spec: FlagSpecOf<C>): ResourceValidationPolicy {
  const path = spec.property.split(".");
  return resourcePolicy({
    name: spec.name,
    control: spec.control,
    severity: spec.severity,
    description: spec.description,
    remediationSteps: spec.remediationSteps,
    url: spec.url,
    checks: spec.checks,
    frameworks: spec.frameworks,
    validateResource: validateResourcesOfTypes([resourceClass], (props, args, report) => {
      const value = get(props, ...path);
      if (value === UNKNOWN || spec.ok(value)) return;
      report(
        formatViolation({
          what: `${spec.property} is ${describe(value)}, not ${spec.expected}`,
          where: at(args, spec.property),
          fix: `set ${spec.property} to ${spec.expected}`,
        }),
      );
    }),
  });
}
