/**
 * AWS policy documents (IAM identity and trust policies, bucket and key
 * policies) as policies meet them: a JSON string (outputs, `jsonStringify`),
 * a typed object (`aws.iam.PolicyDocument` inputs), malformed JSON, or
 * unknown during preview, whole or in parts. `parseDocument` normalises all
 * of these into statements whose lists are always arrays; unknown parts stay
 * `UNKNOWN` so checks can skip what they cannot judge yet.
 */
import { at, formatViolation, quoted } from "./messages";
import { UNKNOWN, Unknown, isUnknown, strings, unwrap } from "./values";

export type Str = string | Unknown;

export interface Principal {
  /** `"*"` or `{ "AWS": "*" }`: anyone. */
  readonly wildcard: boolean;
  readonly aws: readonly Str[];
  readonly service: readonly Str[];
  readonly federated: readonly Str[];
  readonly canonicalUser: readonly Str[];
  /** The principal (or a part of it) is unknown. */
  readonly unknown: boolean;
}

export interface Condition {
  /** Operator as written, e.g. `ForAllValues:StringEquals`. */
  readonly operator: string;
  /** Condition key as written, e.g. `aws:SourceAccount`. */
  readonly key: string;
  readonly values: readonly Str[];
}

export interface Statement {
  /** Position in the document (0-based), for messages. */
  readonly index: number;
  readonly sid?: string;
  /** `Allow`, `Deny`, another string, `UNKNOWN`, or undefined when missing. */
  readonly effect: Str | undefined;
  readonly action: readonly Str[];
  readonly notAction: readonly Str[];
  readonly resource: readonly Str[];
  readonly notResource: readonly Str[];
  readonly hasNotAction: boolean;
  readonly hasNotResource: boolean;
  readonly principal?: Principal;
  readonly notPrincipal?: Principal;
  readonly conditions: readonly Condition[];
  /** The Condition block (or part of it) is unknown. */
  readonly conditionUnknown: boolean;
}

export type ParsedDocument =
  | { readonly kind: "document"; readonly statements: readonly Statement[] }
  | { readonly kind: "unknown" }
  | { readonly kind: "missing" }
  | { readonly kind: "malformed"; readonly reason: string };

function parsePrincipal(value: unknown): Principal | undefined {
  const v = unwrap(value);
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [], unknown: true };
  if (typeof v === "string") {
    return { wildcard: v === "*", aws: v === "*" ? [] : [v], service: [], federated: [], canonicalUser: [], unknown: false };
  }
  if (typeof v !== "object" || Array.isArray(v)) {
    return { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [], unknown: false };
  }
  const o = v as Record<string, unknown>;
  const aws = strings(o.AWS);
  const service = strings(o.Service);
  const federated = strings(o.Federated);
  const canonicalUser = strings(o.CanonicalUser);
  const all = [...aws, ...service, ...federated, ...canonicalUser];
  return {
    wildcard: aws.includes("*"),
    aws,
    service,
    federated,
    canonicalUser,
    unknown: all.includes(UNKNOWN),
  };
}

function parseConditions(value: unknown): { conditions: Condition[]; unknown: boolean } {
  const v = unwrap(value);
  if (v === undefined || v === null) return { conditions: [], unknown: false };
  if (isUnknown(v)) return { conditions: [], unknown: true };
  if (typeof v !== "object" || Array.isArray(v)) return { conditions: [], unknown: false };
  const conditions: Condition[] = [];
  let unknown = false;
  for (const [operator, block] of Object.entries(v as Record<string, unknown>)) {
    const b = unwrap(block);
    if (isUnknown(b)) {
      unknown = true;
      continue;
    }
    if (b === null || typeof b !== "object" || Array.isArray(b)) continue;
    for (const [key, values] of Object.entries(b as Record<string, unknown>)) {
      const raw = unwrap(values);
      const list = Array.isArray(raw) ? raw : [raw];
      const vals: Str[] = list.map((e) => {
        const u = unwrap(e);
        if (isUnknown(u)) return UNKNOWN;
        return typeof u === "string" ? u : typeof u === "boolean" || typeof u === "number" ? String(u) : JSON.stringify(u);
      });
      if (vals.includes(UNKNOWN)) unknown = true;
      conditions.push({ operator, key, values: vals });
    }
  }
  return { conditions, unknown };
}

function parseStatement(value: unknown, index: number): Statement | undefined {
  const v = unwrap(value);
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const s = v as Record<string, unknown>;
  const effect = unwrap(s.Effect);
  const { conditions, unknown } = parseConditions(s.Condition);
  const sid = unwrap(s.Sid);
  return {
    index,
    sid: typeof sid === "string" && !isUnknown(sid) ? sid : undefined,
    effect: isUnknown(effect) ? UNKNOWN : typeof effect === "string" ? effect : undefined,
    action: strings(s.Action),
    notAction: strings(s.NotAction),
    resource: strings(s.Resource),
    notResource: strings(s.NotResource),
    hasNotAction: s.NotAction !== undefined && s.NotAction !== null,
    hasNotResource: s.NotResource !== undefined && s.NotResource !== null,
    principal: parsePrincipal(s.Principal),
    notPrincipal: parsePrincipal(s.NotPrincipal),
    conditions,
    conditionUnknown: unknown,
  };
}

/**
 * Documents parsed from JSON text, by text: several policies read the same
 * document (the identity policies of a role, a bucket policy in Analyze and
 * again in AnalyzeStack), so each text is parsed once. Least recently used
 * entries go first; the parsed documents are frozen, as every reader only
 * reads them.
 */
const parsedByText = new Map<string, ParsedDocument>();
const PARSED_CACHE_LIMIT = 2_000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Parses a policy document in any of the shapes a policy can receive. */
export function parseDocument(value: unknown): ParsedDocument {
  const v = unwrap(value);
  if (typeof v !== "string" || v === "" || isUnknown(v)) return parseValue(v);
  let doc = parsedByText.get(v);
  if (doc) {
    parsedByText.delete(v);
  } else {
    doc = deepFreeze(parseValue(v));
    if (parsedByText.size >= PARSED_CACHE_LIMIT) parsedByText.delete(parsedByText.keys().next().value as string);
  }
  parsedByText.set(v, doc);
  return doc;
}

function parseValue(unwrapped: unknown): ParsedDocument {
  let v = unwrapped;
  if (isUnknown(v)) return { kind: "unknown" };
  if (v === undefined || v === null || v === "") return { kind: "missing" };
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch (e) {
      return { kind: "malformed", reason: `not valid JSON (${(e as Error).message})` };
    }
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { kind: "malformed", reason: "not a JSON object" };
  const raw = unwrap((v as Record<string, unknown>).Statement);
  if (isUnknown(raw)) return { kind: "unknown" };
  if (raw === undefined || raw === null) return { kind: "malformed", reason: "no Statement" };
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: Statement[] = [];
  for (let i = 0; i < list.length; i++) {
    if (isUnknown(unwrap(list[i]))) return { kind: "unknown" };
    const st = parseStatement(list[i], i);
    if (!st) return { kind: "malformed", reason: `Statement ${i} is not an object` };
    statements.push(st);
  }
  return { kind: "document", statements };
}

/** Statements of a parsed document (none unless it parsed). */
export function statementsOf(doc: ParsedDocument): readonly Statement[] {
  return doc.kind === "document" ? doc.statements : [];
}

export function isAllow(st: Statement): boolean {
  return typeof st.effect === "string" && st.effect.toLowerCase() === "allow";
}

export function isDeny(st: Statement): boolean {
  return typeof st.effect === "string" && st.effect.toLowerCase() === "deny";
}

/** Allow statements that grant to any principal ("*") with no condition (known to have none). */
export function unconditionedPublicGrants(statements: readonly Statement[]): Statement[] {
  return statements.filter((st) => isAllow(st) && st.principal?.wildcard && st.conditions.length === 0 && !st.conditionUnknown);
}

/** `Statement 2 ("ReadData")`, for messages. */
export function label(st: Statement): string {
  return `Statement ${st.index}${st.sid ? ` ("${st.sid}")` : ""}`;
}

export interface PublicGrantCheck {
  /** What the document is, for messages: `key policy`, `bucket policy`. */
  readonly document: string;
  /** The resource's property holding it. */
  readonly property: string;
  /** Whether a document that cannot be read is a violation (else it is left to the policy that owns it). */
  readonly malformedIsViolation: boolean;
  /** How to fix a grant to anyone. */
  readonly fix: string;
}

/**
 * Reports a resource-based policy document (key or bucket policy) that
 * cannot be read, and each of its Allow statements that grants to any
 * principal ("*") without a condition.
 */
export function reportUnconditionedPublicGrants(
  value: unknown,
  resource: { readonly name: string; readonly type: string },
  report: (message: string) => void,
  check: PublicGrantCheck,
): void {
  const doc = parseDocument(value);
  if (doc.kind === "malformed") {
    if (check.malformedIsViolation) {
      report(
        formatViolation({
          what: `the ${check.document} cannot be read: ${doc.reason}`,
          where: at(resource, check.property),
          fix: "pass a typed aws.iam.PolicyDocument serialised with JSON.stringify",
        }),
      );
    }
    return;
  }
  if (doc.kind !== "document") return;
  for (const st of unconditionedPublicGrants(doc.statements)) {
    report(
      formatViolation({
        what: `${label(st)} allows ${quoted(st.action)} to any principal ("*") without a condition`,
        where: at(resource, `${check.property}.Statement[${st.index}]`),
        fix: check.fix,
      }),
    );
  }
}

/** Compiled glob patterns (a stack holds few distinct ones); cleared when it grows past the limit. */
const globCache = new Map<string, RegExp>();
const GLOB_CACHE_LIMIT = 5_000;

/** The case-insensitive RegExp of an IAM glob, compiled once per pattern. */
function globRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("")}$`,
      "i",
    );
    if (globCache.size >= GLOB_CACHE_LIMIT) globCache.clear();
    globCache.set(pattern, re);
  }
  return re;
}

/** Patterns compiled so far (for tests: matching many values against one pattern compiles it once). */
export function globCacheSize(): number {
  return globCache.size;
}

/** IAM wildcard match (`*`, `?`), case-insensitive, as IAM matches actions. */
export function globMatch(pattern: string, value: string): boolean {
  return globRegExp(pattern).test(value);
}

/** `*`, `service:*` or `*:...`: an action pattern that grants a whole service or more. */
export function isWildcardAction(action: string): boolean {
  const a = action.trim();
  if (a === "*") return true;
  const i = a.indexOf(":");
  if (i < 0) return a.includes("*");
  const service = a.slice(0, i);
  const name = a.slice(i + 1);
  return service.includes("*") || /^\*+$/.test(name);
}

/** True when a statement's Action list grants `action` (through an exact name or a wildcard). */
export function grantsAction(st: Statement, action: string): boolean {
  if (st.hasNotAction) return st.notAction.every((p) => typeof p === "string" && !globMatch(p, action));
  return st.action.some((p) => typeof p === "string" && globMatch(p, action));
}

/** Condition entries whose key is `key` (case-insensitive, as IAM treats keys). */
export function conditionsOn(st: Statement, key: string): Condition[] {
  return st.conditions.filter((c) => c.key.toLowerCase() === key.toLowerCase());
}

/** The base operator without set prefixes or `IfExists`: `ForAllValues:StringEqualsIfExists` -> `StringEquals`. */
export function baseOperator(operator: string): string {
  return operator.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
}

/**
 * True when the statement's conditions require `key` to be present and
 * constrained: any operator on it except `Null: true` and `...IfExists`
 * (which pass when the key is absent).
 */
export function constrains(st: Statement, key: string): boolean {
  return conditionsOn(st, key).some((c) => {
    if (/IfExists$/.test(c.operator)) return false;
    if (baseOperator(c.operator) === "Null") return c.values.length > 0 && c.values.every((v) => v === "false");
    return c.values.length > 0;
  });
}

/** Identity-policy documents a resource carries, by property path. */
export function identityDocuments(type: string, props: unknown): { property: string; document: unknown }[] {
  const p = unwrap(props);
  if (p === null || typeof p !== "object") return [];
  const o = p as Record<string, unknown>;
  switch (type) {
    case "aws:iam/policy:Policy":
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
      return [{ property: "policy", document: o.policy }];
    case "aws:iam/role:Role": {
      const inline = unwrap(o.inlinePolicies);
      if (!Array.isArray(inline)) return [];
      return inline.map((ip, i) => ({
        property: `inlinePolicies[${i}].policy`,
        document: unwrap(ip) && typeof unwrap(ip) === "object" ? (unwrap(ip) as Record<string, unknown>).policy : undefined,
      }));
    }
    default:
      return [];
  }
}

/** Types whose documents `identityDocuments` reads. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  "aws:iam/policy:Policy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/role:Role",
];
