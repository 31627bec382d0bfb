/**
 * Validates a request document against the SageMaker API model that
 * @aws-sdk/client-sagemaker ships: the compiled Smithy schema of each
 * operation's input (`CreateTrainingJobRequest$`), read through
 * @smithy/core's public `NormalizedSchema`, and the enum constants the
 * package exports (e.g. `TrainingInstanceType`). It reports members the model
 * does not have, values of the wrong type, missing required members and enum
 * values the model does not list. (The SDK's schema carries no length or
 * pattern traits; those limits are checked where the values are parsed.)
 */
import * as sagemaker from "@aws-sdk/client-sagemaker";
import { NormalizedSchema } from "@smithy/core/schema";

/** Enum-valued members: the exported enum object that lists their values. */
const ENUMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "ResourceConfig.InstanceType": sagemaker.TrainingInstanceType,
  "AlgorithmSpecification.TrainingInputMode": sagemaker.TrainingInputMode,
  "Channel.InputMode": sagemaker.TrainingInputMode,
  "S3DataSource.S3DataType": sagemaker.S3DataType,
  "S3DataSource.S3DataDistributionType": sagemaker.S3DataDistribution,
};

function shapeName(ns: NormalizedSchema): string {
  return ns.getName() ?? "?";
}

export function modelProblems(schema: unknown, value: unknown, path = "$"): string[] {
  const ns = NormalizedSchema.of(schema as never);
  const problems: string[] = [];
  walk(ns, value, path, problems);
  return problems;
}

function walk(ns: NormalizedSchema, value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  if (ns.isStructSchema()) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${path}: expected a ${shapeName(ns)} structure, got ${JSON.stringify(value)}`);
      return;
    }
    const members = new Map<string, NormalizedSchema>();
    for (const [name, member] of ns.structIterator()) members.set(name, member);
    // A static structure schema lists its required members first and ends with their count (@smithy/types StaticStructureSchema).
    const requiredCount = (ns.getSchema() as unknown as unknown[])[6];
    const required = new Set([...members.keys()].slice(0, typeof requiredCount === "number" ? requiredCount : 0));
    for (const [name, member] of members) {
      const v = (value as Record<string, unknown>)[name];
      if ((required.has(name) || member.getMergedTraits().required) && v === undefined)
        problems.push(`${path}.${name}: required by ${shapeName(ns)} but missing`);
      if (v === undefined) continue;
      const allowed = ENUMS[`${shapeName(ns)}.${name}`];
      if (allowed && !Object.values(allowed).includes(v as string)) {
        problems.push(`${path}.${name}: ${JSON.stringify(v)} is not a value of the model's enum (${Object.values(allowed).length} values)`);
      }
      walk(member, v, `${path}.${name}`, problems);
    }
    for (const name of Object.keys(value as object)) {
      if (!members.has(name)) problems.push(`${path}.${name}: ${shapeName(ns)} has no member ${name}`);
    }
    return;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list, got ${JSON.stringify(value)}`);
    value.forEach((item, i) => walk(ns.getValueSchema(), item, `${path}[${i}]`, problems));
    return;
  }
  if (ns.isMapSchema()) {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      return void problems.push(`${path}: expected a map, got ${JSON.stringify(value)}`);
    for (const [k, v] of Object.entries(value)) walk(ns.getValueSchema(), v, `${path}[${JSON.stringify(k)}]`, problems);
    return;
  }
  if (ns.isBooleanSchema()) {
    if (typeof value !== "boolean") problems.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
    return;
  }
  if (ns.isNumericSchema()) {
    if (typeof value !== "number" || !Number.isFinite(value)) problems.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
    return;
  }
  if (ns.isStringSchema()) {
    if (typeof value !== "string") problems.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
    return;
  }
}
