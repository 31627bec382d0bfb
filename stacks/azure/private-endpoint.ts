/**
 * A private endpoint with its DNS wiring (C4): the endpoint in the
 * private-endpoint subnet, one private DNS zone per name space it serves,
 * each zone linked to the VNet, and a DNS zone group on the endpoint that
 * writes its A records into those zones. Without the zone and link, clients
 * in the VNet would resolve the public name and be refused.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { AzureContext, childOpts } from "./context";

/** Private DNS zones of the services the environment reaches privately. */
export const PRIVATE_DNS_ZONES = {
  blob: ["privatelink.blob.core.windows.net"],
  vault: ["privatelink.vaultcore.azure.net"],
  amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
} as const;

export type PrivateLinkGroup = keyof typeof PRIVATE_DNS_ZONES;

export interface PrivateEndpointArgs {
  /** Short label in logical names: `blob`, `vault`, `mlw`. */
  readonly label: string;
  /** The private-link sub-resource (group id) of the target. */
  readonly group: PrivateLinkGroup;
  readonly targetId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  readonly vnetId: pulumi.Input<string>;
}

export interface PrivateEndpointWiring {
  readonly endpoint: network.PrivateEndpoint;
  readonly zones: privatedns.PrivateZone[];
  readonly links: privatedns.VirtualNetworkLink[];
  readonly zoneGroup: network.PrivateDnsZoneGroup;
}

export function createPrivateEndpoint(ctx: AzureContext, args: PrivateEndpointArgs): PrivateEndpointWiring {
  const base = `${ctx.name}-pe-${args.label}`;
  const endpoint = new network.PrivateEndpoint(
    base,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      subnet: { id: args.subnetId },
      privateLinkServiceConnections: [{ name: `${base}-conn`, privateLinkServiceId: args.targetId, groupIds: [args.group] }],
    },
    childOpts(ctx),
  );

  const zones: privatedns.PrivateZone[] = [];
  const links: privatedns.VirtualNetworkLink[] = [];
  for (const zoneName of PRIVATE_DNS_ZONES[args.group]) {
    const zoneLabel = zoneName.replace(/^privatelink\./, "").replace(/\./g, "-");
    const zone = new privatedns.PrivateZone(
      `${ctx.name}-dns-${zoneLabel}`,
      {
        resourceGroupName: ctx.resourceGroupName,
        privateZoneName: zoneName,
        // Private DNS zones are global resources.
        location: "global",
        tags: ctx.tags,
      },
      childOpts(ctx),
    );
    const link = new privatedns.VirtualNetworkLink(
      `${ctx.name}-dns-${zoneLabel}-link`,
      {
        resourceGroupName: ctx.resourceGroupName,
        privateZoneName: zone.name,
        virtualNetworkLinkName: `${ctx.name}-vnet`,
        virtualNetwork: { id: args.vnetId },
        registrationEnabled: false,
        location: "global",
        tags: ctx.tags,
      },
      childOpts(ctx),
    );
    zones.push(zone);
    links.push(link);
  }

  const zoneGroup = new network.PrivateDnsZoneGroup(
    `${base}-dns`,
    {
      resourceGroupName: ctx.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: zones.map((zone, i) => ({
        name: PRIVATE_DNS_ZONES[args.group][i].replace(/\./g, "-"),
        privateDnsZoneId: zone.id,
      })),
    },
    childOpts(ctx, { dependsOn: links }),
  );

  return { endpoint, zones, links, zoneGroup };
}
