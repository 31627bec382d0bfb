/** S3 bucket policies (C4): access only through the environment's VPC endpoint. */
import * as s3 from "@pulumi/aws/s3";
import { settings, stackPolicy, tokens } from "../../../lib/define";
import { globMatch, grantsAction, isDeny, label, baseOperator, Condition, Statement } from "../../../lib/iam";
import { ofTypes } from "../../../lib/match";
import { at, formatViolation, quoted } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { bucketCoverage, bucketName, bucketPolicyDocuments, bucketPolicyStatements } from "../../../lib/s3-buckets";
import { logTargetTest } from "./access-logging";
import { propsOf } from "../../../lib/props";

const bucketProps = propsOf(s3.Bucket);

// ---------------------------------------------------------------- C4

const vpcEndpointSchema = {
  properties: {
    requireVpcEndpointDeny: {
      type: "boolean" as const,
      default: true,
      description:
        "Require every data bucket's policy to deny object access that does not come through a VPC endpoint. Set false only for stacks whose enforceVpcEndpoint switch is off (the contract's per-stack switch).",
    },
    objectActions: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
      description: "Object actions the deny must cover, by exact name or through a wildcard (s3:GetObject*, s3:*).",
    },
    exemptionConditionKeys: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["aws:PrincipalIsAWSService"],
      description:
        'Condition keys that may narrow the deny with Bool "false" (aws:PrincipalIsAWSService exempts AWS services acting as themselves, such as S3 log delivery); any other extra condition means the deny does not hold for every request. Not aws:ViaAWSService: it lets any service acting for a principal (Athena, Glue) reach the objects from outside the VPC.',
    },
    maxExemptPrincipals: {
      type: "integer" as const,
      default: 1,
      minimum: 0,
      description:
        "How many roles one deny may exempt by aws:PrincipalArn (ArnNotEquals/StringNotEquals with literal role ARNs: the data ingest role). Any other principal-based exemption (wildcards, *Like, users, account roots, aws:PrincipalAccount, aws:userid, tags) weakens the deny.",
    },
    includeLogBuckets: {
      type: "boolean" as const,
      default: false,
      description:
        "Also require the deny on access-log buckets (targets of another bucket's BucketLogging), which may be shared log archives.",
    },
  },
};

interface VpcEndpointSettings {
  readonly requireVpcEndpointDeny: boolean;
  readonly objectActions: string[];
  readonly exemptionConditionKeys: string[];
  readonly includeLogBuckets: boolean;
  readonly maxExemptPrincipals: number;
}

const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Problem with an `aws:PrincipalArn` exemption, or undefined when it names at
 * most `max` roles literally: ArnNotEquals / StringNotEquals (no IfExists: the
 * key is always present), no wildcard, no user or account root.
 */
export function principalExemptionProblem(c: Condition, max: number): string | undefined {
  if (!/^(ArnNotEquals|StringNotEquals)$/.test(c.operator))
    return `${c.operator} on aws:PrincipalArn (only ArnNotEquals with literal role ARNs narrows it to named roles)`;
  if (c.values.length === 0 || c.values.length > max)
    return `${c.values.length} principals exempted by aws:PrincipalArn (at most ${max}: the data ingest role)`;
  const bad = c.values.find((v) => known(v) && (/[*?]/.test(v) || !ROLE_ARN_RE.test(v)));
  if (bad !== undefined) return `aws:PrincipalArn exemption ${quoted([bad])} is not one named role (no wildcard, no user, no account root)`;
  return undefined;
}

const VPC_CONDITION_KEYS = ["aws:sourcevpce", "aws:sourcevpc"];
/** Negated string operators: true when the request's endpoint is not the listed one (or has none). */
const NEGATED_STRING_OPERATOR = /^(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike)(IfExists)?$/;

/** Whether a statement's resources cover the bucket's objects; true while the bucket ARN is unknown. */
function coversObjects(st: Statement, arn: unknown): boolean {
  if (!known(arn)) return true;
  const object = `${arn}/object-key`;
  if (st.hasNotResource) return st.notResource.every((r) => known(r) && !globMatch(r, object));
  return st.resource.some((r) => r === UNKNOWN || (known(r) && globMatch(r, object)));
}

type VpceVerdict =
  { readonly kind: "deny"; readonly actions: string[] } | { readonly kind: "unknown" } | { readonly kind: "weak"; readonly reason: string };

/**
 * What a statement contributes to "deny object access outside the VPC
 * endpoint": undefined when it is no such statement, the object actions it
 * denies, "unknown" (preview), or why it falls short.
 */
function vpcEndpointDeny(st: Statement, arn: unknown, s: VpcEndpointSettings): VpceVerdict | undefined {
  if (st.effect === UNKNOWN) return { kind: "unknown" };
  if (!isDeny(st)) return undefined;
  const vpc = st.conditions.filter((c) => VPC_CONDITION_KEYS.includes(c.key.toLowerCase()));
  if (vpc.length === 0) return st.conditionUnknown ? { kind: "unknown" } : undefined;
  if (st.conditionUnknown || st.principal?.unknown || st.action.includes(UNKNOWN) || st.notAction.includes(UNKNOWN))
    return { kind: "unknown" };
  const where = label(st);
  if (st.principal?.wildcard !== true) return { kind: "weak", reason: `${where} does not apply to every principal ("*")` };
  const badVpc = vpc.find(
    (c) => !NEGATED_STRING_OPERATOR.test(c.operator) || c.values.length === 0 || c.values.some((v) => !known(v) || /^\**$/.test(v)),
  );
  if (badVpc)
    return {
      kind: "weak",
      reason: `${where} uses ${badVpc.operator} ${quoted(badVpc.values)} on ${badVpc.key}, which does not deny requests from outside the endpoint`,
    };
  const exempt = s.exemptionConditionKeys.map((k) => k.toLowerCase());
  const principal = st.conditions.filter((c) => c.key.toLowerCase() === "aws:principalarn");
  const narrowing = st.conditions.find(
    (c) =>
      !VPC_CONDITION_KEYS.includes(c.key.toLowerCase()) &&
      c.key.toLowerCase() !== "aws:principalarn" &&
      !(
        exempt.includes(c.key.toLowerCase()) &&
        baseOperator(c.operator) === "Bool" &&
        c.values.length > 0 &&
        c.values.every((v) => v === "false")
      ),
  );
  if (narrowing) {
    const via =
      narrowing.key.toLowerCase() === "aws:viaawsservice"
        ? " (so any AWS service acting for a principal, such as Athena or Glue, reads and writes the objects from outside the VPC)"
        : "";
    return { kind: "weak", reason: `${where} only applies when ${narrowing.operator} ${narrowing.key} ${quoted(narrowing.values)}${via}` };
  }
  if (principal.length > 1)
    return {
      kind: "weak",
      reason: `${where} has ${principal.length} aws:PrincipalArn conditions; exempt the ingest role in one ArnNotEquals`,
    };
  const principalProblem = principal.length === 1 ? principalExemptionProblem(principal[0], s.maxExemptPrincipals) : undefined;
  if (principalProblem) return { kind: "weak", reason: `${where} is lifted by ${principalProblem}` };
  if (!coversObjects(st, arn)) return { kind: "weak", reason: `${where} does not cover the bucket's objects (Resource)` };
  return { kind: "deny", actions: s.objectActions.filter((a) => grantsAction(st, a)) };
}

/** Severity high. Stack: every data bucket's policy denies object access that does not come through a VPC endpoint. */
export const bucketEnforceVpcEndpointOnly = stackPolicy({
  name: "aws-s3-bucket-enforce-vpc-endpoint-only",
  control: "C4",
  severity: "high",
  description:
    'Every S3 data bucket (not an access-log target) has a bucket policy that denies object access to everyone ("*") unless the request comes through the VPC endpoint (aws:SourceVpce); the deny may exempt only the data ingest role, by aws:PrincipalArn with its literal ARN; setting requireVpcEndpointDeny follows the stack\'s enforceVpcEndpoint switch.',
  remediationSteps: `Set enforceVpcEndpoint: true in the stack config, or add to the bucket policy a statement { Effect: "Deny", Principal: "*", Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"], Resource: [bucketArn, bucketArn + "/*"], Condition: { StringNotEquals: { "aws:SourceVpce": s3Endpoint.id }, Bool: { "aws:PrincipalIsAWSService": "false" } } } (no aws:ViaAWSService exemption).`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "AC-4"],
    ["nist-800-53-r5", "SC-7"],
  ],
  configSchema: vpcEndpointSchema,
  validateStack: (args, report) => {
    const s = settings<VpcEndpointSettings>(args, vpcEndpointSchema);
    if (!s.requireVpcEndpointDeny)
      return args.notApplicable("requireVpcEndpointDeny is false (the stack's enforceVpcEndpoint switch is off)");
    const isLogTarget = logTargetTest(ofTypes(args.resources, tokens(s3.BucketLogging, s3.BucketLoggingV2)));
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketPolicy))) {
      if (!s.includeLogBuckets && isLogTarget(target)) continue;
      const docs = bucketPolicyDocuments(target, matches);
      const fix = `add a Deny for Principal "*" of the object actions on [bucketArn, bucketArn + "/*"] with Condition StringNotEquals aws:SourceVpce = the S3 gateway endpoint's id (stack config enforceVpcEndpoint: true)`;
      if (docs.length === 0) {
        if (undetermined.length > 0) continue;
        report(
          formatViolation({
            what: `S3 bucket ${bucketName(target)} has no bucket policy, so its objects are reachable from outside the VPC endpoint`,
            where: at(target),
            fix: `add an aws.s3.BucketPolicy; ${fix}`,
          }),
          target.urn,
        );
        continue;
      }
      const arn = bucketProps.get(target.props, "arn");
      const denied = new Set<string>();
      const reasons: string[] = [];
      const { statements, undecided: docsUndecided } = bucketPolicyStatements(docs);
      let undecided = docsUndecided;
      for (const st of statements) {
        const v = vpcEndpointDeny(st, arn, s);
        if (v?.kind === "unknown") undecided = true;
        else if (v?.kind === "weak") reasons.push(v.reason);
        else if (v?.kind === "deny") v.actions.forEach((a) => denied.add(a));
      }
      const missing = s.objectActions.filter((a) => !denied.has(a));
      if (missing.length === 0 || undecided) continue;
      report(
        formatViolation({
          what: `the bucket policy of S3 bucket ${bucketName(target)} does not deny ${quoted(missing)} to "*" for requests that do not come through the VPC endpoint${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`,
          where: at(docs[0].source, "policy"),
          fix,
        }),
        docs[0].source.urn,
      );
    }
  },
});
