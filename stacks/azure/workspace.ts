/**
 * The optional Azure ML workspace (C3, C4, C6, C7): reachable only through a
 * private endpoint, running as the user-assigned identity, linked to the
 * environment's storage account, vault and a workspace-based Application
 * Insights; and its training clusters (compute.ts, from the computeClusters
 * config) in the workload subnet, whose nodes have no public IP or SSH port,
 * scale to zero when idle and run as the same identity.
 */
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { AzureContext, childOpts } from "./context";
import { createPrivateEndpoint, PrivateEndpointWiring } from "./private-endpoint";
import { createComputeClusters } from "./compute";

export interface WorkspaceArgs {
  readonly workspaceName: string;
  readonly identityId: pulumi.Input<string>;
  readonly storageAccountId: pulumi.Input<string>;
  readonly keyVaultId: pulumi.Input<string>;
  readonly logWorkspaceId: pulumi.Input<string>;
  readonly workloadSubnetId: pulumi.Input<string>;
  readonly endpointSubnetId: pulumi.Input<string>;
  readonly vnetId: pulumi.Input<string>;
  /** Resources the workspace needs first (the identity's roles). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface MlWorkspace {
  readonly appInsights: applicationinsights.Component;
  readonly workspace: machinelearningservices.Workspace;
  readonly privateEndpoint: PrivateEndpointWiring;
  /** The training clusters (stacks/azure/compute.ts), in config order. */
  readonly clusters: machinelearningservices.Compute[];
}

export function createMlWorkspace(ctx: AzureContext, args: WorkspaceArgs): MlWorkspace {
  const userAssigned = {
    type: machinelearningservices.ManagedServiceIdentityType.UserAssigned,
    userAssignedIdentities: [args.identityId],
  };

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

  const workspace = new machinelearningservices.Workspace(
    args.workspaceName,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      sku: { name: "Basic", tier: machinelearningservices.SkuTier.Basic },
      friendlyName: `${ctx.name} training`,
      publicNetworkAccess: machinelearningservices.PublicNetworkAccessType.Disabled,
      allowPublicAccessWhenBehindVnet: false,
      identity: userAssigned,
      primaryUserAssignedIdentity: args.identityId,
      storageAccount: args.storageAccountId,
      keyVault: args.keyVaultId,
      applicationInsights: appInsights.id,
      // The storage account accepts no shared keys: the workspace reaches its datastores as its identity.
      systemDatastoresAuthMode: machinelearningservices.SystemDatastoresAuthMode.Identity,
      hbiWorkspace: ctx.config.dataClassification !== "internal",
      v1LegacyMode: false,
    },
    childOpts(ctx, { dependsOn: args.dependsOn }),
  );

  const privateEndpoint = createPrivateEndpoint(ctx, {
    label: "mlw",
    group: "amlworkspace",
    targetId: workspace.id,
    subnetId: args.endpointSubnetId,
    vnetId: args.vnetId,
  });

  // The nodes talk to the workspace over its private endpoint.
  const clusters = createComputeClusters(ctx, {
    workspaceName: workspace.name,
    jobIdentityId: args.identityId,
    subnetId: args.workloadSubnetId,
    dependsOn: [privateEndpoint.zoneGroup],
  });

  return { appInsights, workspace, privateEndpoint, clusters };
}
