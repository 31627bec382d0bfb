/**
 * Tag keys a training job carries (both clouds): the environment's required
 * tags (C10), the stack, and, when `npm run train --dataset` names a dataset,
 * the dataset and the SHA-256 of its manifest (issue 16), so a job records
 * exactly which content it read. The AWS job-launcher policy allows tagging
 * on create with these keys only (stacks/aws/job-launcher.ts); cli/train sets them.
 */
export const STACK_TAG = "stack";
export const DATASET_TAG = "dataset";
export const DATASET_SHA256_TAG = "dataset-sha256";

/** Every key a job may be created with. */
export const JOB_TAG_KEYS = ["environment", "project", "owner", "data-classification", STACK_TAG, DATASET_TAG, DATASET_SHA256_TAG] as const;

/**
 * SageMaker's limits on a tag (API_Tag): key 1-128 and value 0-256 characters of
 * letters, digits, white space and `_ . : / = + - @`
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Tag.html).
 * Azure ML job tags are a string dictionary without documented limits
 * (https://learn.microsoft.com/rest/api/azureml/jobs/create-or-update); the same
 * rule applies there so one command line works on either cloud.
 */
export const TAG_LIMITS = { maxKeyLength: 128, maxValueLength: 256 } as const;
export const TAG_CHARACTERS_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARACTERS = "letters, digits, spaces and _ . : / = + - @";

/** Problems with one tag (key and value), each naming it; empty when it is fine. */
export function tagProblems(key: string, value: string): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > TAG_LIMITS.maxKeyLength || !TAG_CHARACTERS_RE.test(key))
    problems.push(`tag key ${JSON.stringify(key)}: allowed: 1-${TAG_LIMITS.maxKeyLength} ${TAG_CHARACTERS}`);
  if (value.length > TAG_LIMITS.maxValueLength)
    problems.push(`tag ${key}: the value is ${value.length} characters; allowed: at most ${TAG_LIMITS.maxValueLength}`);
  else if (!TAG_CHARACTERS_RE.test(value))
    problems.push(`tag ${key}: the value ${JSON.stringify(value)} has a character SageMaker refuses; allowed: ${TAG_CHARACTERS}`);
  return problems;
}
