/**
 * The optional Azure ML workspace (C3, C4, C6, C7, C11): reachable only
 * through a private endpoint, with its own user-assigned identity holding the
 * roles Azure ML documents for it, linked to the environment's storage
 * account, vault and a workspace-based Application Insights, and isolated in
 * a workspace managed network that allows only approved outbound traffic:
 * private endpoints to its storage (blob, file), vault and itself, and the
 * service tags Azure ML requires (Microsoft Container Registry among them).
 * No FQDN rule, so Azure deploys no firewall. Its training clusters (compute.ts,
 * from the computeClusters config) run in that managed network as the job
 * identity, never in a customer subnet.
 */
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { WORKSPACE_IDENTITY_ROLES, WorkspaceRoleTarget } from "../../policy-pack/lib/ml-workspace-roles";
import { AzureContext, childOpts } from "./context";
import { createIdentity } from "./identity";
import { createPrivateEndpoint, PrivateEndpointWiring } from "./private-endpoint";
import { waitForRoles } from "./rbac-wait";
import { AZUREML_CONTAINER_PREFIX, containerPrefixCondition, grantRole } from "./roles";

import { createComputeClusters } from "./compute";

/** Outbound isolation of the workspace's managed network (no FQDN rules: no Azure Firewall is billed). */
export const ISOLATION_MODE = machinelearningservices.IsolationMode.AllowOnlyApprovedOutbound;

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<name>`, known before the workspace exists. */
export function workspaceResourceId(
  subscriptionId: pulumi.Input<string>,
  resourceGroupName: pulumi.Input<string>,
  workspaceName: string,
): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;
}

export interface WorkspaceArgs {
  /** Physical name (explicit, so the storage firewall can name the workspace before it exists). */
  readonly workspaceName: string;
  readonly subscriptionId: pulumi.Input<string>;
  /** The identity training jobs run as. */
  readonly jobIdentity: managedidentity.UserAssignedIdentity;
  /** The job identity's roles on the data and artifacts containers. */
  readonly jobRoles: authorization.RoleAssignment[];
  readonly storageAccountId: pulumi.Input<string>;
  readonly keyVaultId: pulumi.Input<string>;
  readonly logWorkspaceId: pulumi.Input<string>;
  readonly endpointSubnetId: pulumi.Input<string>;
  readonly vnetId: pulumi.Input<string>;
  /** Resources the workspace needs first (the private endpoints of its storage and vault). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface MlWorkspace {
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly appInsights: applicationinsights.Component;
  readonly workspace: machinelearningservices.Workspace;
  readonly identityRoles: authorization.RoleAssignment[];
  readonly privateEndpoint: PrivateEndpointWiring;
  /** The identity compute clusters run as. */
  readonly jobIdentity: managedidentity.UserAssignedIdentity;
  /** What a compute cluster must wait for: the job identity's roles in effect, the workspace's own role. */
  readonly ready: pulumi.Resource[];
  /** The training clusters (stacks/azure/compute.ts), in config order. */
  readonly clusters: machinelearningservices.Compute[];
}

export function createMlWorkspace(ctx: AzureContext, args: WorkspaceArgs): MlWorkspace {
  const identity = createIdentity(ctx, "workspace");

  const appInsights = new applicationinsights.Component(
    `${ctx.name}-appi`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      kind: "web",
      applicationType: applicationinsights.ApplicationType.Web,
      // Workspace-based: telemetry lands in the environment's Log Analytics workspace.
      ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
      workspaceResourceId: args.logWorkspaceId,
    },
    childOpts(ctx),
  );

  const workspaceId = workspaceResourceId(args.subscriptionId, ctx.resourceGroupName, args.workspaceName);
  const scopes: Record<WorkspaceRoleTarget, pulumi.Input<string>> = {
    workspace: workspaceId,
    storage: args.storageAccountId,
    vault: args.keyVaultId,
    appInsights: appInsights.id,
  };
  const grant = (row: (typeof WORKSPACE_IDENTITY_ROLES)[number], opts: pulumi.CustomResourceOptions = {}) =>
    grantRole(
      ctx,
      args.subscriptionId,
      identity.principalId,
      {
        label: row.label,
        role: row.role,
        scope: scopes[row.target],
        holder: "ML workspace",
        ...(row.role === "storageBlobDataContributor" ? { condition: containerPrefixCondition(AZUREML_CONTAINER_PREFIX) } : {}),
      },
      opts,
    );
  // Roles on the linked resources exist (and are in effect) before the workspace uses them.
  const before = WORKSPACE_IDENTITY_ROLES.filter((r) => r.target !== "workspace").map((r) => grant(r));
  const rolesInEffect = waitForRoles(ctx, "mlw-roles", before);

  const workspace = new machinelearningservices.Workspace(
    args.workspaceName,
    {
      workspaceName: args.workspaceName,
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      sku: { name: "Basic", tier: machinelearningservices.SkuTier.Basic },
      friendlyName: `${ctx.name} training`,
      publicNetworkAccess: machinelearningservices.PublicNetworkAccessType.Disabled,
      allowPublicAccessWhenBehindVnet: false,
      identity: {
        type: machinelearningservices.ManagedServiceIdentityType.UserAssigned,
        userAssignedIdentities: [identity.id],
      },
      primaryUserAssignedIdentity: identity.id,
      storageAccount: args.storageAccountId,
      keyVault: args.keyVaultId,
      applicationInsights: appInsights.id,
      // The storage account accepts no shared keys: the workspace reaches its datastores as its identity.
      systemDatastoresAuthMode: machinelearningservices.SystemDatastoresAuthMode.Identity,
      managedNetwork: { isolationMode: ISOLATION_MODE },
      // Create the managed network (and its private endpoints) now, not at the first job.
      provisionNetworkNow: true,
      hbiWorkspace: ctx.config.dataClassification !== "internal",
      v1LegacyMode: false,
    },
    childOpts(ctx, { dependsOn: [rolesInEffect, ...args.dependsOn] }),
  );
  const after = WORKSPACE_IDENTITY_ROLES.filter((r) => r.target === "workspace").map((r) => grant(r, { dependsOn: [workspace] }));

  const privateEndpoint = createPrivateEndpoint(ctx, {
    label: "mlw",
    group: "amlworkspace",
    targetId: workspace.id,
    subnetId: args.endpointSubnetId,
    vnetId: args.vnetId,
  });

  // Jobs write logs, snapshots and outputs to the workspace's own azureml* containers, and nowhere else on the account.
  const jobAzureml = grantRole(ctx, args.subscriptionId, args.jobIdentity.principalId, {
    label: "job-azureml-writer",
    role: "storageBlobDataContributor",
    scope: args.storageAccountId,
    holder: "training",
    condition: containerPrefixCondition(AZUREML_CONTAINER_PREFIX),
  });
  const jobRolesInEffect = waitForRoles(ctx, "job-roles", [...args.jobRoles, jobAzureml]);
  const ready: pulumi.Resource[] = [jobRolesInEffect, ...after];

  // No subnet: the clusters live in the workspace's managed network.
  const clusters = createComputeClusters(ctx, {
    workspaceName: workspace.name,
    jobIdentityId: args.jobIdentity.id,
    dependsOn: ready,
  });

  return {
    identity,
    appInsights,
    workspace,
    identityRoles: [...before, ...after],
    privateEndpoint,
    jobIdentity: args.jobIdentity,
    ready,
    clusters,
  };
}
