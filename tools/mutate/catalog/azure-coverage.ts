/**
 * Mutations for the policies that close Checkov's gaps on the Azure stacks
 * (docs/coverage.md): a subnet without a network security group (C4), ML
 * compute with local authentication and storage with local users or SFTP
 * (C6), and logs kept shorter than the tier's minimum (C8).
 */
import { MutationTargetError, add, all, mutation, one, set, unset } from "../edit";
import { AZURE_STACKS, Mutation } from "../types";
import { addNsgRule } from "./azure";

const T = {
  subnet: "azure-native:network:Subnet",
  account: "azure-native:storage:StorageAccount",
  localUser: "azure-native:storage:LocalUser",
  compute: "azure-native:machinelearningservices:Compute",
  workspace: "azure-native:operationalinsights:Workspace",
} as const;

export const azureCoverageMutations: Mutation[] = [
  {
    name: "azure-subnet-without-nsg",
    control: "C4",
    description: "The workload subnet loses its network security group, so nothing filters its traffic.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-subnet-missing-network-security-group"],
    apply: mutation((rec) => {
      const subnets = all(rec, T.subnet).filter((s) => s.inputs.networkSecurityGroup !== undefined);
      if (subnets.length === 0) throw new MutationTargetError(`stack ${rec.stack}: no subnet with a network security group`);
      unset(subnets[0], "networkSecurityGroup");
    }),
  },
  {
    name: "azure-ml-compute-local-auth",
    control: "C6",
    description: "The training cluster accepts local authentication besides Entra ID and managed identities.",
    stacks: ["azure-prod"],
    expect: ["azure-ml-compute-disable-local-auth"],
    apply: mutation((rec) => set(one(rec, T.compute, "compute-train-gpu"), "properties.disableLocalAuth", false)),
  },
  {
    name: "azure-storage-local-users-on",
    control: "C6",
    description: "The storage account enables local users (passwords and SSH keys outside Entra ID).",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-disable-local-users"],
    apply: mutation((rec) => set(one(rec, T.account), "isLocalUserEnabled", true)),
  },
  {
    name: "azure-storage-sftp-user",
    control: "C6",
    description: "SFTP is turned on and a local user with an SSH password is added to the storage account.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-disable-local-users"],
    apply: mutation((rec) => {
      const account = one(rec, T.account);
      set(account, "isSftpEnabled", true);
      add(rec, {
        type: T.localUser,
        name: `${account.name}-sftp`,
        like: account,
        inputs: {
          accountName: account.inputs.accountName ?? account.name,
          resourceGroupName: account.inputs.resourceGroupName,
          username: "loader",
          hasSshPassword: true,
        },
        from: { accountName: [account] },
      });
    }),
  },
  {
    name: "azure-log-workspace-retention-below-tier",
    control: "C8",
    description: "The prod Log Analytics workspace keeps its data 30 days instead of a year.",
    stacks: ["azure-prod"],
    expect: ["azure-monitor-log-analytics-workspace-configure-tier-minimum-retention"],
    apply: mutation((rec) => set(one(rec, T.workspace), "retentionInDays", 30)),
  },
  {
    name: "azure-nsg-allows-internet-outbound",
    control: "C4",
    description: "The network security group gains a rule allowing all outbound traffic to the internet.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-security-group-disallow-internet-outbound"],
    apply: mutation((rec) =>
      addNsgRule(rec, {
        name: "allow-all-to-internet",
        access: "Allow",
        direction: "Outbound",
        priority: 110,
        protocol: "*",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: "Internet",
        destinationPortRange: "*",
      }),
    ),
  },
];
