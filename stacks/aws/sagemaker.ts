/**
 * The SageMaker domain (C4): VPC only (no SageMaker-provided internet), IAM
 * authentication, its home EFS volume encrypted with the environment's key,
 * the private subnets and the training security group, the execution role
 * as default, notebook output never shared to S3, the home volume retained
 * when the domain is deleted; and one user profile.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsContext } from "./context";
import { checkedName } from "../naming";

export interface DomainInputs {
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  readonly roleArn: pulumi.Input<string>;
}

export interface TrainingDomain {
  readonly domain: aws.sagemaker.Domain;
  readonly userProfile: aws.sagemaker.UserProfile;
}

export function createDomain(ctx: AwsContext, p: DomainInputs): TrainingDomain {
  const userSettings = {
    executionRole: p.roleArn,
    securityGroups: [p.securityGroupId],
    sharingSettings: { notebookOutputOption: "Disabled" },
  };
  const domain = new aws.sagemaker.Domain(
    `${ctx.name}-domain`,
    {
      domainName: checkedName("sagemakerDomain", `${ctx.name}-studio`),
      authMode: "IAM",
      appNetworkAccessType: "VpcOnly",
      vpcId: p.vpcId,
      subnetIds: p.subnetIds,
      kmsKeyId: p.keyArn,
      defaultUserSettings: userSettings,
      retentionPolicy: { homeEfsFileSystem: "Retain" },
      tags: ctx.tags,
    },
    ctx.opts(),
  );
  const userProfile = new aws.sagemaker.UserProfile(
    `${ctx.name}-user`,
    {
      domainId: domain.id,
      userProfileName: checkedName("sagemakerUserProfile", `${ctx.name}-trainer`),
      userSettings,
      tags: ctx.tags,
    },
    ctx.opts({ parent: domain }),
  );
  return { domain, userProfile };
}
