/**
 * The SageMaker domain (C4, C11): VPC only (no SageMaker-provided internet), IAM
 * authentication, its home EFS volume encrypted with the environment's key,
 * the private subnets and the training security group, the execution role
 * as default, notebook output never shared to S3; and one user profile.
 * Created only when the stack's `studio` key is true (config.ts makes that
 * require the sagemaker.api and sagemaker.runtime interface endpoints).
 *
 * Deleting a domain keeps its home EFS volume unless told otherwise ("By
 * default, all resources are retained", DeleteDomain RetentionPolicy), and
 * the volume's mount targets keep network interfaces in the private subnets,
 * so the VPC could not be deleted afterwards. Dev deletes the volume with the
 * domain; prod keeps the users' home directories and `protect`s the domain:
 * its teardown is the documented procedure (docs, "Tearing down").
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

/** Prod keeps the users' home volume (and protects the domain); dev deletes it with the domain, so `pulumi destroy` can delete the VPC. */
export function homeEfsRetention(prod: boolean): "Retain" | "Delete" {
  return prod ? "Retain" : "Delete";
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
      retentionPolicy: { homeEfsFileSystem: homeEfsRetention(ctx.prod) },
      tags: ctx.tags,
    },
    ctx.opts({ protect: ctx.prod }),
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
