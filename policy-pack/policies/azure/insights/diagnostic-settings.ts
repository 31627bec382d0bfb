/**
 * Monitoring policies (Azure), control C8: every access to training data
 * and keys is audited through diagnostic settings that send blob service
 * and Key Vault logs to a Log Analytics workspace.
 * Docs: https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as monitor from "@pulumi/azure-native/monitor";
import * as storage from "@pulumi/azure-native/storage";
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { ACCOUNT_IDS } from "../storage/account";
import { propsOf } from "../../../lib/props";

const settingProps = propsOf(monitor.DiagnosticSetting);
const logSettings = settingProps.sub("logs", 0);
const accountProps = propsOf(storage.StorageAccount);
const serviceProps = propsOf(storage.BlobServiceProperties);
const vaultProps = propsOf(keyvault.Vault);

const norm = (s: string) => s.trim().replace(/\/+$/, "").toLowerCase();

function add(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}

interface Watched {
  readonly target: PolicyResource;
  /** Resource ids a diagnostic setting for the target names in resourceUri. */
  readonly ids: string[];
  /** URNs whose output feeds resourceUri when the setting is for the target. */
  readonly urns: string[];
  /** What a resourceUri for the target looks like, when its id is not in the outputs. */
  readonly uriPattern: RegExp;
}

/** Problems of a diagnostic setting that watches the right resource: no destination, no enabled log. */
function settingProblems(ds: PolicyResource): string[] {
  const problems: string[] = [];
  const workspace = settingProps.str(ds.props, "workspaceId");
  if (workspace !== UNKNOWN && (workspace === undefined || workspace === "")) problems.push("no Log Analytics workspaceId");
  const logs = settingProps.arr(ds.props, "logs");
  if (logs !== UNKNOWN && !(logs ?? []).some((l) => logSettings.bool(l, "enabled") === true || logSettings.bool(l, "enabled") === UNKNOWN))
    problems.push("no enabled log category");
  return problems;
}

function checkWatched(
  watched: readonly Watched[],
  settings: readonly PolicyResource[],
  what: string,
  fix: string,
  report: ReportViolation,
): void {
  // The settings indexed once by what their resourceUri names (value or dependencies), so every target is matched in time linear in its matches.
  const byUri = new Map<string, number[]>();
  const knownByDependency = new Map<string, number[]>();
  const unknownByDependency = new Map<string, number[]>();
  let unknownWithoutDependencies = false;
  const uris: unknown[] = settings.map((ds, pos) => {
    const uri = settingProps.get(ds.props, "resourceUri");
    const deps = (ds.propertyDependencies?.resourceUri ?? []).map((d) => d.urn);
    if (known(uri)) {
      add(byUri, norm(uri), pos);
      for (const u of new Set(deps)) add(knownByDependency, u, pos);
    } else if (uri === UNKNOWN) {
      for (const u of new Set(deps)) add(unknownByDependency, u, pos);
      if (deps.length === 0) unknownWithoutDependencies = true;
    }
    return uri;
  });
  for (const w of watched) {
    const positions = new Set<number>();
    for (const id of new Set(w.ids)) for (const pos of byUri.get(id) ?? []) positions.add(pos);
    if (w.ids.length === 0) {
      for (const u of w.urns)
        for (const pos of knownByDependency.get(u) ?? []) if (w.uriPattern.test(uris[pos] as string)) positions.add(pos);
    }
    for (const u of w.urns) for (const pos of unknownByDependency.get(u) ?? []) positions.add(pos);
    const found = [...positions].sort((a, b) => a - b).map((pos) => settings[pos]);
    // A setting whose resourceUri is unknown and has no dependencies may watch any target.
    const undecided = unknownWithoutDependencies;
    if (found.length === 0) {
      if (undecided) continue;
      report(formatViolation({ what: `${what} ${w.target.name} has no diagnostic setting`, where: at(w.target), fix }), w.target.urn);
      continue;
    }
    const problemsBySetting = found.map((ds) => ({ ds, problems: settingProblems(ds) }));
    if (problemsBySetting.some((p) => p.problems.length === 0)) continue;
    const first = problemsBySetting[0];
    report(
      formatViolation({
        what: `the diagnostic setting of ${what} ${w.target.name} has ${first.problems.join(" and ")}`,
        where: at(first.ds, "workspaceId, logs"),
        fix: `set workspaceId to the environment's Log Analytics workspace and enable the "audit"/"allLogs" category group`,
      }),
      first.ds.urn,
    );
  }
}

const DIAG = tokens(monitor.DiagnosticSetting);

/** Severity medium. Stack: every storage account's blob service sends its logs to Log Analytics. */
export const blobServiceMissingDiagnosticSettings = stackPolicy({
  name: "azure-storage-blob-service-missing-diagnostic-settings",
  control: "C8",
  severity: "medium",
  description: "Every storage account's blob service has a diagnostic setting that sends its logs to a Log Analytics workspace.",
  remediationSteps: `Add \`new monitor.DiagnosticSetting(name, { resourceUri: pulumi.interpolate\`\${account.id}/blobServices/default\`, workspaceId: workspace.id, logs: [{ categoryGroup: "allLogs", enabled: true }] })\`.`,
  url: "https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage",
  checks: ["CKV2_AZURE_21"],
  frameworks: [
    ["nist-800-53-r5", "AU-2"],
    ["nist-800-53-r5", "AU-12"],
  ],
  targetType: storage.StorageAccount,
  validateStack: (args, report) => {
    const accounts = targetsOf(args, tokens(storage.StorageAccount), "storage accounts");
    const services = ofTypes(args.resources, tokens(storage.BlobServiceProperties));
    const serviceOf = new Map(coverage(accounts, services, "accountName", ACCOUNT_IDS).map((c) => [c.target.urn, c.matches]));
    const watched: Watched[] = accounts.map((account) => {
      const id = accountProps.get(account.props, "id");
      const svcs = serviceOf.get(account.urn) ?? [];
      const ids = [
        ...(known(id) ? [norm(`${id}/blobServices/default`)] : []),
        ...svcs
          .map((s) => serviceProps.get(s.props, "id"))
          .filter(known)
          .map(norm),
      ];
      return { target: account, ids, urns: [account.urn, ...svcs.map((s) => s.urn)], uriPattern: /\/blobServices\/default\/?$/i };
    });
    checkWatched(
      watched,
      ofTypes(args.resources, DIAG),
      "the blob service of storage account",
      "add a monitor.DiagnosticSetting with resourceUri = `<account id>/blobServices/default` and workspaceId = the Log Analytics workspace",
      report,
    );
  },
});

/** Severity medium. Stack: every Key Vault sends its audit logs to Log Analytics. */
export const vaultMissingDiagnosticSettings = stackPolicy({
  name: "azure-keyvault-vault-missing-diagnostic-settings",
  control: "C8",
  severity: "medium",
  description: "Every Key Vault has a diagnostic setting that sends its audit logs to a Log Analytics workspace.",
  remediationSteps: `Add \`new monitor.DiagnosticSetting(name, { resourceUri: vault.id, workspaceId: workspace.id, logs: [{ categoryGroup: "audit", enabled: true }] })\`.`,
  url: "https://learn.microsoft.com/azure/key-vault/general/howto-logging",
  checks: [],
  frameworks: [
    ["cis-azure-4.0.0", "7.1.1.4"],
    ["nist-800-53-r5", "AU-2"],
    ["nist-800-53-r5", "AU-12"],
  ],
  targetType: keyvault.Vault,
  validateStack: (args, report) => {
    const watched: Watched[] = targetsOf(args, tokens(keyvault.Vault), "Key Vaults").map((vault) => {
      const id = vaultProps.get(vault.props, "id");
      return {
        target: vault,
        ids: known(id) ? [norm(id)] : [],
        urns: [vault.urn],
        uriPattern: /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/?$/i,
      };
    });
    checkWatched(
      watched,
      ofTypes(args.resources, DIAG),
      "Key Vault",
      "add a monitor.DiagnosticSetting with resourceUri = the vault's id and workspaceId = the Log Analytics workspace",
      report,
    );
  },
});
