/**
 * The registry of policy modules, the one place a policy is registered: the
 * pack (`../index.ts`) serves every policy exported by every module listed
 * here, and a test fails when a module under `policies/` is missing.
 *
 * Modules live at `<cloud>/<service>/<resource-or-concern>.ts` (the service
 * as in the type token: `aws:s3/...` -> `aws/s3/`); their tests mirror the
 * path under `test/policy-pack/policies/`. To add a module, add one line:
 * `export * as <name> from "./<path>";` (the module exports each policy as a
 * constant).
 */
export * as awsCloudwatchLogGroup from "./aws/cloudwatch/log-group";
export * as awsCloudwatchLogRetention from "./aws/cloudwatch/log-retention";
export * as awsEc2DefaultSecurityGroup from "./aws/ec2/default-security-group";
export * as awsEc2FlowLogs from "./aws/ec2/flow-logs";
export * as awsEc2InternetGateways from "./aws/ec2/internet-gateways";
export * as awsEc2SecurityGroupEgress from "./aws/ec2/security-group-egress";
export * as awsEc2SecurityGroupIngress from "./aws/ec2/security-group-ingress";
export * as awsEc2SubnetPublicIp from "./aws/ec2/subnet-public-ip";
export * as awsEc2VpcEndpointS3Policy from "./aws/ec2/vpc-endpoint-s3-policy";
export * as awsIamAdminPolicies from "./aws/iam/admin-policies";
export * as awsIamPolicyStatements from "./aws/iam/policy-statements";
export * as awsIamRoleTrust from "./aws/iam/role-trust";
export * as awsIamSagemakerExecutionRole from "./aws/iam/sagemaker-execution-role";
export * as awsIamAssumedRoleNoDelete from "./aws/iam/assumed-role-no-delete";
export * as awsIamUsers from "./aws/iam/users";
export * as awsKmsKey from "./aws/kms/key";
export * as awsKmsKeyEnabled from "./aws/kms/key-enabled";
export * as awsKmsKeyPolicy from "./aws/kms/key-policy";
export * as awsProviderStaticCredentials from "./aws/provider/static-credentials";
export * as awsS3AccessLogging from "./aws/s3/access-logging";
export * as awsS3AccessLogTargetEncryption from "./aws/s3/access-log-target-encryption";
export * as awsS3BucketPolicyLockout from "./aws/s3/bucket-policy-lockout";
export * as awsS3BucketPolicyPublic from "./aws/s3/bucket-policy-public";
export * as awsS3Encryption from "./aws/s3/encryption";
export * as awsS3ForceDestroy from "./aws/s3/force-destroy";
export * as awsS3LogTargetObjectLock from "./aws/s3/log-target-object-lock";
export * as awsS3NoncurrentLifecycle from "./aws/s3/noncurrent-lifecycle";
export * as awsS3PublicAccess from "./aws/s3/public-access";
export * as awsS3SseKmsOnPut from "./aws/s3/sse-kms-on-put";
export * as awsS3TlsOnly from "./aws/s3/tls-only";
export * as awsS3Versioning from "./aws/s3/versioning";
export * as awsS3VpcEndpointOnly from "./aws/s3/vpc-endpoint-only";
export * as awsSagemakerDomainHomeEfs from "./aws/sagemaker/domain-home-efs";
export * as awsSagemakerDomainNotebook from "./aws/sagemaker/domain-notebook";
export * as awsSagemakerJobGuardrails from "./aws/sagemaker/job-guardrails";
export * as awsSagemakerJobVolumeKey from "./aws/sagemaker/job-volume-key";
export * as awsSagemakerNotebookEncryptionImds from "./aws/sagemaker/notebook-encryption-imds";
export * as awsSagemakerStudioEndpoints from "./aws/sagemaker/studio-endpoints";
export * as azureAuthorizationRoleAssignment from "./azure/authorization/role-assignment";
export * as azureAuthorizationRoleAssignmentBlobPathCondition from "./azure/authorization/role-assignment-blob-path-condition";
export * as azureAuthorizationRoleAssignmentContainerCondition from "./azure/authorization/role-assignment-container-condition";
export * as azureInsightsDiagnosticSettings from "./azure/insights/diagnostic-settings";
export * as azureKeyvaultKey from "./azure/keyvault/key";
export * as azureKeyvaultKeyVersionedName from "./azure/keyvault/key-versioned-name";
export * as azureKeyvaultVault from "./azure/keyvault/vault";
export * as azureMachinelearningservicesComputeIdentity from "./azure/machinelearningservices/compute-identity";
export * as azureMachinelearningservicesComputeLocalAuth from "./azure/machinelearningservices/compute-local-auth";
export * as azureMachinelearningservicesWorkspaceCompute from "./azure/machinelearningservices/workspace-compute";
export * as azureMachinelearningservicesWorkspaceIdentityRoles from "./azure/machinelearningservices/workspace-identity-roles";
export * as azureMachinelearningservicesWorkspaceManagedNetwork from "./azure/machinelearningservices/workspace-managed-network";
export * as azureNetworkPrivateEndpoints from "./azure/network/private-endpoints";
export * as azureNetworkPublicIpNat from "./azure/network/public-ip-nat";
export * as azureNetworkSecurityGroupInbound from "./azure/network/security-group-inbound";
export * as azureNetworkSecurityGroupOutbound from "./azure/network/security-group-outbound";
export * as azureNetworkSubnetNsg from "./azure/network/subnet-nsg";
export * as azureNetworkSubnetDefaultOutbound from "./azure/network/subnet-default-outbound";
export * as azureOperationalinsightsWorkspaceRetention from "./azure/operationalinsights/workspace-retention";
export * as azureStorageAccount from "./azure/storage/account";
export * as azureStorageAccountKeyRoleWait from "./azure/storage/account-key-role-wait";
export * as azureStorageBlobContainer from "./azure/storage/blob-container";
export * as azureStorageBlobService from "./azure/storage/blob-service";
export * as azureStorageLocalUsers from "./azure/storage/local-users";
export * as azureStorageIngestIpRules from "./azure/storage/ingest-ip-rules";
export * as commonBudget from "./common/budget";
export * as commonProtection from "./common/protection";
export * as commonTags from "./common/tags";
