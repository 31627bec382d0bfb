/**
 * Compliance frameworks the policies map to, defined once: the benchmark
 * names and versions, the titles of the controls the pack refers to, and
 * how a policy's references become its `framework` metadata (one object in
 * @pulumi/policy's PolicyComplianceFramework shape: the first reference)
 * and its tags (`<framework>:<control>`, one per reference, so findings can
 * be filtered by any of them).
 *
 * Mapping sources (docs/coverage.md, "Sources"): CIS AWS Foundations 5.0.0
 * and CIS Azure Foundations 4.0.0 requirement ids as mapped by Prowler's
 * compliance data and AWS Security Hub's control reference; NIST SP 800-53
 * Rev. 5 base controls.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export const FRAMEWORKS = {
  "cis-aws-5.0.0": { name: "CIS Amazon Web Services Foundations Benchmark", version: "5.0.0" },
  "cis-azure-4.0.0": { name: "CIS Microsoft Azure Foundations Benchmark", version: "4.0.0" },
  "nist-800-53-r5": { name: "NIST SP 800-53", version: "Rev. 5" },
} as const;

export type FrameworkId = keyof typeof FRAMEWORKS;

/** `[framework, control id]`, e.g. `["cis-aws-5.0.0", "3.6"]`. */
export type FrameworkRef = readonly [FrameworkId, string];

/** Titles of the controls referenced by the pack (a test fails on a reference missing here). */
export const CONTROL_TITLES: Readonly<Record<FrameworkId, Readonly<Record<string, string>>>> = {
  "cis-aws-5.0.0": {
    "1.14": "Ensure IAM users receive permissions only through groups",
    "1.15": "Ensure IAM policies that allow full *:* administrative privileges are not attached",
    "2.1.1": "Ensure S3 Bucket Policy is set to deny HTTP requests",
    "2.1.4": "Ensure that S3 is configured with 'Block Public Access' enabled",
    "3.6": "Ensure rotation for customer-created symmetric CMKs is enabled",
    "3.7": "Ensure VPC flow logging is enabled in all VPCs",
    "5.3": "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports",
    "5.4": "Ensure no security groups allow ingress from ::/0 to remote server administration ports",
    "5.5": "Ensure the default security group of every VPC restricts all traffic",
  },
  "cis-azure-4.0.0": {
    "2.1.1.2.1": "Ensure Critical Data is Encrypted with Customer Managed Keys (CMK)",
    "6.3.3": "Ensure that use of the 'User Access Administrator' role is restricted",
    "7.1.1.4": "Ensure that logging for Azure Key Vault is 'Enabled'",
    "8.1": "Ensure that RDP access from the Internet is evaluated and restricted",
    "8.2": "Ensure that SSH access from the Internet is evaluated and restricted",
    "8.3": "Ensure that UDP access from the Internet is evaluated and restricted",
    "8.4": "Ensure that HTTP(S) access from the Internet is evaluated and restricted",
    "9.3.5": "Ensure the Key Vault is Recoverable",
    "9.3.6": "Ensure that Role Based Access Control for Azure Key Vault is enabled",
    "9.3.7": "Ensure that Public Network Access when using Private Endpoint is disabled",
    "9.3.8": "Ensure that Private Endpoints are Used for Azure Key Vault",
    "9.3.9": "Ensure automatic key rotation is enabled within Azure Key Vault",
    "10.2.1": "Ensure that soft delete for blobs on Azure Blob Storage storage accounts is Enabled",
    "10.2.2": "Ensure 'Versioning' is set to 'Enabled' on Azure Blob Storage storage accounts",
    "10.3.1.3": "Ensure 'Allow storage account key access' for Azure Storage Accounts is 'Disabled'",
    "10.3.2.1": "Ensure Private Endpoints are used to access Storage Accounts",
    "10.3.2.2": "Ensure that 'Public Network Access' is 'Disabled' for storage accounts",
    "10.3.2.3": "Ensure default network access rule for storage accounts is set to deny",
    "10.3.4": "Ensure that 'Secure transfer required' is set to 'Enabled'",
    "10.3.7": "Ensure the 'Minimum TLS version' for storage accounts is set to 'Version 1.2'",
    "10.3.9": "Ensure that 'Allow Blob Anonymous Access' is set to 'Disabled'",
  },
  "nist-800-53-r5": {
    "AC-2": "Account Management",
    "AC-3": "Access Enforcement",
    "AC-4": "Information Flow Enforcement",
    "AC-6": "Least Privilege",
    "AC-17": "Remote Access",
    "AU-2": "Event Logging",
    "AU-3": "Content of Audit Records",
    "AU-9": "Protection of Audit Information",
    "AU-11": "Audit Record Retention",
    "AU-12": "Audit Record Generation",
    "CM-6": "Configuration Settings",
    "CM-8": "System Component Inventory",
    "CP-9": "System Backup",
    "CP-10": "System Recovery and Reconstitution",
    "IA-2": "Identification and Authentication (Organizational Users)",
    "IA-5": "Authenticator Management",
    "SC-7": "Boundary Protection",
    "SC-8": "Transmission Confidentiality and Integrity",
    "SC-12": "Cryptographic Key Establishment and Management",
    "SC-13": "Cryptographic Protection",
    "SC-23": "Session Authenticity",
    "SC-28": "Protection of Information at Rest",
    "SI-12": "Information Management and Retention",
  },
};

/** `cis-aws-5.0.0:3.6`: how a reference appears in a policy's tags and in reports. */
export function frameworkTag([framework, control]: FrameworkRef): string {
  return `${framework}:${control}`;
}

/** The references a tag list carries (tags of the `<framework>:<control>` form). */
export function frameworkTagsOf(tags: readonly string[]): string[] {
  return tags.filter((t) => Object.keys(FRAMEWORKS).some((f) => t.startsWith(`${f}:`)));
}

/** The `framework` metadata of a policy: its first reference, with the benchmark's name, version and the control's title. */
export function complianceFramework(refs: readonly FrameworkRef[] | undefined): PolicyComplianceFramework | undefined {
  const first = refs?.[0];
  if (!first) return undefined;
  const [id, control] = first;
  const title = CONTROL_TITLES[id][control];
  if (title === undefined) throw new Error(`framework ${id}: no title for control ${control} (add it to CONTROL_TITLES)`);
  return { name: FRAMEWORKS[id].name, version: FRAMEWORKS[id].version, reference: control, specification: title };
}
