/**
 * The AWS deploy role's policy is a real document (delivery/aws-deploy-role-policy.json),
 * checked against what the program registers: every resource type the shipped AWS stacks
 * (and dev with Studio on) register, and every AWS data source the program may call, has
 * its actions listed in delivery/aws-deploy-role-actions.json, and the policy allows each
 * listed action (and nothing no entry needs). A new resource type without an entry fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { ROOT, runStack } from "../harness";
import { globMatch } from "../../policy-pack/lib/iam";

interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const POLICY_FILE = path.join(ROOT, "delivery", "aws-deploy-role-policy.json");
const ACTIONS_FILE = path.join(ROOT, "delivery", "aws-deploy-role-actions.json");

const policy = JSON.parse(fs.readFileSync(POLICY_FILE, "utf8")) as { Version: string; Statement: Statement[] };
const needs = JSON.parse(fs.readFileSync(ACTIONS_FILE, "utf8")) as {
  resourceTypes: Record<string, string[]>;
  invokes: Record<string, string[]>;
  teardown: { actions: string[] };
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether an Allow statement of the policy grants `action` and no unconditional Deny takes it away. */
function allowed(action: string): boolean {
  const allow = policy.Statement.some((s) => s.Effect === "Allow" && list(s.Action).some((p) => globMatch(p, action)));
  const denied = policy.Statement.some((s) => s.Effect === "Deny" && !s.Condition && list(s.Action).some((p) => globMatch(p, action)));
  return allow && !denied;
}

/** Resource types of the list that have no entry in the actions file. */
function uncovered(types: Iterable<string>, entries: Record<string, string[]>): string[] {
  return [...new Set(types)].filter((t) => (t.startsWith("aws:") || t === "pulumi:providers:aws") && !(t in entries));
}

const everyNeededAction = (): string[] => [
  ...Object.values(needs.resourceTypes).flat(),
  ...Object.values(needs.invokes).flat(),
  ...needs.teardown.actions,
];

/** Stacks whose resource types the role must cover: the shipped AWS stacks, and dev with the Studio domain on. */
const VARIANTS: { stack: string; overrides: Record<string, string> }[] = [
  { stack: "dev", overrides: {} },
  { stack: "prod", overrides: {} },
  { stack: "dev", overrides: { studio: "true", interfaceEndpoints: '["sagemaker.api","sagemaker.runtime"]' } },
];

describe("delivery: the AWS deploy role's policy document", function () {
  this.timeout(300_000);

  it("is a valid identity policy with placeholders for the region and account, scoped to the mltrain prefix", () => {
    expect(policy.Version).to.equal("2012-10-17");
    for (const s of policy.Statement) {
      expect(s.Sid, "every statement has a Sid").to.be.a("string");
      expect(["Allow", "Deny"]).to.include(s.Effect);
      expect((s as unknown as Record<string, unknown>).Principal, `${s.Sid}: no Principal in an identity policy`).to.equal(undefined);
      for (const r of list(s.Resource)) {
        expect(r, `${s.Sid}: resource`).to.not.match(/\d{12}/);
        if (r.startsWith("arn:aws:s3:::")) expect(r, `${s.Sid}: bucket names`).to.match(/^arn:aws:s3:::mltrain-/);
        if (/^arn:aws:(iam|logs|kms):/.test(r) && !r.includes("aws-service-role") && !r.includes(":key/"))
          expect(r, `${s.Sid}: named resources`).to.include("mltrain-");
      }
    }
    const region = policy.Statement.find((s) => s.Sid === "StayInTheStackRegion")!;
    expect(region.Effect).to.equal("Deny");
    expect(region.Condition).to.deep.equal({ StringNotEquals: { "aws:RequestedRegion": "<region>" } });
  });

  it("lists actions for every resource type the AWS stacks register", async () => {
    const missing: string[] = [];
    for (const v of VARIANTS) {
      const rec = await runStack(v.stack, v.overrides);
      const types = rec.resources.filter((r) => r.custom).map((r) => r.type);
      expect(types, `${v.stack}: the recording has AWS resources`).to.include("aws:s3/bucket:Bucket");
      for (const t of uncovered(types, needs.resourceTypes))
        missing.push(`${t} (${v.stack}${Object.keys(v.overrides).length > 0 ? ` with ${JSON.stringify(v.overrides)}` : ""})`);
    }
    expect(missing, `add these types and their actions to ${path.relative(ROOT, ACTIONS_FILE)}`).to.deep.equal([]);
  });

  it("lists actions for every AWS data source the offline mocks answer (the program can call no other)", () => {
    const mocks = fs.readFileSync(path.join(ROOT, "engine", "recorder", "mocks.ts"), "utf8");
    const invokes = [...mocks.matchAll(/case "(aws:[a-zA-Z0-9]+\/get[A-Za-z0-9]+:get[A-Za-z0-9]+)"/g)].map((m) => m[1]);
    expect(invokes, "the mocks answer AWS data sources").to.include("aws:ec2/getVpcEndpointService:getVpcEndpointService");
    expect(
      invokes.filter((t) => !(t in needs.invokes)),
      `add these data sources to ${path.relative(ROOT, ACTIONS_FILE)}`,
    ).to.deep.equal([]);
  });

  it("allows every listed action, including the ones AWS checks behind another call", () => {
    expect(everyNeededAction().filter((a) => !allowed(a))).to.deep.equal([]);
    // Dependent actions the outline used to miss (private DNS of interface endpoints, policy tags, deleting a role).
    for (const a of [
      "route53:AssociateVPCWithHostedZone",
      "iam:TagPolicy",
      "iam:ListInstanceProfilesForRole",
      "ec2:DescribeVpcEndpointServices",
    ]) {
      expect(allowed(a), a).to.equal(true);
    }
  });

  it("allows nothing that no entry needs, and never user credentials", () => {
    const needed = everyNeededAction();
    const unused = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
      list(s.Action)
        .filter((p) => !needed.some((a) => globMatch(p, a)))
        .map((p) => `${s.Sid}: ${p}`),
    );
    expect(unused).to.deep.equal([]);
    for (const a of ["iam:CreateUser", "iam:CreateAccessKey", "iam:AttachRolePolicy", "s3:PutObject", "kms:Decrypt"])
      expect(allowed(a), a).to.equal(false);
  });

  it("a newly registered type without an entry is reported (e.g. an RDS instance, or an entry removed)", () => {
    expect(
      uncovered(["aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "azure-native:storage:StorageAccount"], needs.resourceTypes),
    ).to.deep.equal(["aws:rds/instance:Instance"]);
    const { ["aws:ec2/vpcEndpoint:VpcEndpoint"]: _removed, ...withoutEndpoints } = needs.resourceTypes;
    expect(uncovered(["aws:ec2/vpcEndpoint:VpcEndpoint"], withoutEndpoints)).to.deep.equal(["aws:ec2/vpcEndpoint:VpcEndpoint"]);
  });

  it("docs/delivery.md points to the document instead of spelling the policy out", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "delivery.md"), "utf8");
    expect(doc).to.include("delivery/aws-deploy-role-policy.json");
    expect(doc, "no prose copy of the policy").to.not.include('"Sid": "SageMakerDomain"');
  });
});
