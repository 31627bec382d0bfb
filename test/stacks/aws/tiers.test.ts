/**
 * The prod stack differs from dev only where the config says so: the AZ
 * count (one more subnet and route-table association), the interface
 * endpoints, the protections of data stores and key, the key's deletion
 * window and the log retention. Both recordings are normalised (the
 * stack and environment names, the VPC and subnet CIDRs, the tag set and the ids the
 * mocks derive from names are replaced by placeholders), then compared
 * resource by resource, input by input, option by option.
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import type { Recording } from "../../../engine/recorder";
import type { AwsStackConfig } from "../../../stacks/config";
import { privateSubnetCidrs, interfaceEndpointLogicalName } from "../../../stacks/aws/network";
import { configOf, envName, T } from "./helpers";

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as any)[k])]),
    );
  return v;
}

/** Replaces everything that legitimately differs by name or by network address with placeholders. */
function normaliser(config: AwsStackConfig): (v: unknown) => unknown {
  const env = envName(config);
  const subnets = privateSubnetCidrs(config.vpcCidr, config.azCount);
  const norm = (v: unknown): unknown => {
    if (isDeepEqual(v, config.tags)) return "<tags>";
    if (typeof v === "string") {
      if (v.startsWith("{")) {
        try {
          return JSON.stringify(norm(JSON.parse(v)));
        } catch {
          /* not JSON: a plain string */
        }
      }
      let s = v
        .split(`urn:pulumi:${config.stack}::`)
        .join("urn:pulumi:<stack>::")
        .split(`Stack::${config.project}-${config.stack}`)
        .join("Stack::<project>-<stack>")
        .split(env)
        .join("<env>");
      subnets.forEach((c, i) => (s = s.split(c).join(`<subnet-${i}>`)));
      s = s.split(config.vpcCidr).join("<vpc-cidr>");
      s = s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>").replace(/[0-9a-f]{7,}/g, "<hex>");
      return s;
    }
    if (Array.isArray(v)) {
      // Lists of per-AZ ids collapse to one entry: the AZ count shows as extra resources, not as list lengths.
      const out: unknown[] = [];
      for (const e of v.map(norm)) if (!out.some((o) => isDeepEqual(o, e))) out.push(e);
      return out;
    }
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return norm;
}

interface Normalised {
  readonly key: string;
  readonly inputs: unknown;
  readonly parent: unknown;
  readonly protect: boolean;
  readonly otherOptions: unknown;
}

function normalise(rec: Recording, config: AwsStackConfig): Map<string, Normalised> {
  const norm = normaliser(config);
  const out = new Map<string, Normalised>();
  for (const r of rec.resources) {
    const key = `${r.type} ${norm(r.name)}`;
    const { protect, ...otherOptions } = r.options;
    expect(out.has(key), `${rec.stack}: two resources normalise to ${key}`).to.equal(false);
    out.set(key, {
      key,
      inputs: norm(r.inputs),
      parent: norm(r.parent ?? null),
      protect: protect === true,
      otherOptions: norm(otherOptions),
    });
  }
  return out;
}

/** Paths where two normalised values differ. */
function diffPaths(a: unknown, b: unknown, path = ""): string[] {
  if (isDeepEqual(a, b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [path || "(value)"];
}

describe("aws: prod differs from dev only where the config says so", () => {
  const dev = configOf("dev");
  const prod = configOf("prod");
  let devRec: Recording;
  let prodRec: Recording;
  let d: Map<string, Normalised>;
  let p: Map<string, Normalised>;
  before(async () => {
    devRec = await runStack("dev");
    prodRec = await runStack("prod");
    d = normalise(devRec, dev);
    p = normalise(prodRec, prod);
  });

  it("the two stack files differ in the expected keys", () => {
    expect(prod.azCount).to.be.greaterThan(dev.azCount);
    expect(prod.interfaceEndpoints.length).to.be.greaterThan(dev.interfaceEndpoints.length);
    expect(dev.interfaceEndpoints.every((e) => prod.interfaceEndpoints.includes(e))).to.equal(true);
    expect(prod.logRetentionDays).to.not.equal(dev.logRetentionDays);
    expect([dev.studio, prod.studio]).to.deep.equal([false, true]);
  });

  it("resources: prod has dev's resources plus one subnet (+ route association) per extra AZ and the extra interface endpoints", () => {
    const placeholder = (c: AwsStackConfig, n: string) => n.split(envName(c)).join("<env>");
    const expectedExtra: string[] = [];
    for (let i = dev.azCount; i < prod.azCount; i++) {
      expectedExtra.push(`${T.subnet} <env>-private-${i + 1}`, `${T.rtAssoc} <env>-private-${i + 1}-rt`);
    }
    for (const e of prod.interfaceEndpoints.filter((x) => !dev.interfaceEndpoints.includes(x))) {
      expectedExtra.push(`${T.vpce} ${placeholder(prod, interfaceEndpointLogicalName(envName(prod), e))}`);
    }
    // The Studio domain and its user profile: prod's studio key is on, dev's off.
    expectedExtra.push(`${T.domain} <env>-domain`, `${T.userProfile} <env>-user`);
    const onlyDev = [...d.keys()].filter((k) => !p.has(k));
    const onlyProd = [...p.keys()].filter((k) => !d.has(k));
    expect(onlyDev, "resources only in dev").to.deep.equal([]);
    expect(onlyProd.sort(), "resources only in prod").to.deep.equal(expectedExtra.sort());
    expect(d.size).to.be.at.least(50);
  });

  it("inputs: only the key's deletion window, the log retention (log group, log bucket expiry) and forceDestroy (dev) differ", () => {
    const diffs: string[] = [];
    for (const [key, a] of d) {
      const b = p.get(key)!;
      for (const path of diffPaths(a.inputs, b.inputs)) diffs.push(`${key}: ${path}`);
      if (!isDeepEqual(a.parent, b.parent)) diffs.push(`${key}: parent`);
      if (!isDeepEqual(a.otherOptions, b.otherOptions)) diffs.push(`${key}: options`);
    }
    expect(diffs.sort()).to.deep.equal(
      [
        `${T.key} <env>-key: deletionWindowInDays`,
        `${T.logGroup} <env>-flow-logs: retentionInDays`,
        `${T.lifecycle} <env>-logs-lifecycle: rules.1.expiration.days`,
        ...["data", "artifacts", "logs"].map((k) => `${T.bucket} <env>-${k}: forceDestroy`),
      ].sort(),
    );
    for (const k of ["data", "artifacts", "logs"]) {
      expect((d.get(`${T.bucket} <env>-${k}`)!.inputs as any).forceDestroy, `dev ${k}`).to.equal(true);
      expect((p.get(`${T.bucket} <env>-${k}`)!.inputs as any).forceDestroy, `prod ${k}`).to.equal(false);
    }
    const value = (m: Map<string, Normalised>, k: string) => m.get(k)!.inputs as any;
    expect(value(d, `${T.key} <env>-key`).deletionWindowInDays).to.equal(7);
    expect(value(p, `${T.key} <env>-key`).deletionWindowInDays).to.equal(30);
    expect(value(d, `${T.logGroup} <env>-flow-logs`).retentionInDays).to.equal(dev.logRetentionDays);
    expect(value(p, `${T.logGroup} <env>-flow-logs`).retentionInDays).to.equal(prod.logRetentionDays);
  });

  it("options: only prod protects, and exactly the key, the data stores, the flow log group and the Studio domain", () => {
    const protectedIn = (m: Map<string, Normalised>) =>
      [...m.values()]
        .filter((x) => x.protect)
        .map((x) => x.key)
        .sort();
    expect(protectedIn(d)).to.deep.equal([]);
    expect(protectedIn(p)).to.deep.equal(
      [
        `${T.key} <env>-key`,
        `${T.alias} <env>-key-alias`,
        `${T.logGroup} <env>-flow-logs`,
        ...["data", "artifacts", "logs"].flatMap((k) => [`${T.bucket} <env>-${k}`, `${T.versioning} <env>-${k}-versioning`]),
        `${T.domain} <env>-domain`,
        `${T.userProfile} <env>-user`,
      ].sort(),
    );
  });

  it("the normalisation is not blind: a changed input in prod would show up", () => {
    const key = `${T.bucket} <env>-data`;
    const mutated = { ...(p.get(key)!.inputs as object), forceDestroy: true, tags: {} };
    expect(diffPaths(d.get(key)!.inputs, mutated)).to.deep.equal(["tags"]);
    const ep = [...p.values()].find((x) => x.key.includes("vpce-sagemaker-api"))!;
    expect(diffPaths(ep.inputs, { ...(ep.inputs as object), privateDnsEnabled: false })).to.deep.equal(["privateDnsEnabled"]);
  });
});
