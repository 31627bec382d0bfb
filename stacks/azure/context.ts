/**
 * What every part of the Azure module shares: the validated config, the
 * resource group, the logical-name prefix and the options each child gets
 * (parented to the component; prod data stores protected).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AzureStackConfig } from "../config";

export interface AzureContext {
  readonly config: AzureStackConfig;
  /** Logical-name prefix: the component name, `<namePrefix>-<tier>`. */
  readonly name: string;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The component every resource is parented to. */
  readonly parent: pulumi.Resource;
  /** True in prod: data stores and keys carry `protect`. */
  readonly protectData: boolean;
}

/** Options for an ordinary child resource. */
export function childOpts(ctx: AzureContext, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...extra, parent: ctx.parent };
}

/** Options for a data store or key: protected in prod so `pulumi destroy` or a replace cannot lose it (C9). */
export function dataOpts(ctx: AzureContext, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...extra, parent: ctx.parent, protect: ctx.protectData };
}
