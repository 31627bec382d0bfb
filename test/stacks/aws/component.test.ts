/**
 * The AWS component as a whole: one explicit provider (region, default
 * tags) used by every child; every taggable resource carries the four tags
 * itself (C10); every child's parent chain reaches the component; every
 * physical name is valid after Pulumi's suffix; the stack outputs are the
 * real values of the resources; prod data stores and the key are protected
 * and nothing is in dev (C9).
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { MOCK_AWS_ACCOUNT } from "../../../engine/recorder/mocks";
import { AWS_STACKS, T, configOf, envName, named, one } from "./helpers";
import { NAME_RULES, NameKind, nameProblem } from "../../../stacks/naming";
import { OUTPUT_PREFIX } from "../../../stacks/aws/iam";

/** Whether the installed SDK class of `type` takes a `tags` input (read from the class, not from a list). */
function isTaggable(type: string): boolean {
  const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (!m) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cls = (require(`@pulumi/aws/${m[1]}/${m[2]}`) as Record<string, unknown>)[m[3]];
  return typeof cls === "function" && Function.prototype.toString.call(cls).includes('resourceInputs["tags"]');
}

/** Where each AWS type keeps its physical name, and the rule it must meet. */
const PHYSICAL_NAMES: Record<string, { kind: NameKind; from: "inputs" | "outputs"; prop: string; autoNamed: boolean }> = {
  [T.bucket]: { kind: "s3Bucket", from: "outputs", prop: "bucket", autoNamed: true },
  [T.role]: { kind: "iamRole", from: "outputs", prop: "name", autoNamed: true },
  [T.policy]: { kind: "iamPolicy", from: "outputs", prop: "name", autoNamed: true },
  [T.rolePolicy]: { kind: "iamPolicy", from: "outputs", prop: "name", autoNamed: true },
  [T.logGroup]: { kind: "cloudwatchLogGroup", from: "outputs", prop: "name", autoNamed: true },
  [T.sg]: { kind: "ec2SecurityGroup", from: "outputs", prop: "name", autoNamed: true },
  [T.alias]: { kind: "kmsAlias", from: "inputs", prop: "name", autoNamed: false },
  [T.domain]: { kind: "sagemakerDomain", from: "inputs", prop: "domainName", autoNamed: false },
  [T.userProfile]: { kind: "sagemakerUserProfile", from: "inputs", prop: "userProfileName", autoNamed: false },
};

/** Types whose only name is the `Name` tag or an AWS-generated id. */
const NO_PHYSICAL_NAME = new Set<string>([
  T.sse,
  T.pab,
  T.ownership,
  T.versioning,
  T.lifecycle,
  T.logging,
  T.bucketPolicy,
  T.key,
  T.vpc,
  T.subnet,
  T.routeTable,
  T.rtAssoc,
  T.vpce,
  T.defaultSg,
  T.ingress,
  T.egress,
  T.flowLog,
]);

function awsCustom(rec: Recording): RecordedResource[] {
  return rec.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
}

function physicalNameChecks(label: string, stack: string, overrides: Record<string, string> = {}): void {
  it(`physical names are valid for their cloud rules after Pulumi's suffix (${label})`, async () => {
    const rec = await runStack(stack, overrides);
    for (const r of awsCustom(rec)) {
      const spec = PHYSICAL_NAMES[r.type];
      if (!spec) {
        expect(NO_PHYSICAL_NAME.has(r.type), `${r.urn}: type ${r.type} has no naming rule in this test`).to.equal(true);
        continue;
      }
      const physical = (spec.from === "inputs" ? r.inputs : r.outputs)[spec.prop];
      const rule = NAME_RULES[spec.kind];
      expect(physical, `${r.urn}: ${spec.prop}`).to.be.a("string");
      expect(physical.length, `${r.urn}: "${physical}" length`).to.be.within(rule.min, rule.max);
      expect(rule.pattern.test(physical), `${r.urn}: "${physical}" ${rule.allowed}`).to.equal(true);
      if (spec.autoNamed) {
        expect(physical, `${r.urn}: auto-named from its logical name`).to.match(new RegExp(`^${r.name}-[0-9a-f]{7}$`));
        expect(nameProblem(spec.kind, r.name), r.urn).to.equal(undefined);
      }
    }
  });
}

for (const stack of AWS_STACKS) {
  describe(`aws ${stack}: component`, () => {
    const config = configOf(stack);
    const name = envName(config);
    let rec: Recording;
    let component: RecordedResource;
    before(async () => {
      rec = await runStack(stack);
      component = one(rec, T.component);
    });

    it("is one secure-ml:aws:TrainingEnvironment named <namePrefix>-<tier>", () => {
      expect(component.name).to.equal(name);
      expect(component.custom).to.equal(false);
    });

    it("uses one explicit provider, child of the component, with the configured region and the tags as default tags", () => {
      const provider = one(rec, T.provider);
      expect(provider.name).to.equal(`${name}-aws`);
      expect(provider.parent, provider.urn).to.equal(component.urn);
      expect(provider.inputs.region, provider.urn).to.equal(config.region);
      expect(JSON.parse(provider.inputs.defaultTags), provider.urn).to.deep.equal({ tags: config.tags });
      for (const r of awsCustom(rec)) {
        expect(r.provider?.startsWith(`${provider.urn}::`), `${r.urn}: provider ${r.provider}`).to.equal(true);
      }
    });

    it("C10: every taggable AWS resource carries environment, project, owner and data-classification itself", () => {
      expect(config.tags).to.have.all.keys("environment", "project", "owner", "data-classification");
      const taggable = awsCustom(rec).filter((r) => isTaggable(r.type));
      expect(taggable.length, "taggable resources found").to.be.at.least(20);
      expect(isTaggable(T.bucket) && !isTaggable(T.sse), "taggability read from the SDK").to.equal(true);
      for (const r of taggable) expect(r.inputs.tags, `${r.urn}: tags`).to.deep.equal(config.tags);
    });

    it("every resource's parent chain reaches the component; names derive from the component name", () => {
      for (const r of rec.resources) {
        if (r.urn === component.urn) continue;
        let p = r.parent;
        const seen = new Set<string>();
        while (p && p !== component.urn && !seen.has(p)) {
          seen.add(p);
          p = rec.resources.find((x) => x.urn === p)?.parent;
        }
        expect(p, `${r.urn}: parent chain`).to.equal(component.urn);
        expect(r.name.startsWith(`${name}-`), `${r.urn}: logical name starts with ${name}-`).to.equal(true);
      }
    });

    it("every resource records where in stacks/aws it is declared (the offline check locates violations by it)", () => {
      expect(component.source?.file, component.urn).to.equal("stacks/program.ts");
      for (const r of rec.resources.filter((x) => x !== component)) {
        expect(r.source?.file, `${r.urn}: source location`).to.match(/^stacks\/aws\/[a-z-]+\.ts$/);
      }
    });

    physicalNameChecks(stack, stack);

    it("exports every shared and AWS output with the real values of the resources", () => {
      const out = rec.outputs!;
      const data = named(rec, T.bucket, `${name}-data`);
      const artifacts = named(rec, T.bucket, `${name}-artifacts`);
      const key = one(rec, T.key);
      const role = named(rec, T.role, `${name}-sagemaker-exec`);
      const expected = {
        cloud: "aws",
        tier: config.tier,
        dataLocation: `s3://${data.outputs.bucket}/`,
        outputLocation: `s3://${artifacts.outputs.bucket}/${OUTPUT_PREFIX}`,
        keyId: key.outputs.arn,
        identityId: role.outputs.arn,
        networkId: one(rec, T.vpc).outputs.id,
        subnetIds: ofType(rec, T.subnet).map((s) => s.outputs.id),
        region: config.region,
        accountId: MOCK_AWS_ACCOUNT,
        roleArn: role.outputs.arn,
        securityGroupIds: [named(rec, T.sg, `${name}-training-sg`).outputs.id],
        kmsKeyArn: key.outputs.arn,
        dataBucket: data.outputs.bucket,
        artifactsBucket: artifacts.outputs.bucket,
        outputPrefix: OUTPUT_PREFIX,
        // A Studio domain only where the stack's studio key is on (prod).
        ...(config.studio ? { domainId: one(rec, T.domain).outputs.id } : {}),
        jobLauncherPolicyArn: one(rec, T.policy).outputs.arn,
      };
      expect(out).to.deep.equal(expected);
      expect(out.keyId).to.match(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\//);
    });

    it(`C9: ${stack === "prod" ? "the key, the buckets, their versioning and the flow log group are protected" : "nothing is protected in dev"}`, () => {
      const protectedNames = rec.resources
        .filter((r) => r.options.protect === true)
        .map((r) => r.name)
        .sort();
      const expected =
        stack === "prod"
          ? [
              `${name}-key`,
              `${name}-key-alias`, // inherits its parent key's protection
              ...["data", "artifacts", "logs"].flatMap((k) => [`${name}-${k}`, `${name}-${k}-versioning`]),
              `${name}-flow-logs`,
              `${name}-domain`, // keeps the users' home volume: torn down by the documented procedure
              `${name}-user`, // inherits its parent domain's protection
            ].sort()
          : [];
      expect(protectedNames).to.deep.equal(expected);
      for (const r of rec.resources) expect(r.options.retainOnDelete, r.urn).to.not.equal(false);
    });
  });
}

describe("aws: names with the longest allowed prefix", () => {
  physicalNameChecks("prod, namePrefix of 8 characters", "prod", { namePrefix: "abcdefgh" });
});
