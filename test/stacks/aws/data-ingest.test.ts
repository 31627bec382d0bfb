/**
 * The AWS data ingest role (issue 16): absent by default; with
 * dataIngestPrincipals, assumable only by those ARNs, write-only to
 * datasets/ (no delete), read-only on job outputs, the key only through S3;
 * exempted from the VPC-endpoint deny by aws:PrincipalArn and nothing
 * broader (reads only on the artifacts bucket); the data bucket denies
 * PutObject with other encryption than SSE-KMS with the environment's key.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { T, bySid, cond, list, statements } from "./helpers";
import { INGEST_DATASET_ACTIONS } from "../../../stacks/aws/data-ingest";
import { VPC_ENDPOINT_ONLY_ACTIONS } from "../../../stacks/aws/bucket-policy";

const PRINCIPALS = ["arn:aws:iam::123456789012:role/data-owners", "arn:aws:iam::123456789012:user/ci-loader"];
const OVERRIDES = { dataIngestPrincipals: JSON.stringify(PRINCIPALS) };

function ingestRole(rec: Recording): RecordedResource | undefined {
  return ofType(rec, T.role).find((r) => r.name.includes("data-ingest"));
}

function bucketPolicyOf(rec: Recording, kind: "data" | "artifacts" | "logs"): RecordedResource {
  const found = ofType(rec, T.bucketPolicy).filter((r) => r.name.endsWith(`-${kind}-policy`));
  if (found.length !== 1) throw new Error(`${rec.stack}: expected one ${kind} bucket policy, found ${found.map((r) => r.name).join(", ")}`);
  return found[0];
}

describe("AWS data ingest role (dataIngestPrincipals)", () => {
  it("the shipped stacks have none: no ingest role, no exemption, no dataIngestRoleArn output", async () => {
    for (const stack of ["dev", "prod"]) {
      const rec = await runStack(stack);
      expect(ingestRole(rec), stack).to.equal(undefined);
      for (const kind of ["data", "artifacts"] as const) {
        const sts = statements(bucketPolicyOf(rec, kind));
        expect(
          sts.some((s) => JSON.stringify(s.Condition ?? {}).includes("aws:PrincipalArn")),
          `${stack} ${kind}`,
        ).to.equal(false);
      }
      expect(rec.outputs).to.not.have.property("dataIngestRoleArn");
    }
  });

  it("is assumable by exactly the configured principals", async () => {
    const rec = await runStack("dev", OVERRIDES);
    const role = ingestRole(rec)!;
    expect(role, "ingest role").to.not.equal(undefined);
    const trust = statements(role, "assumeRolePolicy");
    expect(trust).to.have.length(1);
    expect(trust[0].Effect).to.equal("Allow");
    expect(list(trust[0].Principal.AWS)).to.deep.equal(PRINCIPALS);
    expect(list(trust[0].Action)).to.deep.equal(["sts:AssumeRole"]);
    expect(rec.outputs?.dataIngestRoleArn).to.be.a("string");
  });

  it("may write and read back datasets/ only, read job outputs, use the key only through S3, and delete nothing", async () => {
    const rec = await runStack("dev", OVERRIDES);
    const policy = ofType(rec, T.rolePolicy).find((r) => r.name.includes("data-ingest"))!;
    const sts = statements(policy);
    const actions = sts.flatMap((s) => list(s.Action));
    expect(
      actions.filter((a) => /Delete|\*/.test(a)),
      "no delete, no wildcard action",
    ).to.deep.equal([]);
    const write = sts.find((s) => s.Sid === "WriteDatasets")!;
    expect(list(write.Action)).to.deep.equal([...INGEST_DATASET_ACTIONS]);
    expect(list(write.Resource)).to.have.length(1);
    expect(list(write.Resource)[0]).to.match(/^arn:aws:s3:::mltrain-dev-data-[^/]+\/datasets\/\*$/);
    expect(
      cond(
        sts.find((s) => s.Sid === "ListDatasets")!,
        "StringLike",
        "s3:prefix",
      ),
    ).to.deep.equal(["datasets/", "datasets/*"]);
    expect(list(sts.find((s) => s.Sid === "ReadJobOutputs")!.Resource)[0]).to.match(/artifacts-[^/]+\/output\/\*$/);
    const key = sts.find((s) => s.Sid === "UseEnvironmentKeyThroughS3")!;
    expect(list(key.Action)).to.deep.equal(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(cond(key, "StringEquals", "kms:ViaService")).to.deep.equal(["s3.us-east-1.amazonaws.com"]);
  });

  it("is exempted from the VPC-endpoint deny by aws:PrincipalArn = its ARN only; on the artifacts bucket for reads only", async () => {
    const rec = await runStack("dev", OVERRIDES);
    const roleArn = rec.outputs?.dataIngestRoleArn as string;
    const data = statements(bucketPolicyOf(rec, "data"));
    const exempted = data.find((s) => s.Sid === "DenyDataAccessOutsideVpcEndpointExceptIngestRole")!;
    expect(list(exempted.Action).sort()).to.deep.equal([...VPC_ENDPOINT_ONLY_ACTIONS].sort());
    expect(cond(exempted, "ArnNotEquals", "aws:PrincipalArn")).to.deep.equal([roleArn]);
    expect(cond(exempted, "StringNotEquals", "aws:SourceVpce")).to.have.length(1);
    expect(
      data.find((s) => s.Sid === "DenyDataAccessOutsideVpcEndpoint"),
      "nothing left un-exempted on data",
    ).to.equal(undefined);

    const artifacts = statements(bucketPolicyOf(rec, "artifacts"));
    const reads = artifacts.find((s) => s.Sid === "DenyDataAccessOutsideVpcEndpointExceptIngestRole")!;
    expect(list(reads.Action)).to.deep.equal(["s3:GetObject*"]);
    const rest = artifacts.find((s) => s.Sid === "DenyDataAccessOutsideVpcEndpoint")!;
    expect(list(rest.Action)).to.include("s3:PutObject*");
    expect(rest.Condition).to.not.have.property("ArnNotEquals");
    expect(JSON.stringify(statements(bucketPolicyOf(rec, "logs")))).to.not.include("aws:PrincipalArn");
  });

  it("the data bucket denies any PutObject asking for other encryption than SSE-KMS with the environment's key (IfExists: multipart parts carry no header)", async () => {
    for (const overrides of [{}, OVERRIDES]) {
      const rec = await runStack("dev", overrides);
      const policy = bucketPolicyOf(rec, "data");
      const sse = bySid(policy, "DenyPutWithOtherEncryption");
      expect(sse.Effect).to.equal("Deny");
      expect(sse.Principal).to.equal("*");
      expect(list(sse.Action)).to.deep.equal(["s3:PutObject"]);
      expect(cond(sse, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption")).to.deep.equal(["aws:kms"]);
      const keyArn = ofType(rec, T.key)[0].outputs?.arn ?? ofType(rec, T.key)[0].inputs.arn;
      const other = bySid(policy, "DenyPutWithOtherKmsKey");
      expect(cond(other, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption-aws-kms-key-id")).to.have.length(1);
      if (typeof keyArn === "string")
        expect(cond(other, "StringNotEqualsIfExists", "s3:x-amz-server-side-encryption-aws-kms-key-id")).to.deep.equal([keyArn]);
      expect(JSON.stringify(statements(bucketPolicyOf(rec, "artifacts")))).to.not.include("DenyPutWithOther");
    }
  });
});
