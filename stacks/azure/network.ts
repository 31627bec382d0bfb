/**
 * The private network (C4): a VNet sized from config, a workload subnet and a
 * private-endpoint subnet, both carved from the VNet range, both behind a
 * network security group that refuses inbound traffic from the internet.
 * Training compute does not run here: it runs in the ML workspace's managed
 * network. Neither subnet uses Azure's default outbound access (C11: Azure
 * is retiring it, and new subnets are private by default): nothing in them
 * needs the internet.
 */
import * as network from "@pulumi/azure-native/network";
import { parseCidr, subnets } from "../cidr";
import { AzureContext, childOpts } from "./context";

export interface SubnetPlan {
  readonly workload: string;
  readonly privateEndpoints: string;
}

/**
 * Carves the two subnets from the VNet: /24s out of a large VNet, quarters of
 * a small one (a /24 VNet gives two /26s), leaving the rest free for growth.
 */
export function planSubnets(vnetCidr: string): SubnetPlan {
  const parsed = parseCidr(vnetCidr);
  if (typeof parsed === "string") throw new Error(`vnetCidr "${vnetCidr}": ${parsed}`);
  const prefix = Math.max(parsed.prefix + 2, 24);
  const [workload, privateEndpoints] = subnets(vnetCidr, prefix, 2);
  return { workload, privateEndpoints };
}

/** Custom rules take priorities 100-4096; the deny sits last so narrower allows could precede it. */
export const DENY_INTERNET_INBOUND_PRIORITY = 4096;

export interface Network {
  readonly vnet: network.VirtualNetwork;
  readonly nsg: network.NetworkSecurityGroup;
  readonly workloadSubnet: network.Subnet;
  readonly endpointSubnet: network.Subnet;
  readonly plan: SubnetPlan;
}

export function createNetwork(ctx: AzureContext): Network {
  const plan = planSubnets(ctx.config.vnetCidr);

  const vnet = new network.VirtualNetwork(
    `${ctx.name}-vnet`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      addressSpace: { addressPrefixes: [ctx.config.vnetCidr] },
    },
    childOpts(ctx),
  );

  const nsg = new network.NetworkSecurityGroup(
    `${ctx.name}-nsg`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      securityRules: [
        {
          name: "deny-internet-inbound",
          description: "Nothing in the training network accepts connections from the internet (C4).",
          priority: DENY_INTERNET_INBOUND_PRIORITY,
          direction: network.SecurityRuleDirection.Inbound,
          access: network.SecurityRuleAccess.Deny,
          protocol: network.SecurityRuleProtocol.Asterisk,
          sourceAddressPrefix: "Internet",
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
      ],
    },
    childOpts(ctx),
  );

  const workloadSubnet = new network.Subnet(
    `${ctx.name}-snet-workload`,
    {
      resourceGroupName: ctx.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: "workload",
      addressPrefix: plan.workload,
      networkSecurityGroup: { id: nsg.id },
      privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.Enabled,
      defaultOutboundAccess: false,
    },
    childOpts(ctx),
  );

  // Subnets of one VNet are created one after the other: Azure rejects concurrent subnet writes.
  const endpointSubnet = new network.Subnet(
    `${ctx.name}-snet-endpoints`,
    {
      resourceGroupName: ctx.resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: "private-endpoints",
      addressPrefix: plan.privateEndpoints,
      networkSecurityGroup: { id: nsg.id },
      // NSG rules apply to the private endpoints too.
      privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.Enabled,
      defaultOutboundAccess: false,
    },
    childOpts(ctx, { dependsOn: [workloadSubnet] }),
  );

  return { vnet, nsg, workloadSubnet, endpointSubnet, plan };
}
