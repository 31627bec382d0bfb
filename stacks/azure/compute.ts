/**
 * The ML workspace's training clusters, one per entry of the validated
 * `computeClusters` config (C4, C6, C7): each an AmlCompute cluster whose
 * nodes get no public IP and no public SSH port, that runs as the job
 * identity, has no local admin credentials and scales to zero when idle
 * (`minNodeCount` 0: nodes exist, and are billed, only while a job runs).
 *
 * Azure ML compute properties: https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces/computes
 * ("enableNodePublicIp ... false - Indicates that the compute nodes will have a private endpoint and no
 * public IPs"; the SDK default is true, so it is always set explicitly here).
 */
import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import type { ComputeClusterConfig } from "../config";
import { AzureContext, childOpts } from "./context";

/** How long an idle node stays before the cluster scales down (ISO 8601). */
export const IDLE_BEFORE_SCALE_DOWN = "PT120S";

/** What a cluster needs from the workspace it belongs to. */
export interface ClusterHost {
  readonly workspaceName: pulumi.Input<string>;
  /** The user-assigned identity jobs run as. */
  readonly jobIdentityId: pulumi.Input<string>;
  /** The customer-VNet subnet the nodes join; absent when the workspace's managed network hosts them. */
  readonly subnetId?: pulumi.Input<string>;
  /** What the clusters must wait for (private DNS of the workspace endpoint, the identity's roles). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export function createCluster(ctx: AzureContext, host: ClusterHost, spec: ComputeClusterConfig): machinelearningservices.Compute {
  return new machinelearningservices.Compute(
    `${ctx.name}-compute-${spec.name}`,
    {
      resourceGroupName: ctx.resourceGroupName,
      workspaceName: host.workspaceName,
      computeName: spec.name,
      location: ctx.location,
      tags: ctx.tags,
      identity: {
        type: machinelearningservices.ManagedServiceIdentityType.UserAssigned,
        userAssignedIdentities: [host.jobIdentityId],
      },
      properties: {
        computeType: "AmlCompute",
        disableLocalAuth: true,
        description: `Training cluster ${spec.name} (${spec.vmSize}, ${spec.priority}): no public IP, scales to zero.`,
        properties: {
          vmSize: spec.vmSize,
          vmPriority:
            spec.priority === "LowPriority" ? machinelearningservices.VmPriority.LowPriority : machinelearningservices.VmPriority.Dedicated,
          osType: machinelearningservices.OsType.Linux,
          enableNodePublicIp: false,
          remoteLoginPortPublicAccess: machinelearningservices.RemoteLoginPortPublicAccess.Disabled,
          ...(host.subnetId !== undefined ? { subnet: { id: host.subnetId } } : {}),
          scaleSettings: {
            minNodeCount: spec.minNodes,
            maxNodeCount: spec.maxNodes,
            nodeIdleTimeBeforeScaleDown: IDLE_BEFORE_SCALE_DOWN,
          },
        },
      },
    },
    childOpts(ctx, { dependsOn: host.dependsOn }),
  );
}

/** One cluster per `computeClusters` entry, in config order (the first is the stack's default `computeName`). */
export function createComputeClusters(ctx: AzureContext, host: ClusterHost): machinelearningservices.Compute[] {
  return ctx.config.computeClusters.map((spec) => createCluster(ctx, host, spec));
}

/** The `computeClusters` stack output: what `npm run train` checks a job against before it sends anything. */
export interface ClusterOutput {
  readonly name: string;
  readonly vmSize: string;
  readonly maxNodes: number;
  readonly priority: string;
}

export function clusterOutputs(ctx: AzureContext): ClusterOutput[] {
  return ctx.config.computeClusters.map(({ name, vmSize, maxNodes, priority }) => ({ name, vmSize, maxNodes, priority }));
}
