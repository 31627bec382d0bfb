/**
 * Waiting for role assignments to take effect (C11). Azure documents that
 * "it can take up to 10 minutes for changes to take effect" after a role is
 * assigned; a resource that uses the role at creation (the storage account
 * unwrapping its key, the ML workspace reaching its storage and vault) fails
 * when it is created right after the assignment. A `time` Sleep sits between
 * them, as Microsoft's own Key Vault module does with `time_sleep`; the
 * resource depends on the sleep, the sleep on the assignments.
 */
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { AzureContext, childOpts } from "./context";

/** How long to wait after role assignments before using them. */
export const ROLE_PROPAGATION_WAIT = "120s";

export function waitForRoles(ctx: AzureContext, label: string, assignments: pulumi.Resource[]): time.Sleep {
  return new time.Sleep(`${ctx.name}-wait-${label}`, { createDuration: ROLE_PROPAGATION_WAIT }, childOpts(ctx, { dependsOn: assignments }));
}
