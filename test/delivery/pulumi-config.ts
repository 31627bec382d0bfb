/**
 * The checks the Pulumi CLI applies to a project's `config:` declarations and
 * a stack's config before `pulumi preview` / `pulumi up` runs the program
 * (pulumi/pulumi sdk/go/common/workspace: Project.Validate, mergeConfig,
 * ValidateConfigValue), as a pure function, so the test suite can prove that
 * every shipped stack file gets past them without a Pulumi CLI:
 * - a declared project key with neither `default` nor `value` is required in
 *   every stack ("Stack 'dev' is missing configuration values ...");
 * - an explicitly typed key's stack value must have that type;
 * - an array type needs `items`; a default must have the declared type;
 * - a key of another namespace (aws:region) takes `value`, never type/default.
 */

export interface ConfigItems {
  readonly type?: string;
  readonly items?: ConfigItems;
}

export interface ConfigDeclaration extends ConfigItems {
  readonly description?: string;
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret?: boolean;
}

export interface ProjectConfig {
  readonly name: string;
  readonly config?: Readonly<Record<string, ConfigDeclaration | string | number | boolean | unknown[]>>;
}

const ALLOWED_ATTRIBUTES = new Set(["type", "description", "items", "default", "value", "secret"]);
const TYPES = new Set(["string", "integer", "boolean", "array", "object"]);

function namespacedByProject(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

/** Pulumi's shorthand: `key: value` is a default for a project key, a value for another namespace. */
function declarations(project: ProjectConfig): [string, ConfigDeclaration][] {
  return Object.entries(project.config ?? {}).map(([key, decl]) => {
    if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) return [key, decl as ConfigDeclaration];
    return [key, namespacedByProject(project.name, key) ? { default: decl } : { value: decl }];
  });
}

/** ValidateConfigValue: does a (YAML-parsed) value have the declared type? */
export function hasConfigType(type: string, items: ConfigItems | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return Array.isArray(value) && items?.type !== undefined && value.every((v) => hasConfigType(items.type!, items.items, v));
    default:
      return false;
  }
}

function typeName(decl: ConfigItems): string {
  return decl.items ? `array<${typeName(decl.items)}>` : String(decl.type);
}

/** Errors the CLI reports for the project file itself (Project.Validate and its JSON schema). */
export function projectConfigProblems(project: ProjectConfig): string[] {
  const problems: string[] = [];
  for (const [key, decl] of declarations(project)) {
    for (const attr of Object.keys(decl)) {
      if (!ALLOWED_ATTRIBUTES.has(attr)) problems.push(`#/config/${key}: '${attr}' not allowed`);
    }
    if (decl.type !== undefined && !TYPES.has(decl.type)) problems.push(`#/config/${key}/type: '${decl.type}' is not a config type`);
    if (decl.default !== undefined && decl.value !== undefined) {
      problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    }
    if (namespacedByProject(project.name, key)) {
      if (decl.type === "array" && decl.items === undefined) {
        problems.push(
          `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
        );
      }
      if (decl.type !== undefined && decl.default !== undefined && !hasConfigType(decl.type, decl.items, decl.default)) {
        problems.push(`The default value specified for configuration key '${key}' is not of the expected type '${typeName(decl)}'`);
      }
    } else {
      if (decl.type !== undefined)
        problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
      if (decl.default !== undefined)
        problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a default value`);
      if (decl.value === undefined) problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
    }
  }
  return problems;
}

/**
 * Errors the CLI reports when it merges the project config into a stack's
 * config (`stackConfig`: the stack file's `config:` map, keys as written).
 */
export function stackConfigProblems(project: ProjectConfig, stack: string, stackConfig: Readonly<Record<string, unknown>>): string[] {
  const qualified = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const onStack = new Map(Object.entries(stackConfig).map(([k, v]) => [qualified(k), v]));
  const missing: string[] = [];
  const problems: string[] = [];
  for (const [key, decl] of declarations(project).sort(([a], [b]) => a.localeCompare(b))) {
    const found = onStack.has(qualified(key));
    if (!found && decl.default === undefined && decl.value === undefined && namespacedByProject(project.name, key)) {
      missing.push(key);
      continue;
    }
    if (!found || decl.type === undefined) continue;
    const value = onStack.get(qualified(key));
    const secure = value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in (value as object);
    if (decl.secret && !secure) problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
    if (!secure && !hasConfigType(decl.type, decl.items, value)) {
      problems.push(`Stack '${stack}' with configuration key '${key}' must be of type '${typeName(decl)}'`);
    }
  }
  if (missing.length === 1) problems.unshift(`Stack '${stack}' is missing configuration value '${missing[0]}'`);
  if (missing.length > 1) {
    const quoted = missing.map((k) => `'${k}'`);
    problems.unshift(`Stack '${stack}' is missing configuration values ${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`);
  }
  return problems;
}
