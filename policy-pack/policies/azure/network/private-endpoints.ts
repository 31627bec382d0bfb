/**
 * Private endpoints (Azure), control C4: the data account (and, in
 * production, the Key Vault) is reachable through a private endpoint.
 * Docs: https://learn.microsoft.com/azure/storage/common/storage-private-endpoints
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import type { PolicyResource } from "@pulumi/policy";
import { settings, stackPolicy, tokens } from "../../../lib/define";
import { ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { ENVIRONMENTS_SETTING, appliesToEnvironment, environmentOf } from "../../../lib/tags";
import { UNKNOWN, Unknown, describe, known, strings } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const endpointProps = propsOf(network.PrivateEndpoint);
const connection = endpointProps.sub("privateLinkServiceConnections", 0);
const accountProps = propsOf(storage.StorageAccount);
const vaultProps = propsOf(keyvault.Vault);

/** Private link targets of an endpoint: [privateLinkServiceId, groupIds][] (unknown ids kept as UNKNOWN). */
function linksOf(pe: PolicyResource): { id: unknown; groups: string[] }[] {
  const out: { id: unknown; groups: string[] }[] = [];
  for (const key of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"] as const) {
    const list = endpointProps.arr(pe.props, key);
    if (list === UNKNOWN) out.push({ id: UNKNOWN, groups: [] });
    for (const c of list === UNKNOWN ? [] : (list ?? [])) {
      out.push({
        id: connection.get(c, "privateLinkServiceId"),
        groups: strings(connection.get(c, "groupIds"))
          .filter(known)
          .map((g) => g.toLowerCase()),
      });
    }
  }
  return out;
}

/**
 * Whether a storage account has a private endpoint for its blob service,
 * or cannot be judged yet (preview). A link settles it when it names the
 * account by id, or (while the id or the link's target is unknown) when
 * the endpoint's dependencies name the account: covered with group "blob",
 * undecided with no groups and an unknown target; a link with an unknown
 * side and no dependencies leaves every such account undecided. The links
 * are indexed once, so testing every account of a stack stays linear.
 */
function blobEndpointTest(endpoints: readonly PolicyResource[]): (account: PolicyResource) => boolean {
  /** Lower-cased account ids that a link with group "blob" names. */
  const blobByAccountId = new Set<string>();
  // For accounts with a known id only links with an unknown target count by dependency; for the others every link does.
  const viaDependencies = { unknownTargets: new Set<string>(), all: new Set<string>() };
  const withoutDependencies = { unknownTargets: false, all: false };
  for (const pe of endpoints) {
    const deps = (pe.propertyDependencies?.privateLinkServiceConnections ?? []).map((d) => d.urn);
    for (const link of linksOf(pe)) {
      const blob = link.groups.includes("blob");
      if (known(link.id) && blob) blobByAccountId.add(link.id.toLowerCase());
      const settles = blob || (link.groups.length === 0 && link.id === UNKNOWN);
      for (const scope of known(link.id) ? (["all"] as const) : (["all", "unknownTargets"] as const)) {
        if (deps.length === 0) withoutDependencies[scope] = true;
        if (settles) for (const urn of deps) viaDependencies[scope].add(urn);
      }
    }
  }
  return (account) => {
    const id = accountProps.get(account.props, "id");
    if (known(id) && blobByAccountId.has(id.toLowerCase())) return true;
    const scope = known(id) ? "unknownTargets" : "all";
    return withoutDependencies[scope] || viaDependencies[scope].has(account.urn);
  };
}

/** Severity high. Stack: every storage account has a private endpoint for its blob service. */
export const storageAccountMissingPrivateEndpoint = stackPolicy({
  name: "azure-network-storage-account-missing-private-endpoint",
  control: "C4",
  severity: "high",
  description: "Every storage account has a private endpoint for its blob service (groupIds blob) in the environment's VNet.",
  remediationSteps: `Add \`new network.PrivateEndpoint(name, { subnet: { id: subnet.id }, privateLinkServiceConnections: [{ name, privateLinkServiceId: account.id, groupIds: ["blob"] }] })\` with a privatelink.blob.core.windows.net zone group.`,
  url: "https://learn.microsoft.com/azure/storage/common/storage-private-endpoints",
  checks: ["CKV2_AZURE_33"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.2.1"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  targetType: storage.StorageAccount,
  validateStack: (args, report) => {
    const endpoints = ofTypes(args.resources, tokens(network.PrivateEndpoint));
    const accounts = targetsOf(args, tokens(storage.StorageAccount), "storage accounts");
    const coveredOrUndecided = blobEndpointTest(endpoints);
    for (const account of accounts) {
      if (coveredOrUndecided(account)) continue;
      report(
        formatViolation({
          what: `storage account ${account.name} has no private endpoint for its blob service`,
          where: at(account),
          fix: `add a network.PrivateEndpoint with privateLinkServiceId = this account's id and groupIds ["blob"]`,
        }),
        account.urn,
      );
    }
  },
});

interface Connection {
  readonly id: unknown;
  readonly groups: readonly (string | Unknown)[] | Unknown;
}

/** The private link connections of an endpoint (automatic and manual); unknown parts stay UNKNOWN. */
function connectionsOf(pe: PolicyResource): Connection[] {
  const out: Connection[] = [];
  for (const key of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"] as const) {
    const list = endpointProps.arr(pe.props, key);
    if (list === UNKNOWN) {
      out.push({ id: UNKNOWN, groups: UNKNOWN });
      continue;
    }
    for (const c of list ?? []) {
      const groups = connection.get(c, "groupIds");
      out.push({ id: connection.get(c, "privateLinkServiceId"), groups: groups === UNKNOWN ? UNKNOWN : strings(groups) });
    }
  }
  return out;
}

/**
 * Whether a target may have a private endpoint for sub-resource `group`.
 * A connection links to the target by id when both ids are known, else by
 * the endpoint's property dependencies (while an id is unknown in preview),
 * and may link to anything when the endpoint has none. The target may have
 * an endpoint when a connection links (or may link) to it with `group` or
 * with groups not known yet; it has none only when every connection that
 * links to it names other groups. The connections are indexed once, so
 * testing every target of a stack stays linear.
 */
function privateEndpointTest(endpoints: readonly PolicyResource[], group: string): (target: PolicyResource) => boolean {
  /** Lower-cased ids named by connections that settle it (the group, or unknown groups). */
  const settlingIds = new Set<string>();
  // A target with a known id is matched by dependencies only through connections with an unknown id; one with an unknown id, through all.
  const viaDependencies = { unknownIds: new Set<string>(), all: new Set<string>() };
  const withoutDependencies = { unknownIds: false, all: false };
  for (const pe of endpoints) {
    const raw = pe.propertyDependencies?.privateLinkServiceConnections;
    const deps = (Array.isArray(raw) ? raw : []).map((d) => d?.urn).filter((u): u is string => typeof u === "string");
    for (const c of connectionsOf(pe)) {
      const settles = c.groups === UNKNOWN || c.groups.includes(UNKNOWN) || c.groups.some((g) => known(g) && g.toLowerCase() === group);
      if (known(c.id) && settles) settlingIds.add(c.id.toLowerCase());
      for (const scope of known(c.id) ? (["all"] as const) : (["all", "unknownIds"] as const)) {
        if (deps.length === 0) withoutDependencies[scope] = true;
        else if (settles) for (const urn of deps) viaDependencies[scope].add(urn);
      }
    }
  }
  return (target) => {
    const id = vaultProps.get(target.props, "id");
    if (known(id) && settlingIds.has(id.toLowerCase())) return true;
    const scope = known(id) ? "unknownIds" : "all";
    return withoutDependencies[scope] || viaDependencies[scope].has(target.urn);
  };
}

const vaultEndpointSchema = {
  properties: {
    environments: {
      ...ENVIRONMENTS_SETTING,
      description:
        "Values of the `environment` tag whose Key Vaults must have a private endpoint. Default prod: a dev stack may leave the vault endpoint out for cost (the vault stays closed: public network access disabled, default-deny ACLs, only trusted Azure services such as the storage account's key wrap pass). A vault without the tag is checked too (fail closed).",
    },
  },
};

/** Severity high. Stack: every production Key Vault has a private endpoint for its vault sub-resource. */
export const keyVaultMissingPrivateEndpoint = stackPolicy({
  name: "azure-network-key-vault-missing-private-endpoint",
  control: "C4",
  severity: "high",
  description:
    "Every Key Vault of an environment in the configured list (tag environment, default prod) has a private endpoint for its vault sub-resource (groupIds vault) in the environment's VNet; dev may omit it for cost because the vault stays closed to public networks.",
  remediationSteps: `Add "vault" to the Azure stack config's privateEndpoints, or add \`new network.PrivateEndpoint(name, { subnet: { id: subnet.id }, privateLinkServiceConnections: [{ name, privateLinkServiceId: vault.id, groupIds: ["vault"] }] })\` with a privatelink.vaultcore.azure.net zone group linked to the VNet.`,
  url: "https://learn.microsoft.com/azure/key-vault/general/private-link-service",
  checks: ["CKV2_AZURE_32"],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.8"],
    ["nist-800-53-r5", "SC-7"],
  ],
  configSchema: vaultEndpointSchema,
  targetType: keyvault.Vault,
  validateStack: (args, report) => {
    const { environments } = settings<{ environments: string[] }>(args, vaultEndpointSchema);
    const endpoints = ofTypes(args.resources, tokens(network.PrivateEndpoint));
    let mayHaveEndpoint: ((target: PolicyResource) => boolean) | undefined;
    for (const vault of targetsOf(args, tokens(keyvault.Vault), "Key Vaults")) {
      const env = environmentOf(vault.props, vault.provider);
      if (appliesToEnvironment(env, environments) !== true) continue;
      mayHaveEndpoint ??= privateEndpointTest(endpoints, "vault");
      if (mayHaveEndpoint(vault)) continue;
      report(
        formatViolation({
          what: `Key Vault ${vault.name} (environment tag ${describe(env)}) has no private endpoint for its vault sub-resource, so the training network cannot reach it privately`,
          where: at(vault),
          fix: `add a network.PrivateEndpoint with privateLinkServiceId = this vault's id and groupIds ["vault"] and a privatelink.vaultcore.azure.net DNS zone group (stack config privateEndpoints: [blob, vault])`,
        }),
        vault.urn,
      );
    }
  },
});
