/**
 * What every part of the AWS module shares: the validated config, the one
 * explicit provider (region and default tags from config), the account /
 * partition facts read through that provider, and the resource options every
 * child gets (parent = the component, provider = the explicit provider).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsStackConfig } from "../config";

export interface AwsContext {
  /** `<namePrefix>-<tier>`: the prefix of every logical name. */
  readonly name: string;
  readonly config: AwsStackConfig;
  readonly prod: boolean;
  /** Tags set explicitly on every taggable resource (C10), beside the provider's default tags. */
  readonly tags: Record<string, string>;
  /** The environment component: parent of every child that names no other parent. */
  readonly component: pulumi.ComponentResource;
  readonly provider: aws.Provider;
  /** Invoke options: through the explicit provider, parented to the component. */
  readonly invokeOpts: pulumi.InvokeOutputOptions;
  /** The configured region (the provider's region). */
  readonly region: string;
  readonly accountId: pulumi.Output<string>;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: pulumi.Output<string>;
  /** `com.amazonaws` (prefix of VPC endpoint service names). */
  readonly reverseDnsPrefix: pulumi.Output<string>;
  /** Options for a child resource: parented to `parent` (default: the component), through the explicit provider. */
  opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

export function createContext(component: pulumi.ComponentResource, name: string, config: AwsStackConfig): AwsContext {
  const tags: Record<string, string> = { ...config.tags };
  const provider = new aws.Provider(`${name}-aws`, { region: config.region, defaultTags: { tags } }, { parent: component });
  const invoke: pulumi.InvokeOutputOptions = { provider, parent: component };
  const identity = aws.getCallerIdentityOutput({}, invoke);
  const partition = aws.getPartitionOutput({}, invoke);
  return {
    name,
    config,
    prod: config.tier === "prod",
    tags,
    component,
    provider,
    invokeOpts: invoke,
    region: config.region,
    accountId: identity.accountId,
    partition: partition.partition,
    reverseDnsPrefix: partition.reverseDnsPrefix,
    opts: (extra = {}) => ({ parent: component, ...extra, provider }),
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `""` for global services' region/account. */
export function arn(
  ctx: AwsContext,
  service: string,
  resource: pulumi.Input<string>,
  where: { region?: string; account?: pulumi.Input<string> } = {},
): pulumi.Output<string> {
  const region = where.region ?? ctx.region;
  return pulumi.interpolate`arn:${ctx.partition}:${service}:${region}:${where.account ?? ctx.accountId}:${resource}`;
}
