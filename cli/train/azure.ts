/**
 * Azure: an Azure ML command job submitted over the ARM REST API (the
 * `@azure/arm-machinelearning` SDK drops `uri_folder` inputs,
 * Azure/azure-sdk-for-js#29328), and `--wait`.
 *
 * API version: 2025-12-01, the stable (non-preview) Microsoft.MachineLearningServices
 * version that this project's `@pulumi/azure-native` (3.28) uses for the workspace,
 * compute, job and environment resources, so the CLI speaks the same schema as the
 * infrastructure. It has CommandJob with `identity` (Managed), `uri_folder`
 * inputs/outputs, `resources.instanceCount` and `limits.timeout`.
 *
 * A command job requires `environmentId` (the ARM id of an environment version); an
 * image cannot be given inline. So the tool first registers the image as an anonymous
 * environment version, as the Azure ML CLI v2 does (name `CliV2AnonymousEnvironment`,
 * version = hash of its definition, `isAnonymous: true`): the PUT is idempotent, so the
 * same image always maps to the same version.
 *
 * Requests, in order (a --dry-run prints the two PUTs and sends nothing):
 * 1. GET  .../computes/{computeName}  - pre-check: the cluster is an AmlCompute in the
 *    stack's subnet, with no public node IP or public SSH, carrying the stack's identity,
 *    whose VM size is --instance-type and whose max node count fits --instance-count.
 *    Any mismatch is exit 2 and no job is sent (an Azure ML cluster's VM size is fixed
 *    by the stack: `resources.instanceType` applies to Kubernetes compute only).
 * 2. PUT  .../environments/CliV2AnonymousEnvironment/versions/{hash}
 * 3. PUT  .../jobs/{jobName}
 * 4. (--wait) GET .../jobs/{jobName} until Completed (0), Failed/Canceled (1) or timeout (4).
 *
 * Guardrails set explicitly from the outputs: computeId (the private cluster), identity
 * {Managed, clientId of the stack's user-assigned identity}, input only from the data
 * container (read-only mount), output only to the artifacts container, limits.timeout.
 * The job sets no `services` (no SSH/Jupyter/TensorBoard endpoints) and no docker args.
 */
import * as crypto from "crypto";
import type { TrainArgs } from "./args";
import { ApiError, EXIT, type ExitCode, show, TrainError, UsageError } from "./errors";
import type { CommandRunner } from "./exec";
import { MissingToolError } from "./exec";
import type { AzureOutputs, ClusterInfo, StackInfo } from "./outputs";
import { jobTags, type SubmitOutcome } from "./aws";
import { type Clock, pollUntilFinal } from "./wait";
import type { DatasetRef } from "../data/dataset-ref";

export const AZURE_ML_API_VERSION = "2025-12-01";
export const ARM_ENDPOINT = "https://management.azure.com";
export const ARM_RESOURCE = "https://management.azure.com";
export const ANONYMOUS_ENV_NAME = "CliV2AnonymousEnvironment";
export const INPUT_NAME = "data";
export const OUTPUT_NAME = "model";
/** The container's entry point gets the mounted input and output folders as arguments. */
export const TRAIN_COMMAND = `train --data-dir \${{inputs.${INPUT_NAME}}} --model-dir \${{outputs.${OUTPUT_NAME}}}`;

export interface HttpRequest {
  readonly method: "GET" | "PUT";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}
/** Sends one HTTP request. Rejects only when no response arrived (network failure). */
export type HttpClient = (req: HttpRequest) => Promise<HttpResponse>;
/** Returns a bearer token for Azure Resource Manager, for the given subscription's tenant. */
export type TokenProvider = (subscriptionId: string) => Promise<string>;

export const fetchHttpClient: HttpClient = async (req) => {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  return { status: res.status, body: await res.text() };
};

/** Token from the Azure CLI (`az account get-access-token`); a missing or signed-out az is exit 2. */
export function azCliTokenProvider(run: CommandRunner): TokenProvider {
  return async (subscriptionId) => {
    const args = ["account", "get-access-token", "--resource", ARM_RESOURCE, "--subscription", subscriptionId, "--output", "json"];
    let result;
    try {
      result = await run("az", args);
    } catch (e) {
      if (e instanceof MissingToolError) {
        throw new UsageError([
          "the Azure CLI (az) is not installed or not on PATH, so no Azure access token can be obtained. " +
            "Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), run `az login`, then run again",
        ]);
      }
      throw e;
    }
    if (result.code !== 0) {
      throw new UsageError([
        `az ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim() || "no message"}. ` +
          `Run \`az login\` with an account that can use subscription ${subscriptionId}, then run again`,
      ]);
    }
    let token: unknown;
    try {
      token = (JSON.parse(result.stdout) as { accessToken?: unknown }).accessToken;
    } catch {
      token = undefined;
    }
    if (typeof token !== "string" || token === "") {
      throw new UsageError(["az account get-access-token printed no accessToken; update the Azure CLI and run `az login`"]);
    }
    return token;
  };
}

/** ISO-8601 duration with whole-second precision (what limits.timeout takes): 90061 -> P1DT1H1M1S. */
export function isoDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
  const duration = `P${d ? `${d}D` : ""}${time ? `T${time}` : ""}`;
  return duration === "P" ? "PT0S" : duration;
}

export interface AzureRequest {
  readonly method: "PUT";
  readonly url: string;
  readonly body: unknown;
}

export interface AzurePlan {
  readonly cloud: "azure";
  readonly jobName: string;
  readonly consoleUrl: string;
  readonly computeUrl: string;
  readonly jobUrl: string;
  readonly environment: AzureRequest;
  readonly job: AzureRequest;
}

function q(url: string): string {
  return `${url}?api-version=${AZURE_ML_API_VERSION}`;
}

export function workspacePath(o: AzureOutputs): string {
  return (
    `/subscriptions/${encodeURIComponent(o.subscriptionId)}/resourceGroups/${encodeURIComponent(o.resourceGroupName)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(o.workspaceName)}`
  );
}

/** wasbs:// URI of a path in a container of the stack's storage account (Azure ML's storage URI form). */
export function blobUri(o: AzureOutputs, container: string, path: string): string {
  return `wasbs://${container}@${o.storageAccountName}.blob.core.windows.net/${path}`;
}

export function azureConsoleUrl(o: AzureOutputs, jobName: string): string {
  const wsid = `/subscriptions/${o.subscriptionId}/resourcegroups/${o.resourceGroupName}/workspaces/${o.workspaceName}`;
  return `https://ml.azure.com/runs/${encodeURIComponent(jobName)}?wsid=${encodeURIComponent(wsid)}`;
}

export function buildAzurePlan(p: {
  readonly args: TrainArgs;
  readonly outputs: AzureOutputs;
  readonly stack: StackInfo;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly jobName: string;
  /** The dataset `--dataset` named; args.inputPrefix is already its prefix. */
  readonly dataset?: DatasetRef;
}): AzurePlan {
  const { args, outputs: o, jobName, stack } = p;
  const ws = workspacePath(o);

  // The environment's content depends only on the image, so its hash-version is stable.
  const envProperties = { image: args.image, osType: "Linux", isAnonymous: true };
  const envVersion = crypto.createHash("sha256").update(JSON.stringify(envProperties)).digest("hex").slice(0, 32);
  const envPath = `${ws}/environments/${ANONYMOUS_ENV_NAME}/versions/${envVersion}`;

  const config = stack.config;
  const jobBody = {
    properties: {
      jobType: "Command",
      displayName: jobName,
      experimentName: `${config.namePrefix}-${config.tier}`,
      description: `Launched by npm run train for stack ${stack.name}`,
      tags: jobTags(stack, p.dataset),
      computeId: `${ws}/computes/${encodeURIComponent(o.computeName)}`,
      environmentId: envPath,
      command: TRAIN_COMMAND,
      environmentVariables: {
        // Hyperparameters as one JSON value (the SageMaker training toolkit's SM_HPS), never as separate
        // variables, so no hyperparameter can set a variable the runtime or the identity depends on.
        SM_HPS: JSON.stringify(p.hyperparameters),
        // DefaultAzureCredential in the container picks the stack's identity.
        AZURE_CLIENT_ID: o.identityClientId,
      },
      identity: { identityType: "Managed", clientId: o.identityClientId },
      inputs: {
        [INPUT_NAME]: { jobInputType: "uri_folder", uri: blobUri(o, o.dataContainer, args.inputPrefix), mode: "ReadOnlyMount" },
      },
      outputs: {
        [OUTPUT_NAME]: { jobOutputType: "uri_folder", uri: blobUri(o, o.artifactsContainer, `${jobName}/`), mode: "ReadWriteMount" },
      },
      resources: { instanceCount: args.instanceCount },
      limits: { jobLimitsType: "Command", timeout: isoDuration(args.maxRuntimeSeconds) },
    },
  };

  const jobUrl = `${ARM_ENDPOINT}${ws}/jobs/${encodeURIComponent(jobName)}`;
  return {
    cloud: "azure",
    jobName,
    consoleUrl: azureConsoleUrl(o, jobName),
    computeUrl: q(`${ARM_ENDPOINT}${ws}/computes/${encodeURIComponent(o.computeName)}`),
    jobUrl: q(jobUrl),
    environment: { method: "PUT", url: q(`${ARM_ENDPOINT}${envPath}`), body: { properties: envProperties } },
    job: { method: "PUT", url: q(jobUrl), body: jobBody },
  };
}

/** What --dry-run prints: the exact requests, in the order they would be sent. */
export function azureDryRun(plan: AzurePlan): unknown {
  return { cloud: "azure", apiVersion: AZURE_ML_API_VERSION, requests: [plan.environment, plan.job] };
}

// ---------- choosing the cluster ----------

/**
 * The cluster the job runs on: `--cluster`, else the stack's default (`computeName`, its first cluster).
 * When the outputs list the clusters (`computeClusters`), the choice is checked offline before anything is
 * sent: the cluster exists, `--instance-type` is its VM size (an Azure ML cluster's size is fixed by the
 * stack) and `--instance-count` fits its max nodes. Returns the outputs with `computeName` set to the choice.
 */
export function selectCluster(args: TrainArgs, o: AzureOutputs): AzureOutputs {
  const clusters = o.computeClusters;
  const listing = (cs: readonly ClusterInfo[]) =>
    cs.map((c) => `${c.name} (${c.vmSize}, max ${c.maxNodes} nodes, ${c.priority})`).join(", ");
  if (!clusters) {
    if (args.cluster !== undefined && args.cluster.toLowerCase() !== o.computeName.toLowerCase()) {
      throw new UsageError([
        `--cluster: got ${show(args.cluster)}; the stack outputs name one compute cluster, ${o.computeName} (computeName); allowed: ${o.computeName}`,
      ]);
    }
    return o;
  }
  const name = args.cluster ?? o.computeName;
  const cluster = clusters.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!cluster) throw new UsageError([`--cluster: got ${show(name)}; allowed: one of the stack's compute clusters: ${listing(clusters)}`]);
  const problems: string[] = [];
  if (cluster.vmSize.toLowerCase() !== args.instanceType.toLowerCase()) {
    const matching = clusters.filter((c) => c.vmSize.toLowerCase() === args.instanceType.toLowerCase());
    const how =
      matching.length > 0
        ? `pass --cluster ${matching[0].name} for ${matching[0].vmSize}, or --instance-type ${cluster.vmSize}`
        : `pass --instance-type ${cluster.vmSize}, or --cluster with one of: ${listing(clusters)}`;
    problems.push(
      `--instance-type: got ${args.instanceType}, but compute cluster ${cluster.name}${args.cluster === undefined ? " (the stack's default)" : ""} runs ${cluster.vmSize}; ` +
        `an Azure ML cluster's VM size is fixed by the stack (computeClusters): ${how}`,
    );
  }
  if (args.instanceCount > cluster.maxNodes) {
    problems.push(
      `--instance-count: got ${args.instanceCount}, but compute cluster ${cluster.name} scales to at most ${cluster.maxNodes} nodes; allowed: 1-${cluster.maxNodes}`,
    );
  }
  if (problems.length > 0) throw new UsageError(problems);
  return { ...o, computeName: cluster.name };
}

// ---------- the compute pre-check ----------

interface ComputeDoc {
  identity?: { userAssignedIdentities?: Record<string, unknown> };
  properties?: {
    computeType?: string;
    properties?: {
      vmSize?: string;
      enableNodePublicIp?: boolean;
      remoteLoginPortPublicAccess?: string;
      scaleSettings?: { maxNodeCount?: number };
      subnet?: { id?: string };
    };
  };
}

/** Problems that stop the job before it is sent: flag/cluster mismatches and broken compute guardrails. */
export function computeProblems(doc: unknown, args: TrainArgs, o: AzureOutputs): string[] {
  const c = (doc ?? {}) as ComputeDoc;
  const name = o.computeName;
  const props = c.properties;
  if (props?.computeType !== "AmlCompute") {
    return [
      `compute ${name} is ${show(props?.computeType ?? "unknown")}; expected the stack's AmlCompute cluster (are the outputs current?)`,
    ];
  }
  const inner = props.properties ?? {};
  const problems: string[] = [];
  const redeploy = "the environment no longer matches its guardrails (C4/C7); run `pulumi up` on the stack to restore it. No job was sent";
  if (inner.enableNodePublicIp !== false)
    problems.push(`compute ${name} gives its nodes public IPs (enableNodePublicIp is ${show(inner.enableNodePublicIp)}): ${redeploy}`);
  if (inner.remoteLoginPortPublicAccess === "Enabled")
    problems.push(`compute ${name} opens SSH to the internet (remoteLoginPortPublicAccess Enabled): ${redeploy}`);
  // A cluster without a subnet lives in the workspace's managed network (no node public IP is then only possible
  // there); a cluster in a customer VNet must be in the stack's private subnet.
  const subnet = inner.subnet?.id;
  if (subnet !== undefined && !o.subnetIds.some((s) => s.toLowerCase() === subnet.toLowerCase())) {
    problems.push(
      `compute ${name} is not in the stack's private subnet (its subnet is ${show(subnet ?? null)}, expected one of ${o.subnetIds.join(", ")}): ${redeploy}`,
    );
  }
  const identities = Object.keys(c.identity?.userAssignedIdentities ?? {}).map((k) => k.toLowerCase());
  if (!identities.includes(o.identityId.toLowerCase())) {
    problems.push(`compute ${name} does not carry the stack's user-assigned identity ${o.identityId}, which the job runs as: ${redeploy}`);
  }
  if (!inner.vmSize || inner.vmSize.toLowerCase() !== args.instanceType.toLowerCase()) {
    problems.push(
      `--instance-type: got ${args.instanceType}, but compute cluster ${name} runs ${inner.vmSize ?? "an unknown VM size"}; ` +
        `an Azure ML cluster's VM size is fixed by the stack: pass --instance-type ${inner.vmSize ?? "<its VM size>"}`,
    );
  }
  const max = inner.scaleSettings?.maxNodeCount;
  if (typeof max === "number" && args.instanceCount > max) {
    problems.push(
      `--instance-count: got ${args.instanceCount}, but compute cluster ${name} scales to at most ${max} nodes; allowed: 1-${max}`,
    );
  }
  return problems;
}

// ---------- sending ----------

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function azureError(res: HttpResponse, operation: string, plan: AzurePlan, o: AzureOutputs): ApiError {
  const err = (parseJson(res.body) as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = err?.code ?? `HTTP ${res.status}`;
  const message = err?.message ?? (res.body.trim().slice(0, 300) || "no message");
  let hint: string | undefined;
  if (res.status === 401) hint = "the access token was refused; run `az login` again";
  else if (res.status === 403) {
    hint =
      `the signed-in principal may not ${operation} in workspace ${o.workspaceName}; it needs a role on the workspace with ` +
      "Microsoft.MachineLearningServices/workspaces/computes/read, environments/versions/write and jobs/write (e.g. AzureML Data Scientist)";
  } else if (res.status === 404)
    hint = `workspace ${o.workspaceName} or compute ${o.computeName} was not found; are the stack outputs current? (pulumi stack output)`;
  else if (res.status === 409)
    hint = `a job named ${plan.jobName} may already exist; choose another --job-name (or leave it out for a generated one)`;
  else if (res.status === 400)
    hint = "the guardrail values come from the stack outputs; check the flags (--image, --instance-count, --max-runtime, --input-prefix)";
  else if (res.status === 429 || res.status >= 500) hint = "Azure is busy or failing; try again shortly";
  return new ApiError(`Azure ML ${operation}`, code, message, hint);
}

async function send(http: HttpClient, req: HttpRequest, operation: string): Promise<HttpResponse> {
  try {
    return await http(req);
  } catch (e) {
    throw new ApiError(
      `Azure ML ${operation}`,
      "NetworkError",
      (e as Error).message ?? String(e),
      `could not reach ${ARM_ENDPOINT}; check network access`,
    );
  }
}

const AZURE_TERMINAL = new Set(["Completed", "Failed", "Canceled"]);

export function azureFinalExit(status: string): ExitCode {
  return status === "Completed" ? EXIT.OK : EXIT.FAILED;
}

export interface AzureSubmitOutcome extends SubmitOutcome {
  readonly consoleUrl: string;
}

export async function submitAzure(
  plan: AzurePlan,
  o: AzureOutputs,
  args: TrainArgs,
  opts: {
    readonly http: HttpClient;
    readonly token: TokenProvider;
    readonly wait: boolean;
    readonly waitTimeoutSeconds: number;
    readonly pollIntervalMs: number;
    readonly clock: Clock;
    readonly progress: (line: string) => void;
  },
): Promise<AzureSubmitOutcome> {
  const token = await opts.token(o.subscriptionId); // UsageError (exit 2) when az is missing or signed out
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" };
  let consoleUrl = plan.consoleUrl;
  const rejected = (error: TrainError): AzureSubmitOutcome => ({
    status: "Rejected",
    exitCode: error.exitCode,
    submitted: false,
    error,
    consoleUrl,
  });

  try {
    opts.progress(`checking compute cluster ${o.computeName}`);
    const compute = await send(opts.http, { method: "GET", url: plan.computeUrl, headers }, "read the compute cluster");
    if (compute.status !== 200) return rejected(azureError(compute, "read the compute cluster", plan, o));
    const problems = computeProblems(parseJson(compute.body), args, o);
    if (problems.length > 0) return rejected(new UsageError(problems));

    opts.progress(`registering the image as environment ${ANONYMOUS_ENV_NAME}`);
    const env = await send(
      opts.http,
      { method: "PUT", url: plan.environment.url, headers, body: JSON.stringify(plan.environment.body) },
      "register the environment",
    );
    if (env.status !== 200 && env.status !== 201) return rejected(azureError(env, "register the environment", plan, o));

    opts.progress(`submitting Azure ML command job ${plan.jobName} to workspace ${o.workspaceName}`);
    const job = await send(opts.http, { method: "PUT", url: plan.job.url, headers, body: JSON.stringify(plan.job.body) }, "create the job");
    if (job.status !== 200 && job.status !== 201) return rejected(azureError(job, "create the job", plan, o));
    const created = parseJson(job.body) as { properties?: { status?: string; services?: { Studio?: { endpoint?: string } } } } | undefined;
    const studio = created?.properties?.services?.Studio?.endpoint;
    if (typeof studio === "string" && studio.startsWith("https://")) consoleUrl = studio;
    const status = created?.properties?.status ?? "Submitted";
    opts.progress(`submitted: ${plan.jobName} (${status})`);
    if (!opts.wait) return { status, exitCode: EXIT.OK, submitted: true, consoleUrl };

    let lastStatus = status;
    try {
      const result = await pollUntilFinal({
        clock: opts.clock,
        intervalMs: opts.pollIntervalMs,
        timeoutMs: opts.waitTimeoutSeconds * 1000,
        progress: opts.progress,
        poll: async () => {
          const res = await send(opts.http, { method: "GET", url: plan.jobUrl, headers }, "read the job");
          if (res.status !== 200) throw azureError(res, "read the job", plan, o);
          const s = (parseJson(res.body) as { properties?: { status?: string } } | undefined)?.properties?.status ?? "Unknown";
          lastStatus = s;
          return { status: s, terminal: AZURE_TERMINAL.has(s) };
        },
      });
      if (result.timedOut) {
        opts.progress(`gave up waiting after ${opts.waitTimeoutSeconds} s; the job keeps running (status ${result.state.status})`);
        return { status: result.state.status, exitCode: EXIT.WAIT_TIMEOUT, submitted: true, consoleUrl };
      }
      return { status: result.state.status, exitCode: azureFinalExit(result.state.status), submitted: true, consoleUrl };
    } catch (e) {
      const error = e instanceof TrainError ? e : new ApiError("Azure ML read the job", "Error", String(e));
      return { status: lastStatus, exitCode: error.exitCode, submitted: true, error, consoleUrl };
    }
  } catch (e) {
    if (e instanceof TrainError) return rejected(e);
    throw e;
  }
}
