/**
 * No policy throws on odd input: every property of every resource the
 * shipped stacks register (plus resources the stacks never create) is
 * replaced, one at a time, by unknown values (preview), missing values and
 * values of the wrong type, and every policy that applies to the resource
 * runs on it. A throw fails the test (the harness re-raises it, as the
 * runtime would turn it into an error), and so does a "can't run during
 * preview" notice, which would mean a policy touched an unknown value.
 * Stack policies run over the stacks with one resource's outputs mangled.
 */
import { expect } from "chai";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runStack } from "../harness";
import { ResourceSpec, analyzeResource, analyzeStack, specsOf, unknown } from "./harness";
import { ALL_POLICIES } from "./pack";

const ODD_VALUES: unknown[] = [
  unknown("string"),
  unknown("object"),
  unknown("array"),
  unknown("boolean"),
  null,
  42,
  "x",
  [],
  {},
  true,
  [unknown()],
  { nested: unknown() },
];
const NESTED_ODD: unknown[] = [unknown(), null, 42, ["x"]];

/** Resources the shipped stacks do not create but policies judge. */
const EXTRA: ResourceSpec[] = [
  {
    type: "aws:sagemaker/notebookInstance:NotebookInstance",
    name: "nb",
    props: { instanceType: "ml.t3.medium", roleArn: "arn", directInternetAccess: "Enabled", rootAccess: "Enabled" },
  },
  { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { vpcId: "vpc-1" } },
  { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { subnetId: "s", connectivityType: "public" } },
  { type: "aws:iam/user:User", name: "u", props: { name: "u" } },
  { type: "aws:iam/accessKey:AccessKey", name: "k", props: { user: "u" } },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "a",
    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
  },
  {
    type: "aws:iam/policyAttachment:PolicyAttachment",
    name: "pa",
    props: { roles: ["r"], policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
  },
  {
    type: "aws:s3/bucketAclV2:BucketAclV2",
    name: "acl",
    props: {
      bucket: "b",
      accessControlPolicy: {
        owner: { id: "o" },
        grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }],
      },
    },
  },
  {
    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
    name: "sgr",
    props: { type: "ingress", securityGroupId: "sg", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: ["0.0.0.0/0"] },
  },
  {
    type: "aws:kms/keyPolicy:KeyPolicy",
    name: "kp",
    props: { keyId: "k", policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}' },
  },
  { type: "azure-native:network:PublicIPAddress", name: "pip", props: { resourceGroupName: "rg" } },
  {
    type: "azure-native:network:SecurityRule",
    name: "rule",
    props: { access: "Allow", direction: "Inbound", sourceAddressPrefix: "*", priority: 100, protocol: "Tcp" },
  },
  {
    type: "azure-native:machinelearningservices:Compute",
    name: "ci",
    props: { workspaceName: "ws", properties: { computeType: "ComputeInstance", properties: { enableNodePublicIp: true } } },
  },
];

function mutations(spec: ResourceSpec): ResourceSpec[] {
  const props = spec.props ?? {};
  const out: ResourceSpec[] = [{ ...spec, props: {} }];
  for (const [k, v] of Object.entries(props)) {
    for (const odd of ODD_VALUES) out.push({ ...spec, props: { ...props, [k]: odd } });
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const nk of Object.keys(v))
        for (const odd of NESTED_ODD) out.push({ ...spec, props: { ...props, [k]: { ...(v as object), [nk]: odd } } });
    }
    if (Array.isArray(v) && v.length > 0 && v[0] !== null && typeof v[0] === "object") {
      for (const nk of Object.keys(v[0]))
        for (const odd of NESTED_ODD) out.push({ ...spec, props: { ...props, [k]: [{ ...v[0], [nk]: odd }, ...v.slice(1)] } });
    }
  }
  return out;
}

function firstOfEachType(specs: ResourceSpec[]): ResourceSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const t = String(s.type);
    if (seen.has(t)) return false;
    seen.add(t);
    return true;
  });
}

const resourcePolicies = ALL_POLICIES.filter(
  (p): p is ResourceValidationPolicy => "validateResource" in p && p.validateResource !== undefined,
);
const stackPolicies = ALL_POLICIES.filter((p): p is StackValidationPolicy => "validateStack" in p);

describe("policy pack: robustness", function () {
  this.timeout(600_000);

  for (const stack of ["prod", "azure-prod"]) {
    const extra = stack === "prod" ? EXTRA : [];
    it(`resource policies survive unknown, missing and mistyped properties (resources of ${stack}${extra.length ? " and extras" : ""})`, async () => {
      const rec = await runStack(stack);
      let runs = 0;
      for (const spec of [...firstOfEachType(specsOf(rec).inputs), ...extra]) {
        const base = await analyzeResource(resourcePolicies, spec);
        const na = new Set(base.notApplicable.map((n) => n.policyName));
        const applicable = resourcePolicies.filter((p) => !na.has(p.name));
        if (applicable.length === 0) continue;
        for (const m of mutations(spec)) {
          const r = await analyzeResource(applicable, m);
          const preview = r.diagnostics.filter((d) => d.message.startsWith("can't run"));
          expect(
            preview.map((d) => d.message),
            `${m.type} ${JSON.stringify(m.props).slice(0, 300)}`,
          ).to.deep.equal([]);
          runs++;
        }
      }
      expect(runs).to.be.greaterThan(500);
    });

    it(`stack policies survive one resource's outputs being unknown, missing or mistyped (${stack})`, async () => {
      const rec = await runStack(stack);
      const { outputs } = specsOf(rec);
      let runs = 0;
      for (const target of firstOfEachType(outputs)) {
        const keys = Object.keys(target.props ?? {});
        const variants: Record<string, unknown>[] = [
          {},
          Object.fromEntries(keys.map((k) => [k, unknown()])),
          Object.fromEntries(keys.map((k) => [k, 42])),
          Object.fromEntries(keys.map((k) => [k, [null, { x: unknown("object") }]])),
        ];
        for (const props of variants) {
          const mangled = outputs.map((o) => (o === target ? { ...o, props } : o));
          const r = await analyzeStack(stackPolicies, mangled);
          expect(r.diagnostics.filter((d) => d.message.startsWith("can't run")).map((d) => d.message)).to.deep.equal([]);
          runs++;
        }
      }
      expect(runs).to.be.greaterThan(40);
    });
  }

  it("a whole preview of a stack (every output unknown but URNs and dependencies) raises no policy error", async () => {
    const rec = await runStack("prod");
    const { outputs } = specsOf(rec);
    const preview = outputs.map((o) => ({ ...o, props: Object.fromEntries(Object.keys(o.props ?? {}).map((k) => [k, unknown()])) }));
    const r = await analyzeStack(stackPolicies, preview);
    expect(r.diagnostics.map((d) => d.message)).to.deep.equal([]);
  });
});
