/**
 * Resource types with no idle charge, each a deliberate entry: "none" (never
 * billed) or "usage" (billed only for what is stored, ingested or run; no
 * fixed charge). A type in neither this list nor a mapper is reported as
 * "not priced", never as zero.
 *
 * A key ending in "/" or ":" covers a whole module or package (every IAM
 * resource is free; `random` and `tls` never touch a cloud bill).
 */
export interface FreeType {
  readonly billing: "none" | "usage";
  readonly note?: string;
}

const none = (note?: string): FreeType => ({ billing: "none", note });
const usage = (note: string): FreeType => ({ billing: "usage", note });

export const FREE_TYPES: Readonly<Record<string, FreeType>> = {
  // ---- AWS: network
  "aws:ec2/vpc:Vpc": none(),
  "aws:ec2/subnet:Subnet": none(),
  "aws:ec2/routeTable:RouteTable": none(),
  "aws:ec2/route:Route": none(),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": none(),
  "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": none(),
  "aws:ec2/defaultRouteTable:DefaultRouteTable": none(),
  "aws:ec2/securityGroup:SecurityGroup": none(),
  "aws:ec2/securityGroupRule:SecurityGroupRule": none(),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": none(),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": none(),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": none(),
  "aws:vpc/securityGroupVpcAssociation:SecurityGroupVpcAssociation": none(),
  "aws:ec2/networkAcl:NetworkAcl": none(),
  "aws:ec2/networkAclRule:NetworkAclRule": none(),
  "aws:ec2/networkAclAssociation:NetworkAclAssociation": none(),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": none(),
  "aws:ec2/internetGateway:InternetGateway": none("no charge for the gateway; data transfer out is billed"),
  "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": none(),
  "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": none(),
  "aws:ec2/vpcDhcpOptions:VpcDhcpOptions": none(),
  "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation": none(),
  "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": none(),
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": none(),
  "aws:vpc/endpointPrivateDns:EndpointPrivateDns": none(),
  "aws:ec2/networkInterface:NetworkInterface": none(),
  "aws:ec2/managedPrefixList:ManagedPrefixList": none(),
  "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry": none(),
  "aws:ec2/flowLog:FlowLog": usage("billed per GB of logs delivered"),
  // ---- AWS: identity and keys
  "aws:iam/": none("IAM has no charge"),
  "aws:kms/alias:Alias": none(),
  "aws:kms/keyPolicy:KeyPolicy": none(),
  "aws:kms/grant:Grant": none(),
  // ---- AWS: storage and logs
  "aws:s3/bucket:Bucket": usage("billed per GB stored and per request"),
  "aws:s3/bucketV2:BucketV2": usage("billed per GB stored and per request"),
  "aws:s3/bucketObject:BucketObject": usage("billed per GB stored"),
  "aws:s3/bucketObjectv2:BucketObjectv2": usage("billed per GB stored"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": none(),
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": none(),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": none(),
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": none(),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": none(),
  "aws:s3/bucketVersioning:BucketVersioning": none("noncurrent versions are billed as storage"),
  "aws:s3/bucketVersioningV2:BucketVersioningV2": none("noncurrent versions are billed as storage"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": none("transitions are billed per request"),
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": none("transitions are billed per request"),
  "aws:s3/bucketLogging:BucketLogging": none("log objects are billed as storage"),
  "aws:s3/bucketLoggingV2:BucketLoggingV2": none("log objects are billed as storage"),
  "aws:s3/bucketPolicy:BucketPolicy": none(),
  "aws:s3/bucketAcl:BucketAcl": none(),
  "aws:s3/bucketAclV2:BucketAclV2": none(),
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": none(),
  "aws:s3/bucketNotification:BucketNotification": none(),
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": none(),
  "aws:s3/bucketRequestPaymentConfiguration:BucketRequestPaymentConfiguration": none(),
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": usage("billed per GB replicated and stored"),
  "aws:s3/inventory:Inventory": usage("billed per million objects listed"),
  "aws:cloudwatch/logGroup:LogGroup": usage("billed per GB ingested and stored"),
  "aws:cloudwatch/logStream:LogStream": none(),
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": none(),
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": none(),
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": none(),
  // ---- AWS: SageMaker
  "aws:sagemaker/domain:Domain": usage("no charge for the domain; its EFS home volume and running apps are billed by use"),
  "aws:sagemaker/userProfile:UserProfile": none(),
  "aws:sagemaker/space:Space": none("apps running in the space are billed while they run"),
  "aws:sagemaker/studioLifecycleConfig:StudioLifecycleConfig": none(),
  "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration": none(),
  "aws:sagemaker/codeRepository:CodeRepository": none(),
  "aws:sagemaker/image:Image": none(),
  "aws:sagemaker/imageVersion:ImageVersion": none(),
  "aws:sagemaker/appImageConfig:AppImageConfig": none(),
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": none(),
  "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": none(),
  "aws:sagemaker/trainingJob:TrainingJob": usage("billed per instance-second while the job runs, not while idle"),
  // ---- Azure: resource group, identity, access
  "azure-native:resources:ResourceGroup": none(),
  "azure-native:managedidentity:UserAssignedIdentity": none(),
  "azure-native:managedidentity:FederatedIdentityCredential": none(),
  "azure-native:authorization:RoleAssignment": none(),
  "azure-native:authorization:RoleDefinition": none(),
  "azure-native:authorization:ManagementLockAtResourceLevel": none(),
  "azure-native:authorization:ManagementLockAtResourceGroupLevel": none(),
  // ---- Azure: network
  "azure-native:network:VirtualNetwork": none(),
  "azure-native:network:Subnet": none(),
  "azure-native:network:NetworkSecurityGroup": none(),
  "azure-native:network:SecurityRule": none(),
  "azure-native:network:RouteTable": none(),
  "azure-native:network:Route": none(),
  "azure-native:network:ApplicationSecurityGroup": none(),
  "azure-native:network:PrivateDnsZoneGroup": none(),
  "azure-native:network:VirtualNetworkLink": none(),
  "azure-native:network:PrivateRecordSet": none(),
  "azure-native:privatedns:VirtualNetworkLink": none(),
  "azure-native:privatedns:PrivateRecordSet": none(),
  "azure-native:network:FlowLog": usage("billed per GB of flow logs collected"),
  // ---- Azure: storage, vault, monitoring, ML
  "azure-native:storage:StorageAccount": usage("billed per GB stored and per operation"),
  "azure-native:storage:BlobContainer": none(),
  "azure-native:storage:BlobServiceProperties": none(),
  "azure-native:storage:FileServiceProperties": none(),
  "azure-native:storage:QueueServiceProperties": none(),
  "azure-native:storage:TableServiceProperties": none(),
  "azure-native:storage:ManagementPolicy": none(),
  "azure-native:storage:EncryptionScope": none(),
  "azure-native:storage:BlobInventoryPolicy": usage("billed per million objects listed"),
  "azure-native:keyvault:Vault": usage("no charge for the vault; key and secret operations are billed"),
  "azure-native:keyvault:Secret": usage("billed per operation"),
  "azure-native:keyvault:AccessPolicy": none(),
  "azure-native:monitor:DiagnosticSetting": none("the logs are billed where they land (Log Analytics)"),
  "azure-native:insights:DiagnosticSetting": none("the logs are billed where they land (Log Analytics)"),
  "azure-native:applicationinsights:Component": usage("billed per GB ingested"),
  "azure-native:machinelearningservices:Datastore": none(),
  "azure-native:machinelearningservices:WorkspaceConnection": none(),
  // ---- Packages that never touch a cloud bill
  "random:": none("generated locally"),
  "tls:": none("generated locally"),
  "time:": none("a timer in the Pulumi engine (@pulumiverse/time); no cloud resource"),
};

/** The free entry for a type: exact, else its module ("aws:iam/"), else its package ("random:"). */
export function freeType(type: string): FreeType | undefined {
  const exact = FREE_TYPES[type];
  if (exact) return exact;
  const module = /^([^:]+:[^/:]+\/)/.exec(type)?.[1];
  if (module && FREE_TYPES[module]) return FREE_TYPES[module];
  const pkg = /^([^:]+:)/.exec(type)?.[1];
  return pkg ? FREE_TYPES[pkg] : undefined;
}
