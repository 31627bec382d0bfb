/** The documented config (README table, Pulumi.yaml declarations) matches the config module. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "yaml";
import { CONFIG_KEYS } from "../stacks/config";
import { ROOT } from "./harness";

describe("config documentation", () => {
  it("the README reference lists exactly the keys the config module reads", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = /<!-- config-reference:start -->([\s\S]*?)<!-- config-reference:end -->/.exec(readme);
    expect(table, "README config-reference markers").to.not.equal(null);
    const keys = [...table![1].matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect([...keys].sort()).to.deep.equal(Object.keys(CONFIG_KEYS).sort());
  });

  it("Pulumi.yaml declares every key, with a type and a description", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(Object.keys(project.config).sort()).to.deep.equal(Object.keys(CONFIG_KEYS).sort());
    for (const [k, decl] of Object.entries<any>(project.config)) {
      expect(decl.type, `${k}.type`).to.be.oneOf(["string", "integer", "boolean", "array"]);
      expect(decl.description, `${k}.description`).to.be.a("string").and.not.equal("");
    }
  });
});
