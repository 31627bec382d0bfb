/**
 * Physical-name rules of the clouds, checked against the name Pulumi will
 * generate, so a name that would fail at deploy time fails here, offline.
 *
 * Auto-naming (what Pulumi appends to a logical name when no physical name is
 * given):
 * - `@pulumi/aws`: `<logical>-<7 random hex>`.
 * - `@pulumi/azure-native`: top-level resources get `<logical><8 random hex>`
 *   (no separator); child resources (containers, subnets, keys) copy the
 *   logical name unchanged.
 */

export interface NameRule {
  /** What the rule is for, used in messages. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** Human-readable statement of the allowed characters. */
  readonly allowed: string;
  /** What Pulumi appends when it auto-names; absent where the logical name is the physical name. */
  readonly autoSuffix?: AutoSuffix;
}

export interface AutoSuffix {
  readonly separator: string;
  readonly randomHex: number;
}

export const AWS_AUTONAME: AutoSuffix = { separator: "-", randomHex: 7 };
export const AZURE_AUTONAME: AutoSuffix = { separator: "", randomHex: 8 };

export const NAME_RULES = {
  s3Bucket: {
    what: "S3 bucket name",
    min: 3,
    max: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed: "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
    autoSuffix: AWS_AUTONAME,
  },
  iamRole: {
    what: "IAM role name",
    min: 1,
    max: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and +=,.@_-",
    autoSuffix: AWS_AUTONAME,
  },
  iamPolicy: {
    what: "IAM policy name",
    min: 1,
    max: 128,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and +=,.@_-",
    autoSuffix: AWS_AUTONAME,
  },
  sagemakerDomain: {
    what: "SageMaker domain name",
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
    allowed: "letters, digits and '-', starting with a letter or digit",
  },
  sagemakerUserProfile: {
    what: "SageMaker user profile name",
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
    allowed: "letters, digits and '-', starting with a letter or digit",
  },
  kmsAlias: {
    what: "KMS alias name",
    min: 7,
    max: 256,
    pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/,
    allowed: "'alias/' followed by letters, digits and /_-, not starting with 'alias/aws/'",
  },
  cloudwatchLogGroup: {
    what: "CloudWatch log group name",
    min: 1,
    max: 512,
    pattern: /^[\w.\-/#]+$/,
    allowed: "letters, digits and _-./#",
    autoSuffix: AWS_AUTONAME,
  },
  ec2SecurityGroup: {
    what: "EC2 security group name",
    min: 1,
    max: 255,
    pattern: /^(?!sg-)[\w .:/()#,@[\]+=&;{}!$*-]+$/,
    allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with 'sg-'",
    autoSuffix: AWS_AUTONAME,
  },
  azureResourceGroup: {
    what: "Azure resource group name",
    min: 1,
    max: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    allowed: "letters, digits, '_', '-', '.', '(' and ')', not ending in '.'",
    autoSuffix: AZURE_AUTONAME,
  },
  azureStorageAccount: {
    what: "Azure storage account name",
    min: 3,
    max: 24,
    pattern: /^[a-z0-9]+$/,
    allowed: "lowercase letters and digits only",
    autoSuffix: AZURE_AUTONAME,
  },
  azureKeyVault: {
    what: "Azure Key Vault name",
    min: 3,
    max: 24,
    pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    allowed: "letters, digits and '-', starting with a letter, ending with a letter or digit, no '--'",
    autoSuffix: AZURE_AUTONAME,
  },
  azureContainer: {
    what: "Azure blob container name",
    min: 3,
    max: 63,
    pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    allowed: "lowercase letters, digits and '-', starting and ending with a letter or digit, no '--'",
  },
  azureMlWorkspace: {
    what: "Azure ML workspace name",
    min: 3,
    max: 33,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    allowed: "letters, digits, '_' and '-', starting with a letter or digit",
    autoSuffix: AZURE_AUTONAME,
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/**
 * Returns the problem with the longest physical name Pulumi can generate from
 * `logical` under `rule`, or undefined when every generated name is valid.
 */
export function nameProblem(kind: NameKind, logical: string): string | undefined {
  const rule: NameRule = NAME_RULES[kind];
  const suffix = rule.autoSuffix ? rule.autoSuffix.separator + "0".repeat(rule.autoSuffix.randomHex) : "";
  const longest = logical + suffix;
  if (longest.length < rule.min || longest.length > rule.max) {
    const from = suffix ? ` (logical name "${logical}" plus Pulumi's ${suffix.length}-character suffix)` : "";
    return `${rule.what} "${longest}"${from} is ${longest.length} characters; allowed: ${rule.min}-${rule.max}`;
  }
  if (!rule.pattern.test(longest)) {
    return `${rule.what} from logical name "${logical}" breaks the naming rule; allowed: ${rule.allowed}`;
  }
  return undefined;
}

/** Throws when `logical` cannot yield a valid physical name; returns it otherwise. */
export function checkedName(kind: NameKind, logical: string): string {
  const problem = nameProblem(kind, logical);
  if (problem) throw new Error(problem);
  return logical;
}
