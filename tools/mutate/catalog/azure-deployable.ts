/**
 * Mutations of what makes the Azure environment deployable (C11) and of the
 * identities' narrowed roles (C6): a key whose properties change under its
 * old name, a storage account that does not wait for its key role, a
 * workspace without an approved-outbound managed network or with an FQDN
 * rule and no chosen firewall, a workspace identity missing a documented
 * role, a subnet on default outbound access, an account-wide blob role
 * without its container condition, and a documented exception widened to
 * the resource group.
 */
import { MutationTargetError, mutation, one, remove, set, unset } from "../edit";
import { AZURE_STACKS, Mutation } from "../types";

const T = {
  key: "azure-native:keyvault:Key",
  account: "azure-native:storage:StorageAccount",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  sleep: "time:index/sleep:Sleep",
  workspace: "azure-native:machinelearningservices:Workspace",
  subnet: "azure-native:network:Subnet",
} as const;

const PROD: Mutation["stacks"] = ["azure-prod"];

export const azureDeployableMutations: Mutation[] = [
  {
    name: "azure-key-changed-under-old-name",
    control: "C11",
    description: "The storage key grows to 4096 bits under its old versioned name, a change Azure's create-if-not-exist ignores.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-key-configure-versioned-name"],
    apply: mutation((rec) => set(one(rec, T.key), "properties.keySize", 4096)),
  },
  {
    name: "azure-storage-no-wait-for-key-role",
    control: "C11",
    description: "The storage account depends on its identity's key role directly, without the wait for the role to take effect.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-enforce-key-role-wait"],
    apply: mutation((rec) => {
      const wait = one(rec, T.sleep, "wait-key-role");
      const role = one(rec, T.roleAssignment, "ra-key-crypto");
      const account = one(rec, T.account);
      remove(rec, wait);
      account.dependencies.push(role.urn);
    }),
  },
  {
    name: "azure-ml-workspace-internet-outbound",
    control: "C11",
    description: "The workspace's managed network allows all internet outbound traffic instead of approved outbound only.",
    stacks: PROD,
    expect: ["azure-ml-workspace-configure-managed-network"],
    apply: mutation((rec) => set(one(rec, T.workspace), "managedNetwork.isolationMode", "AllowInternetOutbound")),
  },
  {
    name: "azure-ml-workspace-fqdn-rule",
    control: "C11",
    description:
      "The managed network gets an FQDN rule (pypi.org) and no firewall SKU, so Azure deploys a Standard Azure Firewall (the budget policy fails it too).",
    stacks: PROD,
    expect: ["azure-ml-workspace-configure-managed-network"],
    apply: mutation((rec) =>
      set(one(rec, T.workspace), "managedNetwork.outboundRules", { pypi: { type: "FQDN", destination: "pypi.org" } }),
    ),
  },
  {
    name: "azure-ml-workspace-identity-without-kv-admin",
    control: "C11",
    description: "The workspace identity loses the Key Vault Administrator role Azure ML documents for an RBAC vault.",
    stacks: PROD,
    expect: ["azure-ml-workspace-missing-identity-roles"],
    apply: mutation((rec) => remove(rec, one(rec, T.roleAssignment, "ra-mlw-kv-administrator"))),
  },
  {
    name: "azure-subnet-default-outbound",
    control: "C11",
    description: "The workload subnet relies on default outbound access, which Azure is retiring.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-subnet-disable-default-outbound-access"],
    apply: mutation((rec) => {
      const workload = rec.resources.find((r) => r.type === T.subnet && r.inputs.subnetName === "workload");
      if (!workload) throw new MutationTargetError(`stack ${rec.stack}: no workload subnet`);
      set(workload, "defaultOutboundAccess", true);
    }),
  },
  {
    name: "azure-job-role-account-wide",
    control: "C6",
    description:
      "The job identity's Storage Blob Data Contributor on the account loses its azureml* container condition, reaching the training data.",
    stacks: PROD,
    expect: ["azure-authorization-role-assignment-configure-container-condition"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-job-azureml-writer");
      unset(ra, "condition");
      unset(ra, "conditionVersion");
    }),
  },
  {
    name: "azure-workspace-identity-contributor-on-resource-group",
    control: "C6",
    description: "The workspace identity's documented Contributor on the storage account is widened to the whole resource group.",
    stacks: PROD,
    expect: ["azure-authorization-role-assignment-disallow-privileged-roles", "azure-authorization-role-assignment-disallow-broad-scope"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-mlw-contributor-storage");
      const scope = String(ra.inputs.scope);
      const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)\//i.exec(scope);
      if (!m) throw new MutationTargetError(`${ra.name}: scope ${scope} is not below a resource group`);
      set(ra, "scope", m[1]);
    }),
  },
];
