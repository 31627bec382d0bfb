/**
 * The S3 gateway endpoint's policy (AWS), control C4: it names the
 * environment's buckets, not all of S3.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { isAllow, label, parseDocument } from "../../../lib/iam";
import { at, formatViolation, quoted } from "../../../lib/messages";
import { known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const endpoint = propsOf(ec2.VpcEndpoint);

/** Severity medium. Resource: the S3 gateway endpoint's policy names the environment's buckets, not all of S3. */
export const vpcEndpointConfigureS3Policy = resourcePolicy({
  name: "aws-ec2-vpc-endpoint-configure-s3-policy",
  control: "C4",
  severity: "medium",
  description: 'The S3 VPC endpoint has a policy that allows only the environment\'s buckets (no Resource "*" or arn:aws:s3:::*).',
  remediationSteps:
    "Set the endpoint's `policy` to a document allowing the needed s3 actions on the environment's bucket ARNs (and the ECR layer bucket if images are pulled).",
  url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "AC-4"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateResource: validateResourceOfType(ec2.VpcEndpoint, (ep, args, report) => {
    const service = endpoint.str(ep, "serviceName");
    if (!known(service) || !/\.s3$/.test(service)) args.notApplicable("not an S3 endpoint");
    const doc = parseDocument(endpoint.get(ep, "policy"));
    if (doc.kind === "unknown") return;
    if (doc.kind !== "document") {
      report(
        formatViolation({
          what: `the S3 endpoint has ${doc.kind === "missing" ? "no policy (full access to every bucket)" : `an unreadable policy (${doc.reason})`}`,
          where: at(args, "policy"),
          fix: "set a policy allowing only the environment's bucket ARNs",
        }),
      );
      return;
    }
    for (const st of doc.statements) {
      if (!isAllow(st)) continue;
      const wide = st.resource.filter((r): r is string => known(r) && (r === "*" || /^arn:[^:]+:s3:::\*(\/\*)?$/.test(r)));
      if (wide.length === 0 && !st.hasNotResource) continue;
      report(
        formatViolation({
          what: `${label(st)} allows ${quoted(st.action)} on ${st.hasNotResource ? "NotResource" : wide.join(", ")}, i.e. every bucket`,
          where: at(args, `policy.Statement[${st.index}]`),
          fix: "list only the environment's bucket ARNs",
        }),
      );
    }
  }),
});
