/**
 * Helpers for the Azure module tests: find recorded azure-native resources,
 * read their inputs and outputs, and fail with the resource's URN.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { ROOT } from "../../harness";
import { IDENTITY_SUFFIX, IdentityPurpose } from "../../../stacks/azure/identity";

export const T = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  account: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  container: "azure-native:storage:BlobContainer",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  endpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  vnetLink: "azure-native:privatedns:VirtualNetworkLink",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  logWorkspace: "azure-native:operationalinsights:Workspace",
  diagnostic: "azure-native:monitor:DiagnosticSetting",
  appInsights: "azure-native:applicationinsights:Component",
  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  compute: "azure-native:machinelearningservices:Compute",
  sleep: "time:index/sleep:Sleep",
  component: "secure-ml:azure:TrainingEnvironment",
} as const;

export function all(rec: Recording, type: string): RecordedResource[] {
  return rec.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (optionally whose logical name ends with `suffix`). */
export function one(rec: Recording, type: string, suffix?: string): RecordedResource {
  const found = all(rec, type).filter((r) => suffix === undefined || r.name.endsWith(suffix));
  expect(
    found.map((r) => r.urn),
    `${rec.stack}: exactly one ${type}${suffix ? ` named *${suffix}` : ""}`,
  ).to.have.length(1);
  return found[0];
}

/** The resource whose (mocked) id is `id`; fails naming who refers to it. */
export function byId(rec: Recording, id: unknown, referrer: string): RecordedResource {
  const found = rec.resources.find((r) => r.custom && r.outputs.id === id);
  expect(found, `${referrer}: refers to ${JSON.stringify(id)}, which is no resource of the stack`).to.not.equal(undefined);
  return found!;
}

/** Dotted-path read of a plain value: `get(r.inputs, "encryption.keySource")`. */
export function get(obj: unknown, dotted: string): any {
  return dotted.split(".").reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** Asserts `r.inputs.<dotted>` equals `expected`, naming the URN and the path on failure. */
export function expectInput(r: RecordedResource, dotted: string, expected: unknown): void {
  expect(get(r.inputs, dotted), `${r.urn}: ${dotted}`).to.deep.equal(expected);
}

/** All azure-native custom resources of a recording. */
export function azureResources(rec: Recording): RecordedResource[] {
  return rec.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
}

function argsDeclaration(type: string): string {
  const m = /^azure-native:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (!m) throw new Error(`not an azure-native resource type: ${type}`);
  const file = path.join(ROOT, "node_modules", "@pulumi", "azure-native", m[1], `${m[2][0].toLowerCase()}${m[2].slice(1)}.d.ts`);
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${m[2]}Args {`);
  if (start < 0) throw new Error(`${file} declares no ${m[2]}Args`);
  return text.slice(start, text.indexOf("\n}", start));
}

const argCache = new Map<string, string>();
/** True when the resource's Args (from the installed azure-native types) declare `prop`. */
export function declaresArg(type: string, prop: string): boolean {
  let decl = argCache.get(type);
  if (decl === undefined) {
    decl = argsDeclaration(type);
    argCache.set(type, decl);
  }
  return new RegExp(`\\n\\s+${prop}\\??:`).test(decl);
}

/** Days in an ISO 8601 duration of days, months or years (P90D, P6M, P1Y, P1Y2M3D). */
export function durationDays(iso: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === "P") throw new Error(`not an ISO 8601 duration of years/months/days: ${iso}`);
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 31 + Number(m[3] ?? 0);
}

/** The identity of one purpose (`<prefix>-<tier>-id`, `-cmk-id`, `-mlw-id`). */
export function identityOf(rec: Recording, purpose: IdentityPurpose): RecordedResource {
  const re = new RegExp(`^[a-z][a-z0-9]*-(dev|prod)-${IDENTITY_SUFFIX[purpose]}$`);
  const found = all(rec, T.identity).filter((r) => re.test(r.name));
  expect(
    found.map((r) => r.urn),
    `${rec.stack}: exactly one ${purpose} identity`,
  ).to.have.length(1);
  return found[0];
}
