/**
 * The rate table is data with provenance: every rate has a positive price, a
 * unit, fixed/usage kind, a region basis, an https source and the date it was
 * read; a malformed table is rejected with every problem named. Pins the
 * list prices the issue names, so a silent edit of the data shows up here.
 */
import { expect } from "chai";
import rawTable from "../../../policy-pack/cost/rates.json";
import { loadRateTable, periodsPerMonth, priceText, rate, RATES, unitOf } from "../../../policy-pack/cost";

describe("cost rate table (policy-pack/cost/rates.json)", () => {
  it("loads, in USD with 730 hours a month", () => {
    expect(RATES.currency).to.equal("USD");
    expect(RATES.hoursPerMonth).to.equal(730);
    expect(RATES.basis)
      .to.match(/us-east-1/)
      .and.to.match(/2026-11-23/);
  });

  it("gives every rate a price, unit, kind, region basis, https source and read date", () => {
    const ids = Object.keys(RATES.rates);
    expect(ids.length).to.be.greaterThan(15);
    for (const id of ids) {
      const r = RATES.rates[id];
      expect(r.price, id).to.be.a("number").greaterThan(0);
      expect(r.kind, id).to.be.oneOf(["fixed", "usage"]);
      expect(r.source, id).to.match(/^https:\/\/(aws\.amazon\.com|azure\.microsoft\.com)\//);
      // Read on the basis date, or later for rates added since (never before it).
      expect(r.read, id).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.read >= "2026-11-23", `${id} read ${r.read}`).to.equal(true);
      expect(r.regionBasis, id).to.be.a("string").and.not.empty;
      if (r.kind === "fixed") expect(r.per, id).to.be.oneOf(["hour", "day", "month", "rotation"]);
    }
  });

  it("pins the published list prices the model rests on", () => {
    const prices: Record<string, [number, string]> = {
      "aws.kms.key": [1, "month"],
      "aws.kms.rotation": [1, "month"],
      "aws.vpce.interface": [0.01, "hour"],
      "aws.nat.hour": [0.045, "hour"],
      "aws.ipv4.public": [0.005, "hour"],
      "azure.privateEndpoint.hour": [0.01, "hour"],
      "azure.privateDnsZone": [0.5, "month"],
      "azure.acr.basic": [0.167, "day"],
      "azure.acr.standard": [0.667, "day"],
      "azure.acr.premium": [1.667, "day"],
      "azure.keyvault.hsmKey.rsa2048": [1, "month"],
      "azure.keyvault.hsmKey.advanced": [5, "month"],
      "azure.keyvault.rotation": [1, "rotation"],
      "azure.firewall.standard": [1.25, "hour"],
      "azure.firewall.basic": [0.395, "hour"],
    };
    for (const [id, [price, per]] of Object.entries(prices)) {
      expect(rate(id).price, id).to.equal(price);
      expect(rate(id).per, id).to.equal(per);
      expect(rate(id).kind, id).to.equal("fixed");
    }
    expect(rate("aws.vpce.interface").item).to.equal("endpoint-AZ");
    expect(rate("aws.vpce.interface").regionBasis).to.equal("us-east-1");
  });

  it("turns periods into monthly quantities and units", () => {
    expect(periodsPerMonth("hour")).to.equal(730);
    expect(periodsPerMonth("day")).to.be.closeTo(730 / 24, 1e-9);
    expect(periodsPerMonth("month")).to.equal(1);
    expect(unitOf(rate("aws.vpce.interface"))).to.equal("endpoint-AZ-hour");
    expect(unitOf(rate("azure.acr.premium"))).to.equal("registry-day");
    expect(unitOf(rate("aws.nat.data"))).to.equal("GB");
    expect(priceText(0.5)).to.equal("$0.50");
    expect(priceText(0.005)).to.equal("$0.005");
    expect(priceText(1.667)).to.equal("$1.667");
  });

  it("names an unknown rate id instead of pricing it as zero", () => {
    expect(() => rate("aws.nope")).to.throw(/"aws\.nope" is not in the rate table/);
  });

  it("rejects a table without provenance, listing every problem", () => {
    const bad = JSON.parse(JSON.stringify(rawTable));
    bad.rates["aws.kms.key"].source = "aws.amazon.com/kms/pricing";
    bad.rates["aws.kms.key"].read = "yesterday";
    bad.rates["aws.vpce.interface"].price = 0;
    bad.rates["aws.nat.hour"].kind = "sometimes";
    bad.rates["azure.privateDnsZone"].per = "GB";
    expect(() => loadRateTable(bad))
      .to.throw(Error)
      .with.property("message")
      .that.matches(/rates\.aws\.kms\.key\.source/)
      .and.matches(/rates\.aws\.kms\.key\.read/)
      .and.matches(/rates\.aws\.vpce\.interface\.price/)
      .and.matches(/rates\.aws\.nat\.hour\.kind/)
      .and.matches(/rates\.azure\.privateDnsZone\.per/);
    expect(() => loadRateTable({ currency: "EUR", hoursPerMonth: 0, rates: {} })).to.throw(
      /currency[\s\S]*hoursPerMonth[\s\S]*basis[\s\S]*rates: empty/,
    );
  });
});
