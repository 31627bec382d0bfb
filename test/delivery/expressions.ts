/**
 * A small evaluator for GitHub Actions expressions (`${{ ... }}`), enough to
 * resolve what the delivery workflows compute from `matrix` and `inputs`:
 * property paths, string/number/boolean/null literals, `!`, `==`, `!=`, `&&`,
 * `||`, parentheses and the functions format, startsWith, endsWith, contains.
 * Anything that depends on a context the caller did not supply (vars, secrets,
 * github, steps, ...) or on a run-time function (hashFiles, cancelled, ...)
 * evaluates to UNKNOWN, so a test can tell "false" from "cannot know offline".
 * Semantics follow GitHub's: string comparison ignores case, a missing
 * property is null, null/'' /0/false are falsy, `a || b` yields a value.
 */

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;
export type Value = string | number | boolean | null | Unknown | object;

/** Contexts by name, e.g. `{ matrix: { stack: "dev" }, inputs: {...} }`. */
export type Contexts = Readonly<Record<string, unknown>>;

type Token =
  { kind: "str"; value: string } | { kind: "num"; value: number } | { kind: "ident"; value: string } | { kind: "op"; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in expression: ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      tokens.push({ kind: "str", value: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: "num", value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_*-]+)*/.exec(src.slice(i))!;
      tokens.push({ kind: "ident", value: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (["==", "!=", "&&", "||", "<=", ">="].includes(two)) {
        tokens.push({ kind: "op", value: two });
        i += 2;
      } else if ("()!,<>[]".includes(c)) {
        tokens.push({ kind: "op", value: c });
        i++;
      } else {
        throw new Error(`unexpected character ${JSON.stringify(c)} in expression: ${src}`);
      }
    }
  }
  return tokens;
}

function truthy(v: Value): boolean | Unknown {
  if (v === UNKNOWN) return UNKNOWN;
  return !(v === null || v === false || v === "" || v === 0);
}

function equal(a: Value, b: Value): boolean | Unknown {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (a === null || b === null) return a === b || a === "" || b === "";
  return a === b;
}

function asString(v: Value): string | Unknown {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function lookup(path: string, contexts: Contexts): Value {
  const [head, ...rest] = path.split(".");
  if (head === "true") return true;
  if (head === "false") return false;
  if (head === "null") return null;
  if (!Object.prototype.hasOwnProperty.call(contexts, head)) return UNKNOWN;
  let cur: unknown = contexts[head];
  for (const key of rest) {
    if (cur === UNKNOWN) return UNKNOWN;
    if (cur === null || typeof cur !== "object") return null;
    const obj = cur as Record<string, unknown>;
    cur = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;
  }
  return cur === undefined ? null : (cur as Value);
}

/** A case-insensitive test of two values as strings (GitHub's startsWith, endsWith, contains). */
function stringTest(a: Value, b: Value, test: (x: string, y: string) => boolean): boolean | Unknown {
  const x = asString(a);
  const y = asString(b);
  if (x === UNKNOWN || y === UNKNOWN) return UNKNOWN;
  return test(x.toLowerCase(), y.toLowerCase());
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  format: ([fmt, ...args]) => {
    const f = asString(fmt);
    if (f === UNKNOWN) return UNKNOWN;
    const parts = args.map(asString);
    if (parts.includes(UNKNOWN)) return UNKNOWN;
    return f.replace(/\{(\d+)\}/g, (_, n: string) => String(parts[Number(n)] ?? ""));
  },
  startswith: ([a, b]) => stringTest(a, b, (x, y) => x.startsWith(y)),
  endswith: ([a, b]) => stringTest(a, b, (x, y) => x.endsWith(y)),
  contains: ([a, b]) => {
    if (Array.isArray(a)) return a.some((e) => equal(e as Value, b) === true);
    return stringTest(a, b, (x, y) => x.includes(y));
  },
};

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly contexts: Contexts,
    private readonly src: string,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.pos !== this.tokens.length) throw new Error(`unexpected token in expression: ${this.src}`);
    return v;
  }

  private peekOp(op: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.kind === "op" && t.value === op;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) throw new Error(`expected '${op}' in expression: ${this.src}`);
    this.pos++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peekOp("||")) {
      this.pos++;
      const right = this.and();
      const t = truthy(left);
      left = t === UNKNOWN ? UNKNOWN : t ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.peekOp("&&")) {
      this.pos++;
      const right = this.equality();
      const t = truthy(left);
      if (t === false) continue; // false && x = false (left stays)
      left = t === UNKNOWN ? (truthy(right) === false ? false : UNKNOWN) : right;
    }
    return left;
  }

  private equality(): Value {
    let left = this.unary();
    while (this.peekOp("==") || this.peekOp("!=")) {
      const op = (this.tokens[this.pos++] as { value: string }).value;
      const right = this.unary();
      const eq = equal(left, right);
      left = eq === UNKNOWN ? UNKNOWN : op === "==" ? eq : !eq;
    }
    return left;
  }

  private unary(): Value {
    if (this.peekOp("!")) {
      this.pos++;
      const t = truthy(this.unary());
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    return this.primary();
  }

  private primary(): Value {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new Error(`unexpected end of expression: ${this.src}`);
    if (t.kind === "str" || t.kind === "num") return t.value;
    if (t.kind === "op" && t.value === "(") {
      const v = this.or();
      this.expectOp(")");
      return v;
    }
    if (t.kind === "ident") {
      if (this.peekOp("(")) {
        this.pos++;
        const args: Value[] = [];
        if (!this.peekOp(")")) {
          args.push(this.or());
          while (this.peekOp(",")) {
            this.pos++;
            args.push(this.or());
          }
        }
        this.expectOp(")");
        const fn = FUNCTIONS[t.value.toLowerCase()];
        return fn ? fn(args) : UNKNOWN; // hashFiles, cancelled, always, success, ...
      }
      return lookup(t.value, this.contexts);
    }
    throw new Error(`unexpected '${t.value}' in expression: ${this.src}`);
  }
}

/** Evaluates the body of one `${{ ... }}`. */
export function evaluate(expr: string, contexts: Contexts): Value {
  return new Parser(tokenize(expr), contexts, expr).parse();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** Replaces every `${{ ... }}` in a string; UNKNOWN if any part is unknown. */
export function interpolate(template: string, contexts: Contexts): string | Unknown {
  let unknown = false;
  const out = template.replace(TEMPLATE, (_, body: string) => {
    const s = asString(evaluate(body, contexts));
    if (s === UNKNOWN) {
      unknown = true;
      return "";
    }
    return s;
  });
  return unknown ? UNKNOWN : out;
}

/** A value from a workflow (`with:` entry, `environment`, ...) with expressions resolved. */
export function resolveValue(value: unknown, contexts: Contexts): Value {
  if (typeof value !== "string") return value === undefined ? null : (value as Value);
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  // A value that is exactly one expression keeps its type (e.g. boolean).
  if (whole && !whole[1].includes("}}")) return evaluate(whole[1], contexts);
  return interpolate(value, contexts);
}

/** A job or step `if:` (with or without `${{ }}`); absent means true. */
export function condition(ifValue: unknown, contexts: Contexts): boolean | Unknown {
  if (ifValue === undefined || ifValue === null) return true;
  if (typeof ifValue === "boolean") return ifValue;
  const src = String(ifValue).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(src);
  return truthy(evaluate(whole ? whole[1] : src, contexts));
}
