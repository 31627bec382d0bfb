/**
 * The one typed, validated view of a stack's configuration.
 *
 * Every key lives under the project namespace, as `pulumi config set` writes
 * it (`secure-ml-training:cloud`). `parseStackConfig` is pure: it takes the
 * raw string map the engine hands the program and either returns a complete
 * `StackConfig` or throws one `ConfigError` listing every problem (key, bad
 * value, what is allowed). The program calls it before it registers any
 * resource, so bad input never half-creates an environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "./cidr";
import { checkIngestCidrs, checkIngestPrincipals } from "./data-ingest-config";
import { isAzureVmSize, VM_SIZE_RULE } from "./azure/vm-sizes";

export const PROJECT = "secure-ml-training";

export const CLOUDS = ["aws", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

export const TIERS = ["dev", "prod"] as const;
export type Tier = (typeof TIERS)[number];

export const DATA_CLASSIFICATIONS = ["internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** AWS interface VPC endpoints a training environment may need (service suffix of `com.amazonaws.<region>.`). */
export const INTERFACE_ENDPOINTS = ["sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr", "kms"] as const;
export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];

/** Azure private endpoints the environment can place in its VNet. `blob` is mandatory (C4). */
export const AZURE_PRIVATE_ENDPOINTS = ["blob", "vault"] as const;
export type AzurePrivateEndpoint = (typeof AZURE_PRIVATE_ENDPOINTS)[number];

/** Retention values CloudWatch Logs accepts. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/** Log Analytics workspace retention range (days). */
export const LOG_ANALYTICS_RETENTION = { min: 30, max: 730 } as const;

/** Network sizes the modules can carve their subnets from. */
export const NETWORK_PREFIX = { min: 16, max: 24 } as const;
export const AZ_COUNT = { min: 1, max: 3 } as const;

export interface CommonConfig {
  readonly project: string;
  readonly stack: string;
  readonly tier: Tier;
  /** Prefix of every logical name: `<namePrefix>-<tier>-...`. */
  readonly namePrefix: string;
  readonly owner: string;
  readonly dataClassification: DataClassification;
  readonly logRetentionDays: number;
  /** Tags every taggable resource carries (C10). */
  readonly tags: Readonly<Record<string, string>>;
  /** Who may load data (AWS: IAM ARNs that may assume the ingest role; Azure: Entra object ids). Empty: nobody. */
  readonly dataIngestPrincipals: readonly string[];
}

export interface AwsStackConfig extends CommonConfig {
  readonly cloud: "aws";
  readonly region: string;
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly interfaceEndpoints: readonly InterfaceEndpoint[];
  /** Bucket policies deny any request that does not come through the environment's S3 VPC endpoint. */
  readonly enforceVpcEndpoint: boolean;
  /** Create the VpcOnly SageMaker Studio domain (needs the sagemaker.api and sagemaker.runtime interface endpoints). */
  readonly studio: boolean;
}

/** Interface endpoints a VpcOnly Studio domain cannot start without (SageMaker developer guide, Studio in a VPC). */
export const STUDIO_ENDPOINTS: readonly InterfaceEndpoint[] = ["sagemaker.api", "sagemaker.runtime"];

export interface AzureStackConfig extends CommonConfig {
  readonly cloud: "azure";
  readonly location: string;
  readonly vnetCidr: string;
  readonly privateEndpoints: readonly AzurePrivateEndpoint[];
  readonly mlWorkspace: boolean;
  /** Public IPv4 addresses/ranges the storage firewall admits for data loading. Empty: closed. */
  readonly dataIngestCidrs: readonly string[];
  /** Training clusters of the ML workspace (empty without it). */
  readonly computeClusters: readonly ComputeClusterConfig[];
}

export type StackConfig = AwsStackConfig | AzureStackConfig;

/** Azure ML compute cluster priorities (AmlCompute vmPriority). */
export const VM_PRIORITIES = ["Dedicated", "LowPriority"] as const;
export type VmPriority = (typeof VM_PRIORITIES)[number];

/** One training cluster of the Azure ML workspace. Every cluster scales to zero, has no public IP and runs as the job identity. */
export interface ComputeClusterConfig {
  /** Azure ML compute name: 2-16 letters, digits and hyphens, starting with a letter. */
  readonly name: string;
  /** Azure VM size, e.g. Standard_DS3_v2 or Standard_NC4as_T4_v3. */
  readonly vmSize: string;
  /** Always 0: nodes exist only while a job runs. */
  readonly minNodes: 0;
  readonly maxNodes: number;
  readonly priority: VmPriority;
}

export const COMPUTE_CLUSTER_LIMITS = { maxClusters: 8, maxNodes: 100, nameRe: /^[a-zA-Z](?:[a-zA-Z0-9-]{0,14}[a-zA-Z0-9])?$/ } as const;

/** The cluster a workspace gets when `computeClusters` is not set: one CPU cluster. */
export function defaultComputeClusters(tier: Tier): ComputeClusterConfig[] {
  return [{ name: "train-cpu", vmSize: "Standard_DS3_v2", minNodes: 0, maxNodes: tier === "prod" ? 4 : 1, priority: "Dedicated" }];
}

/** All problems found in one stack's configuration. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for stack "${stack}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Scope = "common" | Cloud;

/** Declared keys: the scope they apply to and a one-line description (the README's reference mirrors this). */
export const CONFIG_KEYS: Readonly<Record<string, { scope: Scope; doc: string }>> = {
  cloud: { scope: "common", doc: "Cloud to build on: aws | azure (required)." },
  tier: { scope: "common", doc: "dev | prod (required). prod protects data stores and makes every policy mandatory." },
  namePrefix: {
    scope: "common",
    doc: "Prefix of every resource name: 3-8 lowercase letters/digits, starting with a letter. Default mltrain.",
  },
  owner: { scope: "common", doc: "Owner tag: team or e-mail (required, 1-128 tag-safe characters)." },
  dataClassification: { scope: "common", doc: "internal | confidential | restricted. Default confidential." },
  logRetentionDays: {
    scope: "common",
    doc: "Log retention in days. AWS: a CloudWatch value (1, 3, ..., 365, ..., 3653); Azure: 30-730. Default 30 (dev), 365 (prod).",
  },
  region: { scope: "aws", doc: "AWS region, e.g. eu-west-1 (required on AWS)." },
  vpcCidr: { scope: "aws", doc: "VPC CIDR, /16-/24. Default 10.20.0.0/16." },
  azCount: { scope: "aws", doc: "Availability zones (one private subnet each): 1-3. Default 1 (dev), 2 (prod)." },
  interfaceEndpoints: { scope: "aws", doc: `Interface VPC endpoints: a list from ${INTERFACE_ENDPOINTS.join(", ")}. Default all.` },
  enforceVpcEndpoint: { scope: "aws", doc: "Bucket policies deny access not through the S3 VPC endpoint: true | false. Default true." },
  studio: {
    scope: "aws",
    doc: "Create the VpcOnly SageMaker Studio domain and user profile: true | false. Default false (dev), true (prod); true needs sagemaker.api and sagemaker.runtime in interfaceEndpoints.",
  },
  location: { scope: "azure", doc: "Azure location, e.g. westeurope (required on Azure)." },
  vnetCidr: { scope: "azure", doc: "VNet CIDR, /16-/24. Default 10.30.0.0/16." },
  privateEndpoints: {
    scope: "azure",
    doc: `Private endpoints: a list from ${AZURE_PRIVATE_ENDPOINTS.join(", ")}; must include blob. Default both.`,
  },
  mlWorkspace: {
    scope: "azure",
    doc: "Create a private Azure ML workspace (managed network) and compute cluster: true | false; true needs vault in privateEndpoints. Default false.",
  },
  dataIngestPrincipals: {
    scope: "common",
    doc: "Who may load data with npm run data. AWS: IAM role/user ARNs that may assume the ingest role; Azure: Entra object ids. Default [] (nobody).",
  },
  dataIngestCidrs: {
    scope: "azure",
    doc: "Public IPv4 addresses or /16-/30 ranges the storage firewall admits for npm run data. Default [] (closed); refused by the pack in prod.",
  },
  computeClusters: {
    scope: "azure",
    doc: "Training clusters of the ML workspace (needs mlWorkspace: true): a list of {name, vmSize, maxNodes, minNodes?, priority?}; name 2-16 letters, digits, '-' (starting with a letter); vmSize an Azure VM size such as Standard_NC4as_T4_v3; minNodes 0 (clusters scale to zero); maxNodes 1-100; priority Dedicated | LowPriority (default Dedicated). Default: one train-cpu Standard_DS3_v2 cluster (max 1 node in dev, 4 in prod).",
  },
};

/**
 * The providers' own config keys for the same facts (`pulumi config set aws:region ...`, as every Pulumi
 * template does): the program reads either; when both are set they must agree, else the stack is refused
 * naming both keys (the program's explicit provider and any default provider would otherwise disagree).
 */
export const PROVIDER_KEYS: Readonly<Record<"region" | "location", { readonly cloud: Cloud; readonly key: string }>> = {
  region: { cloud: "aws", key: "aws:region" },
  location: { cloud: "azure", key: "azure-native:location" },
};

/** Reads typed values out of the raw map, collecting problems instead of throwing. */
class Reader {
  readonly problems: string[] = [];

  constructor(
    private readonly raw: Readonly<Record<string, string>>,
    private readonly ns: string,
  ) {}

  private fail(key: string, value: unknown, allowed: string): undefined {
    this.problems.push(`${this.ns}:${key}: got ${JSON.stringify(value)}; allowed: ${allowed}`);
    return undefined;
  }

  private value(key: string): string | undefined {
    return this.raw[`${this.ns}:${key}`];
  }

  required(key: string, allowed: string): string | undefined {
    const v = this.value(key);
    if (v === undefined || v.trim() === "") {
      this.problems.push(`${this.ns}:${key}: missing (required); allowed: ${allowed}`);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(key: string, options: readonly T[], fallback?: T): T | undefined {
    const allowed = options.join(" | ");
    const v = fallback === undefined ? this.required(key, allowed) : (this.value(key) ?? fallback);
    if (v === undefined) return undefined;
    return (options as readonly string[]).includes(v) ? (v as T) : this.fail(key, v, allowed);
  }

  pattern(key: string, re: RegExp, allowed: string, fallback?: string): string | undefined {
    const v = fallback === undefined ? this.required(key, allowed) : (this.value(key) ?? fallback);
    if (v === undefined) return undefined;
    return re.test(v) ? v : this.fail(key, v, allowed);
  }

  integer(key: string, fallback: number, ok: (n: number) => boolean, allowed: string): number | undefined {
    const v = this.value(key);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v.trim())) return this.fail(key, v, `an integer: ${allowed}`);
    const n = Number(v);
    return ok(n) ? n : this.fail(key, n, allowed);
  }

  boolean(key: string, fallback: boolean): boolean | undefined {
    const v = this.value(key);
    if (v === undefined) return fallback;
    if (v === "true") return true;
    if (v === "false") return false;
    return this.fail(key, v, "true | false");
  }

  cidr(key: string, fallback: string): string | undefined {
    const v = this.value(key) ?? fallback;
    const allowed = `an IPv4 network address in CIDR form with a /${NETWORK_PREFIX.min}-/${NETWORK_PREFIX.max} prefix, e.g. ${fallback}`;
    const parsed = parseCidr(v);
    if (typeof parsed === "string") return this.fail(key, v, `${allowed} (${parsed})`);
    if (parsed.prefix < NETWORK_PREFIX.min || parsed.prefix > NETWORK_PREFIX.max) return this.fail(key, v, allowed);
    return v;
  }

  /** A JSON list (as `pulumi config set --path` or a YAML list in the stack file stores it) of distinct members of `options`. */
  subset<T extends string>(key: string, options: readonly T[], fallback: readonly T[]): readonly T[] | undefined {
    const v = this.value(key);
    if (v === undefined) return fallback;
    const allowed = `a list of distinct values from ${options.join(", ")}`;
    let list: unknown;
    try {
      list = JSON.parse(v);
    } catch {
      return this.fail(key, v, allowed);
    }
    if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) return this.fail(key, list, allowed);
    const unknown = list.filter((x) => !(options as readonly string[]).includes(x));
    if (unknown.length > 0) return this.fail(key, unknown.length === 1 ? unknown[0] : unknown, allowed);
    if (new Set(list).size !== list.length) return this.fail(key, list, `${allowed} (each at most once)`);
    return list as T[];
  }
}

const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * Validates the raw configuration of one stack. `raw` maps fully qualified
 * keys (`<project>:<key>`) to the string values the engine passes.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, project: string, stack: string): StackConfig {
  // The program's own keys, with region/location taken from the provider's key when only that one is set.
  const own: Record<string, string> = { ...raw };
  const r = new Reader(own, project);
  const problems = r.problems;

  const cloud = r.oneOf("cloud", CLOUDS);
  for (const [key, provider] of Object.entries(PROVIDER_KEYS)) {
    if (cloud !== provider.cloud) continue;
    const mine = raw[`${project}:${key}`];
    const theirs = raw[provider.key];
    if (mine !== undefined && theirs !== undefined && mine !== theirs) {
      problems.push(
        `${project}:${key} is ${JSON.stringify(mine)} but ${provider.key} is ${JSON.stringify(theirs)}; they name the same ${key}: ` +
          `set only ${provider.key} (or both to the same value)`,
      );
    } else if (mine === undefined && theirs !== undefined) {
      own[`${project}:${key}`] = theirs;
    }
  }
  const tier = r.oneOf("tier", TIERS);
  const namePrefix = r.pattern("namePrefix", /^[a-z][a-z0-9]{2,7}$/, "3-8 lowercase letters or digits, starting with a letter", "mltrain");
  const owner = r.pattern("owner", TAG_VALUE_RE, "1-128 letters, digits, spaces and _.:/=+-@ (a tag value)");
  const dataClassification = r.oneOf("dataClassification", DATA_CLASSIFICATIONS, "confidential");
  const ingest = checkIngestPrincipals(raw[`${project}:dataIngestPrincipals`], cloud === "azure" ? "azure" : "aws");
  if (cloud) for (const p of ingest.problems) problems.push(`${project}:dataIngestPrincipals: ${p}`);

  // Keys of the other cloud, and keys nobody declared, are mistakes: say so instead of ignoring them.
  for (const fullKey of Object.keys(raw)) {
    if (!fullKey.startsWith(`${project}:`)) continue;
    const key = fullKey.slice(project.length + 1);
    const decl = CONFIG_KEYS[key];
    if (!decl) {
      problems.push(`${fullKey}: unknown key; allowed keys: ${Object.keys(CONFIG_KEYS).join(", ")}`);
    } else if (cloud && decl.scope !== "common" && decl.scope !== cloud) {
      problems.push(`${fullKey}: applies only when cloud is "${decl.scope}", but cloud is "${cloud}"; remove it`);
    }
  }

  const retentionDefault = tier === "prod" ? 365 : 30;
  const logRetentionDays =
    cloud === "azure"
      ? r.integer(
          "logRetentionDays",
          retentionDefault,
          (n) => n >= LOG_ANALYTICS_RETENTION.min && n <= LOG_ANALYTICS_RETENTION.max,
          `${LOG_ANALYTICS_RETENTION.min}-${LOG_ANALYTICS_RETENTION.max} on Azure`,
        )
      : r.integer(
          "logRetentionDays",
          retentionDefault,
          (n) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n),
          `one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")} on AWS`,
        );

  type CloudPart = Omit<AwsStackConfig, keyof CommonConfig> | Omit<AzureStackConfig, keyof CommonConfig>;
  let cloudConfig: CloudPart | undefined;
  if (cloud === "aws") {
    const region = r.pattern(
      "region",
      /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
      "an AWS region name such as us-east-1 or eu-west-1, in aws:region or this key",
    );
    const vpcCidr = r.cidr("vpcCidr", "10.20.0.0/16");
    const azCount = r.integer(
      "azCount",
      tier === "prod" ? 2 : 1,
      (n) => n >= AZ_COUNT.min && n <= AZ_COUNT.max,
      `${AZ_COUNT.min}-${AZ_COUNT.max}`,
    );
    const interfaceEndpoints = r.subset("interfaceEndpoints", INTERFACE_ENDPOINTS, INTERFACE_ENDPOINTS);
    const enforceVpcEndpoint = r.boolean("enforceVpcEndpoint", true);
    const studio = r.boolean("studio", tier === "prod");
    if (studio && interfaceEndpoints) {
      const missing = STUDIO_ENDPOINTS.filter((e) => !interfaceEndpoints.includes(e));
      if (missing.length > 0) {
        problems.push(
          `${project}:interfaceEndpoints: got ${JSON.stringify(interfaceEndpoints)}; allowed: a list that includes ${STUDIO_ENDPOINTS.map((e) => `"${e}"`).join(" and ")} ` +
            `while ${project}:studio is true (a VpcOnly Studio domain cannot start without them; missing ${missing.map((e) => `"${e}"`).join(", ")}), or set ${project}:studio to false`,
        );
      }
    }
    if (region && vpcCidr && azCount !== undefined && interfaceEndpoints && enforceVpcEndpoint !== undefined && studio !== undefined) {
      cloudConfig = { cloud, region, vpcCidr, azCount, interfaceEndpoints, enforceVpcEndpoint, studio };
    }
  } else if (cloud === "azure") {
    const location = r.pattern(
      "location",
      /^[a-z][a-z0-9]{2,39}$/,
      "an Azure location name such as westeurope or eastus2, in azure-native:location or this key",
    );
    const vnetCidr = r.cidr("vnetCidr", "10.30.0.0/16");
    const privateEndpoints = r.subset("privateEndpoints", AZURE_PRIVATE_ENDPOINTS, AZURE_PRIVATE_ENDPOINTS);
    if (privateEndpoints && !privateEndpoints.includes("blob")) {
      problems.push(
        `${project}:privateEndpoints: got ${JSON.stringify(privateEndpoints)}; allowed: a list that includes "blob" (data must be reachable privately, control C4)`,
      );
    }
    const mlWorkspace = r.boolean("mlWorkspace", false);
    if (mlWorkspace === true && privateEndpoints && !privateEndpoints.includes("vault")) {
      problems.push(
        `${project}:privateEndpoints: got ${JSON.stringify(privateEndpoints)} with ${project}:mlWorkspace true; allowed: a list that includes "vault" ` +
          `when mlWorkspace is true (the workspace's key vault refuses public access; clients in the network reach it only through its private endpoint), or set mlWorkspace to false`,
      );
    }
    const cidrs = checkIngestCidrs(raw[`${project}:dataIngestCidrs`]);
    for (const p of cidrs.problems) problems.push(`${project}:dataIngestCidrs: ${p}`);
    const computeClusters = parseComputeClusters(raw, project, mlWorkspace, tier, problems);
    if (location && vnetCidr && privateEndpoints && mlWorkspace !== undefined && computeClusters) {
      cloudConfig = { cloud, location, vnetCidr, privateEndpoints, mlWorkspace, dataIngestCidrs: cidrs.value, computeClusters };
    }
  }

  if (problems.length > 0 || !tier || !namePrefix || !owner || !dataClassification || logRetentionDays === undefined || !cloudConfig) {
    throw new ConfigError(stack, problems);
  }
  const tags = {
    environment: tier,
    project,
    owner,
    "data-classification": dataClassification,
  };
  const common: CommonConfig = {
    project,
    stack,
    tier,
    namePrefix,
    owner,
    dataClassification,
    logRetentionDays,
    tags,
    dataIngestPrincipals: ingest.value,
  };
  return { ...common, ...cloudConfig };
}

/**
 * `computeClusters`: a JSON list (a YAML list of maps in the stack file) of clusters. Every problem names
 * the element and field (`computeClusters[1].vmSize`), the bad value and what is allowed.
 */
function parseComputeClusters(
  raw: Readonly<Record<string, string>>,
  project: string,
  mlWorkspace: boolean | undefined,
  tier: Tier | undefined,
  problems: string[],
): readonly ComputeClusterConfig[] | undefined {
  const key = `${project}:computeClusters`;
  const value = raw[key];
  if (value === undefined) return mlWorkspace && tier ? defaultComputeClusters(tier) : [];
  const allowedList = `a list of {name, vmSize, maxNodes, minNodes?, priority?}, e.g. [{"name": "train-gpu", "vmSize": "Standard_NC4as_T4_v3", "maxNodes": 2}]`;
  if (mlWorkspace === false) {
    problems.push(
      `${key}: set, but ${project}:mlWorkspace is false; clusters belong to the ML workspace: set mlWorkspace: true or remove computeClusters`,
    );
    return undefined;
  }
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    problems.push(`${key}: got ${JSON.stringify(value)}; allowed: ${allowedList}`);
    return undefined;
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > COMPUTE_CLUSTER_LIMITS.maxClusters) {
    problems.push(`${key}: got ${JSON.stringify(list)}; allowed: ${allowedList}, 1-${COMPUTE_CLUSTER_LIMITS.maxClusters} clusters`);
    return undefined;
  }
  const before = problems.length;
  const clusters: ComputeClusterConfig[] = [];
  const seen = new Map<string, number>();
  list.forEach((item: unknown, i: number) => {
    const at = `${key}[${i}]`;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      problems.push(`${at}: got ${JSON.stringify(item)}; allowed: a map {name, vmSize, maxNodes, minNodes?, priority?}`);
      return;
    }
    const o = item as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!["name", "vmSize", "maxNodes", "minNodes", "priority"].includes(k))
        problems.push(`${at}.${k}: unknown field; allowed fields: name, vmSize, maxNodes, minNodes, priority`);
    }
    const { name, vmSize, maxNodes, minNodes = 0, priority = "Dedicated" } = o;
    if (typeof name !== "string" || !COMPUTE_CLUSTER_LIMITS.nameRe.test(name)) {
      problems.push(
        `${at}.name: got ${JSON.stringify(name)}; allowed: an Azure ML compute name of 2-16 letters, digits and '-', starting with a letter and ending with a letter or digit`,
      );
    } else if (seen.has(name.toLowerCase())) {
      problems.push(
        `${at}.name: ${JSON.stringify(name)} is already the name of ${key}[${seen.get(name.toLowerCase())}]; allowed: a name used once (Azure ML compute names are case-insensitive)`,
      );
    } else seen.set(name.toLowerCase(), i);
    if (typeof vmSize !== "string" || !isAzureVmSize(vmSize))
      problems.push(`${at}.vmSize: got ${JSON.stringify(vmSize)}; allowed: ${VM_SIZE_RULE}`);
    if (minNodes !== 0)
      problems.push(
        `${at}.minNodes: got ${JSON.stringify(minNodes)}; allowed: 0 (every cluster scales to zero, so idle nodes cost nothing)`,
      );
    if (typeof maxNodes !== "number" || !Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > COMPUTE_CLUSTER_LIMITS.maxNodes) {
      problems.push(`${at}.maxNodes: got ${JSON.stringify(maxNodes)}; allowed: an integer 1-${COMPUTE_CLUSTER_LIMITS.maxNodes}`);
    }
    if (!(VM_PRIORITIES as readonly unknown[]).includes(priority))
      problems.push(`${at}.priority: got ${JSON.stringify(priority)}; allowed: ${VM_PRIORITIES.join(" | ")}`);
    clusters.push({
      name: name as string,
      vmSize: vmSize as string,
      minNodes: 0,
      maxNodes: maxNodes as number,
      priority: priority as VmPriority,
    });
  });
  return problems.length === before ? clusters : undefined;
}

/** Reads and validates the configuration of the running stack. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}
