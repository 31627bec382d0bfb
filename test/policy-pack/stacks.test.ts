/**
 * The shipped stacks (AWS dev/prod, Azure dev/prod), recorded under mocks,
 * pass every policy of the pack with the config of their tier: no
 * violation of any level (mandatory, advisory, preview notices). The
 * policies the cloud's stack gives something to judge must have judged it,
 * so a stack that registered nothing cannot pass by accident.
 */
import { expect } from "chai";
import { readProject, readStackFile } from "../../engine/recorder";
import { ROOT, STACKS, runStack } from "../harness";
import { analyzeRecording, describeDiagnostics, loadPackConfig } from "./harness";
import { ALL_POLICIES } from "./pack";

/** Policies a stack of the cloud must have applied: those for resources every environment creates. */
const EXPECTED_APPLIED: Record<"aws" | "azure", RegExp[]> = {
  aws: [
    /^aws-s3-/,
    /^aws-kms-key-(enable|configure)/,
    /^aws-iam-policy-/,
    /^aws-iam-role-configure-trusted-principals$/,
    /^aws-ec2-vpc-enable-flow-logs$/,
    /^aws-sagemaker-domain-/,
    /^aws-sagemaker-execution-role-/,
    /^aws-iam-role-missing-sagemaker-job-permissions$/,
    /^aws-cloudwatch-/,
    /^common-/,
  ],
  azure: [
    /^azure-storage-/,
    /^azure-keyvault-/,
    /^azure-authorization-/,
    /^azure-network-(storage-account|key-vault)-missing-private-endpoint$/,
    /^common-/,
  ],
};

describe("policy pack: shipped stacks", function () {
  this.timeout(300_000);
  const project = readProject(ROOT);

  for (const stack of STACKS) {
    const file = readStackFile(project, stack);
    const tier = file.config[`${project.name}:tier`];
    const cloud = file.config[`${project.name}:cloud`] as "aws" | "azure";

    it(`${stack} (${cloud}, tier ${tier}) has no violation of any level with policy-pack/config/${tier}.json`, async () => {
      const rec = await runStack(stack);
      const { diagnostics, applied } = await analyzeRecording(ALL_POLICIES, rec, { config: loadPackConfig(tier) });
      expect(diagnostics, `${stack}:\n${describeDiagnostics(diagnostics)}`).to.deep.equal([]);
      // The Studio domain exists only where the stack's studio key is on (AWS dev has none by default).
      const hasDomain = rec.resources.some((r) => r.type === "aws:sagemaker/domain:Domain");
      const expected = ALL_POLICIES.map((p) => p.name)
        .filter((n) => EXPECTED_APPLIED[cloud].some((re) => re.test(n)))
        .filter((n) => hasDomain || !n.startsWith("aws-sagemaker-domain-"));
      const skipped = expected.filter((n) => !applied.has(n));
      expect(skipped, `${stack}: policies that found nothing to judge`).to.deep.equal([]);
    });
  }

  it("the same check catches a weakened recording (a prod bucket's public access block removed, a key unprotected)", async () => {
    const rec = await runStack("prod");
    const pab = rec.resources.find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")!;
    const key = rec.resources.find((r) => r.type === "aws:kms/key:Key")!;
    const weakened = {
      ...rec,
      resources: rec.resources.filter((r) => r !== pab).map((r) => (r === key ? { ...r, options: { ...r.options, protect: false } } : r)),
    };
    const { diagnostics } = await analyzeRecording(ALL_POLICIES, weakened, { config: loadPackConfig("prod") });
    expect(diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn}`).sort()).to.deep.equal(
      [
        `aws-s3-bucket-missing-public-access-block mandatory ${rec.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.outputs.bucket === pab.inputs.bucket)!.urn}`,
        `common-stack-data-store-enforce-protection mandatory ${key.urn}`,
      ].sort(),
    );
  });
});
