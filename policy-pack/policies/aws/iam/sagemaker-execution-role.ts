/**
 * SageMaker execution roles (C11): what AWS lists for the role a
 * CreateTrainingJob request passes. The SageMaker developer guide
 * (CreateTrainingJob API: execution role permissions) lists
 * `cloudwatch:PutMetricData`, and for an output key: "If you specify a KMS
 * key in the output configuration of your training job, add the following
 * permissions: kms:Encrypt". A role that may read data under a key
 * (kms:Decrypt / kms:GenerateDataKey) but not encrypt with it plans jobs that
 * run and then fail when SageMaker writes their output.
 *
 * The role's permissions are read from the stack: its inline policies, its
 * RolePolicy resources and the customer managed policies attached to it. A
 * role with permissions from outside the stack (an AWS managed policy, an
 * unknown document) is not judged.
 */
import * as iam from "@pulumi/aws/iam";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { Statement, globMatch, grantsAction, identityDocuments, isAllow, parseDocument } from "../../../lib/iam";
import { ReferenceIndex, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN, known } from "../../../lib/values";

const roleProps = propsOf(iam.Role);
const policyProps = propsOf(iam.Policy);
const rolePolicyProps = propsOf(iam.RolePolicy);
const attachmentProps = propsOf(iam.RolePolicyAttachment);

export const SAGEMAKER_ROLES_DOC =
  "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createtrainingjob-perms";

const ROLE_IDS = ["name", "id", "arn"] as const;
const KEY_USE = ["kms:Decrypt", "kms:GenerateDataKey"];

/** Whether the role's trust policy lets SageMaker assume it; "unknown" in preview. */
function trustsSageMaker(role: PolicyResource): boolean | "unknown" {
  const doc = parseDocument(roleProps.get(role.props, "assumeRolePolicy"));
  if (doc.kind === "unknown") return "unknown";
  if (doc.kind !== "document") return false;
  return doc.statements.some((st) => isAllow(st) && (st.principal?.service ?? []).some((s) => s === "sagemaker.amazonaws.com"));
}

/** The stack's role policies, attachments and customer managed policies, indexed once (linear in the stack). */
interface RoleIndex {
  readonly rolePolicies: ReferenceIndex;
  readonly attachments: ReferenceIndex;
  readonly policyByArn: ReadonlyMap<string, PolicyResource>;
}

function indexRoles(resources: readonly PolicyResource[]): RoleIndex {
  const policyByArn = new Map<string, PolicyResource>();
  for (const p of ofTypes(resources, tokens(iam.Policy))) {
    const arn = policyProps.get(p.props, "arn");
    if (known(arn)) policyByArn.set(arn, p);
  }
  return {
    rolePolicies: new ReferenceIndex(ofTypes(resources, tokens(iam.RolePolicy)), "role"),
    attachments: new ReferenceIndex(ofTypes(resources, tokens(iam.RolePolicyAttachment)), "role"),
    policyByArn,
  };
}

/** The Allow statements the stack gives the role, or undefined when some of its permissions cannot be read. */
function roleStatements(role: PolicyResource, index: RoleIndex): Statement[] | undefined {
  const docs: unknown[] = identityDocuments(role.type, role.props).map((d) => d.document);
  const rps = index.rolePolicies.match(role, ROLE_IDS);
  const ats = index.attachments.match(role, ROLE_IDS);
  if (rps.undetermined.length > 0 || ats.undetermined.length > 0) return undefined;
  for (const rp of rps.matches) docs.push(rolePolicyProps.get(rp.props, "policy"));
  const attached: unknown[] = ats.matches.map((a) => attachmentProps.get(a.props, "policyArn"));
  const managed = roleProps.arr(role.props, "managedPolicyArns");
  if (managed === UNKNOWN) return undefined;
  attached.push(...(managed ?? []));
  for (const arn of attached) {
    const policy = known(arn) ? index.policyByArn.get(arn) : undefined;
    if (!policy) return undefined; // permissions from outside the stack (an AWS managed policy, another stack's)
    docs.push(policyProps.get(policy.props, "policy"));
  }
  const out: Statement[] = [];
  for (const d of docs) {
    const doc = parseDocument(d);
    if (doc.kind === "unknown") return undefined;
    if (doc.kind === "document") out.push(...doc.statements.filter(isAllow));
  }
  return out;
}

function resourceCovers(st: Statement, arn: string): boolean {
  return st.resource.some((r) => known(r) && (r === arn || globMatch(r, arn)));
}

/** Severity high. Stack: a SageMaker execution role has what CreateTrainingJob needs: cloudwatch:PutMetricData, and kms:Encrypt on every key it may decrypt with. */
export const roleMissingSageMakerJobPermissions = stackPolicy({
  name: "aws-iam-role-missing-sagemaker-job-permissions",
  control: "C11",
  severity: "high",
  description:
    "Every IAM role SageMaker may assume, and whose permissions the stack defines, allows cloudwatch:PutMetricData and kms:Encrypt on every KMS key it may decrypt with, as AWS lists for a CreateTrainingJob execution role.",
  remediationSteps:
    'Add a statement { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": ["/aws/sagemaker/TrainingJobs", "/aws/sagemaker/ProcessingJobs"] } } }, and add "kms:Encrypt" to the statement that lets the role use the environment\'s key (and to the key policy\'s statement for the role).',
  url: SAGEMAKER_ROLES_DOC,
  targetType: iam.Role,
  validateStack: (args, report) => {
    const roles = targetsOf(args, tokens(iam.Role), "IAM roles");
    const index = indexRoles(args.resources);
    for (const role of roles) {
      if (trustsSageMaker(role) !== true) continue;
      const statements = roleStatements(role, index);
      if (!statements || statements.length === 0) continue;
      if (statements.some((st) => st.action.includes(UNKNOWN) || st.resource.includes(UNKNOWN))) continue;
      if (!statements.some((st) => grantsAction(st, "cloudwatch:PutMetricData"))) {
        report(
          formatViolation({
            what: "the SageMaker execution role allows no cloudwatch:PutMetricData: AWS lists it among the permissions of a CreateTrainingJob execution role, so the jobs' metrics cannot be published under this role",
            where: at(role),
            fix: 'allow cloudwatch:PutMetricData on "*" with Condition StringEquals cloudwatch:namespace = SageMaker\'s job namespaces',
          }),
          role.urn,
        );
      }
      const keys = new Set<string>();
      for (const st of statements) {
        if (!KEY_USE.some((a) => grantsAction(st, a))) continue;
        for (const r of st.resource) if (known(r) && /^arn:[^:]+:kms:/.test(r)) keys.add(r);
      }
      for (const key of keys) {
        if (statements.some((st) => grantsAction(st, "kms:Encrypt") && resourceCovers(st, key))) continue;
        report(
          formatViolation({
            what: `the SageMaker execution role may decrypt with KMS key ${key} but not kms:Encrypt with it: SageMaker requires kms:Encrypt on a training job's output key (OutputDataConfig.KmsKeyId), so a job that encrypts its output with this key fails`,
            where: at(role),
            fix: `add "kms:Encrypt" to the role's statement for ${key}`,
          }),
          role.urn,
        );
      }
    }
  },
});
