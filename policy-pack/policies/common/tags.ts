/**
 * Tagging policy (AWS and Azure), control C10: every taggable resource
 * carries the attribution tags. A resource's own `tags`/`tagsAll` count, and
 * so do the AWS provider's `defaultTags`. Providers, components and types
 * without a `tags` input are not applicable.
 * Docs: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */
import { gated, notApplicable, resourcePolicy, settings } from "../../lib/define";
import { at, formatViolation } from "../../lib/messages";
import { effectiveTags, isTaggable } from "../../lib/tags";

const untaggable = (type: string) => `resources of type '${type}' take no tags`;

export const DEFAULT_REQUIRED_TAGS = ["environment", "project", "owner", "data-classification"];

const tagsSchema = {
  properties: {
    requiredTags: {
      type: "array" as const,
      items: { type: "string" as const },
      default: DEFAULT_REQUIRED_TAGS,
      description: "Tag keys every taggable resource must carry with a non-empty value.",
    },
  },
};

/** Severity low. Resource: taggable AWS and Azure resources carry the required tags. */
export const resourceMissingRequiredTags = resourcePolicy({
  name: "common-tagging-resource-missing-required-tags",
  control: "C10",
  severity: "low",
  description:
    "Every taggable AWS and Azure resource carries the tags environment, project, owner and data-classification (configurable) with non-empty values.",
  remediationSteps:
    "Pass the stack config's `tags` to every taggable resource (`tags: config.tags`), or set them once as `defaultTags` on an explicit AWS provider.",
  url: "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources",
  checks: [],
  frameworks: [["nist-800-53-r5", "CM-8"]],
  configSchema: tagsSchema,
  validateResource: gated(isTaggable, untaggable, (args, report) => {
    if (!isTaggable(args.type)) notApplicable(args, untaggable(args.type));
    const { requiredTags } = settings<{ requiredTags: string[] }>(args, tagsSchema);
    const t = effectiveTags(args.props, args.provider);
    if (t.unknown) return;
    const missing = requiredTags.filter((k) => !(k in t.tags) || t.tags[k] === "");
    if (missing.length === 0) return;
    report(
      formatViolation({
        what: `missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}${t.declared ? "" : " (the resource sets no tags)"}`,
        where: at(args, "tags"),
        fix: `add ${missing.map((k) => `"${k}"`).join(", ")} to tags (the stack config's tags hold all of ${requiredTags.join(", ")})`,
      }),
    );
  }),
});
