/**
 * Tests of policy-pack/lib/s3-buckets.ts through the S3 stack policies that
 * use it: each matches a bucket to its configuration resources and reports
 * one violation per bucket.
 */
import { expect } from "chai";
import { bucketEnableAccessLogging } from "../../../policy-pack/policies/aws/s3/access-logging";
import { bucketMissingKmsEncryption } from "../../../policy-pack/policies/aws/s3/encryption";
import {
  bucketDisallowPublicAcl,
  bucketEnforceOwnerEnforced,
  bucketMissingPublicAccessBlock,
} from "../../../policy-pack/policies/aws/s3/public-access";
import { bucketMissingTlsPolicy } from "../../../policy-pack/policies/aws/s3/tls-only";
import { bucketEnableVersioning } from "../../../policy-pack/policies/aws/s3/versioning";
import { onResource, onStack } from "../expect";
import { bucket, DATA, urn } from "../fixtures/aws";

describe("policy pack: AWS S3", () => {
  it("every S3 stack policy reports per bucket with one resource each for a one-bucket stack missing everything", async () => {
    const lone = [bucket(DATA)];
    for (const p of [
      bucketMissingPublicAccessBlock,
      bucketEnforceOwnerEnforced,
      bucketMissingKmsEncryption,
      bucketMissingTlsPolicy,
      bucketEnableAccessLogging,
      bucketEnableVersioning,
    ]) {
      const f = await onStack(p, lone);
      expect(
        f.violations.map((v) => v.urn),
        p.name,
      ).to.deep.equal([urn(lone[0])]);
    }
    // A resource policy run on the bucket itself finds nothing to flag.
    expect((await onResource(bucketDisallowPublicAcl, lone[0])).violations).to.deep.equal([]);
  });
});
