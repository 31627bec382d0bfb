/**
 * The SageMaker domain (C4, C1, C6): VPC only, IAM authentication, its home
 * volume under the environment's key, the private subnets and the training
 * security group, the execution role as default, home volume retained; one
 * user profile with the same settings; no notebook instance with internet.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { AWS_STACKS, T, configOf, envName, named, one } from "./helpers";
import { nameProblem } from "../../../stacks/naming";

for (const stack of AWS_STACKS) {
  describe(`aws ${stack}: SageMaker domain`, () => {
    const config = configOf(stack);
    const name = envName(config);
    let rec: Recording;
    let domain: RecordedResource;
    before(async () => {
      rec = await runStack(stack);
      domain = one(rec, T.domain);
    });

    it("C4: VpcOnly with IAM auth in the environment's VPC and private subnets", () => {
      expect(domain.inputs.appNetworkAccessType, domain.urn).to.equal("VpcOnly");
      expect(domain.inputs.authMode, domain.urn).to.equal("IAM");
      expect(domain.inputs.vpcId, domain.urn).to.equal(one(rec, T.vpc).outputs.id);
      expect(domain.inputs.subnetIds, domain.urn).to.have.members(ofType(rec, T.subnet).map((s) => s.outputs.id));
      expect(domain.inputs.subnetIds, domain.urn).to.have.length(config.azCount);
      expect(rec.outputs!.domainId).to.equal(domain.outputs.id);
    });

    it("C1: the domain's home volume is encrypted with the environment's key and retained on deletion", () => {
      expect(domain.inputs.kmsKeyId, domain.urn).to.equal(one(rec, T.key).outputs.arn);
      expect(domain.inputs.retentionPolicy, domain.urn).to.deep.equal({ homeEfsFileSystem: "Retain" });
    });

    it("C6: users run as the execution role inside the training security group and never share notebook output", () => {
      const role = named(rec, T.role, `${name}-sagemaker-exec`);
      const sg = named(rec, T.sg, `${name}-training-sg`);
      const expected = { executionRole: role.outputs.arn, securityGroups: [sg.outputs.id], sharingSettings: { notebookOutputOption: "Disabled" } };
      expect(domain.inputs.defaultUserSettings, domain.urn).to.deep.equal(expected);
      const profile = one(rec, T.userProfile);
      expect(profile.inputs.domainId, profile.urn).to.equal(domain.outputs.id);
      expect(profile.inputs.userSettings, profile.urn).to.deep.equal(expected);
    });

    it("C4: names are valid SageMaker names; no notebook instance with internet or root access", () => {
      expect(nameProblem("sagemakerDomain", domain.inputs.domainName), domain.urn).to.equal(undefined);
      expect(nameProblem("sagemakerUserProfile", one(rec, T.userProfile).inputs.userProfileName)).to.equal(undefined);
      for (const nb of ofType(rec, "aws:sagemaker/notebookInstance:NotebookInstance")) {
        expect(nb.inputs.directInternetAccess, nb.urn).to.equal("Disabled");
        expect(nb.inputs.rootAccess, nb.urn).to.equal("Disabled");
      }
    });
  });
}
