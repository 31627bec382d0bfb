/** Every mapper, by the resource types it prices. */
import type { Mapper } from "../mapper";
import { awsEip } from "./aws-eip";
import { awsKmsKey } from "./aws-kms-key";
import { awsNatGateway } from "./aws-nat-gateway";
import { awsVpcEndpoint } from "./aws-vpc-endpoint";
import { awsVpcEndpointSubnetAssociation } from "./aws-vpc-endpoint-subnet-association";
import { azureContainerRegistry } from "./azure-container-registry";
import { azureContainerRegistryReplication } from "./azure-container-registry-replication";
import { azureKeyVaultKey } from "./azure-key-vault-key";
import { azureLogAnalyticsWorkspace } from "./azure-log-analytics-workspace";
import { azureMlCompute } from "./azure-ml-compute";
import { azureMlWorkspace } from "./azure-ml-workspace";
import { azureNatGateway } from "./azure-nat-gateway";
import { azurePrivateDnsZone } from "./azure-private-dns-zone";
import { azurePrivateEndpoint } from "./azure-private-endpoint";
import { azurePublicIp } from "./azure-public-ip";

export const MAPPERS: readonly Mapper[] = [
  awsKmsKey,
  awsVpcEndpoint,
  awsVpcEndpointSubnetAssociation,
  awsNatGateway,
  awsEip,
  azurePrivateEndpoint,
  azurePrivateDnsZone,
  azureContainerRegistry,
  azureContainerRegistryReplication,
  azureKeyVaultKey,
  azureNatGateway,
  azurePublicIp,
  azureMlCompute,
  azureMlWorkspace,
  azureLogAnalyticsWorkspace,
];

export const MAPPER_BY_TYPE: ReadonlyMap<string, Mapper> = new Map(MAPPERS.flatMap((m) => m.types.map((t) => [t, m] as const)));

export {
  awsEip,
  awsKmsKey,
  awsNatGateway,
  awsVpcEndpoint,
  awsVpcEndpointSubnetAssociation,
  azureContainerRegistry,
  azureContainerRegistryReplication,
  azureKeyVaultKey,
  azureLogAnalyticsWorkspace,
  azureMlCompute,
  azureMlWorkspace,
  azureNatGateway,
  azurePrivateDnsZone,
  azurePrivateEndpoint,
  azurePublicIp,
};
