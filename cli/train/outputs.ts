/**
 * The stack a job runs in: its validated config (`Pulumi.<stack>.yaml`) and
 * its outputs (`pulumi stack output --json`, or a saved copy), checked field
 * by field before any request is built.
 *
 * The outputs are the only source of the guardrail values a job carries
 * (subnets, security groups, key ARN, role, identity, data and artifact
 * locations), so a missing, malformed or inconsistent output is refused with
 * exit 2 naming the output key and what was expected. Consistency checks
 * (keyId = kmsKeyArn, the key's region/account = the stack's, region = the
 * stack config's region, ...) catch a stale or edited outputs file.
 */
import * as path from "path";
import type { Cloud, StackConfig, Tier } from "../../stacks/config";
import type { AwsStackOutputs, AzureStackOutputs } from "../../stacks/outputs";
import { ConfigError, parseStackConfig, TIERS } from "../../stacks/config";
import { isAzureVmSize } from "../../stacks/azure/vm-sizes";
import { readProject, readStackFile, StackFileError } from "../../engine/recorder/stack-file";
import { show, UsageError } from "./errors";
import type { CommandRunner } from "./exec";
import { MissingToolError } from "./exec";
import { inputPrefixProblem } from "./args";

export interface StackInfo {
  readonly name: string;
  readonly file: string;
  readonly config: StackConfig;
}

/** Reads and validates `Pulumi.<stack>.yaml`; an unknown stack or a bad config is bad input (exit 2). */
export function loadStack(root: string, stack: string): StackInfo {
  try {
    const project = readProject(root);
    const file = readStackFile(project, stack);
    return { name: stack, file: file.file, config: parseStackConfig(file.config, project.name, stack) };
  } catch (e) {
    if (e instanceof StackFileError) throw new UsageError([`--stack ${stack}: ${e.message}`]);
    if (e instanceof ConfigError) throw new UsageError([`--stack ${stack}: ${e.message}`]);
    throw e;
  }
}

/** Reads the raw outputs: the --outputs file, or `pulumi stack output`. */
export async function readRawOutputs(opts: {
  readonly stack: string;
  readonly outputsFile?: string;
  readonly root: string;
  readonly readFile: (p: string) => string;
  readonly run: CommandRunner;
}): Promise<{ raw: Record<string, unknown>; source: string }> {
  let text: string;
  let source: string;
  if (opts.outputsFile !== undefined) {
    source = `--outputs ${opts.outputsFile}`;
    try {
      text = opts.readFile(opts.outputsFile);
    } catch (e) {
      throw new UsageError([`${source}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
  } else {
    const args = ["stack", "output", "--json", "--show-secrets", "--stack", opts.stack];
    source = `pulumi ${args.join(" ")}`;
    let result;
    try {
      result = await opts.run("pulumi", args, { cwd: opts.root });
    } catch (e) {
      if (e instanceof MissingToolError) {
        throw new UsageError([
          "the pulumi CLI is not installed or not on PATH, so the stack outputs cannot be read. Install it " +
            "(https://www.pulumi.com/docs/install/), or save the outputs on a machine that has it " +
            `(pulumi stack output --json --show-secrets --stack ${opts.stack} > outputs.json) and pass --outputs outputs.json`,
        ]);
      }
      throw e;
    }
    if (result.code !== 0) {
      throw new UsageError([
        `${source} exited with code ${result.code}: ${result.stderr.trim() || result.stdout.trim() || "no message"}` +
          " (is the stack deployed and are you logged in to its backend? `pulumi stack ls`)",
      ]);
    }
    text = result.stdout;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError([
      `${source}: not valid JSON (${(e as Error).message}); expected the JSON object \`pulumi stack output --json\` prints`,
    ]);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UsageError([`${source}: got ${show(doc)}; expected the JSON object \`pulumi stack output --json\` prints`]);
  }
  return { raw: doc as Record<string, unknown>, source };
}

/**
 * The prologue `npm run train` and `npm run data` share: the stack's validated
 * config, checks that need it (run before pulumi, so bad input costs nothing),
 * then the raw outputs from `--outputs FILE` or `pulumi stack output`.
 */
export async function readStackAndOutputs(opts: {
  readonly root: string;
  readonly stack: string;
  readonly outputsFile?: string;
  /** Reads a file named on the command line (relative to where the user ran npm). */
  readonly readFile: (p: string) => string;
  readonly run: CommandRunner;
  /** Progress on stderr. */
  readonly log: (line: string) => void;
  /** Checks that depend on the stack's config; they throw UsageError. */
  readonly check?: (stack: StackInfo) => void;
}): Promise<{ stack: StackInfo; raw: Record<string, unknown>; source: string }> {
  const stack = loadStack(opts.root, opts.stack);
  opts.check?.(stack);
  if (opts.outputsFile === undefined) opts.log(`reading the outputs of stack ${stack.name} with pulumi`);
  const { raw, source } = await readRawOutputs({
    stack: stack.name,
    outputsFile: opts.outputsFile,
    root: opts.root,
    readFile: opts.readFile,
    run: opts.run,
  });
  return { stack, raw, source };
}

// ---------- typed outputs ----------

// The types come from the stack's outputs contract (stacks/outputs.ts); the
// parsers below validate every value before a request is built.

/** A deployed AWS stack's outputs, validated, plus what train derives from them. */
export interface AwsOutputs extends AwsStackOutputs {
  readonly cloud: "aws";
  /** aws, aws-cn or aws-us-gov (from the ARNs). */
  readonly partition: string;
}

/** The Azure outputs train needs the ML workspace for (optional in the contract: `mlWorkspace`). */
type WorkspaceOutputs = "workspaceName" | "computeName";

/** A deployed Azure stack's outputs, validated; training needs the ML workspace and its compute. */
export interface AzureOutputs extends Omit<AzureStackOutputs, WorkspaceOutputs>, Required<Pick<AzureStackOutputs, WorkspaceOutputs>> {
  readonly cloud: "azure";
}

/** One training cluster as the `computeClusters` output describes it (the stack's config, stacks/azure/compute.ts). */
export type ClusterInfo = NonNullable<AzureStackOutputs["computeClusters"]>[number];

/** Collects problems with the outputs instead of stopping at the first. */
class OutputReader {
  readonly problems: string[] = [];

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly source: string,
  ) {}

  fail(key: string, what: string): undefined {
    this.problems.push(`stack output "${key}" (${this.source}): ${what}`);
    return undefined;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  str(key: string, re: RegExp, expected: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return this.fail(key, `missing; expected ${expected}`);
    if (v === "[secret]") return this.fail(key, "is a secret placeholder; read the outputs with --show-secrets");
    if (typeof v !== "string" || !re.test(v)) return this.fail(key, `got ${show(v)}; expected ${expected}`);
    return v;
  }

  list(key: string, re: RegExp, expected: string, max: number): string[] | undefined {
    const v = this.raw[key];
    const allowed = `a list of 1-${max} distinct ${expected}`;
    if (v === undefined || v === null) return this.fail(key, `missing; expected ${allowed}`);
    if (!Array.isArray(v) || v.length === 0 || v.length > max) return this.fail(key, `got ${show(v)}; expected ${allowed}`);
    const bad = v.filter((x) => typeof x !== "string" || !re.test(x));
    if (bad.length > 0) return this.fail(key, `has ${show(bad[0])}; expected ${allowed}`);
    if (new Set(v).size !== v.length) return this.fail(key, `got ${show(v)}; expected ${allowed} (no repeats)`);
    return v as string[];
  }

  /** Two outputs documented to hold the same value must do so. */
  same(key: string, value: string | undefined, otherKey: string, other: string | undefined, caseInsensitive = false): void {
    if (value === undefined || other === undefined) return;
    const eq = caseInsensitive ? value.toLowerCase() === other.toLowerCase() : value === other;
    if (!eq)
      this.fail(
        key,
        `got ${show(value)}, but "${otherKey}" is ${show(other)}; they must be the same (the outputs are inconsistent: re-read them from the stack)`,
      );
  }
}

function checkCommon(r: OutputReader, raw: Record<string, unknown>, cloud: Cloud, stack: StackInfo): Tier | undefined {
  if (raw.cloud !== cloud) {
    // Another cloud's outputs: every other key would be wrong too, so say only this.
    r.fail(
      "cloud",
      `got ${show(raw.cloud)}; expected "${cloud}" (stack ${stack.name} is configured for ${cloud} in ${path.basename(stack.file)}); are these another stack's outputs?`,
    );
    throw new UsageError(r.problems);
  }
  const tier = r.str("tier", new RegExp(`^(${TIERS.join("|")})$`), TIERS.join(" | "));
  if (tier !== undefined && tier !== stack.config.tier) {
    r.fail(
      "tier",
      `got ${show(tier)}; expected "${stack.config.tier}" (the tier of stack ${stack.name}); are these another stack's outputs?`,
    );
  }
  return tier as Tier | undefined;
}

// ---------- AWS ----------

const PARTITION = "(aws|aws-cn|aws-us-gov)";
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ACCOUNT_RE = /^\d{12}$/;
const ROLE_ARN_RE = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}$`);
const POLICY_ARN_RE = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):policy/[\\w+=,.@/-]{1,512}$`);
const KMS_KEY_ARN_RE = new RegExp(
  `^arn:${PARTITION}:kms:([a-z0-9-]+):(\\d{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`,
);
const BUCKET_RE = /^(?!xn--)(?!.*\.\.)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const VPC_RE = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_RE = /^subnet-[0-9a-f]{8,17}$/;
const SG_RE = /^sg-[0-9a-f]{8,17}$/;
const DOMAIN_RE = /^d-[a-z0-9]{1,63}$/;
const BUCKET_EXPECTED = "an S3 bucket name (3-63 lowercase letters, digits, '.', '-')";

export function parseAwsOutputs(raw: Record<string, unknown>, stack: StackInfo, source: string): AwsOutputs {
  const r = new OutputReader(raw, source);
  if (stack.config.cloud !== "aws") throw new Error("parseAwsOutputs called for a non-AWS stack");
  const tier = checkCommon(r, raw, "aws", stack);

  const region = r.str("region", REGION_RE, "an AWS region name such as eu-west-1");
  if (region !== undefined && region !== stack.config.region) {
    r.fail("region", `got ${show(region)}; expected "${stack.config.region}" (the region in ${path.basename(stack.file)})`);
  }
  const accountId = r.str("accountId", ACCOUNT_RE, "a 12-digit AWS account id");

  const roleArn = r.str("roleArn", ROLE_ARN_RE, "an IAM role ARN arn:aws:iam::<account>:role/<name> (the SageMaker execution role)");
  const identityId = r.str("identityId", ROLE_ARN_RE, "the SageMaker execution role ARN");
  r.same("identityId", identityId, "roleArn", roleArn);

  const kmsKeyArn = r.str(
    "kmsKeyArn",
    KMS_KEY_ARN_RE,
    "a full KMS key ARN arn:aws:kms:<region>:<account>:key/<key-id> (not a key id or alias: the guardrail condition keys compare the ARN)",
  );
  const keyId = r.str("keyId", KMS_KEY_ARN_RE, "the full KMS key ARN (same value as kmsKeyArn)");
  r.same("keyId", keyId, "kmsKeyArn", kmsKeyArn);

  const policyArn = r.str("jobLauncherPolicyArn", POLICY_ARN_RE, "an IAM managed policy ARN arn:aws:iam::<account>:policy/<name>");

  let partition: string | undefined;
  if (roleArn !== undefined) partition = ROLE_ARN_RE.exec(roleArn)![1];
  if (accountId !== undefined) {
    if (roleArn !== undefined && ROLE_ARN_RE.exec(roleArn)![2] !== accountId)
      r.fail("roleArn", `is in account ${ROLE_ARN_RE.exec(roleArn)![2]}; expected account ${accountId} (accountId)`);
    if (policyArn !== undefined && POLICY_ARN_RE.exec(policyArn)![2] !== accountId)
      r.fail("jobLauncherPolicyArn", `is in account ${POLICY_ARN_RE.exec(policyArn)![2]}; expected account ${accountId} (accountId)`);
  }
  if (kmsKeyArn !== undefined) {
    const [, keyPartition, keyRegion, keyAccount] = KMS_KEY_ARN_RE.exec(kmsKeyArn)!;
    if (region !== undefined && keyRegion !== region)
      r.fail("kmsKeyArn", `is in region ${keyRegion}; expected the stack's region ${region}`);
    if (accountId !== undefined && keyAccount !== accountId)
      r.fail("kmsKeyArn", `is in account ${keyAccount}; expected account ${accountId} (accountId)`);
    if (partition !== undefined && keyPartition !== partition)
      r.fail("kmsKeyArn", `is in partition ${keyPartition}; expected ${partition} (the role's partition)`);
  }

  const networkId = r.str("networkId", VPC_RE, "a VPC id vpc-<hex>");
  const subnetIds = r.list("subnetIds", SUBNET_RE, "subnet ids subnet-<hex> (the private training subnets)", 16);
  const securityGroupIds = r.list("securityGroupIds", SG_RE, "security group ids sg-<hex> (the training security group)", 5);

  const dataBucket = r.str("dataBucket", BUCKET_RE, BUCKET_EXPECTED);
  const artifactsBucket = r.str("artifactsBucket", BUCKET_RE, BUCKET_EXPECTED);
  const outputPrefix = r.str("outputPrefix", /^[^/].*$/, "a key prefix in the artifacts bucket such as output/");
  if (outputPrefix !== undefined) {
    const problem = inputPrefixProblem(outputPrefix);
    if (problem) r.fail("outputPrefix", `${show(outputPrefix)} ${problem}`);
  }
  const dataLocation = r.str("dataLocation", /^s3:\/\/.+/, "s3://<dataBucket>/");
  if (
    dataLocation !== undefined &&
    dataBucket !== undefined &&
    dataLocation !== `s3://${dataBucket}` &&
    !dataLocation.startsWith(`s3://${dataBucket}/`)
  ) {
    r.fail("dataLocation", `got ${show(dataLocation)}; expected a location in the data bucket s3://${dataBucket}/ (dataBucket)`);
  }
  const outputLocation = r.str("outputLocation", /^s3:\/\/.+/, "s3://<artifactsBucket>/<outputPrefix>");
  if (outputLocation !== undefined && artifactsBucket !== undefined && !outputLocation.startsWith(`s3://${artifactsBucket}/`)) {
    r.fail(
      "outputLocation",
      `got ${show(outputLocation)}; expected a location in the artifacts bucket s3://${artifactsBucket}/ (artifactsBucket)`,
    );
  }
  const domainId = r.has("domainId") ? r.str("domainId", DOMAIN_RE, "a SageMaker domain id d-<id>") : undefined;

  if (r.problems.length > 0) throw new UsageError(r.problems);
  return {
    cloud: "aws",
    tier: tier!,
    dataLocation: dataLocation!,
    outputLocation: outputLocation!,
    keyId: keyId!,
    identityId: identityId!,
    networkId: networkId!,
    subnetIds: subnetIds!,
    region: region!,
    accountId: accountId!,
    partition: partition!,
    roleArn: roleArn!,
    securityGroupIds: securityGroupIds!,
    kmsKeyArn: kmsKeyArn!,
    dataBucket: dataBucket!,
    artifactsBucket: artifactsBucket!,
    outputPrefix: outputPrefix!,
    ...(domainId !== undefined ? { domainId } : {}),
    jobLauncherPolicyArn: policyArn!,
  };
}

// ---------- Azure ----------

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RG_RE = /^[-\w.()]{0,89}[-\w()]$/;
const LOCATION_RE = /^[a-z][a-z0-9]{2,39}$/;
const STORAGE_ACCOUNT_RE = /^[a-z0-9]{3,24}$/;
const CONTAINER_RE = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const WORKSPACE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const COMPUTE_RE = /^[a-zA-Z][a-zA-Z0-9-]{1,31}$/;
const VAULT_URI_RE = /^https:\/\/([a-zA-Z0-9-]{3,24})\.vault\.azure\.net\/?$/;
const KEY_URI_RE = /^https:\/\/([a-zA-Z0-9-]{3,24})\.vault\.azure\.net\/keys\/[a-zA-Z0-9-]{1,127}\/?$/;
const ARM_SEGMENT = "[^/]+";

function armId(sub: string | undefined, provider: string): RegExp {
  const s = sub ? sub.replace(/[-]/g, "\\-") : "[0-9a-fA-F-]{36}";
  return new RegExp(`^/subscriptions/${s}/resourceGroups/${ARM_SEGMENT}/providers/${provider}$`, "i");
}

/** Returns the validated Azure outputs; a stack without the ML workspace is refused, explaining mlWorkspace. */
export function parseAzureOutputs(
  raw: Record<string, unknown>,
  stack: StackInfo,
  source: string,
  opts: { readonly requireWorkspace?: boolean } = {},
): AzureOutputs {
  const r = new OutputReader(raw, source);
  if (stack.config.cloud !== "azure") throw new Error("parseAzureOutputs called for a non-Azure stack");
  const tier = checkCommon(r, raw, "azure", stack);

  // `npm run data` needs only the storage outputs (requireWorkspace: false).
  if (opts.requireWorkspace !== false && (!r.has("workspaceName") || !r.has("computeName"))) {
    const missing = ["workspaceName", "computeName"].filter((k) => !r.has(k)).join(" and ");
    r.problems.push(
      `stack outputs (${source}) have no ${missing}: training on Azure needs the stack's Azure ML workspace and compute cluster. ` +
        `Set \`secure-ml-training:mlWorkspace: true\` in ${path.basename(stack.file)}, run \`pulumi up\`, and try again`,
    );
  }

  const subscriptionId = r.str("subscriptionId", GUID_RE, "a subscription id (GUID)");
  const resourceGroupName = r.str("resourceGroupName", RG_RE, "a resource group name (1-90 letters, digits, '_', '-', '.', '(', ')')");
  const location = r.str("location", LOCATION_RE, "an Azure location such as westeurope");
  if (location !== undefined && location !== stack.config.location) {
    r.fail("location", `got ${show(location)}; expected "${stack.config.location}" (the location in ${path.basename(stack.file)})`);
  }
  const storageAccountName = r.str("storageAccountName", STORAGE_ACCOUNT_RE, "a storage account name (3-24 lowercase letters and digits)");
  const dataContainer = r.str("dataContainer", CONTAINER_RE, "a blob container name (3-63 lowercase letters, digits, single hyphens)");
  const artifactsContainer = r.str(
    "artifactsContainer",
    CONTAINER_RE,
    "a blob container name (3-63 lowercase letters, digits, single hyphens)",
  );
  const identityClientId = r.str("identityClientId", GUID_RE, "the user-assigned identity's client id (GUID)");
  const identityPrincipalId = r.str("identityPrincipalId", GUID_RE, "the user-assigned identity's principal id (GUID)");
  const identityId = r.str(
    "identityId",
    armId(subscriptionId, "Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+"),
    "a user-assigned identity resource id /subscriptions/<subscriptionId>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>",
  );
  const keyVaultUri = r.str("keyVaultUri", VAULT_URI_RE, "a Key Vault URI https://<vault>.vault.azure.net/");
  const keyId = r.str("keyId", KEY_URI_RE, "a versionless Key Vault key id https://<vault>.vault.azure.net/keys/<name>");
  if (
    keyId !== undefined &&
    keyVaultUri !== undefined &&
    KEY_URI_RE.exec(keyId)![1].toLowerCase() !== VAULT_URI_RE.exec(keyVaultUri)![1].toLowerCase()
  ) {
    r.fail("keyId", `got ${show(keyId)}; expected a key in the vault ${keyVaultUri} (keyVaultUri)`);
  }
  const networkId = r.str(
    "networkId",
    armId(subscriptionId, "Microsoft.Network/virtualNetworks/[^/]+"),
    "a VNet resource id .../providers/Microsoft.Network/virtualNetworks/<name>",
  );
  const subnetIds = r.list(
    "subnetIds",
    armId(subscriptionId, "Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+"),
    "subnet resource ids .../virtualNetworks/<vnet>/subnets/<name>",
    16,
  );
  if (networkId !== undefined && subnetIds !== undefined) {
    const outside = subnetIds.find((s) => !s.toLowerCase().startsWith(`${networkId.toLowerCase()}/subnets/`));
    if (outside) r.fail("subnetIds", `has ${show(outside)}, which is not in the VNet ${networkId} (networkId)`);
  }

  const blobLocation = (container: string | undefined) =>
    storageAccountName && container
      ? new RegExp(`^https://${storageAccountName}\\.blob\\.core\\.windows\\.net/${container}/?$`)
      : /^https:\/\/.+/;
  const dataLocation = r.str(
    "dataLocation",
    blobLocation(dataContainer),
    `the data container URL https://${storageAccountName ?? "<storageAccountName>"}.blob.core.windows.net/${dataContainer ?? "<dataContainer>"}`,
  );
  const outputLocation = r.str(
    "outputLocation",
    blobLocation(artifactsContainer),
    `the artifacts container URL https://${storageAccountName ?? "<storageAccountName>"}.blob.core.windows.net/${artifactsContainer ?? "<artifactsContainer>"}`,
  );

  let workspaceName: string | undefined;
  let computeName: string | undefined;
  let workspaceId: string | undefined;
  if (r.has("workspaceName"))
    workspaceName = r.str("workspaceName", WORKSPACE_RE, "an Azure ML workspace name (3-33 letters, digits, '_', '-')");
  if (r.has("computeName"))
    computeName = r.str("computeName", COMPUTE_RE, "an Azure ML compute name (2-32 letters, digits, '-', starting with a letter)");
  if (r.has("workspaceId")) {
    workspaceId = r.str(
      "workspaceId",
      armId(subscriptionId, "Microsoft.MachineLearningServices/workspaces/[^/]+"),
      "the workspace resource id .../providers/Microsoft.MachineLearningServices/workspaces/<name>",
    );
    if (
      workspaceId !== undefined &&
      workspaceName !== undefined &&
      !workspaceId.toLowerCase().endsWith(`/workspaces/${workspaceName.toLowerCase()}`)
    ) {
      r.fail("workspaceId", `got ${show(workspaceId)}; expected the id of workspace ${workspaceName} (workspaceName)`);
    }
    if (
      workspaceId !== undefined &&
      resourceGroupName !== undefined &&
      !workspaceId.toLowerCase().includes(`/resourcegroups/${resourceGroupName.toLowerCase()}/`)
    ) {
      r.fail("workspaceId", `got ${show(workspaceId)}; expected a workspace in resource group ${resourceGroupName} (resourceGroupName)`);
    }
  }

  const clusters = r.has("computeClusters") ? readClusters(r, raw.computeClusters, computeName) : undefined;

  if (r.problems.length > 0) throw new UsageError(r.problems);
  return {
    cloud: "azure",
    tier: tier!,
    dataLocation: dataLocation!,
    outputLocation: outputLocation!,
    keyId: keyId!,
    identityId: identityId!,
    networkId: networkId!,
    subnetIds: subnetIds!,
    subscriptionId: subscriptionId!,
    resourceGroupName: resourceGroupName!,
    location: location!,
    storageAccountName: storageAccountName!,
    dataContainer: dataContainer!,
    artifactsContainer: artifactsContainer!,
    identityClientId: identityClientId!,
    identityPrincipalId: identityPrincipalId!,
    keyVaultUri: keyVaultUri!,
    workspaceName: workspaceName!,
    workspaceId,
    computeName: computeName!,
    ...(clusters ? { computeClusters: clusters } : {}),
  };
}

/** The `computeClusters` output: 1-8 distinct clusters with valid names and VM sizes, `computeName` among them. */
function readClusters(r: OutputReader, value: unknown, computeName: string | undefined): ClusterInfo[] | undefined {
  const expected = "a list of 1-8 clusters {name, vmSize, maxNodes, priority}";
  if (!Array.isArray(value) || value.length === 0 || value.length > 8)
    return r.fail("computeClusters", `got ${show(value)}; expected ${expected}`);
  const clusters: ClusterInfo[] = [];
  for (const [i, c] of value.entries()) {
    const o = (c ?? {}) as Record<string, unknown>;
    if (
      typeof o.name !== "string" ||
      !COMPUTE_RE.test(o.name) ||
      typeof o.vmSize !== "string" ||
      !isAzureVmSize(o.vmSize) ||
      !Number.isInteger(o.maxNodes) ||
      (o.maxNodes as number) < 1 ||
      typeof o.priority !== "string"
    ) {
      return r.fail(
        "computeClusters",
        `element ${i} is ${show(c)}; expected ${expected} (an Azure ML compute name, an Azure VM size, maxNodes >= 1)`,
      );
    }
    clusters.push({ name: o.name, vmSize: o.vmSize, maxNodes: o.maxNodes as number, priority: o.priority });
  }
  if (new Set(clusters.map((c) => c.name.toLowerCase())).size !== clusters.length)
    return r.fail("computeClusters", `got ${show(value)}; expected distinct cluster names`);
  if (computeName !== undefined && !clusters.some((c) => c.name.toLowerCase() === computeName.toLowerCase())) {
    return r.fail(
      "computeClusters",
      `does not list computeName ${show(computeName)}; the outputs are inconsistent: re-read them from the stack`,
    );
  }
  return clusters;
}
