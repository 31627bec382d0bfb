/**
 * What a mutation is: a named, security-weakening change to the recording
 * of a shipped stack (the same recording `npm run check` makes), the
 * control of docs/controls.md it breaks, the stacks it applies to and the
 * policies of the pack that must catch it.
 */
import type { Recording } from "../../engine/recorder";

export const SHIPPED_STACKS = ["dev", "prod", "azure-dev", "azure-prod"] as const;
export type StackName = (typeof SHIPPED_STACKS)[number];

export const AWS_STACKS: readonly StackName[] = ["dev", "prod"];
export const AZURE_STACKS: readonly StackName[] = ["azure-dev", "azure-prod"];

import { CONTROL_IDS, ControlId } from "../../policy-pack/controls";

export const CONTROLS = CONTROL_IDS;
export type Control = ControlId;

export type Cloud = "aws" | "azure";

export function cloudOf(stack: StackName): Cloud {
  return stack.startsWith("azure-") ? "azure" : "aws";
}

export interface Mutation {
  /** Unique, kebab-case: `s3-sse-aes256`. */
  readonly name: string;
  readonly control: Control;
  /** One sentence: what the mutation weakens. */
  readonly description: string;
  /** The stacks it applies to (those that have what it changes). */
  readonly stacks: readonly StackName[];
  /**
   * The policies that must each raise a mandatory violation (all of them for
   * the control of this mutation). Empty for a known gap.
   */
  readonly expect: readonly string[];
  /** Pure: returns a weakened copy, never changes its argument. Throws when the stack lacks its target. */
  readonly apply: (recording: Recording) => Recording;
}
