/** The documented config (README table, Pulumi.yaml declarations) matches the config module. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "yaml";
import { CONFIG_KEYS, parseStackConfig } from "../../stacks/config";
import { ROOT, PROJECT } from "../harness";

describe("config documentation", () => {
  it("the README reference lists exactly the keys the config module reads", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = /<!-- config-reference:start -->([\s\S]*?)<!-- config-reference:end -->/.exec(readme);
    expect(table, "README config-reference markers").to.not.equal(null);
    const keys = [...table![1].matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect([...keys].sort()).to.deep.equal(Object.keys(CONFIG_KEYS).sort());
  });

  it("Pulumi.yaml declares only common keys, typed and described, with the program's defaults", () => {
    // The Pulumi CLI treats a declared key without a default as required in every stack, so
    // cloud-specific keys stay undeclared (documented in the README reference instead).
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    const declared = Object.keys(project.config);
    expect(declared).to.include.members(["cloud", "tier", "owner"]);
    for (const [k, decl] of Object.entries<any>(project.config)) {
      expect(CONFIG_KEYS[k], `${k} is a key the config module reads`).to.not.equal(undefined);
      expect(CONFIG_KEYS[k].scope, `${k} applies to both clouds`).to.equal("common");
      expect(decl.type, `${k}.type`).to.be.oneOf(["string", "integer", "boolean", "array"]);
      expect(decl.description, `${k}.description`).to.be.a("string").and.not.equal("");
    }
    const defaults = Object.fromEntries(
      Object.entries<any>(project.config)
        .filter(([, d]) => d.default !== undefined)
        .map(([k, d]) => [`${PROJECT}:${k}`, String(d.default)]),
    );
    const base = { [`${PROJECT}:cloud`]: "aws", [`${PROJECT}:tier`]: "dev", [`${PROJECT}:owner`]: "o", [`${PROJECT}:region`]: "us-east-1" };
    expect(parseStackConfig({ ...base, ...defaults }, PROJECT, "x")).to.deep.equal(parseStackConfig(base, PROJECT, "x"));
  });
});
