/**
 * One format for every violation message: what is wrong, where (resource
 * name and type, the property), and how to fix it. The runtime prefixes
 * the policy's description and attaches the URN.
 */

export interface Where {
  /** Logical name of the resource (`args.name` / `resource.name`). */
  readonly name: string;
  /** Pulumi type token. */
  readonly type: string;
  /** The property path the problem is in, e.g. `properties.enablePurgeProtection`. */
  readonly property?: string;
}

export interface Problem {
  readonly what: string;
  readonly where: Where;
  readonly fix: string;
}

/** `<what> [<type> "<name>", property <prop>]. Fix: <fix>` */
export function formatViolation(p: Problem): string {
  const where = `${p.where.type} "${p.where.name}"${p.where.property ? `, property ${p.where.property}` : ""}`;
  return `${p.what} [${where}]. Fix: ${p.fix}`;
}

/** `"s3:GetObject", "s3:PutObject"` for messages; unknown entries show as `<unknown>`. */
export function quoted(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? JSON.stringify(v) : "<unknown>")).join(", ");
}

/** Where, for a resource policy's args or a stack policy's resource. */
export function at(resource: { readonly name: string; readonly type: string }, property?: string): Where {
  return { name: resource.name, type: resource.type, property };
}
