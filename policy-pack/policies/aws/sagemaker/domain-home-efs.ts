/**
 * Deleting a SageMaker domain (C11): DeleteDomain keeps the domain's home
 * EFS volume unless told otherwise ("By default, all resources are retained
 * (not automatically deleted)", RetentionPolicy). The retained volume's mount
 * targets keep network interfaces (and SageMaker's NFS security groups) in
 * the domain's subnets, so a `pulumi destroy` that also deletes the subnets
 * or the VPC fails (cloudformation-coverage-roadmap issue 1085). A domain the
 * stack may destroy must delete its home volume; a domain whose home
 * directories are kept must be protected and torn down by a procedure.
 */
import * as sagemaker from "@pulumi/aws/sagemaker";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const domainProps = propsOf(sagemaker.Domain);

/** Severity medium. Resource: an unprotected SageMaker domain deletes its home EFS volume when it is deleted. */
export const domainEnableHomeEfsDeleteUnlessProtected = resourcePolicy({
  name: "aws-sagemaker-domain-enable-home-efs-delete-unless-protected",
  control: "C11",
  severity: "medium",
  description:
    'Every SageMaker domain that is not protected sets retentionPolicy.homeEfsFileSystem "Delete": a retained home EFS volume keeps network interfaces in the subnets, so destroying the stack\'s VPC fails.',
  remediationSteps:
    'Set `retentionPolicy: { homeEfsFileSystem: "Delete" }` on domains a destroy may delete (dev). To keep the users\' home directories (prod), keep "Retain", set the `protect: true` resource option and tear the domain down by procedure: delete its apps and spaces, its user profiles, the domain, then the EFS volume\'s mount targets, the volume and its security-group-for-*-nfs-<domain id> groups.',
  url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RetentionPolicy.html",
  validateResource: validateResourceOfType(sagemaker.Domain, (domain, args, report) => {
    if (args.opts?.protect === true) return;
    const retention = domainProps.str(domain, "retentionPolicy", "homeEfsFileSystem");
    if (retention === UNKNOWN || retention === "Delete") return;
    report(
      formatViolation({
        what: `the domain is not protected and its home EFS volume is ${retention === undefined ? 'retained by default (retentionPolicy.homeEfsFileSystem not set: "Retain")' : `retained (retentionPolicy.homeEfsFileSystem ${describe(retention)})`}: deleting the domain leaves the volume and its mount-target network interfaces in the subnets, so \`pulumi destroy\` cannot delete the subnets or the VPC`,
        where: at(args, "retentionPolicy.homeEfsFileSystem"),
        fix: 'set retentionPolicy: { homeEfsFileSystem: "Delete" }, or protect: true and the documented teardown procedure to keep the home directories',
      }),
    );
  }),
});
