/**
 * Runs a policy pack over a stack model exactly as the engine does in a
 * preview: for every resource `Remediate` (only when some policy is at
 * `remediate`) then `Analyze` with the remediated inputs; `AnalyzeStack`
 * once with every resource's outputs. Calls are spread over the pool's
 * processes, `inFlight` at a time on each.
 */
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ModelResource, StackModel } from "./model";
import type { PackPool } from "./pack/pool";
import { enforcementLevelOf, severityOf } from "./pack/metadata";
import type { EnforcementLevel, Severity } from "./pack/policy-config";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest, hasDiagnostics } from "./pack/wire";

const EMPTY_RESPONSE = new analyzerpb.AnalyzeResponse();

/** Most responses hold no diagnostic (only the not-applicable list): decode only those that do. */
function analyzeResponseOf(bytes: Buffer): analyzerpb.AnalyzeResponse {
  return hasDiagnostics(bytes) ? analyzerpb.AnalyzeResponse.deserializeBinary(bytes) : EMPTY_RESPONSE;
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  /** As the engine reports it (`remediate` downgraded to `mandatory`). */
  readonly enforcementLevel: Exclude<EnforcementLevel, "remediate">;
  readonly severity: Severity;
  /** The analyzed resource (Analyze) or the one the stack policy named (AnalyzeStack; may be absent). */
  readonly urn?: string;
  readonly stage: "analyze" | "analyzeStack";
}

export interface RemediationResult {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly urn: string;
  /** Top-level input properties the remediation changed. */
  readonly changed: readonly string[];
  /** A warning instead of a change (e.g. could not run during preview). */
  readonly diagnostic?: string;
}

export interface AnalysisTimings {
  /** Pool start to the last diagnostic (includes pack start when the pool was started for this run). */
  readonly totalMs: number;
  /** First Analyze call to the last Analyze response. */
  readonly analyzeMs: number;
  /** AnalyzeStack call to its response. */
  readonly analyzeStackMs: number;
  readonly processes: number;
  readonly resources: number;
}

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  readonly remediations: readonly RemediationResult[];
  readonly timings: AnalysisTimings;
  /**
   * With `notApplicable`: the policies each response said were not applicable (by URN; `stack` for
   * AnalyzeStack; `remediate` by URN for Remediate, absent when no policy is at `remediate` and so
   * Remediate was not called).
   */
  readonly notApplicable?: {
    readonly resources: ReadonlyMap<string, readonly string[]>;
    readonly stack: readonly string[];
    readonly remediate?: ReadonlyMap<string, readonly string[]>;
  };
}

export interface AnalyzeOptions {
  /** Calls in flight per pack process (default 48). */
  readonly inFlight?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Measure `totalMs` from here instead of from the pool's start. */
  readonly since?: number;
  /**
   * Decode every response's not-applicable list (the engine's policy summaries need it: passed =
   * policies minus disabled, not applicable and failed). Off by default: most responses are then
   * not decoded at all.
   */
  readonly notApplicable?: boolean;
}

function diagnosticOf(
  d: analyzerpb.AnalyzeDiagnostic,
  stage: Diagnostic["stage"],
  urn: string | undefined,
  policySeverity: (name: string) => Severity,
): Diagnostic {
  const level = enforcementLevelOf(d.getEnforcementlevel());
  const severity = severityOf(d.getSeverity());
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: level === "remediate" ? "mandatory" : level,
    severity: severity === "unspecified" ? policySeverity(d.getPolicyname()) : severity,
    urn,
    stage,
  };
}

/** The policies a response lists as not applicable. */
function notApplicableNames(res: analyzerpb.AnalyzeResponse | analyzerpb.RemediateResponse): string[] {
  return res.getNotApplicableList().map((na) => na.getPolicyName());
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

export async function analyzeModel(pool: PackPool, model: StackModel, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const meta = pool.metadata;
  const levels = pool.reconciled.levels;
  const severityByPolicy = new Map(meta.policies.map((p) => [p.name, p.severity]));
  const policySeverity = (name: string) => severityByPolicy.get(name) ?? "unspecified";
  const remediating = meta.policies.some((p) => p.type !== "stack" && levels[p.name] === "remediate");
  const packs = pool.processes;
  const resources = model.resources;
  const inFlight = Math.max(1, opts.inFlight ?? 48);

  const perResource: Diagnostic[][] = new Array(resources.length);
  const notApplicable = opts.notApplicable ? new Map<string, string[]>() : undefined;
  const remediateNotApplicable = opts.notApplicable && remediating ? new Map<string, string[]>() : undefined;
  let stackNotApplicable: string[] = [];
  const responseOf = (bytes: Buffer, urn: string | undefined): analyzerpb.AnalyzeResponse => {
    if (!notApplicable) return analyzeResponseOf(bytes);
    const res = analyzerpb.AnalyzeResponse.deserializeBinary(bytes);
    const names = notApplicableNames(res);
    if (urn === undefined) stackNotApplicable = names;
    else notApplicable.set(urn, names);
    return res;
  };
  const remediations: RemediationResult[] = [];
  const remediatedInputs = new Map<string, Record<string, unknown>>();
  let done = 0;

  const analyzeOne = async (pack: (typeof packs)[number], r: ModelResource, index: number) => {
    let inputs = r.inputs;
    if (remediating) {
      let res: analyzerpb.RemediateResponse;
      try {
        res = analyzerpb.RemediateResponse.deserializeBinary(await pack.raw.unary("Remediate", encodeAnalyzeRequest(r, inputs)));
      } catch (e) {
        throw pack.failure(`Remediate(${r.urn})`, e);
      }
      remediateNotApplicable?.set(r.urn, notApplicableNames(res));
      for (const rem of res.getRemediationsList()) {
        const base = {
          policyName: rem.getPolicyname(),
          policyPackName: rem.getPolicypackname(),
          policyPackVersion: rem.getPolicypackversion(),
          description: rem.getDescription(),
          urn: r.urn,
        };
        if (rem.getDiagnostic()) {
          remediations.push({ ...base, changed: [], diagnostic: rem.getDiagnostic() });
        } else if (rem.hasProperties()) {
          const next = rem.getProperties()!.toJavaScript() as Record<string, unknown>;
          remediations.push({ ...base, changed: changedKeys(inputs, next) });
          inputs = next;
          remediatedInputs.set(r.urn, next);
        }
      }
    }
    let res: analyzerpb.AnalyzeResponse;
    try {
      res = responseOf(await pack.raw.unary("Analyze", encodeAnalyzeRequest(r, inputs)), r.urn);
    } catch (e) {
      throw pack.failure(`Analyze(${r.urn})`, e);
    }
    // The engine reports every Analyze diagnostic against the analyzed resource.
    perResource[index] = res.getDiagnosticsList().map((d) => diagnosticOf(d, "analyze", r.urn, policySeverity));
    done++;
    if (done === resources.length) analyzeEnd = Date.now();
    opts.onProgress?.(done, resources.length);
  };

  const started = Date.now();
  let next = 0;
  let analyzeEnd = started;
  let failure: unknown;
  const worker = async (pack: (typeof packs)[number]) => {
    while (next < resources.length && failure === undefined) {
      const i = next++;
      try {
        await analyzeOne(pack, resources[i], i);
      } catch (e) {
        failure ??= e;
      }
    }
  };

  const runStack = async (): Promise<{ diagnostics: Diagnostic[]; ms: number }> => {
    const t0 = Date.now();
    // After remediations the engine analyzes the stack as remediated; outputs follow the new inputs.
    const outputsOf = (r: ModelResource) => {
      const rem = remediatedInputs.get(r.urn);
      return rem ? { ...r.outputs, ...rem } : r.outputs;
    };
    const pack = packs[0];
    let res: analyzerpb.AnalyzeResponse;
    try {
      res = responseOf(await pack.raw.unary("AnalyzeStack", encodeAnalyzeStackRequest(resources, outputsOf)), undefined);
    } catch (e) {
      throw pack.failure("AnalyzeStack", e);
    }
    return {
      diagnostics: res.getDiagnosticsList().map((d) => diagnosticOf(d, "analyzeStack", d.getUrn() || undefined, policySeverity)),
      ms: Date.now() - t0,
    };
  };

  const workersOn = (p: (typeof packs)[number]) => Promise.all(Array.from({ length: inFlight }, () => worker(p)));
  let stack: { diagnostics: Diagnostic[]; ms: number };
  if (remediating) {
    await Promise.all(packs.map(workersOn));
    if (failure !== undefined) throw failure;
    stack = await runStack();
  } else if (packs.length === 1) {
    // Nothing changes the inputs: the stack analysis runs alongside.
    const [, s] = await Promise.all([workersOn(packs[0]), runStack()]);
    stack = s;
  } else {
    // AnalyzeStack is one long call that blocks its process: the first process takes it alone,
    // then helps with whatever Analyze calls are left; the others start on them at once.
    const [, s] = await Promise.all([
      Promise.all(packs.slice(1).map(workersOn)),
      runStack().then(async (result) => {
        await workersOn(packs[0]);
        return result;
      }),
    ]);
    stack = s;
  }
  if (failure !== undefined) throw failure;

  const diagnostics = [...perResource.flat(), ...stack.diagnostics];
  return {
    diagnostics,
    remediations,
    ...(notApplicable
      ? {
          notApplicable: {
            resources: notApplicable,
            stack: stackNotApplicable,
            ...(remediateNotApplicable ? { remediate: remediateNotApplicable } : {}),
          },
        }
      : {}),
    timings: {
      totalMs: Date.now() - (opts.since ?? pool.startedAt),
      analyzeMs: analyzeEnd - started,
      analyzeStackMs: stack.ms,
      processes: packs.length,
      resources: resources.length,
    },
  };
}
