/**
 * The instance-storage classification (issue 19) is data with sources: every
 * SageMaker training instance type the SDK's API model lists is either
 * classified (NVMe instance store or EBS only) or explicitly unclassified, the
 * classes are disjoint, the families the SageMaker API reference names are in
 * the right class, and the IAM family patterns cannot leak between families.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { TrainingInstanceType } from "@aws-sdk/client-sagemaker";
import {
  EBS_ONLY_FAMILIES,
  familyPattern,
  familyPatterns,
  INSTANCE_STORAGE_SOURCES,
  instanceFamily,
  instanceStorage,
  NVME_FAMILIES,
  UNCLASSIFIED_FAMILIES,
} from "../../../policy-pack/lib/sagemaker-instance-storage";
import { globMatch } from "../../stacks/aws/iam-evaluate";

describe("SageMaker instance storage classification", () => {
  const types = Object.values(TrainingInstanceType);

  it("covers every training instance type in the SDK's model: classified, or listed as unclassified", () => {
    expect(types.length).to.be.greaterThan(100);
    const missing = types.filter(
      (t) => instanceStorage(t) === undefined && !(UNCLASSIFIED_FAMILIES as readonly string[]).includes(instanceFamily(t)!),
    );
    expect(missing).to.deep.equal([]);
  });

  it("lists only families that SageMaker trains on, each once, in exactly one class", () => {
    const families = new Set(types.map((t) => instanceFamily(t)));
    const all = [...NVME_FAMILIES, ...EBS_ONLY_FAMILIES, ...UNCLASSIFIED_FAMILIES];
    expect(new Set(all).size, "disjoint and unique").to.equal(all.length);
    for (const f of all) expect(families.has(f), `ml.${f}.* is not a SageMaker training family`).to.equal(true);
  });

  it("puts the families the SageMaker API reference names where it says (ml.p4d, ml.g4dn, ml.g5 NVMe; ml.c5, ml.p2 EBS)", () => {
    for (const t of ["ml.p4d.24xlarge", "ml.g4dn.xlarge", "ml.g5.2xlarge"]) expect(instanceStorage(t), t).to.equal("nvme");
    for (const t of ["ml.c5.xlarge", "ml.p2.xlarge"]) expect(instanceStorage(t), t).to.equal("ebs");
  });

  it("classifies the issue's four types: ml.g5.2xlarge, ml.p4d.24xlarge NVMe; ml.m5.xlarge, ml.p3.2xlarge EBS only", () => {
    expect(["ml.g5.2xlarge", "ml.p4d.24xlarge", "ml.m5.xlarge", "ml.p3.2xlarge"].map(instanceStorage)).to.deep.equal([
      "nvme",
      "nvme",
      "ebs",
      "ebs",
    ]);
  });

  it("returns undefined for names that are not ml.<family>.<size> or whose family is unclassified", () => {
    for (const t of ["g5.2xlarge", "ml.g5", "ML.G5.2XLARGE", "ml.g7e.2xlarge", "ml.zz9.xlarge", ""])
      expect(instanceStorage(t), t).to.equal(undefined);
  });

  it("family patterns match exactly their family: ml.p4d.* does not match ml.p4de.*, ml.p5.* not ml.p5e.*, ml.trn1.* not ml.trn1n.*", () => {
    for (const t of types) {
      const f = instanceFamily(t)!;
      const matching = [...familyPatterns("nvme"), ...familyPatterns("ebs")].filter((p) => globMatch(p, t));
      expect(matching, t).to.deep.equal(instanceStorage(t) === undefined ? [] : [familyPattern(f)]);
    }
  });

  it("names its sources: the SageMaker rule, the EC2 instance-store table and the NVMe encryption page", () => {
    for (const url of Object.values(INSTANCE_STORAGE_SOURCES)) expect(url).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe("docs/train.md lists the classification as the data has it", () => {
  const text = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "train.md"), "utf8");
  const listed = (label: string): string[] => {
    const m = new RegExp(`${label}[^(]*\\(([^)]*)\\)`).exec(text);
    return m ? [...m[1].matchAll(/`(?:ml\.)?([a-z0-9-]+)`/g)].map((x) => x[1]) : [];
  };
  it("NVMe families, EBS-only families and the unclassified ones", () => {
    expect(listed("request for an NVMe type")).to.deep.equal([...NVME_FAMILIES]);
    expect(listed("EBS-only type")).to.deep.equal([...EBS_ONLY_FAMILIES]);
    expect(listed("a family\\s+it does not classify")).to.deep.equal([...UNCLASSIFIED_FAMILIES]);
  });
});
