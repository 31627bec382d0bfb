/**
 * The controls of the contract (docs/controls.md), defined once: ids, titles
 * and the tier rule. The pack's metadata, the mutation suite, the control
 * matrix and the tests all read them from here.
 */
export const CONTROL_IDS = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** One-line titles of the controls (docs/controls.md). */
export const CONTROL_TITLES: Readonly<Record<ControlId, string>> = {
  C1: "training data and artifacts encrypted with a customer-managed key",
  C2: "keys rotate and cannot vanish quickly",
  C3: "nothing is public",
  C4: "data reachable only from the private network",
  C5: "encryption in transit",
  C6: "least-privilege workload identity, no long-lived credentials",
  C7: "training jobs inherit the guardrails",
  C8: "every access is audited",
  C9: "no data loss",
  C10: "every resource is attributable",
  C11: "deployable: the cloud accepts it, runs jobs in it, and tears it down",
};

/** Controls whose policies stay mandatory even in dev (docs/controls.md, "Tiers"). */
export const ALWAYS_MANDATORY: readonly ControlId[] = ["C1", "C3", "C5", "C6"];
