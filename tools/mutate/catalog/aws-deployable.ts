/**
 * Mutations of what the real cloud refuses, ignores or leaves behind (C11,
 * issue 14), each killed by the C11 policy that cites the documentation;
 * plus the two least-privilege holes that review found (C4: the
 * aws:ViaAWSService exemption of the VPC endpoint deny; C6: resource
 * patterns with a wildcard in the bucket, region or account position).
 */
import { editDocument, mutation, one, remove, set, setOption, statement } from "../edit";
import { AWS_STACKS, Mutation } from "../types";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  key: "aws:kms/key:Key",
  domain: "aws:sagemaker/domain:Domain",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const PROD: Mutation["stacks"] = ["prod"];
const EXEC_POLICY = "sagemaker-exec-least-privilege";
const WILDCARD_RESOURCE = "aws-iam-policy-disallow-wildcard-resource";

/** The execution role's key statement (the one that lets it use the environment's key through S3 and SageMaker). */
const KEY_SID = "UseEnvironmentKeyThroughS3AndSageMaker";

export const awsDeployableMutations: Mutation[] = [
  // ------------------------------------------------------------ C11
  {
    name: "access-log-bucket-sse-kms",
    control: "C11",
    description:
      "The access-log bucket's default encryption is SSE-KMS, which S3 server access log delivery does not support: the logs may never arrive.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-disable-kms-on-access-log-target"],
    apply: mutation((rec) => {
      const key = one(rec, T.key, "key");
      set(one(rec, T.sse, "logs-sse"), "rules.0", {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn },
        bucketKeyEnabled: true,
      });
    }),
  },
  {
    name: "dev-bucket-not-force-destroyed",
    control: "C11",
    description: "A dev bucket is neither protected nor forceDestroy: pulumi destroy fails with BucketNotEmpty once it holds data.",
    stacks: ["dev"],
    expect: ["aws-s3-bucket-enable-force-destroy-unless-protected"],
    apply: mutation((rec) => set(one(rec, T.bucket, "data"), "forceDestroy", false)),
  },
  {
    name: "prod-bucket-unprotected-not-force-destroyed",
    control: "C11",
    description:
      "A prod bucket loses its protection without becoming forceDestroy: a destroy stops at it with BucketNotEmpty (and its data is no longer kept on purpose).",
    stacks: PROD,
    expect: ["aws-s3-bucket-enable-force-destroy-unless-protected"],
    apply: mutation((rec) => setOption(one(rec, T.bucket, "artifacts"), "protect", false)),
  },
  {
    name: "domain-home-volume-retained-unprotected",
    control: "C11",
    description:
      "The Studio domain is no longer protected but still retains its home EFS volume: destroying it leaves mount-target interfaces that block deleting the VPC.",
    stacks: PROD,
    expect: ["aws-sagemaker-domain-enable-home-efs-delete-unless-protected"],
    apply: mutation((rec) => setOption(one(rec, T.domain, "domain"), "protect", false)),
  },
  {
    name: "domain-without-runtime-endpoint",
    control: "C11",
    description: "The VpcOnly Studio domain's VPC loses its sagemaker.runtime interface endpoint: no Studio app can start.",
    stacks: PROD,
    expect: ["aws-sagemaker-domain-missing-studio-endpoints"],
    apply: mutation((rec) => remove(rec, one(rec, T.vpce, "vpce-sagemaker-runtime"))),
  },
  {
    name: "exec-role-without-put-metric-data",
    control: "C11",
    description: "The execution role loses cloudwatch:PutMetricData, which AWS lists for a CreateTrainingJob execution role.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-role-missing-sagemaker-job-permissions"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        doc.Statement = doc.Statement.filter((s) => s.Sid !== "PublishJobMetrics");
      }),
    ),
  },
  {
    name: "exec-role-without-kms-encrypt",
    control: "C11",
    description:
      "The execution role may decrypt with the environment's key but no longer kms:Encrypt: jobs that encrypt their output with it fail.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-role-missing-sagemaker-job-permissions"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const st = statement(doc, KEY_SID);
        st.Action = (Array.isArray(st.Action) ? st.Action : [st.Action ?? ""]).filter((a) => a !== "kms:Encrypt");
      }),
    ),
  },

  // ------------------------------------------------------------ C4
  {
    name: "bucket-policy-via-aws-service-exemption",
    control: "C4",
    description:
      "The data bucket's VPC endpoint deny is lifted for aws:ViaAWSService: Athena or Glue acting for a principal reach the data from outside the VPC.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-enforce-vpc-endpoint-only"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "data-policy"), "policy", (doc) => {
        const deny = statement(doc, "DenyDataAccessOutsideVpcEndpoint");
        deny.Condition = { ...deny.Condition, Bool: { ...(deny.Condition?.Bool ?? {}), "aws:ViaAWSService": "false" } };
      }),
    ),
  },

  // ------------------------------------------------------------ C6
  {
    name: "exec-role-reads-every-bucket",
    control: "C6",
    description: "The execution role reads the objects of every bucket (arn:aws:s3:::*/*) instead of the data bucket's.",
    stacks: AWS_STACKS,
    expect: [WILDCARD_RESOURCE],
    apply: mutation((rec) =>
      editDocument(
        one(rec, T.rolePolicy, EXEC_POLICY),
        "policy",
        (doc) => (statement(doc, "ReadTrainingData").Resource = "arn:aws:s3:::*/*"),
      ),
    ),
  },
  {
    name: "exec-role-logs-any-region",
    control: "C6",
    description: "The execution role writes SageMaker logs in any region (a wildcard in the ARN's region position).",
    stacks: AWS_STACKS,
    expect: [WILDCARD_RESOURCE],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const st = statement(doc, "WriteSageMakerLogs");
        st.Resource = (Array.isArray(st.Resource) ? st.Resource : [st.Resource ?? ""]).map((r) =>
          r.replace(/^(arn:[^:]*:logs:)[^:]*:/, "$1*:"),
        );
      }),
    ),
  },
  {
    name: "exec-role-enis-any-account",
    control: "C6",
    description: "The execution role manages network interfaces of any account (a wildcard in the ARN's account position).",
    stacks: AWS_STACKS,
    expect: [WILDCARD_RESOURCE],
    apply: mutation((rec) =>
      editDocument(one(rec, T.rolePolicy, EXEC_POLICY), "policy", (doc) => {
        const st = statement(doc, "ManageEnisInEnvironmentVpc");
        st.Resource = (Array.isArray(st.Resource) ? st.Resource : [st.Resource ?? ""]).map((r) =>
          r.replace(/^(arn:[^:]*:ec2:[^:]*:)[^:]*:(network-interface)/, "$1*:$2"),
        );
      }),
    ),
  },
];
