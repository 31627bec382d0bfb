/**
 * The Azure data ingest path (issue 16; C4, C6), both parts off by default:
 *
 * - Who: each Entra object id in `dataIngestPrincipals` gets a custom role on
 *   the data container that can read, write and add blobs but never delete
 *   them (no built-in role does that: Storage Blob Data Contributor deletes),
 *   its writes limited by an ABAC condition to blobs under `datasets/`
 *   (datasetsWriteCondition), and Storage Blob Data Reader on the artifacts
 *   container (job outputs).
 * - From where: the storage account stays `publicNetworkAccess: Disabled`
 *   (private endpoint only) unless `dataIngestCidrs` names public IPv4
 *   addresses; then the firewall admits exactly those (`defaultAction: Deny`,
 *   no bypass). Trade-off, chosen over an in-network-only path: a data owner on
 *   a known public IP can load data without a VPN, but Azure IP rules never
 *   match clients in the account's own region and accept no private ranges,
 *   and the account's public endpoint becomes reachable from those addresses
 *   (still Entra ID only, no shared keys). The pack refuses any IP rule in
 *   prod, where data is loaded from inside the VNet (or a network peered with it).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import { AzureContext, childOpts } from "./context";
import { assignmentGuid, roleDefinitionId } from "./roles";
import { DATASETS_PREFIX } from "../data-layout";

const BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";

/** Data actions of the ingest writer role: read (resume check, manifest), write, add; no delete, no tags, no immutability. */
export const INGEST_WRITER_DATA_ACTIONS = [`${BLOBS}/read`, `${BLOBS}/write`, `${BLOBS}/add/action`] as const;

/**
 * ABAC condition (version 2.0) of the writer assignment: write and add only to
 * blobs whose path (the name inside the container) is under `prefix`; reads,
 * including List Blobs (which has no blob path), stay as the role grants them.
 * The blob path attribute and StringLike:
 * https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-attributes
 * (example "read blobs in named containers with a path":
 * https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-examples).
 */
export function datasetsWriteCondition(prefix: string = DATASETS_PREFIX): string {
  return (
    `((!(ActionMatches{'${BLOBS}/write'}) AND !(ActionMatches{'${BLOBS}/add/action'}))` +
    ` OR (@Resource[${BLOBS}:path] StringLike '${prefix}*'))`
  );
}

/** The storage account's network settings for the configured CIDRs (closed when there are none). */
export function ingestNetworkSettings(
  cidrs: readonly string[],
  resourceAccessRules?: pulumi.Input<{ tenantId: pulumi.Input<string>; resourceId: pulumi.Input<string> }[]>,
): Pick<storage.StorageAccountArgs, "publicNetworkAccess" | "networkRuleSet"> {
  return {
    publicNetworkAccess: cidrs.length > 0 ? storage.PublicNetworkAccess.Enabled : storage.PublicNetworkAccess.Disabled,
    networkRuleSet: {
      defaultAction: storage.DefaultAction.Deny,
      bypass: storage.Bypass.None,
      ipRules: cidrs.map((c) => ({ iPAddressOrRange: c, action: storage.Action.Allow })),
      virtualNetworkRules: [],
      ...(resourceAccessRules ? { resourceAccessRules } : {}),
    },
  };
}

export interface IngestRoleArgs {
  readonly subscriptionId: pulumi.Input<string>;
  readonly resourceGroupId: pulumi.Input<string>;
  readonly dataContainerId: pulumi.Input<string>;
  readonly artifactsContainerId: pulumi.Input<string>;
}

/** The writer role definition and one assignment per principal and container; nothing when no principal is configured. */
export function createIngestRoles(ctx: AzureContext, args: IngestRoleArgs): pulumi.Resource[] {
  const principals = ctx.config.dataIngestPrincipals;
  if (principals.length === 0) return [];
  const writer = new authorization.RoleDefinition(
    `${ctx.name}-data-ingest-writer`,
    {
      scope: args.resourceGroupId,
      roleName: pulumi.interpolate`${ctx.name} data ingest writer (${ctx.resourceGroupName})`,
      description: `Loads datasets into the data container of ${ctx.name}: read, write and add blobs, never delete (npm run data)`,
      roleType: "CustomRole",
      permissions: [{ actions: [], notActions: [], dataActions: [...INGEST_WRITER_DATA_ACTIONS], notDataActions: [] }],
      assignableScopes: [args.resourceGroupId],
    },
    childOpts(ctx),
  );
  const out: pulumi.Resource[] = [writer];
  principals.forEach((principalId, i) => {
    const grants: { label: string; scope: pulumi.Input<string>; definition: pulumi.Input<string>; condition?: string }[] = [
      { label: "writer", scope: args.dataContainerId, definition: writer.id, condition: datasetsWriteCondition() },
      {
        label: "outputs-reader",
        scope: args.artifactsContainerId,
        definition: roleDefinitionId(args.subscriptionId, "storageBlobDataReader"),
      },
    ];
    for (const g of grants) {
      out.push(
        new authorization.RoleAssignment(
          `${ctx.name}-ra-ingest-${i}-${g.label}`,
          {
            scope: g.scope,
            roleDefinitionId: g.definition,
            principalId,
            roleAssignmentName: pulumi.all([g.scope, g.definition]).apply(([scope, def]) => assignmentGuid(scope, def, principalId)),
            description: `npm run data for ${principalId} in ${ctx.name}`,
            ...(g.condition ? { condition: g.condition, conditionVersion: "2.0" } : {}),
          },
          childOpts(ctx),
        ),
      );
    }
  });
  return out;
}
