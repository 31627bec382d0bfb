/**
 * Reads a Pulumi project (`Pulumi.yaml`) and one of its stack files
 * (`Pulumi.<stack>.yaml`) into the flat config map the engine hands a
 * program (`PULUMI_CONFIG`): fully qualified keys, string values, structured
 * values as JSON, project-level defaults applied, secure values kept opaque.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export interface ProjectFile {
  readonly name: string;
  readonly main: string;
  readonly dir: string;
  /** Defaults declared in Pulumi.yaml's `config` block, fully qualified. */
  readonly defaults: Readonly<Record<string, string>>;
}

export interface StackConfigFile {
  readonly stack: string;
  readonly file: string;
  readonly config: Readonly<Record<string, string>>;
  /** Keys whose values are `secure:` ciphertext: passed as secret placeholders. */
  readonly secretKeys: readonly string[];
}

/** A value the offline run cannot decrypt; it stays a secret and opaque. */
export const SECRET_PLACEHOLDER = "[secret]";

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackFileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return YAML.parse(text) ?? {};
  } catch (e) {
    throw new StackFileError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
}

function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function readProject(dir: string): ProjectFile {
  const file = path.join(dir, "Pulumi.yaml");
  const doc = readYaml(file) as Record<string, unknown>;
  if (typeof doc.name !== "string" || doc.name === "") {
    throw new StackFileError(`${file}: "name" must be a non-empty string`);
  }
  const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: unknown } | undefined)?.name;
  if (runtime !== "nodejs") {
    throw new StackFileError(`${file}: runtime is ${JSON.stringify(runtime)}; only nodejs programs can be run offline`);
  }
  const defaults: Record<string, string> = {};
  const decls = (doc.config ?? {}) as Record<string, unknown>;
  for (const [key, decl] of Object.entries(decls)) {
    const value =
      decl !== null && typeof decl === "object" && !Array.isArray(decl)
        ? ((decl as { default?: unknown; value?: unknown }).default ?? (decl as { value?: unknown }).value)
        : decl;
    if (value !== undefined) defaults[qualify(doc.name, key)] = asConfigString(value);
  }
  const main = typeof doc.main === "string" ? doc.main : ".";
  return { name: doc.name, main, dir, defaults };
}

export function readStackFile(project: ProjectFile, stack: string): StackConfigFile {
  if (!/^[\w.-]+$/.test(stack)) {
    throw new StackFileError(`stack name ${JSON.stringify(stack)} is not valid; allowed: letters, digits, '_', '.', '-'`);
  }
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(project.dir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => !!s);
    throw new StackFileError(`no stack file ${file}; stacks here: ${known.join(", ") || "none"}`);
  }
  const doc = readYaml(file) as { config?: Record<string, unknown> };
  const config: Record<string, string> = { ...project.defaults };
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const full = qualify(project.name, key);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      config[full] = SECRET_PLACEHOLDER;
      secretKeys.push(full);
    } else {
      config[full] = asConfigString(value);
    }
  }
  return { stack, file, config, secretKeys };
}
