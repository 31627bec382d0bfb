/**
 * Optional report sections, in the order they appear (after the violations,
 * before the summary). A section computes a value from the recording and
 * renders it; the JSON report carries it under its key.
 *
 * Planned: `cost`, the idle monthly cost estimate of policy-pack/cost/. Adding
 * it is one object here (key "cost", compute = the estimate of ctx.recording,
 * renderTable = a few lines) plus its shape in check-report.schema.json,
 * where the key is already reserved.
 */
import type { ReportSection } from "./report";

export const SECTIONS: readonly ReportSection[] = [];
