/**
 * Known gaps: weakenings of realisations CONTROLS.md describes but whose
 * policy column does not ask the pack to enforce, so no policy is expected
 * to catch them. They run with the suite and are reported on their own
 * (not counted in the kill rate, never a failure); the report says so when
 * one of them starts being caught, so it can move into the catalog.
 */
import { editDocument, mutation, one, removeStatement, remove, setOption } from "../edit";
import type { Mutation } from "../types";

export const knownGaps: Mutation[] = [
  {
    name: "s3-bucket-policy-vpce-deny-removed",
    control: "C4",
    description: "The data bucket policy no longer denies data access from outside the S3 VPC endpoint (no policy checks aws:SourceVpce).",
    stacks: ["prod"],
    expect: [],
    apply: mutation((rec) => editDocument(one(rec, "aws:s3/bucketPolicy:BucketPolicy", "data-policy"), "policy", (doc) => removeStatement(doc, "DenyDataAccessOutsideVpcEndpoint"))),
  },
  {
    name: "s3-noncurrent-version-lifecycle-removed",
    control: "C9",
    description: "The data bucket's noncurrent-version lifecycle rule is removed (no policy checks lifecycle rules).",
    stacks: ["prod"],
    expect: [],
    apply: mutation((rec) => remove(rec, one(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-lifecycle"))),
  },
  {
    name: "s3-versioning-resource-unprotected",
    control: "C9",
    description: "The prod data bucket's BucketVersioning loses protect; destroying it suspends versioning (the protection policy covers buckets and keys only).",
    stacks: ["prod"],
    expect: [],
    apply: mutation((rec) => setOption(one(rec, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning"), "protect", false)),
  },
  {
    name: "azure-key-unprotected",
    control: "C9",
    description: "The prod Key Vault key loses protect (the protection policy's default types do not include azure-native:keyvault:Key; purge protection still keeps it recoverable).",
    stacks: ["azure-prod"],
    expect: [],
    apply: mutation((rec) => setOption(one(rec, "azure-native:keyvault:Key"), "protect", false)),
  },
  {
    name: "azure-data-container-unprotected",
    control: "C9",
    description: "The prod data container loses protect (containers are not among the protection policy's default types; container soft delete still applies).",
    stacks: ["azure-prod"],
    expect: [],
    apply: mutation((rec) => setOption(one(rec, "azure-native:storage:BlobContainer", "data"), "protect", false)),
  },
  {
    name: "azure-vault-private-endpoint-removed",
    control: "C4",
    description: "The Key Vault's private endpoint is removed (no policy requires one; the vault stays closed to public networks).",
    stacks: ["azure-prod"],
    expect: [],
    apply: mutation((rec) => {
      remove(rec, one(rec, "azure-native:network:PrivateDnsZoneGroup", "pe-vault-dns"));
      remove(rec, one(rec, "azure-native:network:PrivateEndpoint", "pe-vault"));
    }),
  },
];
