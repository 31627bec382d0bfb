/**
 * A small IAM policy evaluator for tests: enough of the AWS evaluation logic
 * to decide whether an identity policy allows one request, for the condition
 * operators this project's policies use. It follows the IAM documentation:
 * - evaluation: an explicit Deny wins, else any matching Allow, else implicit deny
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * - operators (String*, Arn*, Bool, Null, Numeric*, `...IfExists`): every operator of a
 *   statement, every key of an operator must hold; values of one key are ORed
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - `ForAllValues:` holds when every request value matches some policy value (also when the
 *   key is absent); `ForAnyValue:` when some request value matches (false when absent)
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * Anything it does not know (another operator) throws, so a test never passes by accident.
 */

export type ContextValue = string | readonly string[];
/** Request context: condition key -> value(s); keys compare case-insensitively. */
export type RequestContext = Readonly<Record<string, ContextValue | undefined>>;

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

export interface Decision {
  readonly allowed: boolean;
  /** Sids (or indexes) of the statements that matched, by effect. */
  readonly allowedBy: string[];
  readonly deniedBy: string[];
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** IAM wildcard match: `*` any run, `?` one character. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    caseInsensitive ? "is" : "s",
  );
  return re.test(value);
}

function lookup(ctx: RequestContext, key: string): string[] | undefined {
  const k = Object.keys(ctx).find((x) => x.toLowerCase() === key.toLowerCase());
  const v = k === undefined ? undefined : ctx[k];
  if (v === undefined) return undefined;
  return typeof v === "string" ? [v] : [...v];
}

type Matcher = (policyValue: string, requestValue: string) => boolean;

const BASE: Record<string, { match: Matcher; negated: boolean }> = {
  StringEquals: { match: (p, r) => p === r, negated: false },
  StringNotEquals: { match: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { match: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { match: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  StringLike: { match: (p, r) => globMatch(p, r), negated: false },
  StringNotLike: { match: (p, r) => globMatch(p, r), negated: true },
  ArnEquals: { match: (p, r) => arnLike(p, r), negated: false },
  ArnLike: { match: (p, r) => arnLike(p, r), negated: false },
  ArnNotEquals: { match: (p, r) => arnLike(p, r), negated: true },
  ArnNotLike: { match: (p, r) => arnLike(p, r), negated: true },
  Bool: { match: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  NumericEquals: { match: (p, r) => Number(r) === Number(p), negated: false },
  NumericLessThan: { match: (p, r) => Number(r) < Number(p), negated: false },
  NumericLessThanEquals: { match: (p, r) => Number(r) <= Number(p), negated: false },
  NumericGreaterThan: { match: (p, r) => Number(r) > Number(p), negated: false },
  NumericGreaterThanEquals: { match: (p, r) => Number(r) >= Number(p), negated: false },
};

/** ARN match: six colon-separated parts, each matched with wildcards (IAM's ArnLike). */
function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(":");
  const a = arn.split(":");
  if (p.length < 6 || a.length < 6) return false;
  const head = (x: string[]) => [...x.slice(0, 5), x.slice(5).join(":")];
  const hp = head(p);
  const ha = head(a);
  return hp.every((seg, i) => globMatch(seg, ha[i]));
}

/** Whether one condition operator block holds for the request. */
export function conditionHolds(operator: string, block: Record<string, unknown>, ctx: RequestContext): boolean {
  let op = operator;
  let setOp: "ForAllValues" | "ForAnyValue" | undefined;
  const prefix = /^(ForAllValues|ForAnyValue):(.+)$/.exec(op);
  if (prefix) {
    setOp = prefix[1] as "ForAllValues" | "ForAnyValue";
    op = prefix[2];
  }
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -"IfExists".length);

  return Object.entries(block).every(([key, raw]) => {
    const policyValues = list(raw);
    const requestValues = lookup(ctx, key);
    if (op === "Null") {
      if (setOp || ifExists) throw new Error(`unsupported operator ${operator}`);
      const absent = requestValues === undefined || requestValues.length === 0;
      return policyValues.some((v) => (v.toLowerCase() === "true") === absent);
    }
    const base = BASE[op];
    if (!base) throw new Error(`the test evaluator does not know the condition operator ${operator}`);
    const matchesAny = (r: string) => policyValues.some((p) => base.match(p, r));
    if (requestValues === undefined || requestValues.length === 0) {
      if (setOp === "ForAllValues") return true;
      if (setOp === "ForAnyValue") return false;
      return ifExists;
    }
    if (setOp === "ForAllValues") return requestValues.every((r) => (base.negated ? !matchesAny(r) : matchesAny(r)));
    if (setOp === "ForAnyValue") return requestValues.some((r) => (base.negated ? !matchesAny(r) : matchesAny(r)));
    if (requestValues.length > 1) throw new Error(`${key} is multi-valued; ${operator} needs ForAllValues: or ForAnyValue:`);
    return base.negated ? !matchesAny(requestValues[0]) : matchesAny(requestValues[0]);
  });
}

function statementApplies(st: Statement, req: Request): boolean {
  const actionMatches = (patterns: string[]) => patterns.some((p) => globMatch(p, req.action, true));
  if (st.Action !== undefined && !actionMatches(list(st.Action))) return false;
  if (st.NotAction !== undefined && actionMatches(list(st.NotAction))) return false;
  if (!list(st.Resource ?? "*").some((p) => globMatch(p, req.resource))) return false;
  return Object.entries(st.Condition ?? {}).every(([op, block]) => conditionHolds(op, block, req.context));
}

/** Evaluates one identity-based policy for one request. */
export function evaluate(policy: PolicyDocument, req: Request): Decision {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const allowedBy: string[] = [];
  const deniedBy: string[] = [];
  statements.forEach((st, i) => {
    if (!statementApplies(st, req)) return;
    (st.Effect === "Deny" ? deniedBy : allowedBy).push(st.Sid ?? `#${i}`);
  });
  return { allowed: deniedBy.length === 0 && allowedBy.length > 0, allowedBy, deniedBy };
}
