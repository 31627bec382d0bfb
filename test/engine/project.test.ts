/**
 * Tests of engine/project.ts: the project root and the shipped stacks,
 * discovered from the `Pulumi.<stack>.yaml` files.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { POLICY_PACK_DIR, PROJECT_ROOT, shippedStackNames, shippedStacks, stacksOfCloud } from "../../engine/project";

describe("engine: the project and its shipped stacks", () => {
  it("the project root holds Pulumi.yaml and package.json; the pack holds PulumiPolicy.yaml", () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, "Pulumi.yaml"))).to.equal(true);
    expect(fs.existsSync(path.join(PROJECT_ROOT, "package.json"))).to.equal(true);
    expect(fs.existsSync(path.join(POLICY_PACK_DIR, "PulumiPolicy.yaml"))).to.equal(true);
  });

  it("discovers the four shipped stacks with their cloud and tier, AWS first and dev before prod", () => {
    expect(shippedStacks().map((s) => `${s.name}:${s.cloud}:${s.tier}`)).to.deep.equal([
      "dev:aws:dev",
      "prod:aws:prod",
      "azure-dev:azure:dev",
      "azure-prod:azure:prod",
    ]);
    expect(stacksOfCloud("aws")).to.deep.equal(["dev", "prod"]);
    expect(stacksOfCloud("azure")).to.deep.equal(["azure-dev", "azure-prod"]);
    for (const s of shippedStacks()) expect(path.basename(s.file)).to.equal(`Pulumi.${s.name}.yaml`);
  });

  it("picks up a new stack file without another list to edit, and ignores other files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
      const stack = (name: string, cloud: string, tier: string) =>
        fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), `config:\n  p:cloud: ${cloud}\n  p:tier: ${tier}\n`);
      stack("staging", "azure", "prod");
      stack("b-dev", "aws", "dev");
      stack("a-prod", "aws", "prod");
      stack("azure-sandbox", "azure", "dev");
      fs.writeFileSync(path.join(dir, "Pulumi.notes.txt"), "not a stack");
      expect(shippedStackNames(dir)).to.deep.equal(["b-dev", "a-prod", "azure-sandbox", "staging"]);
      expect(stacksOfCloud("azure", dir)).to.deep.equal(["azure-sandbox", "staging"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
