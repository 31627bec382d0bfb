/**
 * Mutations of attribution (C10): a required tag missing or empty on a
 * taggable resource, on both clouds. On AWS the provider's default tags
 * count too, so the tag is dropped there as well.
 */
import { editDefaultTags, mutation, one, providerOf, removeTag, set, unset } from "../edit";
import { AWS_STACKS, AZURE_STACKS, Mutation } from "../types";

const TAGS_POLICY = "common-tagging-resource-missing-required-tags";

export const tagMutations: Mutation[] = [
  {
    name: "aws-owner-tag-removed",
    control: "C10",
    description: "The data bucket has no owner tag: dropped from its own tags and from the provider's default tags.",
    stacks: AWS_STACKS,
    expect: [TAGS_POLICY],
    apply: mutation((rec) => {
      const bucket = one(rec, "aws:s3/bucket:Bucket", "data");
      removeTag(bucket, "owner");
      editDefaultTags(providerOf(rec, bucket), (tags) => delete tags.owner);
    }),
  },
  {
    name: "aws-data-classification-tag-empty",
    control: "C10",
    description: "The SageMaker domain's data-classification tag is empty (it overrides the provider's default).",
    stacks: ["prod"],
    expect: [TAGS_POLICY],
    apply: mutation((rec) => set(one(rec, "aws:sagemaker/domain:Domain", "domain"), "tags.data-classification", "")),
  },
  {
    name: "azure-data-classification-tag-removed",
    control: "C10",
    description: "The storage account has no data-classification tag.",
    stacks: AZURE_STACKS,
    expect: [TAGS_POLICY],
    apply: mutation((rec) => removeTag(one(rec, "azure-native:storage:StorageAccount"), "data-classification")),
  },
  {
    name: "azure-vault-tags-removed",
    control: "C10",
    description: "The Key Vault carries no tags at all.",
    stacks: ["azure-prod"],
    expect: [TAGS_POLICY],
    apply: mutation((rec) => unset(one(rec, "azure-native:keyvault:Vault"), "tags")),
  },
];
