/**
 * Pulumi mocks that answer like the clouds do: every resource gets a
 * realistic id, name and ARN / Azure resource id, so no input a test or a
 * policy reads is left unknown. Values are deterministic (derived from the
 * resource's type and name), so runs are repeatable.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const MOCK_AWS_ACCOUNT = "123456789012";
export const MOCK_AZURE_SUBSCRIPTION = "00000000-0000-4000-8000-000000000001";
export const MOCK_AZURE_TENANT = "00000000-0000-4000-8000-000000000002";

function hex(seed: string, n: number): string {
  return crypto.createHash("sha256").update(seed).digest("hex").slice(0, n);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------- AWS ----------

/** Physical name as `@pulumi/aws` auto-names: `<logical>-<7 hex>`. */
function awsAutoName(args: pulumi.runtime.MockResourceArgs): string {
  return `${args.name}-${hex(args.type + args.name, 7)}`;
}

const AWS_ID_PREFIX: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/flowLog:FlowLog": "fl",
  "aws:ec2/networkAcl:NetworkAcl": "acl",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

function awsResource(args: pulumi.runtime.MockResourceArgs, region: string): pulumi.runtime.MockResourceResult {
  const inputs = args.inputs ?? {};
  const [, mod, kind] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(args.type) ?? [];
  const seed = args.type + args.name;
  const acct = MOCK_AWS_ACCOUNT;
  const state: Record<string, unknown> = { ...inputs };
  let id = `${args.name}-${hex(seed, 8)}`;

  switch (args.type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = inputs.bucket ?? (inputs.bucketPrefix ? `${inputs.bucketPrefix}${hex(seed, 26)}` : awsAutoName(args));
      Object.assign(state, {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        region,
      });
      id = bucket;
      break;
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(seed);
      Object.assign(state, { keyId, arn: `arn:aws:kms:${region}:${acct}:key/${keyId}` });
      id = keyId;
      break;
    }
    case "aws:kms/alias:Alias":
      Object.assign(state, { arn: `arn:aws:kms:${region}:${acct}:${inputs.name}`, targetKeyArn: inputs.targetKeyId });
      id = String(inputs.name ?? args.name);
      break;
    case "aws:iam/role:Role": {
      const name = inputs.name ?? awsAutoName(args);
      Object.assign(state, {
        name,
        arn: `arn:aws:iam::${acct}:role${inputs.path ?? "/"}${name}`,
        uniqueId: `AROA${hex(seed, 16).toUpperCase()}`,
      });
      id = name;
      break;
    }
    case "aws:iam/policy:Policy": {
      const name = inputs.name ?? awsAutoName(args);
      Object.assign(state, {
        name,
        arn: `arn:aws:iam::${acct}:policy${inputs.path ?? "/"}${name}`,
        policyId: `ANPA${hex(seed, 16).toUpperCase()}`,
      });
      id = state.arn as string;
      break;
    }
    case "aws:iam/user:User": {
      const name = inputs.name ?? awsAutoName(args);
      Object.assign(state, { name, arn: `arn:aws:iam::${acct}:user/${name}` });
      id = name;
      break;
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const name = inputs.name ?? awsAutoName(args);
      Object.assign(state, { name, arn: `arn:aws:logs:${region}:${acct}:log-group:${name}` });
      id = name;
      break;
    }
    case "aws:sagemaker/domain:Domain": {
      id = `d-${hex(seed, 12)}`;
      Object.assign(state, {
        arn: `arn:aws:sagemaker:${region}:${acct}:domain/${id}`,
        url: `https://${id}.studio.${region}.sagemaker.aws`,
        homeEfsFileSystemId: `fs-${hex(seed, 17)}`,
        securityGroupIdForDomainBoundary: `sg-${hex(seed + "b", 17)}`,
      });
      break;
    }
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      id = `vpce-${hex(seed, 17)}`;
      Object.assign(state, {
        arn: `arn:aws:ec2:${region}:${acct}:vpc-endpoint/${id}`,
        prefixListId: inputs.vpcEndpointType === "Gateway" ? `pl-${hex(seed, 8)}` : undefined,
        networkInterfaceIds: [],
        dnsEntries: [],
      });
      break;
    default: {
      const prefix = AWS_ID_PREFIX[args.type];
      if (prefix) id = `${prefix}-${hex(seed, 17)}`;
      if (state.name === undefined && "name" in inputs === false && mod && kind) {
        // Most auto-named AWS resources expose the generated name as `name`.
        state.name = awsAutoName(args);
      }
      // EC2 ARNs name the resource type in kebab case (security-group/sg-..., security-group-rule/sgr-...).
      const service = mod === "cloudwatch" ? "logs" : mod === "vpc" ? "ec2" : mod;
      const ec2Kind = (k: string) =>
        k
          .replace(/^Default/, "")
          .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
          .toLowerCase();
      const resourceType = service === "ec2" && kind ? ec2Kind(kind) : (kind ?? "resource").toLowerCase();
      state.arn = state.arn ?? `arn:aws:${service}:${region}:${acct}:${resourceType}/${id}`;
    }
  }
  state.id = id;
  if (inputs.tags !== undefined) state.tagsAll = inputs.tags;
  return { id, state };
}

// ---------- Azure ----------

/** The input that names each azure-native resource (its last path parameter). */
const AZURE_NAME_INPUT: Record<string, string> = {
  "resources:ResourceGroup": "resourceGroupName",
  "storage:StorageAccount": "accountName",
  "storage:BlobContainer": "containerName",
  "storage:BlobServiceProperties": "blobServicesName",
  "keyvault:Vault": "vaultName",
  "keyvault:Key": "keyName",
  "network:VirtualNetwork": "virtualNetworkName",
  "network:Subnet": "subnetName",
  "network:NetworkSecurityGroup": "networkSecurityGroupName",
  "network:PrivateEndpoint": "privateEndpointName",
  "network:PrivateDnsZoneGroup": "privateDnsZoneGroupName",
  "privatedns:PrivateZone": "privateZoneName",
  "privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
  "managedidentity:UserAssignedIdentity": "resourceName",
  "authorization:RoleAssignment": "roleAssignmentName",
  "operationalinsights:Workspace": "workspaceName",
  "monitor:DiagnosticSetting": "name",
  "applicationinsights:Component": "resourceName",
  "machinelearningservices:Workspace": "workspaceName",
  "machinelearningservices:Compute": "computeName",
  "containerregistry:Registry": "registryName",
};

/** Child resources copy the logical name; top-level ones get 8 random hex appended. */
const AZURE_CHILD = new Set([
  "storage:BlobContainer",
  "keyvault:Key",
  "network:Subnet",
  "network:PrivateDnsZoneGroup",
  "privatedns:VirtualNetworkLink",
  "machinelearningservices:Compute",
  "monitor:DiagnosticSetting",
]);

const AZURE_ARM_TYPE: Record<string, string> = {
  "storage:StorageAccount": "Microsoft.Storage/storageAccounts",
  "keyvault:Vault": "Microsoft.KeyVault/vaults",
  "network:VirtualNetwork": "Microsoft.Network/virtualNetworks",
  "network:NetworkSecurityGroup": "Microsoft.Network/networkSecurityGroups",
  "network:PrivateEndpoint": "Microsoft.Network/privateEndpoints",
  "privatedns:PrivateZone": "Microsoft.Network/privateDnsZones",
  "managedidentity:UserAssignedIdentity": "Microsoft.ManagedIdentity/userAssignedIdentities",
  "operationalinsights:Workspace": "Microsoft.OperationalInsights/workspaces",
  "applicationinsights:Component": "Microsoft.Insights/components",
  "machinelearningservices:Workspace": "Microsoft.MachineLearningServices/workspaces",
  "containerregistry:Registry": "Microsoft.ContainerRegistry/registries",
};

function azureResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
  const inputs = args.inputs ?? {};
  const token = args.type.replace(/^azure-native:/, "");
  const seed = args.type + args.name;
  const nameInput = AZURE_NAME_INPUT[token];
  const name: string = (nameInput && inputs[nameInput]) ?? (AZURE_CHILD.has(token) ? args.name : `${args.name}${hex(seed, 8)}`);
  const sub = `/subscriptions/${MOCK_AZURE_SUBSCRIPTION}`;
  const rg = `${sub}/resourceGroups/${inputs.resourceGroupName ?? "rg"}`;
  const state: Record<string, unknown> = { ...inputs, name };
  let id: string;

  switch (token) {
    case "resources:ResourceGroup":
      id = `${sub}/resourceGroups/${name}`;
      break;
    case "storage:BlobContainer":
      id = `${rg}/providers/Microsoft.Storage/storageAccounts/${inputs.accountName}/blobServices/default/containers/${name}`;
      break;
    case "storage:BlobServiceProperties":
      id = `${rg}/providers/Microsoft.Storage/storageAccounts/${inputs.accountName}/blobServices/default`;
      state.name = "default";
      break;
    case "keyvault:Key":
      id = `${rg}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}/keys/${name}`;
      Object.assign(state, {
        keyUri: `https://${inputs.vaultName}.vault.azure.net/keys/${name}`,
        keyUriWithVersion: `https://${inputs.vaultName}.vault.azure.net/keys/${name}/${hex(seed, 32)}`,
      });
      break;
    case "network:Subnet":
      id = `${rg}/providers/Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}/subnets/${name}`;
      break;
    case "privatedns:VirtualNetworkLink":
      id = `${rg}/providers/Microsoft.Network/privateDnsZones/${inputs.privateZoneName}/virtualNetworkLinks/${name}`;
      break;
    case "network:PrivateDnsZoneGroup":
      id = `${rg}/providers/Microsoft.Network/privateEndpoints/${inputs.privateEndpointName}/privateDnsZoneGroups/${name}`;
      break;
    case "machinelearningservices:Compute":
      id = `${rg}/providers/Microsoft.MachineLearningServices/workspaces/${inputs.workspaceName}/computes/${name}`;
      break;
    case "authorization:RoleAssignment":
      id = `${inputs.scope ?? sub}/providers/Microsoft.Authorization/roleAssignments/${name}`;
      break;
    case "monitor:DiagnosticSetting":
      id = `${inputs.resourceUri ?? rg}/providers/Microsoft.Insights/diagnosticSettings/${name}`;
      break;
    default: {
      const arm = AZURE_ARM_TYPE[token] ?? `Microsoft.${token.split(":")[0]}/${token.split(":")[1]}`;
      id = `${rg}/providers/${arm}/${name}`;
    }
  }

  switch (token) {
    case "storage:StorageAccount":
      state.primaryEndpoints = { blob: `https://${name}.blob.core.windows.net/`, dfs: `https://${name}.dfs.core.windows.net/` };
      break;
    case "keyvault:Vault":
      state.properties = { ...(inputs.properties ?? {}), vaultUri: `https://${name}.vault.azure.net/` };
      break;
    case "managedidentity:UserAssignedIdentity":
      Object.assign(state, { clientId: uuid(seed + "client"), principalId: uuid(seed + "principal"), tenantId: MOCK_AZURE_TENANT });
      break;
    case "operationalinsights:Workspace":
      state.customerId = uuid(seed + "customer");
      break;
    case "applicationinsights:Component":
      Object.assign(state, { instrumentationKey: uuid(seed + "ikey"), connectionString: `InstrumentationKey=${uuid(seed + "ikey")}` });
      break;
    case "machinelearningservices:Workspace":
      state.workspaceId = uuid(seed + "ws");
      break;
  }
  state.id = id;
  state.azureApiVersion = state.azureApiVersion ?? "mock";
  return { id, state };
}

// ---------- Invokes ----------

export interface MockOptions {
  /** Region the AWS mocks report (ARNs, getRegion). */
  readonly awsRegion?: string;
  /**
   * Answer as a preview of a new stack: a created resource's state is what the
   * provider plans before creating it — the program's inputs plus the physical
   * name the provider's Check generates (auto-naming, known in a preview) — and
   * its id is unknown; everything else the provider computes is left out (the
   * SDK makes it unknown in a dry run). Reads and imports (an id given) still
   * answer in full, as a preview reads existing resources.
   */
  readonly preview?: boolean;
}

/** The input a provider's Check fills with a generated name when the program gives none (auto-naming). */
function autoNameKey(type: string): string | undefined {
  if (type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2") return "bucket";
  if (type.startsWith("azure-native:")) {
    const token = type.replace(/^azure-native:/, "");
    return AZURE_CHILD.has(token) ? undefined : AZURE_NAME_INPUT[token];
  }
  return undefined;
}

/**
 * A created resource as a preview plans it: the inputs; the auto-name where
 * the program gave none (from the full answer `full`, so previews and
 * updates agree on names); everything else `full` computes — top-level
 * (an ARN, a key id, endpoints) or inside objects the program gave (a
 * vault's `properties.vaultUri`) — unknown. Properties neither given nor
 * computed by the mocks (provider defaults) stay absent.
 */
export function plannedState(args: pulumi.runtime.MockResourceArgs, full: pulumi.runtime.MockResourceResult): Record<string, unknown> {
  const fullState = (full.state ?? {}) as Record<string, unknown>;
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args.inputs ?? {})) state[k] = withComputedUnknown(v, fullState[k]);
  const key = autoNameKey(args.type);
  if (key !== undefined) {
    if (state[key] === undefined) state[key] = args.type.startsWith("aws:") ? fullState[key] : fullState.name;
  } else if (args.type.startsWith("aws:") && state.name === undefined && fullState.name !== undefined) {
    // Auto-named AWS resources (roles, policies, log groups, ...) get `name` in Check.
    state.name = fullState.name;
  }
  for (const k of Object.keys(fullState)) if (k !== "id" && !(k in state)) state[k] = pulumi.unknown;
  return state;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function withComputedUnknown(given: unknown, full: unknown): unknown {
  if (!isPlainObject(given) || !isPlainObject(full)) return given;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(given)) out[k] = withComputedUnknown(v, full[k]);
  for (const k of Object.keys(full)) if (!(k in given)) out[k] = pulumi.unknown;
  return out;
}

export function realisticMocks(options: MockOptions = {}): pulumi.runtime.Mocks {
  const region = options.awsRegion ?? "us-east-1";
  const full = realisticResource(region);
  return {
    newResource(args) {
      if (!options.preview || args.id || args.type.startsWith("pulumi:providers:")) return full(args);
      return { id: undefined, state: plannedState(args, full(args)) };
    },
    call(args) {
      return realisticCall(args, region);
    },
  };
}

function realisticResource(region: string): (args: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult {
  return (args) => {
    if (args.type.startsWith("aws:")) return awsResource(args, region);
    if (args.type.startsWith("azure-native:")) return azureResource(args);
    if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-provider-id`, state: { ...args.inputs } };
    return { id: `${args.name}-id`, state: { ...args.inputs } };
  };
}

function realisticCall(args: pulumi.runtime.MockCallArgs, region: string): Record<string, unknown> {
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_AWS_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:user/mock`,
        userId: "AIDAMOCK",
        id: MOCK_AWS_ACCOUNT,
      };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const letters = ["a", "b", "c", "d"];
      return {
        names: letters.map((l) => `${region}${l}`),
        zoneIds: letters.map((_, i) => `use1-az${i + 1}`),
        id: region,
        groupNames: [region],
      };
    }
    case "aws:ec2/getVpcEndpointService:getVpcEndpointService": {
      // Every AWS interface endpoint service offered in the four mock zones (the program intersects them with the available zones).
      const service = String(args.inputs.serviceName ?? `com.amazonaws.${region}.${args.inputs.service ?? "unknown"}`);
      const zones = ["a", "b", "c", "d"].map((l) => `${region}${l}`);
      return {
        id: service,
        serviceName: service,
        service: service.split(".").slice(3).join("."),
        serviceType: "Interface",
        serviceId: `vpce-svc-${hex(service, 17)}`,
        availabilityZones: zones,
        owner: "amazon",
        acceptanceRequired: false,
        vpcEndpointPolicySupported: true,
        privateDnsName: `${service.split(".").slice(3).join(".")}.${region}.amazonaws.com`,
        baseEndpointDnsNames: [`${service.split(".").slice(3).join(".")}.${region}.vpce.amazonaws.com`],
        managesVpcEndpoints: false,
        supportedIpAddressTypes: ["ipv4"],
        region,
      };
    }
    case "azure-native:authorization:getClientConfig":
      return {
        clientId: uuid("client"),
        objectId: uuid("object"),
        subscriptionId: MOCK_AZURE_SUBSCRIPTION,
        tenantId: MOCK_AZURE_TENANT,
      };
    default:
      throw new Error(`the offline mocks have no answer for invoke ${args.token}; add one to engine/recorder/mocks.ts`);
  }
}
