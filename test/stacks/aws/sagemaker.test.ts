/**
 * The SageMaker domain (C4, C1, C6, C11): created only when the stack's
 * `studio` key is true; VPC only, IAM authentication, its home volume under
 * the environment's key, the private subnets and the training security
 * group, the execution role as default; one user profile with the same
 * settings; no notebook instance with internet. Dev deletes the home volume
 * with the domain (so `pulumi destroy` can delete the VPC); prod retains it
 * and protects the domain.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { T, configOf, envName, named, one } from "./helpers";
import { nameProblem } from "../../../stacks/naming";

/** Stacks with a domain: prod as shipped, and dev with Studio switched on (with both endpoints it needs). */
const WITH_STUDIO: { label: string; stack: "dev" | "prod"; overrides: Record<string, string> }[] = [
  { label: "prod", stack: "prod", overrides: {} },
  {
    label: "dev with studio=true",
    stack: "dev",
    overrides: { studio: "true", interfaceEndpoints: '["sagemaker.api","sagemaker.runtime"]' },
  },
];

describe("aws dev: no Studio domain by default", () => {
  it("C11: dev registers no domain, no user profile and no interface endpoint, and has no domainId output", async () => {
    const rec = await runStack("dev");
    expect(configOf("dev").studio).to.equal(false);
    expect(ofType(rec, T.domain)).to.deep.equal([]);
    expect(ofType(rec, T.userProfile)).to.deep.equal([]);
    expect(ofType(rec, T.vpce).filter((e) => e.inputs.vpcEndpointType === "Interface")).to.deep.equal([]);
    expect(rec.outputs).to.not.have.property("domainId");
  });
});

for (const { label, stack, overrides } of WITH_STUDIO) {
  describe(`aws ${label}: SageMaker domain`, () => {
    const config = configOf(stack, overrides);
    const name = envName(config);
    let rec: Recording;
    let domain: RecordedResource;
    before(async () => {
      rec = await runStack(stack, overrides);
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

    it("C11: the VPC has the sagemaker.api and sagemaker.runtime interface endpoints the domain needs", () => {
      const services = ofType(rec, T.vpce)
        .filter((e) => e.inputs.vpcEndpointType === "Interface" && e.inputs.vpcId === one(rec, T.vpc).outputs.id)
        .map((e) => e.inputs.serviceName);
      expect(services).to.include.members([
        `com.amazonaws.${config.region}.sagemaker.api`,
        `com.amazonaws.${config.region}.sagemaker.runtime`,
      ]);
    });

    it("C1: the domain's home volume is encrypted with the environment's key", () => {
      expect(domain.inputs.kmsKeyId, domain.urn).to.equal(one(rec, T.key).outputs.arn);
    });

    it(`C11: ${config.tier === "prod" ? "prod retains the home volume and protects the domain" : "dev deletes the home volume with the domain and does not protect it"}`, () => {
      const retention = config.tier === "prod" ? "Retain" : "Delete";
      expect(domain.inputs.retentionPolicy, domain.urn).to.deep.equal({ homeEfsFileSystem: retention });
      expect(domain.options.protect === true, `${domain.urn}: protect`).to.equal(config.tier === "prod");
    });

    it("C6: users run as the execution role inside the training security group and never share notebook output", () => {
      const role = named(rec, T.role, `${name}-sagemaker-exec`);
      const sg = named(rec, T.sg, `${name}-training-sg`);
      const expected = {
        executionRole: role.outputs.arn,
        securityGroups: [sg.outputs.id],
        sharingSettings: { notebookOutputOption: "Disabled" },
      };
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
