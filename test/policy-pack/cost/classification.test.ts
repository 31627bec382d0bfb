/**
 * How the estimator classifies resources: priced by a mapper, free (no idle
 * charge, listed), not priced (listed with the reason, never zero), or not a
 * cloud resource at all (the stack, providers, components). Also: the
 * estimate is plain JSON that matches its published schema, and odd input
 * never throws.
 */
import Ajv from "ajv";
import { expect } from "chai";
import {
  COST_ESTIMATE_SCHEMA,
  estimateIdleCost,
  FREE_TYPES,
  freeType,
  isBillable,
  MAPPER_BY_TYPE,
  normalizeType,
  PlannedResource,
  renderText,
} from "../../../policy-pack/cost";
import { UNKNOWN_MARKERS } from "../../../policy-pack/cost/inputs";
import { UNKNOWN_SENTINELS } from "../../../policy-pack/lib/values";
import { monthlyOf } from "./expect-cost";

const res = (type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}): PlannedResource => ({
  urn: `urn:pulumi:s::p::${type}::${name}`,
  type,
  name,
  inputs,
  ...extra,
});

describe("cost estimator: classification", () => {
  it("lists resources with no idle charge as free, grouped by type, with their billing basis", () => {
    const e = estimateIdleCost([
      res("aws:s3/bucket:Bucket", "data"),
      res("aws:s3/bucket:Bucket", "logs"),
      res("aws:iam/role:Role", "exec"),
      res("aws:iam/rolePolicy:RolePolicy", "inline"),
      res("aws:ec2/vpc:Vpc", "vpc"),
      res("aws:ec2/subnet:Subnet", "a"),
      res("aws:ec2/securityGroup:SecurityGroup", "sg"),
      res("aws:sagemaker/domain:Domain", "domain"),
      res("azure-native:storage:StorageAccount", "sa"),
      res("azure-native:keyvault:Vault", "kv"),
      res("azure-native:storage:BlobContainer", "c"),
      res("azure-native:authorization:RoleAssignment", "ra"),
    ]);
    expect(e.idleMonthlyUsd).to.equal(0);
    expect(e.components).to.be.empty;
    expect(e.notPriced).to.be.empty;
    expect(e.incomplete).to.equal(false);
    const byType = Object.fromEntries(e.free.map((f) => [f.type, f]));
    expect(byType["aws:s3/bucket:Bucket"]).to.include({ count: 2, billing: "usage" });
    expect(byType["aws:iam/role:Role"]).to.include({ count: 1, billing: "none" });
    expect(byType["aws:iam/rolePolicy:RolePolicy"]).to.include({ count: 1, billing: "none" });
    expect(byType["aws:sagemaker/domain:Domain"]).to.include({ billing: "usage" });
    expect(byType["azure-native:storage:StorageAccount"]).to.include({ billing: "usage" });
    expect(byType["azure-native:keyvault:Vault"]).to.include({ billing: "usage" });
    expect(byType["azure-native:storage:BlobContainer"]).to.include({ billing: "none" });
    expect(byType["azure-native:authorization:RoleAssignment"]).to.include({ billing: "none" });
    expect(e.free.map((f) => f.type)).to.deep.equal([...e.free.map((f) => f.type)].sort());
  });

  it("reports a type it does not know as not priced (with every resource's name), never as zero", () => {
    const e = estimateIdleCost([
      res("aws:sagemaker/notebookInstance:NotebookInstance", "nb1", { instanceType: "ml.t3.medium" }),
      res("aws:sagemaker/notebookInstance:NotebookInstance", "nb2", { instanceType: "ml.t3.medium" }),
      res("aws:rds/instance:Instance", "db"),
      res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a"] }),
    ]);
    expect(e.incomplete).to.equal(true);
    expect(e.notPriced).to.deep.equal([
      { type: "aws:rds/instance:Instance", count: 1, resources: ["db"], reason: "the cost model has no rate for this type" },
      {
        type: "aws:sagemaker/notebookInstance:NotebookInstance",
        count: 2,
        resources: ["nb1", "nb2"],
        reason: "the cost model has no rate for this type",
      },
    ]);
    expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("aws.vpce.interface", 1), 0.005);
    expect(e.notes.join("\n")).to.match(/3 resource\(s\) could not be priced; the idle cost is at least/);
    expect(renderText(e)).to.match(/Not priced[\s\S]*aws:rds\/instance:Instance x1 \(db\)/);
  });

  it("skips the stack, providers and component resources (they cost nothing themselves)", () => {
    const e = estimateIdleCost([
      res("pulumi:pulumi:Stack", "p-s"),
      res("pulumi:providers:aws", "default_7_48_0", { region: "eu-west-1" }),
      res("secure-ml:aws:TrainingEnvironment", "mltrain-prod", {}, { custom: false }),
      res("my:component:Thing", "thing"),
      res("gcp:compute/instance:Instance", "vm", {}, { custom: false }),
    ]);
    expect(e.components).to.be.empty;
    expect(e.free).to.be.empty;
    expect(e.notPriced).to.be.empty;
    // ...but a custom resource of an unknown package is reported, as is any type of a known provider package.
    const e2 = estimateIdleCost([res("acme:box/widget:Widget", "w", {}, { custom: true }), res("gcp:compute/instance:Instance", "vm")]);
    expect(e2.notPriced.map((n) => n.type)).to.deep.equal(["acme:box/widget:Widget", "gcp:compute/instance:Instance"]);
  });

  it("decides billability from `custom`, else from the provider package", () => {
    expect(isBillable(res("aws:ec2/vpc:Vpc", "v"))).to.equal(true);
    expect(isBillable(res("azure-native:network:VirtualNetwork", "v"))).to.equal(true);
    expect(isBillable(res("aws:ec2/vpc:Vpc", "v", {}, { custom: false }))).to.equal(false);
    expect(isBillable(res("pulumi:providers:azure-native", "p", {}, { custom: true }))).to.equal(false);
    expect(isBillable(res("secure-ml:azure:TrainingEnvironment", "c"))).to.equal(false);
  });

  it("prices azure-native types with an explicit API version like the default module", () => {
    expect(normalizeType("azure-native:network/v20240301:PrivateEndpoint")).to.equal("azure-native:network:PrivateEndpoint");
    expect(normalizeType("aws:ec2/vpc:Vpc")).to.equal("aws:ec2/vpc:Vpc");
    const e = estimateIdleCost([res("azure-native:network/v20240301:PrivateEndpoint", "pe")]);
    expect(e.components[0]).to.include({
      rateId: "azure.privateEndpoint.hour",
      resourceType: "azure-native:network/v20240301:PrivateEndpoint",
    });
  });

  it("keeps free list entries and mappers disjoint, and matches modules and packages in the free list", () => {
    for (const type of MAPPER_BY_TYPE.keys()) expect(FREE_TYPES[type], type).to.be.undefined;
    expect(freeType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")?.billing).to.equal("none");
    expect(freeType("random:index/randomPet:RandomPet")?.billing).to.equal("none");
    expect(freeType("aws:iamx/thing:Thing")).to.be.undefined;
    expect(freeType("aws:ec2/instance:Instance")).to.be.undefined;
  });

  it("never throws: a mapper failing on odd input reports its resource as not priced, the rest is still priced", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("value unknown during preview");
        },
      },
    );
    const e = estimateIdleCost([
      res("aws:ec2/vpcEndpoint:VpcEndpoint", "odd", hostile as Record<string, unknown>),
      res("aws:kms/key:Key", "key", { enableKeyRotation: false }),
      { type: 42, name: "bad" } as unknown as PlannedResource,
      null as unknown as PlannedResource,
      res("azure-native:network:PrivateEndpoint", "pe", null as unknown as Record<string, unknown>),
    ]);
    expect(e.notPriced).to.have.length(1);
    expect(e.notPriced[0]).to.include({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", count: 1 });
    expect(e.notPriced[0].reason).to.match(/the cost mapper failed on this resource: value unknown during preview/);
    expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("aws.kms.key", 1) + monthlyOf("azure.privateEndpoint.hour", 1), 0.005);
    expect(() => estimateIdleCost(undefined as unknown as PlannedResource[])).not.to.throw();
  });

  it("reads every unknown sentinel the policy runtime uses as unknown", () => {
    for (const s of UNKNOWN_SENTINELS) expect(UNKNOWN_MARKERS.has(s), s).to.equal(true);
    expect(UNKNOWN_MARKERS.has("<unknown>")).to.equal(true);
  });

  it("sorts fixed components largest first, usage components after, and totals to the cent", () => {
    const e = estimateIdleCost([
      res("aws:kms/key:Key", "key", { enableKeyRotation: true }),
      res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
      res("aws:ec2/natGateway:NatGateway", "nat", {}),
    ]);
    const kinds = e.components.map((c) => c.kind);
    expect(kinds.indexOf("usage")).to.be.greaterThan(kinds.lastIndexOf("fixed"));
    const fixedMonthly = e.components.filter((c) => c.kind === "fixed").map((c) => c.monthly);
    expect(fixedMonthly).to.deep.equal([...fixedMonthly].sort((a, b) => b - a));
    const expected =
      monthlyOf("aws.nat.hour", 1) + monthlyOf("aws.vpce.interface", 2) + monthlyOf("aws.kms.key", 1) + monthlyOf("aws.kms.rotation", 2);
    expect(e.idleMonthlyUsd).to.equal(Math.round(expected * 100) / 100);
  });

  it("notes the region basis when the stack runs elsewhere", () => {
    const endpoint = res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a"] });
    expect(estimateIdleCost([endpoint], { region: "eu-west-1" }).notes.join("\n")).to.match(
      /us-east-1 list prices; eu-west-1 may be priced higher/,
    );
    expect(estimateIdleCost([endpoint], { region: "us-east-1" }).notes).to.be.empty;
    const detected = estimateIdleCost([res("pulumi:providers:aws", "default", { region: "ap-south-1" }), endpoint]);
    expect(detected.region).to.equal("ap-south-1");
    const pe = res("azure-native:network:PrivateEndpoint", "pe");
    expect(estimateIdleCost([pe], { region: "westeurope" }).notes.join("\n")).to.match(/East US list prices; westeurope/);
  });

  it("produces plain JSON that matches the published schema (cost/schema.json)", () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(COST_ESTIMATE_SCHEMA);
    const e = estimateIdleCost(
      [
        res("aws:kms/key:Key", "key", { enableKeyRotation: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", {}),
        res("aws:sagemaker/notebookInstance:NotebookInstance", "nb"),
        { type: "azure-native:network:PrivateEndpoint", name: "no-urn", inputs: {} },
      ],
      { region: "eu-west-1" },
    );
    const roundTripped = JSON.parse(JSON.stringify(e));
    expect(roundTripped).to.deep.equal(e);
    expect(validate(roundTripped), JSON.stringify(validate.errors)).to.equal(true);
    // The schema is strict: an extra or missing property fails.
    expect(validate({ ...roundTripped, extra: 1 })).to.equal(false);
    const { idleMonthlyUsd: _omit, ...missing } = roundTripped;
    expect(validate(missing)).to.equal(false);
  });
});
