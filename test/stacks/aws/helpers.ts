/**
 * Helpers for the AWS module tests: typed look-ups into a recording that
 * fail naming the stack and the resource URN, policy documents parsed back
 * from the JSON the program sent, and IAM-style action matching.
 */
import { expect } from "chai";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { AWS_STACKS, ofType, policyDoc, ROOT, PROJECT } from "../../harness";
import { parseStackConfig, AwsStackConfig } from "../../../stacks/config";
import { readProject, readStackFile } from "../../../engine/recorder";
import { globMatch } from "../../../policy-pack/lib/iam";

export { AWS_STACKS };

export const T = {
  component: "secure-ml:aws:TrainingEnvironment",
  secureBucket: "secure-ml:aws:SecureBucket",
  provider: "pulumi:providers:aws",
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  domain: "aws:sagemaker/domain:Domain",
  userProfile: "aws:sagemaker/userProfile:UserProfile",
} as const;

/** The validated config of a shipped stack (with overrides, short keys), as the program sees it. */
export function configOf(stack: string, overrides: Record<string, string | undefined> = {}): AwsStackConfig {
  const raw: Record<string, string> = { ...readStackFile(readProject(ROOT), stack).config };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete raw[`${PROJECT}:${k}`];
    else raw[`${PROJECT}:${k}`] = v;
  }
  const c = parseStackConfig(raw, PROJECT, stack);
  if (c.cloud !== "aws") throw new Error(`${stack} is not an AWS stack`);
  return c;
}

/** `<namePrefix>-<tier>`: the component's name and every logical name's prefix. */
export function envName(c: AwsStackConfig): string {
  return `${c.namePrefix}-${c.tier}`;
}

/** The resource of `type` whose logical name is exactly `name`. */
export function named(rec: Recording, type: string, name: string): RecordedResource {
  const found = ofType(rec, type).filter((r) => r.name === name);
  if (found.length !== 1) {
    throw new Error(
      `${rec.stack}: expected one ${type} named ${name}, found ${found.length} (have: ${
        ofType(rec, type)
          .map((r) => r.name)
          .join(", ") || "none"
      })`,
    );
  }
  return found[0];
}

/** The single resource of `type` in the recording, failing with the URNs found. */
export function one(rec: Recording, type: string): RecordedResource {
  const found = ofType(rec, type);
  if (found.length !== 1)
    throw new Error(`${rec.stack}: expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.urn).join(", ")}`);
  return found[0];
}

/** Resources of the bucket sub-resource `type` that belong to the bucket with physical name `bucket`. */
export function forBucket(rec: Recording, type: string, bucket: string): RecordedResource[] {
  return ofType(rec, type).filter((r) => r.inputs.bucket === bucket);
}

export interface Stmt {
  Sid?: string;
  Effect: string;
  Principal?: any;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of the JSON policy in `r.inputs[prop]` (fails naming the URN when it is not a document). */
export function statements(r: RecordedResource, prop = "policy"): Stmt[] {
  try {
    return policyDoc(r.inputs[prop]).Statement as Stmt[];
  } catch (e) {
    throw new Error(`${r.urn}: ${prop}: ${(e as Error).message}`, { cause: e });
  }
}

export function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function bySid(r: RecordedResource, sid: string, prop = "policy"): Stmt {
  const found = statements(r, prop).filter((s) => s.Sid === sid);
  if (found.length !== 1) throw new Error(`${r.urn}: expected one statement "${sid}", found ${found.length}`);
  return found[0];
}

/** IAM action / ARN wildcard match, case-insensitive like IAM actions: the pack's own matcher. */
export { globMatch };

export function grants(st: Stmt, action: string): boolean {
  return list(st.Action).some((p) => globMatch(p, action));
}

/** Condition values of `key` under `operator` (as lists of strings), or undefined when absent. */
export function cond(st: Stmt, operator: string, key: string): string[] | undefined {
  const block = st.Condition?.[operator];
  if (!block || !(key in block)) return undefined;
  return list(block[key]);
}

/** Whether `principal` is anyone: `"*"` or `{AWS: "*"}`. */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") return list((principal as any).AWS).includes("*");
  return false;
}

/** Walks parents from `r` to the root; returns the URNs visited (r excluded). */
export function parentChain(rec: Recording, r: RecordedResource): string[] {
  const byUrn = new Map(rec.resources.map((x) => [x.urn, x]));
  const chain: string[] = [];
  let p = r.parent;
  while (p && !chain.includes(p)) {
    chain.push(p);
    p = byUrn.get(p)?.parent;
  }
  return chain;
}

export function expectTags(r: RecordedResource, tags: Record<string, string>): void {
  expect(r.inputs.tags, `${r.urn}: tags`).to.deep.equal(tags);
}
