/**
 * What a mutation is: a named, security-weakening change to the recording
 * of a shipped stack (the same recording `npm run check` makes), the
 * control of docs/controls.md it breaks, the stacks it applies to and the
 * policies of the pack that must catch it.
 */
import { shippedStackNames, shippedStacks, stacksOfCloud } from "../../engine/project";
import type { Recording } from "../../engine/recorder";

/** A shipped stack's name (the stacks come from the `Pulumi.<stack>.yaml` files: engine/project.ts). */
export type StackName = string;

export const SHIPPED_STACKS: readonly StackName[] = shippedStackNames();
export const AWS_STACKS: readonly StackName[] = stacksOfCloud("aws");
export const AZURE_STACKS: readonly StackName[] = stacksOfCloud("azure");

import { CONTROL_IDS, ControlId } from "../../policy-pack/controls";

export const CONTROLS = CONTROL_IDS;
export type Control = ControlId;

export type Cloud = "aws" | "azure";

/** The cloud of a shipped stack, from its stack file. */
export function cloudOf(stack: StackName): Cloud {
  const cloud = shippedStacks().find((s) => s.name === stack)?.cloud;
  if (cloud !== "aws" && cloud !== "azure")
    throw new Error(`${stack} is not a shipped stack of a known cloud (stacks: ${SHIPPED_STACKS.join(", ")})`);
  return cloud;
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
