/**
 * Static AWS credentials in the program (AWS, C6): an explicit provider
 * given `accessKey`/`secretKey` carries a long-lived IAM user key in the
 * stack's configuration and state. The environment's providers take their
 * credentials from the environment instead (a role assumed through OIDC in
 * CI, a profile or SSO session locally).
 */
import { gated, notApplicable, resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { get } from "../../../lib/values";

const PROVIDER_TYPE = "pulumi:providers:aws";
const isProvider = (type: string) => type === PROVIDER_TYPE;
const onlyProviders = () => `Policy only applies to resources of type '${PROVIDER_TYPE}'`;
const KEYS = ["accessKey", "secretKey", "token"] as const;

/** Severity critical. Resource: no explicit AWS provider is given static credentials. */
export const providerDisallowStaticCredentials = resourcePolicy({
  name: "aws-pulumi-provider-disallow-static-credentials",
  control: "C6",
  severity: "critical",
  description:
    "No explicit AWS provider is given static credentials (accessKey, secretKey or token); credentials come from the environment (OIDC role, profile, SSO).",
  remediationSteps:
    "Remove accessKey/secretKey/token from the aws.Provider and its `aws:` config; let the provider use the ambient credentials (e.g. assumeRole or an OIDC-assumed role in CI).",
  url: "https://www.pulumi.com/registry/packages/aws/installation-configuration/",
  checks: ["CKV_AWS_41"],
  frameworks: [
    ["nist-800-53-r5", "IA-5"],
    ["nist-800-53-r5", "AC-2"],
  ],
  validateResource: gated(isProvider, onlyProviders, (args, report) => {
    if (!isProvider(args.type)) return notApplicable(args, onlyProviders());
    for (const key of KEYS) {
      if (get(args.props, key) === undefined) continue;
      report(
        formatViolation({
          what: `the provider is given ${key}: a long-lived credential kept in the stack's configuration and state`,
          where: at(args, key),
          fix: `remove ${key} and let the provider take credentials from the environment (OIDC role, profile or SSO)`,
        }),
      );
    }
  }),
});
