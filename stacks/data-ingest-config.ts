/**
 * The two config values that open the guarded data path (issue 16), checked
 * here and read by stacks/config.ts. Both default to empty: nobody can load
 * data and the storage firewall stays closed until a stack names who and from where.
 *
 * - `dataIngestPrincipals`: AWS, the IAM role/user ARNs that may assume the
 *   data ingest role; Azure, the Entra object ids that get the ingest roles.
 *   Never a wildcard or an account root (every principal of the account).
 * - `dataIngestCidrs` (Azure): public IPv4 addresses/ranges the storage
 *   firewall admits. Azure accepts only public IPv4 (no RFC 1918 ranges) and no
 *   /31 or /32 prefixes (a single address is written without one), and such a
 *   rule never matches clients in the account's own region (README, "Loading data").
 */
import { formatCidr, overlaps, parseCidr } from "./cidr";

export const DATA_INGEST_LIMITS = { principals: 10, cidrs: 100, minPrefix: 16, maxPrefix: 30 } as const;

const IAM_PRINCIPAL_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(role|user)\/[\w+=,.@/-]{1,512}$/;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Address blocks Azure's IP rules refuse or that are not on the public internet. */
export const NON_PUBLIC_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
] as const;

/** Parses a JSON list of strings (how the engine passes a YAML list); returns the list or a problem. */
function stringList(raw: string): string[] | string {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return "not a list";
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) return "not a list of strings";
  if (new Set(v).size !== v.length) return "has a value twice";
  return v as string[];
}

/** Checks `dataIngestPrincipals` for a cloud: the list, or problems (each without the key name). */
export function checkIngestPrincipals(raw: string | undefined, cloud: "aws" | "azure"): { value: string[]; problems: string[] } {
  if (raw === undefined) return { value: [], problems: [] };
  const allowed =
    cloud === "aws"
      ? `a list of at most ${DATA_INGEST_LIMITS.principals} IAM role or user ARNs (arn:aws:iam::<account>:role/<name> or :user/<name>), no wildcard, no account root`
      : `a list of at most ${DATA_INGEST_LIMITS.principals} Microsoft Entra object ids (GUIDs) of users, groups or service principals`;
  const list = stringList(raw);
  if (typeof list === "string") return { value: [], problems: [`got ${raw}; ${list}; allowed: ${allowed}`] };
  const problems: string[] = [];
  if (list.length > DATA_INGEST_LIMITS.principals) problems.push(`got ${list.length} entries; allowed: ${allowed}`);
  for (const p of list) {
    if (cloud === "aws") {
      if (p.includes("*") || p.includes("?"))
        problems.push(`${JSON.stringify(p)} has a wildcard, which would let unnamed principals load data; allowed: ${allowed}`);
      else if (/:root$/.test(p) || /^\d{12}$/.test(p))
        problems.push(
          `${JSON.stringify(p)} is an account root: every principal of the account could assume the ingest role; allowed: ${allowed}`,
        );
      else if (!IAM_PRINCIPAL_RE.test(p)) problems.push(`${JSON.stringify(p)} is not an IAM role or user ARN; allowed: ${allowed}`);
    } else if (!GUID_RE.test(p)) {
      problems.push(`${JSON.stringify(p)} is not an object id; allowed: ${allowed}`);
    }
  }
  return { value: problems.length > 0 ? [] : list, problems };
}

/** The non-public block `cidr` overlaps, if any. */
export function nonPublicRange(cidr: string): string | undefined {
  return NON_PUBLIC_RANGES.find((r) => overlaps(r, cidr));
}

/**
 * Checks `dataIngestCidrs`: each entry a public IPv4 address (`a.b.c.d`) or a
 * /16-/30 network (`a.b.c.d/n`, host bits clear). Returns them as Azure takes
 * them (an address without a prefix).
 */
export function checkIngestCidrs(raw: string | undefined): { value: string[]; problems: string[] } {
  if (raw === undefined) return { value: [], problems: [] };
  const allowed =
    `a list of at most ${DATA_INGEST_LIMITS.cidrs} public IPv4 addresses (a.b.c.d) or networks a.b.c.d/n with n ${DATA_INGEST_LIMITS.minPrefix}-${DATA_INGEST_LIMITS.maxPrefix} ` +
    "(Azure refuses private ranges and /31-/32 prefixes: write one address without a prefix)";
  const list = stringList(raw);
  if (typeof list === "string") return { value: [], problems: [`got ${raw}; ${list}; allowed: ${allowed}`] };
  const problems: string[] = [];
  if (list.length > DATA_INGEST_LIMITS.cidrs) problems.push(`got ${list.length} entries; allowed: ${allowed}`);
  for (const entry of list) {
    const asCidr = entry.includes("/") ? entry : `${entry}/32`;
    const c = parseCidr(asCidr);
    if (typeof c === "string") {
      problems.push(`${JSON.stringify(entry)}: ${c}; allowed: ${allowed}`);
      continue;
    }
    if (entry.includes("/") && (c.prefix < DATA_INGEST_LIMITS.minPrefix || c.prefix > DATA_INGEST_LIMITS.maxPrefix)) {
      problems.push(
        c.prefix > DATA_INGEST_LIMITS.maxPrefix
          ? `${JSON.stringify(entry)}: Azure does not accept /31 or /32 ranges; write the address without a prefix (${formatCidr(c).split("/")[0]}); allowed: ${allowed}`
          : `${JSON.stringify(entry)}: a /${c.prefix} opens the firewall to ${2 ** (32 - c.prefix)} addresses; allowed: ${allowed}`,
      );
      continue;
    }
    const range = nonPublicRange(asCidr);
    if (range)
      problems.push(
        `${JSON.stringify(entry)} is in ${range}, not a public address (Azure IP rules accept only public IPv4; reach the account from such networks through its private endpoint); allowed: ${allowed}`,
      );
  }
  return { value: problems.length > 0 ? [] : list, problems };
}
