/**
 * The command line of `npm run train`, parsed strictly with Node's
 * `util.parseArgs` and validated before anything else happens.
 *
 * `parseTrainArgs` checks what does not depend on the cloud (numbers, names,
 * the input prefix); `checkImage` / `checkInstanceType` check what does, once
 * the stack's cloud is known; `loadHyperparameters` reads and checks the
 * hyperparameters file. Every check collects its problems and throws one
 * `UsageError` (exit 2) that names the flag, the bad value and what is allowed.
 *
 * There are deliberately no flags for guardrails (network isolation, VPC,
 * keys, role, identity, output location): see guardrails.ts.
 */
import { parseArgs } from "util";
import type { Cloud } from "../../stacks/config";
import { show, UsageError } from "./errors";
import { guardrailNamed, looksLikeGuardrailFlag } from "./guardrails";
import { isAzureVmSize, VM_SIZE_RULE } from "../../stacks/azure/vm-sizes";
import { parseDatasetFlag } from "../data/dataset-ref";
import { datasetPrefix } from "../data/layout";
import {
  EBS_ONLY_FAMILIES,
  INSTANCE_STORAGE_SOURCES,
  instanceFamily,
  instanceStorage,
  NVME_FAMILIES,
} from "../../policy-pack/lib/sagemaker-instance-storage";

/** SageMaker's limits, applied on both clouds so one command line works on either. */
export const LIMITS = {
  instanceCount: { min: 1, max: 100 },
  /** 1 s to 28 days: SageMaker's MaxRuntimeInSeconds ceiling. */
  maxRuntime: { min: 1, max: 2_419_200 },
  /** Up to 30 days of waiting. */
  waitTimeout: { min: 1, max: 2_592_000 },
  hyperparameters: { maxEntries: 100, maxKeyLength: 256, maxValueLength: 2500, maxFileBytes: 1_048_576 },
  inputPrefix: { maxLength: 512 },
} as const;

export const DEFAULTS = {
  instanceCount: 1,
  /** One day. */
  maxRuntime: 86_400,
  /** Extra wait beyond the max runtime, for queueing and provisioning. */
  waitSlack: 3_600,
} as const;

export interface TrainArgs {
  readonly stack: string;
  readonly image: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxRuntimeSeconds: number;
  readonly hyperparametersFile?: string;
  /** Key prefix inside the data bucket/container, "" for all of it; no leading slash. */
  readonly inputPrefix: string;
  /** A dataset pushed with `npm run data` (its name): the job reads `datasets/<name>/` and is tagged with it. */
  readonly dataset?: string;
  /** AWS: the profile that reads the dataset's manifest (one that assumes the data ingest role). */
  readonly dataProfile?: string;
  readonly jobName?: string;
  /** Azure: the compute cluster to run on (default: the stack's first cluster, `computeName`). */
  readonly cluster?: string;
  readonly wait: boolean;
  readonly waitTimeoutSeconds: number;
  readonly dryRun: boolean;
  readonly outputsFile?: string;
  readonly help: boolean;
}

const OPTIONS = {
  stack: { type: "string" },
  image: { type: "string" },
  "instance-type": { type: "string" },
  "instance-count": { type: "string" },
  "max-runtime": { type: "string" },
  hyperparameters: { type: "string" },
  "input-prefix": { type: "string" },
  dataset: { type: "string" },
  "data-profile": { type: "string" },
  "job-name": { type: "string" },
  cluster: { type: "string" },
  wait: { type: "boolean" },
  "wait-timeout": { type: "string" },
  "dry-run": { type: "boolean" },
  outputs: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const USAGE = `Usage: npm run train -- --stack NAME --image URI --instance-type TYPE [options]

Launches a training job inside the stack's environment, every guardrail set
from the stack outputs (VPC/private subnet, network isolation, customer-managed
keys, execution role / managed identity). No flag can switch a guardrail off.

Required:
  --stack NAME            a stack of this project (Pulumi.NAME.yaml)
  --image URI             training image: AWS <account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@sha256:...]
                          (same region as the stack); Azure mcr.microsoft.com/<repo>[:tag|@sha256:...] (the only
                          registry the workspace's managed network reaches; no private registry is shipped)
  --instance-type TYPE    AWS ml.<family>.<size> (e.g. ml.m5.xlarge, or ml.g5.2xlarge for a GPU); Azure the
                          VM size of the cluster the job runs on (e.g. Standard_DS3_v2, Standard_NC4as_T4_v3)
Options:
  --instance-count N      ${LIMITS.instanceCount.min}-${LIMITS.instanceCount.max} (default ${DEFAULTS.instanceCount})
  --max-runtime S         seconds, ${LIMITS.maxRuntime.min}-${LIMITS.maxRuntime.max} (default ${DEFAULTS.maxRuntime})
  --hyperparameters FILE  JSON object of string -> string, at most ${LIMITS.hyperparameters.maxEntries} entries
  --input-prefix P        read only this prefix of the data bucket/container (no '..', no leading '/')
  --dataset NAME          read a dataset pushed with \`npm run data -- push\` (its name, or its manifest key
                          datasets/NAME.manifest.json): the manifest is read from the stack's data location and
                          must be complete; the job reads datasets/NAME/ and is tagged dataset=NAME and
                          dataset-sha256=<SHA-256 of the manifest>. Not with --input-prefix
  --data-profile NAME     AWS, with --dataset: the AWS profile that reads the manifest (e.g. one with
                          role_arn = the stack's dataIngestRoleArn; the data bucket admits only that role from
                          outside the VPC); default: the same credentials as the job request
  --job-name NAME         1-63 letters, digits and hyphens (default <namePrefix>-<tier>-<UTC time>-<random>)
  --cluster NAME          Azure only: the stack's compute cluster to run on (computeClusters in the stack
                          config; default: its first cluster); --instance-type must be that cluster's size
  --wait                  poll until the job ends: exit 0 completed, 1 failed/stopped, 4 timed out
  --wait-timeout S        give up waiting after S seconds (default max-runtime + ${DEFAULTS.waitSlack})
  --dry-run               print the exact request(s) as JSON and send nothing
  --outputs FILE          read saved stack outputs (pulumi stack output --json --show-secrets > FILE)
                          instead of running pulumi
  -h, --help              this text

Output: one JSON line on stdout {jobName, cloud, status, consoleUrl}; progress on stderr.
Exit codes: 0 submitted/completed, 1 failed/stopped, 2 bad input (nothing sent),
            3 rejected by the cloud API, 4 wait timed out.`;

const JOB_NAME_RE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const CLUSTER_RE = /^[a-zA-Z][a-zA-Z0-9-]{1,31}$/;
const STACK_RE = /^[A-Za-z0-9_.-]{1,100}$/;
const PROFILE_RE = /^[A-Za-z0-9_.+@=,-]{1,128}$/;
const PREFIX_SEGMENT_RE = /^[A-Za-z0-9_=+-][A-Za-z0-9_.=+-]*$/;

function integer(
  problems: string[],
  flag: string,
  raw: string | undefined,
  fallback: number,
  range: { min: number; max: number },
  unit = "",
): number {
  if (raw === undefined) return fallback;
  const allowed = `an integer ${range.min}-${range.max}${unit}`;
  if (!/^\d+$/.test(raw)) {
    problems.push(`--${flag}: got ${show(raw)}; allowed: ${allowed}`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    problems.push(`--${flag}: got ${raw}; allowed: ${allowed}`);
    return fallback;
  }
  return n;
}

/**
 * An input prefix may only narrow the data bucket/container: relative
 * segments of safe ASCII characters, no `.`/`..`, no empty segment, no
 * percent-encoding, query or fragment characters. Returns the problem, or
 * undefined when the prefix is fine.
 */
export function inputPrefixProblem(p: string): string | undefined {
  const allowed =
    "a relative key prefix inside the data bucket/container: segments of letters, digits and _ . = + - separated by '/', " +
    `no '.' or '..' segment, no leading '/', no '//', at most ${LIMITS.inputPrefix.maxLength} characters`;
  if (p.length > LIMITS.inputPrefix.maxLength) return `too long (${p.length} characters); allowed: ${allowed}`;
  if (p.startsWith("/")) return `starts with '/'; allowed: ${allowed}`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(p)) return `is a URL, not a prefix (the data location comes from the stack outputs); allowed: ${allowed}`;
  const body = p.endsWith("/") ? p.slice(0, -1) : p;
  for (const seg of body.split("/")) {
    if (seg === "") return `has an empty segment ('//'); allowed: ${allowed}`;
    if (seg === "." || seg === "..") return `has a '${seg}' segment, which would leave the prefix; allowed: ${allowed}`;
    if (!PREFIX_SEGMENT_RE.test(seg)) return `segment ${show(seg)} has a character that is not allowed; allowed: ${allowed}`;
  }
  return undefined;
}

function parseStrict(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
}

/** Parses and validates the flags (cloud-independent checks). Throws UsageError. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  let parsed: ReturnType<typeof parseStrict>;
  try {
    parsed = parseStrict(argv);
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(msg)?.[1];
    const guardrailNote =
      unknown && looksLikeGuardrailFlag(unknown)
        ? " Guardrails (network isolation, VPC, encryption keys, role/identity, output location) are set from the stack outputs and cannot be changed from the command line."
        : "";
    throw new UsageError([`${msg}.${guardrailNote} Run with --help for the flags.`]);
  }
  const { values, tokens } = parsed;
  if (values.help) {
    return {
      stack: "",
      image: "",
      instanceType: "",
      instanceCount: DEFAULTS.instanceCount,
      maxRuntimeSeconds: DEFAULTS.maxRuntime,
      inputPrefix: "",
      wait: false,
      waitTimeoutSeconds: 0,
      dryRun: false,
      help: true,
    };
  }
  const problems: string[] = [];

  // A flag given twice would silently keep the last value: refuse instead.
  const seen = new Map<string, number>();
  for (const t of tokens) if (t.kind === "option") seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  for (const [name, n] of seen) if (n > 1) problems.push(`--${name}: given ${n} times; give it once`);

  for (const flag of ["stack", "image", "instance-type"] as const) {
    const v = values[flag];
    if (v === undefined || v.trim() === "")
      problems.push(
        `--${flag}: missing (required)${flag === "stack" ? "; allowed: the name of a Pulumi.<stack>.yaml in the project" : ""}`,
      );
  }
  const stack = values.stack ?? "";
  if (stack !== "" && !STACK_RE.test(stack))
    problems.push(
      `--stack: got ${show(stack)}; allowed: a stack name of letters, digits, '_', '.', '-' (a Pulumi.<stack>.yaml in the project)`,
    );

  const instanceCount = integer(problems, "instance-count", values["instance-count"], DEFAULTS.instanceCount, LIMITS.instanceCount);
  const maxRuntimeSeconds = integer(
    problems,
    "max-runtime",
    values["max-runtime"],
    DEFAULTS.maxRuntime,
    LIMITS.maxRuntime,
    " seconds (SageMaker's limit is 28 days)",
  );
  const waitTimeoutSeconds = integer(
    problems,
    "wait-timeout",
    values["wait-timeout"],
    maxRuntimeSeconds + DEFAULTS.waitSlack,
    LIMITS.waitTimeout,
    " seconds",
  );

  const wait = values.wait ?? false;
  const dryRun = values["dry-run"] ?? false;
  if (values["wait-timeout"] !== undefined && !wait)
    problems.push("--wait-timeout: only applies with --wait; add --wait or drop --wait-timeout");
  if (wait && dryRun) problems.push("--wait: a --dry-run sends nothing, so there is nothing to wait for; drop one of them");

  let inputPrefix = values["input-prefix"] ?? "";
  if (values["input-prefix"] !== undefined) {
    const problem =
      inputPrefix === "" ? "is empty; leave the flag out to read the whole data bucket/container" : inputPrefixProblem(inputPrefix);
    if (problem) {
      problems.push(`--input-prefix: ${show(inputPrefix)} ${problem}`);
      inputPrefix = "";
    }
  }

  let dataset: string | undefined;
  if (values.dataset !== undefined) {
    const d = parseDatasetFlag(values.dataset);
    if ("problem" in d) problems.push(`--dataset: ${d.problem}`);
    else dataset = d.name;
    if (values["input-prefix"] !== undefined)
      problems.push("--dataset and --input-prefix: give one of them (--dataset sets the input prefix to the dataset's datasets/NAME/)");
  }
  const dataProfile = values["data-profile"];
  if (dataProfile !== undefined) {
    if (values.dataset === undefined) problems.push("--data-profile: only applies with --dataset (it reads the dataset's manifest)");
    if (!PROFILE_RE.test(dataProfile))
      problems.push(
        `--data-profile: got ${show(dataProfile)}; allowed: the name of a profile in ~/.aws/config (letters, digits and _ . + @ = , -)`,
      );
  }

  const cluster = values.cluster;
  if (cluster !== undefined && !CLUSTER_RE.test(cluster)) {
    problems.push(
      `--cluster: got ${show(cluster)}; allowed: the name of one of the stack's compute clusters (2-32 letters, digits and '-', starting with a letter)`,
    );
  }

  const jobName = values["job-name"];
  if (jobName !== undefined && !JOB_NAME_RE.test(jobName)) {
    problems.push(
      `--job-name: got ${show(jobName)}; allowed: 1-63 letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }

  for (const flag of ["hyperparameters", "outputs"] as const) {
    if (values[flag] !== undefined && values[flag]!.trim() === "") problems.push(`--${flag}: empty; give a file path`);
  }

  if (problems.length > 0) throw new UsageError(problems);
  return {
    stack,
    image: values.image!,
    instanceType: values["instance-type"]!,
    instanceCount,
    maxRuntimeSeconds,
    hyperparametersFile: values.hyperparameters,
    inputPrefix: dataset !== undefined ? datasetPrefix(dataset) : inputPrefix,
    ...(dataset !== undefined ? { dataset } : {}),
    ...(dataProfile !== undefined ? { dataProfile } : {}),
    jobName,
    ...(cluster !== undefined ? { cluster } : {}),
    wait,
    waitTimeoutSeconds,
    dryRun,
    outputsFile: values.outputs,
    help: false,
  };
}

// ---------- cloud-specific checks ----------

const REPO = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
const REF = "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})?";
const ECR_IMAGE_RE = new RegExp(`^(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/(${REPO})${REF}$`);
/**
 * Azure: only Microsoft Container Registry. The workspace's managed network (AllowOnlyApprovedOutbound) reaches MCR
 * through the outbound rules Azure ML requires, and the environment ships no private registry, grants no AcrPull and
 * has no registry private endpoint, so an image in any other registry (an *.azurecr.io one included) cannot be pulled.
 * https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (required outbound rules);
 * the decision and its cost: docs/azure.md.
 */
const AZURE_IMAGE_RE = new RegExp(`^mcr\\.microsoft\\.com/(${REPO})${REF}$`);

/** Problems with --image for the stack's cloud (AWS: an ECR image in the stack's region). */
export function imageProblems(image: string, cloud: Cloud, region?: string): string[] {
  if (image.length > 255) return [`--image: too long (${image.length} characters); allowed: at most 255`];
  if (cloud === "aws") {
    const m = ECR_IMAGE_RE.exec(image);
    if (!m) {
      return [
        `--image: got ${show(image)}; allowed on AWS: an Amazon ECR image <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:<digest>] ` +
          "(SageMaker pulls training images from ECR; the environment has no internet route)",
      ];
    }
    if (region !== undefined && m[2] !== region) {
      return [
        `--image: the image is in region ${m[2]} but the stack is in ${region}; allowed: an ECR image in ${region} (SageMaker pulls training images from the job's region)`,
      ];
    }
    return [];
  }
  if (!AZURE_IMAGE_RE.test(image)) {
    return [
      `--image: got ${show(image)}; allowed on Azure: mcr.microsoft.com/<repository>[:tag|@sha256:<digest>] ` +
        "(the clusters pull through the workspace's managed network, which reaches Microsoft Container Registry only; " +
        "this environment has no private registry, no registry endpoint and no AcrPull grant)",
    ];
  }
  return [];
}

const SAGEMAKER_INSTANCE_RE = /^ml\.[a-z][a-z0-9-]*\.(?:\d*xlarge|large|medium|small|metal(?:-\d+xl)?)$/;

export function instanceTypeProblems(type: string, cloud: Cloud): string[] {
  if (cloud === "aws") {
    if (!SAGEMAKER_INSTANCE_RE.test(type)) {
      return [
        `--instance-type: got ${show(type)}; allowed on AWS: a SageMaker training instance type ml.<family>.<size>, e.g. ml.m5.xlarge or ml.g5.2xlarge`,
      ];
    }
    if (instanceStorage(type) === undefined) {
      return [
        `--instance-type: got ${show(type)}, whose family ${instanceFamily(type)} is not classified as EBS-only or local-NVMe storage ` +
          `(the volume key depends on it, and the job launcher policy allows only classified families); allowed on AWS: ` +
          `${[...EBS_ONLY_FAMILIES, ...NVME_FAMILIES].map((f) => `ml.${f}.*`).join(", ")}. ` +
          `To add a family, classify it in policy-pack/lib/sagemaker-instance-storage.ts from the EC2 instance-store table (${INSTANCE_STORAGE_SOURCES.instanceStoreTable})`,
      ];
    }
    return [];
  }
  return isAzureVmSize(type)
    ? []
    : [`--instance-type: got ${show(type)}; allowed on Azure: the VM size of the cluster the job runs on, ${VM_SIZE_RULE}`];
}

/** Cloud-dependent flag checks; throws one UsageError with all problems. */
export function checkForCloud(args: TrainArgs, cloud: Cloud, region?: string): void {
  const problems = [...imageProblems(args.image, cloud, region), ...instanceTypeProblems(args.instanceType, cloud)];
  if (cloud === "azure" && args.dataProfile !== undefined) {
    problems.push("--data-profile: applies only to AWS stacks (on Azure the manifest is read as your `az login` identity); remove it");
  }
  if (cloud === "aws" && args.cluster !== undefined) {
    problems.push("--cluster: applies only to Azure stacks (a SageMaker job gets its instances from --instance-type); remove it");
  }
  if (problems.length > 0) throw new UsageError(problems);
}

// ---------- hyperparameters ----------

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Validates parsed hyperparameters: a JSON object of string -> string (SageMaker
 * takes only strings), at most 100 entries, keys 1-256 and values up to 2500
 * characters, and no key that names a guardrail.
 */
export function hyperparameterProblems(doc: unknown, source: string): string[] {
  const L = LIMITS.hyperparameters;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return [`${source}: got ${show(doc)}; allowed: a JSON object of string -> string, e.g. {"epochs": "10", "learning_rate": "0.01"}`];
  }
  const problems: string[] = [];
  const entries = Object.entries(doc as Record<string, unknown>);
  if (entries.length > L.maxEntries)
    problems.push(`${source}: ${entries.length} entries; allowed: at most ${L.maxEntries} (SageMaker's limit)`);
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > L.maxKeyLength)
      problems.push(`${source}: key ${show(key)} is ${key.length} characters; allowed: 1-${L.maxKeyLength}`);
    if (FORBIDDEN_KEYS.has(key)) problems.push(`${source}: key ${show(key)} is not allowed (reserved JavaScript property name)`);
    if (/[\u0000-\u001f\u007f]/.test(key))
      problems.push(`${source}: key ${show(key)} has a control character; allowed: printable characters`);
    const guard = guardrailNamed(key);
    if (guard) {
      problems.push(
        `${source}: key ${show(key)} names the guardrail "${guard}"; guardrails are set from the stack outputs and cannot be changed ` +
          "(hyperparameters only reach the training container); rename the hyperparameter",
      );
    }
    if (typeof value !== "string") {
      problems.push(
        `${source}: ${show(key)} is ${show(value)} (${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}); allowed: a string, e.g. "${typeof value === "number" || typeof value === "boolean" ? String(value) : "value"}" (SageMaker takes only strings)`,
      );
    } else if (value.length > L.maxValueLength) {
      problems.push(`${source}: value of ${show(key)} is ${value.length} characters; allowed: at most ${L.maxValueLength}`);
    }
  }
  return problems;
}

/** Reads and validates the --hyperparameters file. */
export function loadHyperparameters(file: string | undefined, readFile: (path: string) => string): Record<string, string> {
  if (file === undefined) return {};
  const source = `--hyperparameters ${file}`;
  let text: string;
  try {
    text = readFile(file);
  } catch (e) {
    throw new UsageError([`${source}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  if (Buffer.byteLength(text) > LIMITS.hyperparameters.maxFileBytes) {
    throw new UsageError([`${source}: the file is larger than ${LIMITS.hyperparameters.maxFileBytes} bytes`]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError([`${source}: not valid JSON (${(e as Error).message}); allowed: a JSON object of string -> string`]);
  }
  const problems = hyperparameterProblems(doc, source);
  if (problems.length > 0) throw new UsageError(problems);
  // Own data properties only, in a fresh object (no prototype games).
  return Object.fromEntries(Object.entries(doc as Record<string, string>));
}
