/**
 * AWS identity (C6, C7): the SageMaker execution role's trust and inline
 * policy, and the job-launcher managed policy, parsed back from JSON: no `*`
 * action, no `service:*`, no NotAction / NotResource, no `*` resource except
 * the listed exceptions (each under its condition), every resource scoped to
 * this environment, the create-job guardrail conditions present and bound to
 * the environment's subnets, security group and key; no managed policy
 * attachments, no IAM users or access keys.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { AWS_STACKS, T, configOf, envName, named, one, statements, list, cond, grants, Stmt } from "./helpers";
import { WILDCARD_RESOURCE_EXCEPTIONS, OUTPUT_PREFIX, JOB_METRIC_NAMESPACES } from "../../../stacks/aws/iam";
import { GUARDRAIL_CONDITION_KEYS, GUARDRAIL_SIDS } from "../../../stacks/aws/iam-documents";
import { familyPatterns } from "../../../policy-pack/lib/sagemaker-instance-storage";

/** IAM resource types that must never appear: long-lived credentials and managed-policy attachments. */
const FORBIDDEN_IAM_TYPES = [
  "aws:iam/user:User",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/userLoginProfile:UserLoginProfile",
  "aws:iam/group:Group",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
];

/** Actions that only a broad grant would contain: `*`, `service:*`, or a wildcard service. */
function isWildcardAction(a: string): boolean {
  if (a === "*") return true;
  const [service, name] = a.split(":");
  return name === undefined || service.includes("*") || /^\*+$/.test(name);
}

/**
 * C7: the guardrail statements' conditions bind create-job requests to this environment: one
 * statement for EBS-only instance families (volume key required), one for families with local
 * NVMe storage (volume key absent: SageMaker refuses it there), all other guardrails identical.
 */
function expectGuardrails(owner: RecordedResource, rec: Recording, creators: Stmt[]): void {
  const out = rec.outputs!;
  expect(creators.map((s) => s.Sid).sort(), owner.urn).to.deep.equal([GUARDRAIL_SIDS.ebs, GUARDRAIL_SIDS.nvme].sort());
  for (const st of creators) {
    const storage = st.Sid === GUARDRAIL_SIDS.ebs ? "ebs" : "nvme";
    const where = `${owner.urn}: ${st.Sid}`;
    expect(list(st.Action).sort(), where).to.deep.equal(["sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob"]);
    expect(list(st.Resource).sort(), where).to.deep.equal([
      `arn:aws:sagemaker:${out.region}:${out.accountId}:processing-job/*`,
      `arn:aws:sagemaker:${out.region}:${out.accountId}:training-job/*`,
    ]);
    for (const k of GUARDRAIL_CONDITION_KEYS) {
      const expected = k === "sagemaker:VolumeKmsKeyArn" && storage === "nvme" ? "true" : "false";
      expect(cond(st, "Null", k), `${where}: Null ${k}`).to.deep.equal([expected]);
    }
    expect(cond(st, "ForAllValues:StringEquals", "sagemaker:VpcSubnets"), `${where}: subnets`).to.have.members(out.subnetIds as string[]);
    expect(cond(st, "ForAllValues:StringEquals", "sagemaker:VpcSecurityGroupIds"), `${where}: security groups`).to.deep.equal(
      out.securityGroupIds,
    );
    expect(cond(st, "ForAllValues:StringLike", "sagemaker:InstanceTypes"), `${where}: instance types`).to.deep.equal(
      familyPatterns(storage),
    );
    expect(cond(st, "ArnEquals", "sagemaker:VolumeKmsKeyArn"), `${where}: volume key`).to.deep.equal(
      storage === "ebs" ? [out.kmsKeyArn] : undefined,
    );
    expect(cond(st, "ArnEquals", "sagemaker:OutputKmsKeyArn"), `${where}: output key`).to.deep.equal([out.kmsKeyArn]);
    expect(cond(st, "Bool", "sagemaker:InterContainerTrafficEncryption"), where).to.deep.equal(["true"]);
    expect(cond(st, "Bool", "sagemaker:NetworkIsolation"), where).to.deep.equal(["true"]);
    for (const deprecated of ["sagemaker:VolumeKmsKey", "sagemaker:OutputKmsKey"]) {
      expect(JSON.stringify(st.Condition ?? {}), `${where}: deprecated key ${deprecated}`).to.not.include(`"${deprecated}"`);
    }
  }
}

/** C6: the identity-policy rules every document must follow. */
function expectLeastPrivilegeShape(owner: RecordedResource, rec: Recording): void {
  const out = rec.outputs!;
  const bucketArns = ofType(rec, T.bucket).map((b) => b.outputs.arn as string);
  for (const st of statements(owner)) {
    const where = `${owner.urn}: ${st.Sid}`;
    expect(st.Effect, where).to.equal("Allow");
    expect(st.NotAction, `${where}: NotAction`).to.equal(undefined);
    expect(st.NotResource, `${where}: NotResource`).to.equal(undefined);
    expect(st.Principal, `${where}: Principal in an identity policy`).to.equal(undefined);
    for (const a of list(st.Action)) expect(isWildcardAction(a), `${where}: wildcard action ${a}`).to.equal(false);
    for (const r of list(st.Resource)) {
      if (r === "*") {
        for (const a of list(st.Action)) {
          expect(WILDCARD_RESOURCE_EXCEPTIONS, `${where}: ${a} on Resource "*" is not a listed exception`).to.have.property(a);
          const key = WILDCARD_RESOURCE_EXCEPTIONS[a];
          const expected = key === "cloudwatch:namespace" ? [...JOB_METRIC_NAMESPACES] : [out.region];
          expect(cond(st, "StringEquals", key), `${where}: ${a} on "*" needs its condition ${key}`).to.deep.equal(expected);
        }
        continue;
      }
      // Every other resource names this account / region, or one of the environment's buckets.
      const scoped =
        r.startsWith(`arn:aws:iam::${out.accountId}:`) ||
        new RegExp(`^arn:aws:[a-z0-9-]+:${out.region}:${out.accountId}:.+`).test(r) ||
        bucketArns.some((b) => r === b || r.startsWith(`${b}/`));
      expect(scoped, `${where}: resource ${r} is not scoped to the environment`).to.equal(true);
      expect(r, `${where}: resource ${r}`).to.not.match(/^arn:aws:[a-z0-9-]+:[^:]*:[^:]*:\*$/);
    }
  }
}

for (const stack of AWS_STACKS) {
  describe(`aws ${stack}: execution role`, () => {
    const config = configOf(stack);
    const name = envName(config);
    let rec: Recording;
    let role: RecordedResource;
    let inline: RecordedResource;
    let sts: Stmt[];
    before(async () => {
      rec = await runStack(stack);
      role = named(rec, T.role, `${name}-sagemaker-exec`);
      const policies = ofType(rec, T.rolePolicy).filter((p) => p.inputs.role === role.outputs.id);
      expect(policies, `${role.urn}: inline policies`).to.have.length(1);
      inline = policies[0];
      sts = statements(inline);
    });

    it("C6: trusted only by sagemaker.amazonaws.com for this account", () => {
      const trust = statements(role, "assumeRolePolicy");
      expect(trust, role.urn).to.have.length(1);
      expect(trust[0].Effect, role.urn).to.equal("Allow");
      expect(trust[0].Principal, role.urn).to.deep.equal({ Service: "sagemaker.amazonaws.com" });
      expect(list(trust[0].Action), role.urn).to.deep.equal(["sts:AssumeRole"]);
      expect(cond(trust[0], "StringEquals", "aws:SourceAccount"), role.urn).to.deep.equal([rec.outputs!.accountId]);
      expect(rec.outputs!.roleArn).to.equal(role.outputs.arn);
      expect(rec.outputs!.identityId).to.equal(role.outputs.arn);
    });

    it("C6: no managed policy attachments, inline policy lists, IAM users or access keys", () => {
      for (const type of FORBIDDEN_IAM_TYPES)
        expect(
          ofType(rec, type).map((r) => r.urn),
          type,
        ).to.deep.equal([]);
      for (const r of ofType(rec, T.role)) {
        expect(r.inputs.managedPolicyArns ?? [], `${r.urn}: managedPolicyArns`).to.deep.equal([]);
        expect(r.inputs.inlinePolicies ?? [], `${r.urn}: inlinePolicies`).to.deep.equal([]);
        expect(r.inputs.permissionsBoundary, `${r.urn}`).to.equal(undefined);
      }
    });

    it("C6: no * or service:* action, no NotAction/NotResource, * resource only for the listed exceptions under their condition", () => {
      expectLeastPrivilegeShape(inline, rec);
      const starActions = sts.filter((s) => list(s.Resource).includes("*")).flatMap((s) => list(s.Action));
      expect(starActions.sort(), `${inline.urn}: actions on "*"`).to.deep.equal(Object.keys(WILDCARD_RESOURCE_EXCEPTIONS).sort());
    });

    it("C6: reads (list + get) only the data bucket and writes only under the artifacts bucket's output prefix", () => {
      const out = rec.outputs!;
      const data = named(rec, T.bucket, `${name}-data`).outputs.arn;
      const artifacts = named(rec, T.bucket, `${name}-artifacts`).outputs.arn;
      const s3 = sts.filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
      const resourcesFor = (action: string) => s3.filter((s) => grants(s, action)).flatMap((s) => list(s.Resource));
      expect(resourcesFor("s3:GetObject"), inline.urn).to.deep.equal([`${data}/*`]);
      expect(resourcesFor("s3:ListBucket").sort(), inline.urn).to.deep.equal([artifacts, data].sort());
      expect(resourcesFor("s3:PutObject"), inline.urn).to.deep.equal([`${artifacts}/${OUTPUT_PREFIX}*`]);
      for (const a of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy", "s3:PutObjectAcl"])
        expect(resourcesFor(a), `${inline.urn}: ${a}`).to.deep.equal([]);
      const listArtifacts = s3.find((s) => grants(s, "s3:ListBucket") && list(s.Resource).includes(artifacts))!;
      expect(cond(listArtifacts, "StringLike", "s3:prefix"), `${inline.urn}: artifacts listing limited to the prefix`).to.have.members([
        OUTPUT_PREFIX,
        `${OUTPUT_PREFIX}*`,
      ]);
      expect(out.outputPrefix).to.equal(OUTPUT_PREFIX);
    });

    it("C6: uses only the environment's key, only through S3 and SageMaker", () => {
      const key = one(rec, T.key).outputs.arn;
      const kms = sts.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
      expect(kms.length, inline.urn).to.be.at.least(1);
      for (const st of kms) {
        expect(list(st.Resource), `${inline.urn}: ${st.Sid}`).to.deep.equal([key]);
        const via = cond(st, "StringEquals", "kms:ViaService");
        expect(via, `${inline.urn}: ${st.Sid} kms:ViaService`).to.not.equal(undefined);
        expect([`s3.${config.region}.amazonaws.com`, `sagemaker.${config.region}.amazonaws.com`]).to.include.members(via!);
      }
      // SageMaker does not set kms:GrantIsForAWSResource (sagemaker-python-sdk PR 683): requiring it would fail every job with a volume key.
      const grant = kms.find((s) => grants(s, "kms:CreateGrant"));
      expect(grant, `${inline.urn}: CreateGrant for the volume key`).to.not.equal(undefined);
      expect(cond(grant!, "Bool", "kms:GrantIsForAWSResource"), `${inline.urn}: ${grant!.Sid}`).to.equal(undefined);
      // CreateTrainingJob with an output key needs kms:Encrypt (OutputDataConfig.KmsKeyId).
      expect(
        kms.some((s) => grants(s, "kms:Encrypt")),
        `${inline.urn}: kms:Encrypt`,
      ).to.equal(true);
    });

    it("C11: publishes job metrics (cloudwatch:PutMetricData) only in SageMaker's job namespaces", () => {
      const metrics = sts.filter((s) => grants(s, "cloudwatch:PutMetricData"));
      expect(metrics, inline.urn).to.have.length(1);
      expect(list(metrics[0].Action), inline.urn).to.deep.equal(["cloudwatch:PutMetricData"]);
      expect(cond(metrics[0], "StringEquals", "cloudwatch:namespace"), inline.urn).to.have.members([
        "/aws/sagemaker/TrainingJobs",
        "/aws/sagemaker/ProcessingJobs",
      ]);
    });

    it("C6: writes logs only to /aws/sagemaker/* log groups of this account and region", () => {
      const out = rec.outputs!;
      const logs = sts.filter((s) => list(s.Action).some((a) => a.startsWith("logs:")));
      expect(logs.length, inline.urn).to.be.at.least(1);
      for (const st of logs) {
        for (const r of list(st.Resource))
          expect(
            r.startsWith(`arn:aws:logs:${out.region}:${out.accountId}:log-group:/aws/sagemaker/`),
            `${inline.urn}: ${st.Sid} ${r}`,
          ).to.equal(true);
      }
    });

    it("C6: pulls images only from this account's repositories; logs in to ECR only in its region", () => {
      const out = rec.outputs!;
      const pull = sts.find((s) => grants(s, "ecr:BatchGetImage"));
      expect(list(pull?.Resource), inline.urn).to.deep.equal([`arn:aws:ecr:${out.region}:${out.accountId}:repository/*`]);
      expect(
        sts.some((s) => list(s.Action).some((a) => /^ecr:(Put|Delete|Create|Upload|Initiate|Complete)/.test(a))),
        `${inline.urn}: ECR writes`,
      ).to.equal(false);
    });

    it("C6: manages ENIs only in the environment's VPC, subnets and training group", () => {
      const out = rec.outputs!;
      const vpc = one(rec, T.vpc);
      const eni = sts.filter((s) => grants(s, "ec2:CreateNetworkInterface") || grants(s, "ec2:DeleteNetworkInterface"));
      expect(eni, inline.urn).to.have.length(1);
      const st = eni[0];
      expect(cond(st, "ArnEquals", "ec2:Vpc"), `${inline.urn}: ${st.Sid}`).to.deep.equal([
        `arn:aws:ec2:${out.region}:${out.accountId}:vpc/${vpc.outputs.id}`,
      ]);
      const subnetArns = ofType(rec, T.subnet).map((s) => s.outputs.arn);
      const sgArn = named(rec, T.sg, `${name}-training-sg`).outputs.arn;
      expect(list(st.Resource), `${inline.urn}: ${st.Sid}`).to.have.members([
        `arn:aws:ec2:${out.region}:${out.accountId}:network-interface/*`,
        ...subnetArns,
        sgArn,
      ]);
      expect(sgArn, "security group ARN").to.match(/:security-group\/sg-/);
    });

    it("C7: may create training and processing jobs only inside the guardrails", () => {
      const creators = sts.filter((s) => grants(s, "sagemaker:CreateTrainingJob") || grants(s, "sagemaker:CreateProcessingJob"));
      expectGuardrails(inline, rec, creators);
    });

    it("C7: passes only itself, only to SageMaker", () => {
      const pass = sts.filter((s) => grants(s, "iam:PassRole"));
      expect(pass, inline.urn).to.have.length(1);
      expect(list(pass[0].Resource), inline.urn).to.deep.equal([role.outputs.arn]);
      expect(cond(pass[0], "StringEquals", "iam:PassedToService"), inline.urn).to.deep.equal(["sagemaker.amazonaws.com"]);
    });

    it("C6: the flow-logs role's policy follows the same rules", () => {
      for (const p of ofType(rec, T.rolePolicy)) expectLeastPrivilegeShape(p, rec);
    });
  });

  describe(`aws ${stack}: job-launcher policy`, () => {
    const config = configOf(stack);
    const name = envName(config);
    let rec: Recording;
    let policy: RecordedResource;
    before(async () => {
      rec = await runStack(stack);
      policy = one(rec, T.policy);
    });

    it("C7: is a managed policy named after the environment, exported as jobLauncherPolicyArn, attached to nobody", () => {
      expect(policy.name).to.equal(`${name}-job-launcher`);
      expect(rec.outputs!.jobLauncherPolicyArn).to.equal(policy.outputs.arn);
      expect(policy.inputs.tags, policy.urn).to.deep.equal(config.tags);
    });

    it("C7: allows create-job only inside the guardrails and PassRole of the execution role only to SageMaker", () => {
      const sts = statements(policy);
      expectLeastPrivilegeShape(policy, rec);
      const creators = sts.filter((s) => grants(s, "sagemaker:CreateTrainingJob") || grants(s, "sagemaker:CreateProcessingJob"));
      expectGuardrails(policy, rec, creators);
      const pass = sts.filter((s) => grants(s, "iam:PassRole"));
      expect(pass, policy.urn).to.have.length(1);
      expect(list(pass[0].Resource), policy.urn).to.deep.equal([rec.outputs!.roleArn]);
      expect(cond(pass[0], "StringEquals", "iam:PassedToService"), policy.urn).to.deep.equal(["sagemaker.amazonaws.com"]);
    });

    it("C10: lets launchers tag new jobs with the environment's tag keys and a dataset's (name, manifest SHA-256) only", () => {
      const tagging = statements(policy).filter((s) => grants(s, "sagemaker:AddTags"));
      expect(tagging, policy.urn).to.have.length(1);
      expect(
        list(tagging[0].Resource).every((r: string) => /:(training|processing)-job\//.test(r)),
        policy.urn,
      ).to.equal(true);
      expect(cond(tagging[0], "ForAllValues:StringEquals", "aws:TagKeys"), policy.urn).to.deep.equal([
        "environment",
        "project",
        "owner",
        "data-classification",
        "stack",
        "dataset",
        "dataset-sha256",
      ]);
    });

    it("C7: grants nothing else than following, tagging and stopping the account's jobs", () => {
      const actions = [...new Set(statements(policy).flatMap((s) => list(s.Action)))];
      expect(actions.sort(), policy.urn).to.deep.equal(
        [
          "iam:PassRole",
          "sagemaker:AddTags",
          "sagemaker:CreateProcessingJob",
          "sagemaker:CreateTrainingJob",
          "sagemaker:DescribeProcessingJob",
          "sagemaker:DescribeTrainingJob",
          "sagemaker:StopProcessingJob",
          "sagemaker:StopTrainingJob",
        ].sort(),
      );
      expect(
        statements(policy).some((s) => list(s.Resource).includes("*")),
        `${policy.urn}: "*" resource`,
      ).to.equal(false);
    });
  });
}
