/**
 * What `npm run train` refuses because it looks like an attempt to weaken a
 * guardrail (controls C1, C4, C6, C7 in docs/controls.md).
 *
 * The guardrails themselves are not configurable at all: aws.ts and azure.ts
 * set every one of them from the stack outputs and no flag reaches them. What
 * is left is input that *names* a guardrail: a hyperparameter called
 * `EnableNetworkIsolation` or `VpcConfig.Subnets` cannot change the request
 * (hyperparameters are data handed to the container), but whoever wrote it
 * believes it can, so it is refused with exit 2 instead of being silently
 * ignored. Input that could really move a guardrail (an input prefix escaping
 * the data bucket, an image from an arbitrary registry) is validated where it
 * is parsed (args.ts).
 */

/**
 * Guardrail field names of both clouds' requests and of the IAM condition
 * keys that enforce them, normalised (lower case, letters and digits only).
 */
export const GUARDRAIL_NAMES: ReadonlySet<string> = new Set([
  // SageMaker CreateTrainingJob fields (C4, C1, C6, C7)
  "enablenetworkisolation",
  "networkisolation",
  "enableintercontainertrafficencryption",
  "intercontainertrafficencryption",
  "vpcconfig",
  "subnets",
  "subnetids",
  "securitygroupids",
  "securitygroups",
  "kmskeyid",
  "kmskeyarn",
  "volumekmskeyid",
  "volumekmskey",
  "outputkmskey",
  "outputdataconfig",
  "inputdataconfig",
  "s3outputpath",
  "rolearn",
  "executionrole",
  "executionrolearn",
  "resourceconfig",
  "stoppingcondition",
  "maxruntimeinseconds",
  "profilerconfig",
  // IAM condition keys of the job-launcher policy (sagemaker:VpcSubnets, ...)
  "vpcsubnets",
  "vpcsecuritygroupids",
  "volumekmskeyarn",
  "outputkmskeyarn",
  "outputkmskey",
  "instancetypes",
  // Azure ML command job fields and compute guardrails (C4, C6, C7)
  "computeid",
  "identity",
  "identitytype",
  "managedidentity",
  "userassignedidentity",
  "azureclientid",
  "enablenodepublicip",
  "publicnetworkaccess",
  "remoteloginportpublicaccess",
  "dockerargs",
  "dockerargslist",
  "services",
]);

/** Splits `VpcConfig.Subnets`, `sagemaker:NetworkIsolation`, `OutputDataConfig/KmsKeyId`, `a[b]` into segments. */
function segments(name: string): string[] {
  return name
    .split(/[.:/\\[\]]+/)
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((s) => s !== "");
}

/** The guardrail a name refers to, if any (e.g. `Enable_Network_Isolation` -> `enablenetworkisolation`). */
export function guardrailNamed(name: string): string | undefined {
  return segments(name).find((s) => GUARDRAIL_NAMES.has(s));
}

/** Words that, in an unknown flag, show an attempt to switch a guardrail off (`--no-network-isolation`, `--kms-key`). */
const GUARDRAIL_FLAG_WORDS = [
  "isolation",
  "encrypt",
  "vpc",
  "subnet",
  "security-group",
  "kms",
  "key",
  "role",
  "identity",
  "public",
  "guardrail",
  "output-path",
  "compute",
];

export function looksLikeGuardrailFlag(flag: string): boolean {
  const f = flag.toLowerCase();
  return GUARDRAIL_FLAG_WORDS.some((w) => f.includes(w));
}
