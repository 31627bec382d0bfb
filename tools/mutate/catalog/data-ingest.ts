/**
 * Mutations of the data ingest path (issue 16): an exemption from the
 * VPC-endpoint deny broader than one named role (C4), a writer exempted
 * without the SSE-KMS denies (C1), an assumed role that may delete (C6), and
 * storage firewall IP rules Azure refuses (C11) or that open prod (C4), and
 * an Azure ingest writer assigned without its datasets/ path condition (C6).
 */
import { add, editDocument, mutation, one, output, removeStatement, set, statement } from "../edit";
import { AWS_STACKS, AZURE_STACKS, Mutation } from "../types";
import { T as S3 } from "./aws-storage";
import { T as IAM } from "./aws-identity";
import { T as AZ } from "./azure";
import { INGEST_WRITER_DATA_ACTIONS } from "../../../stacks/azure/data-ingest";

const VPCE_SID = "DenyDataAccessOutsideVpcEndpoint";
const VPC_ENDPOINT_POLICY = "aws-s3-bucket-enforce-vpc-endpoint-only";
const ACCOUNT_OF_ARN = /^arn:[^:]+:iam::(\d{12}):/;
const ACCOUNT = "storage:StorageAccount";

export const dataIngestMutations: Mutation[] = [
  {
    name: "s3-vpce-exemption-wildcard-role",
    control: "C4",
    description:
      "The data bucket's VPC-endpoint deny is lifted for every role of every account (ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/*).",
    stacks: AWS_STACKS,
    expect: [VPC_ENDPOINT_POLICY],
    apply: mutation((rec) =>
      editDocument(one(rec, S3.bucketPolicy, "data-policy"), "policy", (doc) => {
        statement(doc, VPCE_SID).Condition!.ArnNotLike = { "aws:PrincipalArn": "arn:aws:iam::*:role/*" };
      }),
    ),
  },
  {
    name: "s3-vpce-exemption-whole-account",
    control: "C4",
    description:
      "The data bucket's VPC-endpoint deny exempts every principal of the account (aws:PrincipalAccount) instead of the ingest role.",
    stacks: AWS_STACKS,
    expect: [VPC_ENDPOINT_POLICY],
    apply: mutation((rec) =>
      editDocument(one(rec, S3.bucketPolicy, "data-policy"), "policy", (doc) => {
        const st = statement(doc, VPCE_SID);
        st.Condition!.StringNotEquals = { ...(st.Condition!.StringNotEquals ?? {}), "aws:PrincipalAccount": "123456789012" };
      }),
    ),
  },
  {
    name: "s3-exempt-writer-without-sse-kms-deny",
    control: "C1",
    description:
      "A role is exempted from the data bucket's VPC-endpoint deny while the deny of PutObject with other encryption than SSE-KMS is removed.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-policy-enforce-sse-kms-on-exempt-put"],
    apply: mutation((rec) => {
      const account = ACCOUNT_OF_ARN.exec(output(one(rec, IAM.role, "sagemaker-exec"), "arn"))?.[1] ?? "123456789012";
      editDocument(one(rec, S3.bucketPolicy, "data-policy"), "policy", (doc) => {
        statement(doc, VPCE_SID).Condition!.ArnNotEquals = { "aws:PrincipalArn": [`arn:aws:iam::${account}:role/loader`] };
        removeStatement(doc, "DenyPutWithOtherEncryption");
      });
    }),
  },
  {
    name: "iam-assumed-role-may-delete-data",
    control: "C6",
    description: "A role that a named IAM role assumes (a data loader) is granted s3:DeleteObject* on the data bucket.",
    stacks: AWS_STACKS,
    expect: ["aws-iam-ingest-role-disallow-data-deletion"],
    apply: mutation((rec) => {
      const exec = one(rec, IAM.role, "sagemaker-exec");
      const account = ACCOUNT_OF_ARN.exec(output(exec, "arn"))?.[1] ?? "123456789012";
      const bucket = one(rec, S3.bucket, "data");
      const trust = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:role/data-owners` }, Action: "sts:AssumeRole" }],
      };
      const role = add(rec, {
        type: IAM.role,
        name: `${exec.name}-loader`,
        like: exec,
        tags: true,
        inputs: { assumeRolePolicy: JSON.stringify(trust) },
        outputs: { name: "loader", arn: `arn:aws:iam::${account}:role/loader` },
      });
      const policy = {
        Version: "2012-10-17",
        Statement: [
          { Sid: "LoadAndClean", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject*"], Resource: `${output(bucket, "arn")}/*` },
        ],
      };
      add(rec, {
        type: IAM.rolePolicy,
        name: `${exec.name}-loader-policy`,
        like: exec,
        inputs: { role: output(role, "name"), policy: JSON.stringify(policy) },
        from: { role: [role] },
      });
    }),
  },
  {
    name: "storage-ip-rule-private-range",
    control: "C11",
    description: "The storage firewall admits a private range (10.0.0.0/16), which Azure refuses in IP rules.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-enforce-accepted-ip-rules"],
    apply: mutation((rec) => {
      const account = one(rec, `azure-native:${ACCOUNT}`);
      set(account, "publicNetworkAccess", "Enabled");
      set(account, "networkRuleSet.ipRules", [{ iPAddressOrRange: "10.0.0.0/16", action: "Allow" }]);
    }),
  },
  {
    name: "ingest-writer-without-path-condition",
    control: "C6",
    description:
      "A data ingest writer (custom role: read, write and add blobs) is assigned on the data container without the blob path condition that keeps its writes under datasets/.",
    stacks: AZURE_STACKS,
    expect: ["azure-authorization-role-assignment-configure-blob-path-condition"],
    apply: mutation((rec) => {
      const container = one(rec, AZ.container, "data");
      // A container's id is unknown in a preview of a new stack: then a container id of the same shape.
      const id = container.outputs.id;
      const scope =
        typeof id === "string" && id.startsWith("/subscriptions/")
          ? id
          : "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/account/blobServices/default/containers/data";
      const writer = add(rec, {
        type: "azure-native:authorization:RoleDefinition",
        name: `${container.name}-ingest-writer`,
        like: container,
        inputs: {
          scope,
          roleName: "data ingest writer",
          roleType: "CustomRole",
          permissions: [{ actions: [], notActions: [], dataActions: [...INGEST_WRITER_DATA_ACTIONS], notDataActions: [] }],
          assignableScopes: [scope],
        },
        from: { scope: [container] },
      });
      add(rec, {
        type: AZ.roleAssignment,
        name: `${container.name}-ra-ingest-writer`,
        like: container,
        inputs: { scope, roleDefinitionId: output(writer, "id"), principalId: "3f0c8a51-6b2e-4d7f-9a1c-2e5b7d9f0a13" },
        from: { scope: [container], roleDefinitionId: [writer] },
      });
    }),
  },
  {
    name: "storage-ip-rule-in-prod",
    control: "C4",
    description: "The prod storage account's firewall admits a public address (dataIngestCidrs set in prod).",
    stacks: ["azure-prod"],
    expect: ["azure-storage-account-disallow-ip-rules-in-prod"],
    apply: mutation((rec) => {
      const account = one(rec, `azure-native:${ACCOUNT}`);
      set(account, "publicNetworkAccess", "Enabled");
      set(account, "networkRuleSet.ipRules", [{ iPAddressOrRange: "203.0.113.7", action: "Allow" }]);
    }),
  },
];
