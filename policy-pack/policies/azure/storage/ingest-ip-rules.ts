/**
 * Storage firewall IP rules (the Azure data ingest opening, `dataIngestCidrs`).
 *
 * C4: no IP rule on a prod account: prod loads data from inside the VNet (or
 * a network peered with it) through the private endpoint.
 * C11: every IP rule is one Azure accepts. Azure takes only public IPv4
 * addresses or ranges, refuses private (RFC 1918) ranges, and does not support
 * /31 or /32 prefixes (a single address is written without one): such a rule
 * fails the deployment.
 */
import * as storage from "@pulumi/azure-native/storage";
import { resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation, quoted } from "../../../lib/messages";
import { ENVIRONMENTS_SETTING, appliesToEnvironment, environmentOf } from "../../../lib/tags";
import { propsOf } from "../../../lib/props";
import { get, known } from "../../../lib/values";

const accountProps = propsOf(storage.StorageAccount);
const ipRuleProps = accountProps.sub("networkRuleSet", "ipRules", 0);

/** The IP rule values of a storage account (known strings; UNKNOWN entries skipped). */
export function ipRuleValues(props: unknown): string[] {
  const rules = accountProps.get(props, "networkRuleSet", "ipRules");
  if (!Array.isArray(rules)) return [];
  // `value` is the REST API's name of the same field.
  return rules.map((r) => ipRuleProps.get(r, "iPAddressOrRange") ?? get(r, "value")).filter(known);
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
/** RFC 1918 and the other blocks that are not public internet addresses. */
const NON_PUBLIC: readonly [number, number, string][] = [
  [0x0a000000, 8, "10.0.0.0/8 (RFC 1918)"],
  [0xac100000, 12, "172.16.0.0/12 (RFC 1918)"],
  [0xc0a80000, 16, "192.168.0.0/16 (RFC 1918)"],
  [0x7f000000, 8, "127.0.0.0/8 (loopback)"],
  [0xa9fe0000, 16, "169.254.0.0/16 (link-local)"],
  [0x64400000, 10, "100.64.0.0/10 (shared address space)"],
  [0x00000000, 8, "0.0.0.0/8"],
  [0xe0000000, 3, "224.0.0.0/3 (multicast and reserved)"],
];

/** Why Azure refuses an IP rule value, or undefined when it accepts it. */
export function ipRuleProblem(value: string): string | undefined {
  const m = IPV4_RE.exec(value);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return "is not an IPv4 address or range (Azure IP rules take IPv4 only)";
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (m[5] !== undefined && (prefix === 31 || prefix === 32))
    return `uses a /${prefix} prefix, which Azure does not support (write a single address without a prefix)`;
  if (prefix > 32) return "has a prefix longer than /32";
  const base = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  for (const [net, bits, name] of NON_PUBLIC) {
    const span = Math.min(bits, prefix);
    const mask = span === 0 ? 0 : (0xffffffff << (32 - span)) >>> 0;
    if ((base & mask) >>> 0 === (net & mask) >>> 0)
      return `overlaps ${name}, which is not a public address (Azure accepts only public IPv4 in IP rules)`;
  }
  return undefined;
}

/** Severity high. Resource (C11): every storage firewall IP rule is a public IPv4 address or range Azure accepts. */
export const accountEnforceAcceptedIpRules = resourcePolicy({
  name: "azure-storage-account-enforce-accepted-ip-rules",
  control: "C11",
  severity: "high",
  description:
    "Every IP rule of a storage account's firewall is a public IPv4 address or a range of /30 or wider: Azure refuses private (RFC 1918) ranges and /31-/32 prefixes, and the deployment fails.",
  remediationSteps:
    'Use public IPv4 addresses ("203.0.113.7") or ranges ("198.51.100.0/24"); write one address without a prefix; reach the account from private networks through its private endpoint.',
  url: "https://www.pulumi.com/registry/packages/azure/api-docs/storage/accountnetworkrules/",
  frameworks: [["nist-800-53-r5", "SC-7"]],
  validateResource: validateResourcesOfTypes([storage.StorageAccount], (props, args, report) => {
    for (const v of ipRuleValues(props)) {
      const problem = ipRuleProblem(v);
      if (!problem) continue;
      report(
        formatViolation({
          what: `the IP rule ${quoted([v])} ${problem}; Azure will refuse the storage account update`,
          where: at(args, "networkRuleSet.ipRules"),
          fix: "list only public IPv4 addresses or /16-/30 ranges in dataIngestCidrs",
        }),
      );
    }
  }),
});

const prodSchema = { properties: { environments: ENVIRONMENTS_SETTING } };

/** Severity high. Resource (C4): no storage firewall IP rule on a prod account. */
export const accountDisallowIpRulesInProd = resourcePolicy({
  name: "azure-storage-account-disallow-ip-rules-in-prod",
  control: "C4",
  severity: "high",
  description:
    "A storage account in prod (environment tag) has no firewall IP rule: its data is reached only through the private endpoint (dataIngestCidrs is for dev).",
  remediationSteps:
    "Remove dataIngestCidrs from the prod stack file and load data from a machine in the VNet or a network peered with it (npm run data resolves the private endpoint there).",
  url: "https://learn.microsoft.com/azure/storage/common/storage-network-security",
  frameworks: [
    ["cis-azure-4.0.0", "10.3.2.2"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  configSchema: prodSchema,
  validateResource: validateResourcesOfTypes([storage.StorageAccount], (props, args, report) => {
    const { environments } = settings<{ environments: string[] }>(args, prodSchema);
    if (appliesToEnvironment(environmentOf(props, args.provider), environments) !== true) return;
    const rules = accountProps.get(props, "networkRuleSet", "ipRules");
    if (!Array.isArray(rules) || rules.length === 0) return;
    const values = ipRuleValues(props);
    report(
      formatViolation({
        what: `the prod storage account's firewall admits ${values.length > 0 ? quoted(values) : "IP ranges"} from the internet`,
        where: at(args, "networkRuleSet.ipRules"),
        fix: "remove dataIngestCidrs (ipRules: []) and keep publicNetworkAccess Disabled; load data from inside the VNet",
      }),
    );
  }),
});
