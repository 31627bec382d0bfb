/**
 * Azure secure training environment: the component that wires the parts
 * together. Each part lives in its own file:
 * - identity.ts          user-assigned identities: job, storage encryption, workspace (C6)
 * - keys.ts              Key Vault and the rotating, versioned customer-managed key (C1, C2, C11)
 * - storage.ts           storage account, blob service, containers (C1, C3, C5, C9)
 * - network.ts           VNet, subnets, network security group (C4)
 * - private-endpoint.ts  private endpoints and their private DNS wiring (C4)
 * - roles.ts             role assignments at the narrowest scope (C6)
 * - rbac-wait.ts         waits for role assignments to take effect (C11)
 * - audit.ts             Log Analytics and diagnostic settings (C8)
 * - workspace.ts         optional ML workspace in a managed network, its identity and a compute cluster (C3, C4, C6, C7, C11)
 * - compute.ts           its training clusters from config: no public IP, job identity, scale to zero (C4, C6, C7)
 * - data-ingest.ts       who may load data, and from which addresses (npm run data; C4, C6)
 * Every resource is parented to this component and tagged (C10).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import type { AzureStackConfig } from "../config";
import type { AzureEnvironmentExtras, EnvironmentOutputs, TrainingEnvironment } from "../outputs";
import { AzureContext } from "./context";
import { azureNames } from "./names";
import { createIdentity } from "./identity";
import { createKeys } from "./keys";
import { createStorage } from "./storage";
import { createNetwork } from "./network";
import { createPrivateEndpoint } from "./private-endpoint";
import { grantRole } from "./roles";
import { createDiagnostics, createLogWorkspace } from "./audit";
import { waitForRoles } from "./rbac-wait";
import { createMlWorkspace, workspaceResourceId } from "./workspace";
import { createIngestRoles } from "./data-ingest";
import { clusterOutputs } from "./compute";

export interface AzureTrainingEnvironmentArgs {
  readonly config: AzureStackConfig;
}

export class AzureTrainingEnvironment extends pulumi.ComponentResource implements TrainingEnvironment<AzureEnvironmentExtras> {
  readonly outputs: EnvironmentOutputs & AzureEnvironmentExtras;

  constructor(name: string, args: AzureTrainingEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-ml:azure:TrainingEnvironment", name, {}, opts);
    const config = args.config;
    // Names first: a prefix that cannot yield valid physical names fails before anything is registered.
    const names = azureNames(name, config);

    const resourceGroup = new resources.ResourceGroup(
      names.resourceGroup,
      { location: config.location, tags: config.tags },
      { parent: this },
    );
    const client = authorization.getClientConfigOutput({ parent: this });

    const ctx: AzureContext = {
      config,
      name,
      resourceGroupName: resourceGroup.name,
      location: config.location,
      tags: config.tags,
      parent: this,
      protectData: config.tier === "prod",
    };

    const identity = createIdentity(ctx, "job");
    const cmkIdentity = createIdentity(ctx, "cmk");
    const logs = createLogWorkspace(ctx);
    const keys = createKeys(ctx, names.keyVault, client.tenantId);

    // The storage-encryption identity must be able to unwrap the key, with the role in effect, before the account uses it.
    const keyRole = grantRole(ctx, client.subscriptionId, cmkIdentity.principalId, {
      label: "key-crypto",
      role: "keyVaultCryptoServiceEncryptionUser",
      scope: keys.key.id,
      holder: "storage encryption",
    });
    const keyRoleInEffect = waitForRoles(ctx, "key-role", [keyRole]);

    const store = createStorage(ctx, {
      accountName: names.storageAccount,
      dataContainerName: names.dataContainer,
      artifactsContainerName: names.artifactsContainer,
      identityId: cmkIdentity.id,
      keyVaultUri: keys.vaultUri,
      keyName: keys.key.name,
      ...(config.mlWorkspace
        ? {
            resourceAccessRules: [
              { tenantId: client.tenantId, resourceId: workspaceResourceId(client.subscriptionId, resourceGroup.name, names.mlWorkspace) },
            ],
          }
        : {}),
      dependsOn: [keyRoleInEffect],
    });

    const dataRole = grantRole(ctx, client.subscriptionId, identity.principalId, {
      label: "data-reader",
      role: "storageBlobDataReader",
      scope: store.dataContainer.id,
      holder: "training",
    });
    const artifactsRole = grantRole(ctx, client.subscriptionId, identity.principalId, {
      label: "artifacts-writer",
      role: "storageBlobDataContributor",
      scope: store.artifactsContainer.id,
      holder: "training",
    });

    createIngestRoles(ctx, {
      subscriptionId: client.subscriptionId,
      resourceGroupId: resourceGroup.id,
      dataContainerId: store.dataContainer.id,
      artifactsContainerId: store.artifactsContainer.id,
    });

    const net = createNetwork(ctx);
    const endpointTargets = {
      blob: store.account.id,
      vault: keys.vault.id,
    } as const;
    const endpoints = config.privateEndpoints.map((group) =>
      createPrivateEndpoint(ctx, {
        label: group,
        group,
        targetId: endpointTargets[group],
        subnetId: net.endpointSubnet.id,
        vnetId: net.vnet.id,
      }),
    );

    createDiagnostics(ctx, logs, { blobServiceId: store.blobService.id, vaultId: keys.vault.id });

    const ml = config.mlWorkspace
      ? createMlWorkspace(ctx, {
          workspaceName: names.mlWorkspace,
          subscriptionId: client.subscriptionId,
          jobIdentity: identity,
          jobRoles: [dataRole, artifactsRole],
          storageAccountId: store.account.id,
          keyVaultId: keys.vault.id,
          logWorkspaceId: logs.id,
          endpointSubnetId: net.endpointSubnet.id,
          vnetId: net.vnet.id,
          dependsOn: endpoints.map((e) => e.zoneGroup),
        })
      : undefined;

    this.outputs = {
      cloud: "azure",
      tier: config.tier,
      dataLocation: store.dataUrl,
      outputLocation: store.artifactsUrl,
      keyId: keys.key.keyUri,
      identityId: identity.id,
      networkId: net.vnet.id,
      subnetIds: pulumi.output([net.workloadSubnet.id]),
      subscriptionId: client.subscriptionId,
      resourceGroupName: resourceGroup.name,
      location: pulumi.output(config.location),
      storageAccountName: store.account.name,
      dataContainer: store.dataContainer.name,
      artifactsContainer: store.artifactsContainer.name,
      identityClientId: identity.clientId,
      identityPrincipalId: identity.principalId,
      keyVaultUri: keys.vaultUri,
      ...(ml
        ? {
            workspaceName: ml.workspace.name,
            workspaceId: ml.workspace.id,
            computeName: ml.clusters[0].name,
            computeClusters: pulumi.output(clusterOutputs(ctx)),
          }
        : {}),
    };
    this.registerOutputs({ ...this.outputs });
  }
}
