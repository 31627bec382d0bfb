/**
 * The Azure ML workspace's managed network: the private endpoints Azure ML
 * creates for its required rules and added private-endpoint rules (Private
 * Link), and the Azure Firewall an FQDN rule brings (Standard by default).
 */
import { expect } from "chai";
import { unknown } from "../../harness";
import { fixed, monthlyOf, one } from "../expect-cost";

const UNKNOWN = unknown();
const TYPE = "azure-native:machinelearningservices:Workspace";
const approved = (extra: Record<string, unknown> = {}) => ({ managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", ...extra } });

describe("cost mapper azure-native:machinelearningservices:Workspace", () => {
  it("is free without a managed network", () => {
    expect(one(TYPE, {}).idleMonthlyUsd).to.equal(0);
    expect(one(TYPE, { managedNetwork: { isolationMode: "Disabled" } }).idleMonthlyUsd).to.equal(0);
  });
  it("bills the four required private endpoints of an approved-outbound managed network ($29.20)", () => {
    const e = one(TYPE, approved());
    const [pe] = fixed(e);
    expect(pe).to.include({ rateId: "azure.privateEndpoint.hour", quantity: 4 * 730 });
    expect(pe.component).to.contain("workspace, vault, storage blob and file");
    expect(e.idleMonthlyUsd).to.equal(29.2);
  });
  it("adds the registry's endpoint and each private-endpoint rule", () => {
    const e = one(TYPE, {
      containerRegistry: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r",
      ...approved({ outboundRules: { data: { type: "PrivateEndpoint" }, tag: { type: "ServiceTag" } } }),
    });
    expect(fixed(e)[0].quantity).to.equal(6 * 730);
  });
  it("adds a Standard Azure Firewall for FQDN rules, or Basic when chosen", () => {
    const std = one(TYPE, approved({ outboundRules: { pypi: { type: "FQDN", destination: "pypi.org" } } }));
    const fw = fixed(std).find((c) => c.rateId === "azure.firewall.standard")!;
    expect(fw.monthly).to.be.closeTo(monthlyOf("azure.firewall.standard", 1), 1e-9);
    expect(fw.assumed).to.match(/Standard by default/);
    expect(std.idleMonthlyUsd).to.equal(941.7);
    const basic = one(TYPE, approved({ firewallSku: "Basic", outboundRules: { pypi: { type: "FQDN" } } }));
    expect(fixed(basic).map((c) => c.rateId)).to.include("azure.firewall.basic");
    expect(basic.idleMonthlyUsd).to.equal(317.55);
  });
  it("does not guess an unknown isolation mode, and marks unknown rules as assumed", () => {
    expect(one(TYPE, { managedNetwork: { isolationMode: UNKNOWN } }).notPriced).to.have.length(1);
    const e = one(TYPE, approved({ outboundRules: UNKNOWN }));
    expect(fixed(e)[0].assumed).to.match(/not known yet/);
  });
});
