/**
 * Which SageMaker training instance types have local NVMe instance storage and
 * which are EBS-only: the one place this fact lives (the pack's job-guardrail
 * policy, the stacks' IAM documents and `npm run train` read it).
 *
 * Why it matters: SageMaker refuses `ResourceConfig.VolumeKmsKeyId` for an
 * instance type with local storage, because that storage is encrypted by a
 * hardware module on the instance (XTS-AES-256, keys destroyed with the
 * instance); an EBS-only type must carry the customer-managed volume key (C1).
 *
 * Classification is per family (the part between `ml.` and the size): every
 * size of a family shares its storage option in the EC2 instance-store table.
 * Families not verified against that table are `unclassified`: the CLI refuses
 * them and the IAM guardrail allows neither class for them.
 */

export const INSTANCE_STORAGE_SOURCES = {
  sagemakerRule: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html",
  instanceStoreTable: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-store-volumes.html",
  nvmeEncryption: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ssd-instance-store.html",
  trainingInstanceTypes:
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-InstanceType",
} as const;

export type InstanceStorage = "nvme" | "ebs";

/** Families with NVMe instance store volumes (no VolumeKmsKeyId allowed). */
export const NVME_FAMILIES = [
  "g4dn",
  "g5",
  "g6",
  "g6e",
  "p3dn",
  "p4d",
  "p4de",
  "p5",
  "p5e",
  "p5en",
  "p6-b200",
  "r5d",
  "trn1",
  "trn1n",
  "trn2",
] as const;

/** EBS-only families (VolumeKmsKeyId required). */
export const EBS_ONLY_FAMILIES = [
  "c4",
  "c5",
  "c5n",
  "c6i",
  "c7i",
  "c8i",
  "m4",
  "m5",
  "m6i",
  "m7i",
  "m8i",
  "p2",
  "p3",
  "r5",
  "r6i",
  "r7i",
  "r8i",
  "t3",
] as const;

/** SageMaker training families not yet checked against the instance-store table: refused until they are. */
export const UNCLASSIFIED_FAMILIES = ["g7", "g7e", "p6-b300", "p6e-gb200"] as const;

const INSTANCE_TYPE_RE = /^ml\.([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/;

/** `ml.g5.2xlarge` -> `g5`; undefined when it is not an `ml.<family>.<size>` name. */
export function instanceFamily(type: string): string | undefined {
  return INSTANCE_TYPE_RE.exec(type)?.[1];
}

/** The storage class of a training instance type, or undefined when its family is not classified. */
export function instanceStorage(type: string): InstanceStorage | undefined {
  const family = instanceFamily(type);
  if (family === undefined) return undefined;
  if ((NVME_FAMILIES as readonly string[]).includes(family)) return "nvme";
  if ((EBS_ONLY_FAMILIES as readonly string[]).includes(family)) return "ebs";
  return undefined;
}

/** IAM `StringLike` pattern of a family: `ml.g5.*` (the dot keeps `ml.p4d.*` from matching `ml.p4de.*`). */
export function familyPattern(family: string): string {
  return `ml.${family}.*`;
}

export function familyPatterns(storage: InstanceStorage): string[] {
  return (storage === "nvme" ? NVME_FAMILIES : EBS_ONLY_FAMILIES).map(familyPattern);
}
