/**
 * The AWS customer-managed key (C1, C2, C8): symmetric, rotated at most
 * yearly, deletion window per tier, an alias, and a key policy parsed back
 * from JSON: no wildcard principal; the account root administers without
 * crypto rights; account principals and the training role use the key only
 * through services (kms:ViaService); CloudWatch Logs only for this
 * environment's log groups; every service principal under a condition.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { AWS_STACKS, T, configOf, envName, named, one, statements, list, cond, isWildcardPrincipal, globMatch, grants } from "./helpers";

const CRYPTO_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:CreateGrant",
];

for (const stack of AWS_STACKS) {
  describe(`aws ${stack}: KMS key`, () => {
    const config = configOf(stack);
    const name = envName(config);
    const region = config.region;
    let rec: Recording;
    let key: RecordedResource;
    let role: RecordedResource;
    let root: string;
    before(async () => {
      rec = await runStack(stack);
      key = one(rec, T.key);
      role = named(rec, T.role, `${name}-sagemaker-exec`);
      root = `arn:aws:iam::${rec.outputs!.accountId}:root`;
    });

    it("C1: one symmetric encrypt/decrypt key, named after the environment, with an alias", () => {
      expect(key.name).to.equal(`${name}-key`);
      expect(key.inputs.keyUsage, key.urn).to.equal("ENCRYPT_DECRYPT");
      expect(key.inputs.customerMasterKeySpec, key.urn).to.equal("SYMMETRIC_DEFAULT");
      expect(key.inputs.isEnabled, key.urn).to.not.equal(false);
      const alias = one(rec, T.alias);
      expect(alias.inputs.targetKeyId, alias.urn).to.equal(key.outputs.keyId);
      expect(alias.inputs.name, alias.urn).to.equal(`alias/${name}-training`);
    });

    it("C2: rotation is on with a period of at most 365 days", () => {
      expect(key.inputs.enableKeyRotation, key.urn).to.equal(true);
      expect(key.inputs.rotationPeriodInDays, key.urn).to.be.a("number").and.at.most(365).and.at.least(90);
    });

    it(`C2: deletion window is ${stack === "prod" ? 30 : 7} days`, () => {
      expect(key.inputs.deletionWindowInDays, key.urn).to.equal(stack === "prod" ? 30 : 7);
    });

    it("C1/C6: the key policy has no wildcard principal and no kms:* action", () => {
      for (const st of statements(key)) {
        expect(isWildcardPrincipal(st.Principal), `${key.urn}: ${st.Sid} principal`).to.equal(false);
        expect(st.NotPrincipal, `${key.urn}: ${st.Sid} NotPrincipal`).to.equal(undefined);
        expect(st.NotAction, `${key.urn}: ${st.Sid} NotAction`).to.equal(undefined);
        expect(st.Effect, `${key.urn}: ${st.Sid}`).to.equal("Allow");
        for (const a of list(st.Action)) expect(a === "*" || /:\*$/.test(a), `${key.urn}: ${st.Sid} action ${a}`).to.equal(false);
      }
    });

    it("C2: the account root administers the key but gets crypto only through S3, SageMaker, EFS and CloudWatch Logs", () => {
      const rootStatements = statements(key).filter((s) => list(s.Principal?.AWS).includes(root));
      const admin = rootStatements.find((s) => grants(s, "kms:PutKeyPolicy"));
      expect(admin, `${key.urn}: root can manage the key policy`).to.not.equal(undefined);
      for (const a of ["kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:DescribeKey", "kms:TagResource"]) {
        expect(grants(admin!, a), `${key.urn}: root may ${a}`).to.equal(true);
      }
      for (const st of rootStatements) {
        const crypto = CRYPTO_ACTIONS.filter((a) => grants(st, a));
        if (crypto.length === 0) continue;
        expect(
          cond(st, "StringEquals", "kms:ViaService"),
          `${key.urn}: ${st.Sid} grants ${crypto} to root without kms:ViaService`,
        ).to.have.members([
          `s3.${region}.amazonaws.com`,
          `sagemaker.${region}.amazonaws.com`,
          `elasticfilesystem.${region}.amazonaws.com`,
          // CloudWatch Logs calls KMS on the caller's behalf with kms:ViaService (CloudWatch Logs user guide, encrypt log data).
          `logs.${region}.amazonaws.com`,
        ]);
        expect(cond(st, "StringEquals", "kms:CallerAccount"), `${key.urn}: ${st.Sid}`).to.deep.equal([rec.outputs!.accountId]);
      }
    });

    it("C6: the training role uses the key only through S3 and SageMaker", () => {
      const roleStatements = statements(key).filter((s) => list(s.Principal?.AWS).includes(role.outputs.arn));
      expect(roleStatements.length, `${key.urn}: statements for the role`).to.be.at.least(1);
      expect(
        roleStatements.some((s) => grants(s, "kms:Decrypt")),
        `${key.urn}: role can decrypt`,
      ).to.equal(true);
      expect(
        roleStatements.some((s) => grants(s, "kms:GenerateDataKey")),
        `${key.urn}: role can generate data keys`,
      ).to.equal(true);
      for (const st of roleStatements) {
        const via = cond(st, "StringEquals", "kms:ViaService");
        expect(via, `${key.urn}: ${st.Sid} without kms:ViaService`).to.not.equal(undefined);
        expect([`s3.${region}.amazonaws.com`, `sagemaker.${region}.amazonaws.com`], `${key.urn}: ${st.Sid}`).to.include.members(via!);
        for (const a of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"])
          expect(grants(st, a), `${key.urn}: role may ${a}`).to.equal(false);
      }
    });

    it("C11: the training role may encrypt job output and grant volume use without kms:GrantIsForAWSResource; S3 log delivery gets no access (SSE-S3 log bucket)", () => {
      const roleStatements = statements(key).filter((s) => list(s.Principal?.AWS).includes(role.outputs.arn));
      expect(
        roleStatements.some((s) => grants(s, "kms:Encrypt")),
        `${key.urn}: role may kms:Encrypt (output key)`,
      ).to.equal(true);
      const grant = roleStatements.find((s) => grants(s, "kms:CreateGrant"));
      expect(grant, `${key.urn}: role may create grants for the volume key`).to.not.equal(undefined);
      expect(cond(grant!, "Bool", "kms:GrantIsForAWSResource"), `${key.urn}: ${grant!.Sid}`).to.equal(undefined);
      expect(
        statements(key).filter((s) => list(s.Principal?.Service).includes("logging.s3.amazonaws.com")),
        key.urn,
      ).to.deep.equal([]);
    });

    it("C8: CloudWatch Logs may use the key only for this environment's log groups (the flow log group included)", () => {
      const logsPrincipal = `logs.${region}.amazonaws.com`;
      const st = statements(key).filter((s) => list(s.Principal?.Service).includes(logsPrincipal));
      expect(st, `${key.urn}: one statement for ${logsPrincipal}`).to.have.length(1);
      const pattern = cond(st[0], "ArnLike", "kms:EncryptionContext:aws:logs:arn");
      expect(pattern, `${key.urn}: encryption-context condition`).to.deep.equal([
        `arn:aws:logs:${region}:${rec.outputs!.accountId}:log-group:${name}-*`,
      ]);
      for (const lg of ofType(rec, T.logGroup)) {
        expect(globMatch(pattern![0], lg.outputs.arn), `${lg.urn}: ${lg.outputs.arn} is covered by ${pattern}`).to.equal(true);
        expect(lg.inputs.kmsKeyId, lg.urn).to.equal(key.outputs.arn);
      }
      expect(globMatch(pattern![0], `arn:aws:logs:${region}:${rec.outputs!.accountId}:log-group:/aws/other`), "other log groups").to.equal(
        false,
      );
    });

    it("C6: every service principal is limited by a condition", () => {
      for (const st of statements(key).filter((s) => s.Principal?.Service !== undefined)) {
        expect(st.Condition, `${key.urn}: ${st.Sid}`).to.be.an("object").that.is.not.empty;
      }
    });

    it("C9: the key is protected in prod only", () => {
      expect(key.options.protect === true, key.urn).to.equal(stack === "prod");
    });
  });
}
