/**
 * Mutations of the AWS key (C2, C6, C9), the SageMaker execution role, its
 * least-privilege policy and the job launcher policy (C6, C7).
 */
import { add, editDocument, mutation, one, removeStatement, set, setOption, statement } from "../edit";
import { AWS_STACKS, Mutation } from "../types";
import { GUARDRAIL_SIDS } from "../../../stacks/aws/iam-documents";

export const T = {
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  user: "aws:iam/user:User",
  accessKey: "aws:iam/accessKey:AccessKey",
} as const;

const PROD: Mutation["stacks"] = ["prod"];
const EXEC_ROLE = "sagemaker-exec";
const EXEC_POLICY = "sagemaker-exec-least-privilege";
/** The guardrail statement for EBS-only instance families (the volume key required), and the one for NVMe families. */
const GUARDRAIL_SID = GUARDRAIL_SIDS.ebs;
const NVME_GUARDRAIL_SID = GUARDRAIL_SIDS.nvme;
const GUARDRAILS = "aws-sagemaker-execution-role-enforce-job-guardrails";
const DEPRECATED_KEYS = "aws-sagemaker-job-guardrail-disallow-deprecated-kms-keys";
const VOLUME_KEY_ON_NVME = "aws-sagemaker-job-guardrail-disallow-volume-key-on-nvme";

export const awsIdentityMutations: Mutation[] = [
  // ------------------------------------------------------------ C2
  {
    name: "kms-key-rotation-off",
    control: "C2",
    description: "The environment's KMS key has automatic rotation turned off.",
    stacks: AWS_STACKS,
    expect: ["aws-kms-key-enable-key-rotation"],
    apply: mutation((rec) => {
      const key = one(rec, T.key, "key");
      set(key, "enableKeyRotation", false);
    }),
  },
  {
    name: "kms-key-rotation-every-two-years",
    control: "C2",
    description: "The KMS key rotates only every 730 days.",
    stacks: PROD,
    expect: ["aws-kms-key-enable-key-rotation"],
    apply: mutation((rec) => set(one(rec, T.key, "key"), "rotationPeriodInDays", 730)),
  },
  {
    name: "kms-key-deletion-window-7-days",
    control: "C2",
    description: "The prod KMS key can be deleted after 7 days instead of 30.",
    stacks: PROD,
    expect: ["aws-kms-key-configure-deletion-window"],
    apply: mutation((rec) => set(one(rec, T.key, "key"), "deletionWindowInDays", 7)),
  },
  {
    name: "kms-key-unprotected",
    control: "C9",
    description: "The prod KMS key is no longer protected, so a destroy schedules the key (and with it all data) for deletion.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.key, "key"), "protect", false)),
  },

  // ------------------------------------------------------------ C6
  {
    name: "kms-key-policy-public-principal",
    control: "C6",
    description: 'The key policy gains an Allow of kms:Decrypt to any principal ("*") without a condition.',
    stacks: AWS_STACKS,
    expect: ["aws-kms-key-disallow-public-principal"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.key, "key"), "policy", (doc) => {
        doc.Statement.push({ Sid: "AnyoneDecrypts", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" });
      }),
    ),
  },
  {
    name: "iam-role-policy-s3-wildcard-action",
    control: "C6",
    description: "The execution role's policy allows s3:* on the data bucket.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-policy-disallow-wildcard-action"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const read = statement(doc, "ReadTrainingData");
        read.Action = "s3:*";
      }),
    ),
  },
  {
    name: "iam-role-policy-star-action",
    control: "C6",
    description: 'The execution role\'s policy gains a statement allowing every action ("*").',
    stacks: PROD,
    expect: ["aws-iam-policy-disallow-wildcard-action"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const data = statement(doc, "ListTrainingData");
        doc.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: data.Resource });
      }),
    ),
  },
  {
    name: "iam-getobject-any-bucket",
    control: "C6",
    description: 'The execution role may s3:GetObject on Resource "*" (every bucket) instead of the data bucket.',
    stacks: AWS_STACKS,
    expect: ["aws-iam-policy-disallow-wildcard-resource"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => (statement(doc, "ReadTrainingData").Resource = "*")),
    ),
  },
  {
    name: "iam-allow-not-action",
    control: "C6",
    description: "The execution role's policy gains an Allow with NotAction (everything but IAM).",
    stacks: PROD,
    expect: ["aws-iam-policy-disallow-not-action-not-resource"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const data = statement(doc, "ReadTrainingData");
        doc.Statement.push({ Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: data.Resource });
      }),
    ),
  },
  {
    name: "iam-trust-any-principal",
    control: "C6",
    description: 'The execution role\'s trust policy lets any principal ("*") assume it.',
    stacks: AWS_STACKS,
    expect: ["aws-iam-role-configure-trusted-principals"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.role, EXEC_ROLE), "assumeRolePolicy", (doc) => (statement(doc, "TrustedService").Principal = "*")),
    ),
  },
  {
    name: "iam-trust-other-account",
    control: "C6",
    description: "The execution role's trust policy lets another AWS account assume it.",
    stacks: PROD,
    expect: ["aws-iam-role-configure-trusted-principals"],
    apply: mutation((rec) =>
      editDocument(
        one(rec, T.role, EXEC_ROLE),
        "assumeRolePolicy",
        (doc) => (statement(doc, "TrustedService").Principal = { AWS: "arn:aws:iam::999999999999:root" }),
      ),
    ),
  },
  {
    name: "iam-trust-without-source-account",
    control: "C6",
    description: "The execution role trusts sagemaker.amazonaws.com without the aws:SourceAccount condition (confused deputy).",
    stacks: ["dev"],
    expect: ["aws-iam-role-configure-trusted-principals"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.role, EXEC_ROLE), "assumeRolePolicy", (doc) => delete statement(doc, "TrustedService").Condition),
    ),
  },
  {
    name: "iam-administrator-access-attached",
    control: "C6",
    description: "AdministratorAccess is attached to the execution role.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-role-disallow-admin-policies"],
    apply: mutation((rec) => {
      const role = one(rec, T.role, EXEC_ROLE);
      add(rec, {
        type: T.attachment,
        name: `${role.name}-admin`,
        like: role,
        inputs: { role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        from: { role: [role] },
      });
    }),
  },
  {
    name: "iam-s3-full-access-attached",
    control: "C6",
    description: "AmazonS3FullAccess is attached to the execution role.",
    stacks: PROD,
    expect: ["aws-iam-role-disallow-admin-policies"],
    apply: mutation((rec) => {
      const role = one(rec, T.role, EXEC_ROLE);
      add(rec, {
        type: T.attachment,
        name: `${role.name}-s3-full`,
        like: role,
        inputs: { role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
        from: { role: [role] },
      });
    }),
  },
  {
    name: "iam-user-with-access-key",
    control: "C6",
    description: "An IAM user with a long-lived access key is added for the training scripts.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-user-disallow-users-and-access-keys"],
    apply: mutation((rec) => {
      const role = one(rec, T.role, EXEC_ROLE);
      const user = add(rec, {
        type: T.user,
        name: `${role.name}-ci-user`,
        like: role,
        tags: true,
        inputs: { name: "training-ci", path: "/" },
        outputs: { arn: "arn:aws:iam::123456789012:user/training-ci" },
      });
      add(rec, {
        type: T.accessKey,
        name: `${role.name}-ci-key`,
        like: role,
        inputs: { user: user.outputs.name },
        outputs: { secret: "[secret]" },
        from: { user: [user] },
      });
    }),
  },

  // ------------------------------------------------------------ C7
  {
    name: "job-launcher-network-isolation-dropped",
    control: "C7",
    description: "The job launcher policy allows CreateTrainingJob without requiring network isolation.",
    stacks: AWS_STACKS,
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => {
        const st = statement(doc, GUARDRAIL_SID);
        delete st.Condition!.Bool!["sagemaker:NetworkIsolation"];
        delete st.Condition!.Null!["sagemaker:NetworkIsolation"];
      }),
    ),
  },
  {
    name: "job-launcher-guardrails-removed",
    control: "C7",
    description: "The job launcher policy allows CreateTrainingJob with no condition at all.",
    stacks: PROD,
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => delete statement(doc, GUARDRAIL_SID).Condition),
    ),
  },
  {
    name: "execution-role-kms-guardrails-dropped",
    control: "C7",
    description: "The execution role may create training jobs without volume and output KMS keys.",
    stacks: AWS_STACKS,
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const st = statement(doc, GUARDRAIL_SID);
        delete st.Condition!.ArnEquals;
        for (const k of ["sagemaker:VolumeKmsKeyArn", "sagemaker:OutputKmsKeyArn"]) delete st.Condition!.Null![k];
      }),
    ),
  },
  {
    name: "execution-role-inter-container-encryption-optional",
    control: "C7",
    description: 'The execution role\'s guardrail accepts inter-container traffic encryption "false".',
    stacks: ["dev"],
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        statement(doc, GUARDRAIL_SID).Condition!.Bool!["sagemaker:InterContainerTrafficEncryption"] = ["true", "false"];
      }),
    ),
  },
  {
    name: "create-training-job-grant-removed",
    control: "C7",
    description:
      "Neither the execution role nor the job launcher may create training jobs under the guardrails any more (statements removed).",
    stacks: PROD,
    expect: [GUARDRAILS],
    apply: mutation((rec) => {
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => removeStatement(doc, GUARDRAIL_SID));
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => removeStatement(doc, GUARDRAIL_SID));
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => removeStatement(doc, NVME_GUARDRAIL_SID));
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => removeStatement(doc, NVME_GUARDRAIL_SID));
    }),
  },
  // ------------------------------------------------------------ C7 / C11: GPU instance types (issue 19)
  {
    name: "job-launcher-nvme-guardrail-admits-ebs-family",
    control: "C7",
    description:
      "The job launcher's statement without a volume key also admits an EBS-only family (ml.m5.*), whose volumes would then use an AWS managed key.",
    stacks: PROD,
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => {
        const like = statement(doc, NVME_GUARDRAIL_SID).Condition!["ForAllValues:StringLike"]!;
        like["sagemaker:InstanceTypes"] = [...(like["sagemaker:InstanceTypes"] as string[]), "ml.m5.*"];
      }),
    ),
  },
  {
    name: "execution-role-nvme-guardrail-instance-types-optional",
    control: "C7",
    description:
      "The execution role's statement without a volume key no longer requires sagemaker:InstanceTypes (ForAllValues then holds for a request without it).",
    stacks: PROD,
    expect: [GUARDRAILS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        delete statement(doc, NVME_GUARDRAIL_SID).Condition!.Null!["sagemaker:InstanceTypes"];
      }),
    ),
  },
  {
    name: "job-launcher-deprecated-volume-key",
    control: "C11",
    description: "The job launcher's EBS statement conditions on the deprecated sagemaker:VolumeKmsKey, which no request carries.",
    stacks: PROD,
    expect: [DEPRECATED_KEYS],
    apply: mutation((rec) =>
      editDocument(one(rec, T.policy, "job-launcher"), "policy", (doc) => {
        const c = statement(doc, GUARDRAIL_SID).Condition!;
        for (const op of ["Null", "ArnEquals"]) {
          c[op]!["sagemaker:VolumeKmsKey"] = c[op]!["sagemaker:VolumeKmsKeyArn"];
          delete c[op]!["sagemaker:VolumeKmsKeyArn"];
        }
      }),
    ),
  },
  {
    name: "execution-role-volume-key-on-nvme",
    control: "C11",
    description:
      "The execution role's NVMe statement requires the volume key, which SageMaker refuses for instance types with local storage.",
    stacks: PROD,
    expect: [VOLUME_KEY_ON_NVME],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const c = statement(doc, NVME_GUARDRAIL_SID).Condition!;
        c.Null!["sagemaker:VolumeKmsKeyArn"] = "false";
        c.ArnEquals!["sagemaker:VolumeKmsKeyArn"] = c.ArnEquals!["sagemaker:OutputKmsKeyArn"];
      }),
    ),
  },
];
