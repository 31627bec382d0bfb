/**
 * The registry of policy modules: the pack (`../index.ts`) assembles every
 * policy exported by every module listed here, and a test fails when a
 * module under `policies/` is missing from this list.
 *
 * To add a module, add one line: `export * as <name> from "./<path>";`
 * (the module exports its policies, singly or as an array).
 */
export * as awsS3 from "./aws/s3";
export * as awsKms from "./aws/kms";
export * as awsIam from "./aws/iam";
export * as awsNetwork from "./aws/ec2";
export * as awsCloudwatch from "./aws/cloudwatch";
export * as awsSagemaker from "./aws/sagemaker";
export * as azureStorage from "./azure/storage";
export * as azureKeyvault from "./azure/keyvault";
export * as azureAuthorization from "./azure/authorization";
export * as azureNetwork from "./azure/network";
export * as azureMonitor from "./azure/insights";
export * as azureMl from "./azure/machinelearningservices";
export * as commonTags from "./common/tags";
export * as commonProtection from "./common/protection";
export * as costBudget from "./common/budget";
export * as awsEc2SecurityGroupEgress from "./aws/ec2/security-group-egress";
export * as awsEc2DefaultSecurityGroup from "./aws/ec2/default-security-group";
export * as awsEc2SubnetPublicIp from "./aws/ec2/subnet-public-ip";
export * as awsKmsKeyPolicy from "./aws/kms/key-policy";
export * as awsCloudwatchLogRetention from "./aws/cloudwatch/log-retention";
export * as azureNetworkSubnetNsg from "./azure/network/subnet-nsg";
export * as azureMlComputeLocalAuth from "./azure/machinelearningservices/compute-local-auth";
export * as azureStorageLocalUsers from "./azure/storage/local-users";
export * as azureOperationalinsightsWorkspaceRetention from "./azure/operationalinsights/workspace-retention";
export * as awsSagemakerNotebookEncryptionImds from "./aws/sagemaker/notebook-encryption-imds";
export * as awsS3BucketPolicyLockout from "./aws/s3/bucket-policy-lockout";
export * as awsKmsKeyEnabled from "./aws/kms/key-enabled";
export * as awsPulumiProviderStaticCredentials from "./aws/provider/static-credentials";
export * as azureNetworkSecurityGroupOutbound from "./azure/network/security-group-outbound";
