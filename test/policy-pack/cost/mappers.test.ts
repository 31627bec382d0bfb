/**
 * Every mapper against the rate table: which rate it bills, how many units
 * (AZs x hours, keys, days, rotations) and the monthly amount, computed from
 * the table. Inputs that are unknown (preview), missing or odd never throw:
 * the resource is still counted and the quantity is marked assumed.
 */
import { expect } from "chai";
import { unknown } from "../harness";
import { MAPPERS, RATES } from "../../../policy-pack/cost";
import { fixed, monthlyOf, one, quantityOf, usage } from "./expect-cost";

const UNKNOWN = unknown();

describe("cost mappers", () => {
  it("name only rates that exist in the table (every mapper on empty and odd inputs)", () => {
    const odd: Record<string, unknown>[] = [
      {},
      { properties: 7, sku: "x", subnetIds: "nope" },
      { vpcEndpointType: "Interface", properties: { kty: "RSA-HSM" } },
    ];
    for (const m of MAPPERS) {
      for (const type of m.types) {
        for (const inputs of odd) {
          const res = m.map({ type, name: "x", inputs });
          if (res.kind === "priced") for (const d of res.components) expect(RATES.rates[d.rateId], `${type} -> ${d.rateId}`).to.exist;
        }
      }
    }
  });

  describe("aws:kms/key:Key", () => {
    it("bills the key and, with rotation on, its steady state of two billed rotations", () => {
      const e = one("aws:kms/key:Key", { enableKeyRotation: true, rotationPeriodInDays: 180 });
      const [rotation, key] = fixed(e);
      expect(key).to.include({ rateId: "aws.kms.key", quantity: 1, unit: "key-month", kind: "fixed" });
      expect(key.monthly).to.be.closeTo(monthlyOf("aws.kms.key", 1), 1e-9);
      expect(rotation).to.include({ rateId: "aws.kms.rotation", quantity: 2 });
      expect(rotation.monthly).to.be.closeTo(monthlyOf("aws.kms.rotation", 2), 1e-9);
      expect(rotation.component).to.contain("every 180 d");
      expect(rotation.detail).to.match(/from day 360/);
      expect(e.idleMonthlyUsd).to.equal(3);
      expect(usage(e).map((c) => c.rateId)).to.deep.equal(["aws.kms.requests"]);
      expect(usage(e)[0]).to.include({ quantity: 0, monthly: 0 });
    });

    it("bills no surcharge without rotation (off or not set: the provider default is off)", () => {
      for (const inputs of [{ enableKeyRotation: false }, {}]) {
        const e = one("aws:kms/key:Key", inputs);
        expect(fixed(e).map((c) => c.rateId)).to.deep.equal(["aws.kms.key"]);
        expect(e.idleMonthlyUsd).to.equal(monthlyOf("aws.kms.key", 1));
      }
    });

    it("assumes rotation on when it is unknown, and says so", () => {
      const e = one("aws:kms/key:Key", { enableKeyRotation: UNKNOWN });
      const rotation = fixed(e).find((c) => c.rateId === "aws.kms.rotation");
      expect(rotation?.assumed).to.match(/enableKeyRotation.*not known yet.*assumed rotation on/);
      expect(rotation?.component).to.contain("every 365 d");
      expect(e.notes.join("\n")).to.contain("assumed rotation on");
    });

    it("bills an imported-material key (ExternalKey) per key-month", () => {
      const e = one("aws:kms/externalKey:ExternalKey", {});
      expect(fixed(e).map((c) => c.rateId)).to.deep.equal(["aws.kms.key"]);
    });
  });

  describe("aws:ec2/vpcEndpoint:VpcEndpoint", () => {
    it("bills an interface endpoint per AZ: one per subnet, 730 h each", () => {
      for (const azs of [1, 2, 3]) {
        const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", {
          vpcEndpointType: "Interface",
          serviceName: "com.amazonaws.eu-west-1.sagemaker.api",
          subnetIds: Array.from({ length: azs }, (_, i) => `subnet-${i}`),
        });
        const [c] = fixed(e);
        expect(c).to.include({ rateId: "aws.vpce.interface", unit: "endpoint-AZ-hour", quantity: quantityOf("aws.vpce.interface", azs) });
        expect(c.monthly).to.be.closeTo(monthlyOf("aws.vpce.interface", azs), 1e-9);
        expect(c.component).to.equal(`interface endpoint sagemaker.api in ${azs} AZ${azs === 1 ? "" : "s"}`);
        expect(c.assumed).to.be.undefined;
        expect(usage(e).map((u) => u.rateId)).to.deep.equal(["aws.vpce.interface.data"]);
      }
      // The figure: about $7.30 per endpoint-AZ.
      expect(monthlyOf("aws.vpce.interface", 1)).to.be.closeTo(7.3, 1e-9);
    });

    it("counts AZs from unknown subnet ids (preview) by the list length", () => {
      const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds: [UNKNOWN, UNKNOWN] });
      expect(fixed(e)[0].quantity).to.equal(quantityOf("aws.vpce.interface", 2));
    });

    it("assumes 1 AZ when the subnet list is unknown or missing, and marks it", () => {
      for (const subnetIds of [UNKNOWN, undefined, "subnet-1"]) {
        const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds });
        const [c] = fixed(e);
        expect(c.quantity).to.equal(quantityOf("aws.vpce.interface", 1));
        expect(c.assumed).to.match(/subnetIds.*assumed 1 AZ/);
      }
    });

    it("falls back to subnetConfigurations for the AZ count", () => {
      const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", {
        vpcEndpointType: "Interface",
        subnetConfigurations: [{ subnetId: "a" }, { subnetId: "b" }],
      });
      expect(fixed(e)[0].quantity).to.equal(quantityOf("aws.vpce.interface", 2));
    });

    it("lists gateway endpoints (explicit or the default type) as free", () => {
      for (const inputs of [
        { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-west-1.s3" },
        { serviceName: "com.amazonaws.eu-west-1.dynamodb" },
      ]) {
        const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", inputs);
        expect(e.components).to.be.empty;
        expect(e.free).to.deep.equal([
          { type: "aws:ec2/vpcEndpoint:VpcEndpoint", count: 1, billing: "none", note: "gateway endpoints (S3, DynamoDB) have no charge" },
        ]);
      }
    });

    it("reports other endpoint types as not priced, never zero", () => {
      const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "GatewayLoadBalancer" }, "gwlb");
      expect(e.components).to.be.empty;
      expect(e.incomplete).to.equal(true);
      expect(e.notPriced).to.deep.equal([
        {
          type: "aws:ec2/vpcEndpoint:VpcEndpoint (GatewayLoadBalancer)",
          count: 1,
          resources: ["gwlb"],
          reason: "GatewayLoadBalancer endpoints are not in the rate table",
        },
      ]);
    });

    it("assumes an Interface endpoint when the type is unknown", () => {
      const e = one("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: UNKNOWN, subnetIds: ["a", "b"] });
      expect(fixed(e)[0]).to.include({ rateId: "aws.vpce.interface", quantity: quantityOf("aws.vpce.interface", 2) });
      expect(fixed(e)[0].assumed).to.match(/assumed Interface/);
    });
  });

  it("aws:ec2/vpcEndpointSubnetAssociation: one more endpoint-AZ", () => {
    const e = one("aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation", { vpcEndpointId: "vpce-1", subnetId: "subnet-3" });
    expect(fixed(e)[0]).to.include({ rateId: "aws.vpce.interface", quantity: quantityOf("aws.vpce.interface", 1) });
    expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("aws.vpce.interface", 1), 0.005);
  });

  describe("aws:ec2/natGateway:NatGateway", () => {
    it("bills a zonal NAT gateway (public or private) 730 h, plus data processed as usage", () => {
      for (const connectivityType of [undefined, "private"]) {
        const e = one("aws:ec2/natGateway:NatGateway", { subnetId: "subnet-1", connectivityType });
        expect(fixed(e)[0]).to.include({
          rateId: "aws.nat.hour",
          quantity: quantityOf("aws.nat.hour", 1),
          component: `${connectivityType ?? "public"} NAT gateway`,
        });
        expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("aws.nat.hour", 1), 0.005);
        expect(usage(e).map((c) => c.rateId)).to.deep.equal(["aws.nat.data"]);
      }
      expect(monthlyOf("aws.nat.hour", 1)).to.be.closeTo(32.85, 1e-9);
    });

    it("bills a regional NAT gateway per listed AZ, and assumes 1 AZ in auto mode", () => {
      const manual = one("aws:ec2/natGateway:NatGateway", { availabilityMode: "regional", availabilityZoneAddresses: [{}, {}, {}] });
      expect(fixed(manual)[0].quantity).to.equal(quantityOf("aws.nat.hour", 3));
      const auto = one("aws:ec2/natGateway:NatGateway", { availabilityMode: "regional" });
      expect(fixed(auto)[0].quantity).to.equal(quantityOf("aws.nat.hour", 1));
      expect(fixed(auto)[0].assumed).to.match(/assumed 1 AZ/);
    });
  });

  it("aws:ec2/eip:Eip: one public IPv4 address, hourly", () => {
    const e = one("aws:ec2/eip:Eip", { domain: "vpc" });
    expect(fixed(e)[0]).to.include({ rateId: "aws.ipv4.public", unit: "address-hour", quantity: quantityOf("aws.ipv4.public", 1) });
    expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("aws.ipv4.public", 1), 0.005);
  });

  it("azure-native:network:PrivateEndpoint: hourly per endpoint, named by its group id", () => {
    const e = one("azure-native:network:PrivateEndpoint", { privateLinkServiceConnections: [{ groupIds: ["blob"] }] });
    expect(fixed(e)[0]).to.include({
      rateId: "azure.privateEndpoint.hour",
      component: "private endpoint (blob)",
      quantity: quantityOf("azure.privateEndpoint.hour", 1),
    });
    expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf("azure.privateEndpoint.hour", 1), 0.005);
    expect(usage(e).map((c) => c.rateId)).to.deep.equal(["azure.privateEndpoint.data"]);
    const unnamed = one("azure-native:network:PrivateEndpoint", { privateLinkServiceConnections: UNKNOWN });
    expect(fixed(unnamed)[0].component).to.equal("private endpoint");
  });

  it("private DNS zones (privatedns and network modules, any API version): monthly per zone", () => {
    for (const type of [
      "azure-native:privatedns:PrivateZone",
      "azure-native:network:PrivateZone",
      "azure-native:network/v20240601:PrivateZone",
    ]) {
      const e = one(type, { privateZoneName: "privatelink.blob.core.windows.net" });
      expect(fixed(e)[0]).to.include({
        rateId: "azure.privateDnsZone",
        quantity: 1,
        component: "private DNS zone privatelink.blob.core.windows.net",
      });
      expect(e.idleMonthlyUsd).to.equal(monthlyOf("azure.privateDnsZone", 1));
    }
  });

  describe("azure-native:containerregistry:Registry", () => {
    it("bills the daily rate of its SKU over 730/24 days", () => {
      for (const [sku, rateId] of [
        ["Basic", "azure.acr.basic"],
        ["Standard", "azure.acr.standard"],
        ["Premium", "azure.acr.premium"],
      ]) {
        const e = one("azure-native:containerregistry:Registry", { sku: { name: sku } });
        expect(fixed(e)[0]).to.include({ rateId, unit: "registry-day" });
        expect(fixed(e)[0].quantity).to.be.closeTo(quantityOf(rateId, 1), 1e-6);
        expect(e.idleMonthlyUsd).to.be.closeTo(monthlyOf(rateId, 1), 0.005);
      }
    });

    it("assumes Premium (the costliest) when the SKU is unknown, and reports an unknown SKU name", () => {
      const e = one("azure-native:containerregistry:Registry", { sku: UNKNOWN });
      expect(fixed(e)[0].rateId).to.equal("azure.acr.premium");
      expect(fixed(e)[0].assumed).to.match(/sku\.name.*assumed Premium/);
      const odd = one("azure-native:containerregistry:Registry", { sku: { name: "Classic" } });
      expect(odd.notPriced[0]).to.include({ type: "azure-native:containerregistry:Registry (Classic)", count: 1 });
    });

    it("bills each geo-replica at the Premium rate", () => {
      const e = one("azure-native:containerregistry:Replication", { location: "northeurope" });
      expect(fixed(e)[0]).to.include({ rateId: "azure.acr.premium", component: "registry geo-replica in northeurope (Premium)" });
    });
  });

  describe("azure-native:keyvault:Key", () => {
    const rotate = (trigger: Record<string, string>, attributes?: Record<string, string>) => ({
      rotationPolicy: {
        attributes,
        lifetimeActions: [
          { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          { action: { type: "Rotate" }, trigger },
        ],
      },
    });

    it("bills no key-month for a software key; a rotation policy is billed per scheduled rotation", () => {
      const e = one("azure-native:keyvault:Key", { properties: { kty: "RSA", keySize: 3072, ...rotate({ timeAfterCreate: "P180D" }) } });
      expect(fixed(e).map((c) => c.rateId)).to.deep.equal(["azure.keyvault.rotation"]);
      const perMonth = 730 / 24 / 180;
      expect(fixed(e)[0].quantity).to.be.closeTo(perMonth, 1e-6);
      expect(fixed(e)[0].monthly).to.be.closeTo(monthlyOf("azure.keyvault.rotation", perMonth), 1e-6);
      expect(fixed(e)[0].component).to.equal("automated rotation every 180 d");
    });

    it("lists a software key without rotation as free (per-operation billing only)", () => {
      const e = one("azure-native:keyvault:Key", { properties: { kty: "EC", curveName: "P-256" } });
      expect(e.components).to.be.empty;
      expect(e.free[0]).to.include({ type: "azure-native:keyvault:Key", billing: "usage" });
    });

    it("bills HSM keys per key-month: RSA 2048 at one rate, RSA 3072/4096 and EC at the advanced rate", () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ kty: "RSA-HSM" }, "azure.keyvault.hsmKey.rsa2048"],
        [{ kty: "RSA-HSM", keySize: 2048 }, "azure.keyvault.hsmKey.rsa2048"],
        [{ kty: "RSA-HSM", keySize: 3072 }, "azure.keyvault.hsmKey.advanced"],
        [{ kty: "RSA-HSM", keySize: 4096 }, "azure.keyvault.hsmKey.advanced"],
        [{ kty: "EC-HSM", curveName: "P-384" }, "azure.keyvault.hsmKey.advanced"],
      ];
      for (const [properties, rateId] of cases) {
        const e = one("azure-native:keyvault:Key", { properties });
        expect(
          fixed(e).map((c) => c.rateId),
          JSON.stringify(properties),
        ).to.deep.equal([rateId]);
        expect(e.idleMonthlyUsd).to.equal(monthlyOf(rateId, 1));
        expect(usage(e).map((c) => c.rateId)).to.deep.equal(["azure.keyvault.operations"]);
      }
    });

    it("reads the rotation interval from timeBeforeExpiry and the policy's expiry time", () => {
      const e = one("azure-native:keyvault:Key", {
        properties: { kty: "RSA-HSM", keySize: 3072, ...rotate({ timeBeforeExpiry: "P30D" }, { expiryTime: "P1Y" }) },
      });
      const r = fixed(e).find((c) => c.rateId === "azure.keyvault.rotation");
      expect(r?.component).to.equal("automated rotation every 335 d");
      expect(r?.quantity).to.be.closeTo(730 / 24 / 335, 1e-6);
    });

    it("assumes 365 days when a rotate action's interval cannot be read, and an HSM key when kty is unknown", () => {
      const e = one("azure-native:keyvault:Key", { properties: { kty: UNKNOWN, ...rotate({ timeAfterCreate: "soon" }) } });
      const byRate = Object.fromEntries(fixed(e).map((c) => [c.rateId, c]));
      expect(byRate["azure.keyvault.hsmKey.advanced"].assumed).to.match(/`kty` is not known yet.*assumed an HSM-protected/);
      expect(byRate["azure.keyvault.rotation"].assumed).to.match(/assumed 365 days/);
      expect(byRate["azure.keyvault.rotation"].quantity).to.be.closeTo(730 / 24 / 365, 1e-6);
    });

    it("reads the settings from the outputs too (flattened, as a stack policy sees them after an update)", () => {
      const e = one("azure-native:keyvault:Key", {
        kty: "RSA-HSM",
        keySize: 4096,
        keyUri: "https://v.vault.azure.net/keys/k",
        ...rotate({ timeAfterCreate: "P1Y" }),
      });
      expect(fixed(e).map((c) => c.rateId)).to.deep.equal(["azure.keyvault.hsmKey.advanced", "azure.keyvault.rotation"]);
      expect(fixed(e)[1].component).to.equal("automated rotation every 365 d");
      const unknownProps = one("azure-native:keyvault:Key", { properties: UNKNOWN });
      expect(fixed(unknownProps)[0].assumed).to.match(/`kty` is not known yet/);
    });

    it("reports oct-HSM (Managed HSM) keys as not priced", () => {
      const e = one("azure-native:keyvault:Key", { properties: { kty: "oct-HSM" } });
      expect(e.notPriced[0].type).to.equal("azure-native:keyvault:Key (oct-HSM)");
    });
  });

  it("azure-native:network:NatGateway and PublicIPAddress: hourly", () => {
    const nat = one("azure-native:network:NatGateway", {});
    expect(fixed(nat)[0]).to.include({ rateId: "azure.nat.hour", quantity: quantityOf("azure.nat.hour", 1) });
    expect(usage(nat).map((c) => c.rateId)).to.deep.equal(["azure.nat.data"]);
    const ip = one("azure-native:network:PublicIPAddress", { sku: { name: "Standard" } });
    expect(fixed(ip)[0]).to.include({ rateId: "azure.publicIp.standard", quantity: quantityOf("azure.publicIp.standard", 1) });
    expect(one("azure-native:network:PublicIPAddress", { sku: { name: "Standard", tier: "Global" } }).notPriced[0].type).to.match(
      /\(Global\)$/,
    );
  });

  it("azure-native:machinelearningservices:Compute: nothing idle when it scales to zero (its node-hour price as a usage component), not priced when nodes idle or for instances", () => {
    const cluster = (min: unknown, vmSize = "STANDARD_DS3_V2") =>
      one("azure-native:machinelearningservices:Compute", {
        properties: { computeType: "AmlCompute", properties: { vmSize, scaleSettings: { minNodeCount: min, maxNodeCount: 4 } } },
      });
    const cpu = cluster(0);
    expect(fixed(cpu)).to.deep.equal([]);
    expect(usage(cpu)).to.have.length(1);
    expect(usage(cpu)[0]).to.include({ rateId: "azure.vm.Standard_DS3_v2", quantity: 0, monthly: 0 });
    expect(usage(cpu)[0].detail).to.include("$0.293/node-hour").and.include("up to 4 node(s) = $1.17/hour");
    expect(usage(cluster(undefined, "Standard_NC4as_T4_v3"))[0]).to.include({ rateId: "azure.vm.Standard_NC4as_T4_v3", monthly: 0 });
    expect(cluster(0, "Standard_HB120rs_v3").free[0]).to.include({ billing: "usage" });
    expect(cluster(0, "Standard_HB120rs_v3").free[0].note).to.include("not in the rate table");
    expect(cluster(2).notPriced[0].reason).to.match(/keeps 2 node\(s\) running/);
    expect(cluster(UNKNOWN).notPriced[0].reason).to.match(/not known yet/);
    const instance = one("azure-native:machinelearningservices:Compute", { properties: { computeType: "ComputeInstance" } });
    expect(instance.notPriced[0].type).to.equal("azure-native:machinelearningservices:Compute (ComputeInstance)");
  });

  it("azure-native:operationalinsights:Workspace: usage, unless a commitment tier", () => {
    expect(one("azure-native:operationalinsights:Workspace", { sku: { name: "PerGB2018" } }).free[0]).to.include({ billing: "usage" });
    expect(one("azure-native:operationalinsights:Workspace", { sku: { name: "CapacityReservation" } }).notPriced).to.have.length(1);
  });
});
