/**
 * Pulumi.yaml and the stack files carry what the real Pulumi CLI needs, so
 * `pulumi preview` / `pulumi up` get past the CLI's own config checks before
 * the program runs: the project file is valid, every declared key is set by
 * (or defaulted for) every stack, stack values have the declared types, and
 * the project defaults are exactly the program's own defaults (a default
 * never changes what a stack deploys). The CLI's rules are reimplemented in
 * ./pulumi-config.ts from pulumi/pulumi's sdk/go/common/workspace.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, parseStackConfig } from "../../stacks/config";
import { readProject, readStackFile } from "../../engine/recorder";
import { ProjectConfig, projectConfigProblems, stackConfigProblems } from "./pulumi-config";
import { REPO_ROOT, readStacks } from "./workflows";

const read = (file: string) => YAML.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));

describe("delivery: Pulumi.yaml and stack files pass the Pulumi CLI's config checks", () => {
  const project = read("Pulumi.yaml") as ProjectConfig & {
    runtime: { name: string; options?: Record<string, unknown> };
    main?: string;
    description?: string;
  };
  const stacks = readStacks();

  it("is a TypeScript Node.js project whose main file exists", () => {
    expect(project.name).to.equal("secure-ml-training");
    expect(project.runtime.name).to.equal("nodejs");
    expect(project.runtime.options?.typescript).to.equal(true);
    expect(fs.existsSync(path.join(REPO_ROOT, project.main ?? "index.ts"))).to.equal(true);
    expect(project.description).to.be.a("string").and.not.equal("");
  });

  it("declares its config keys in a form the CLI accepts, each with a type and a description", () => {
    expect(projectConfigProblems(project)).to.deep.equal([]);
    for (const [key, decl] of Object.entries(project.config ?? {}) as [string, { type?: string; description?: string }][]) {
      expect(decl.type, `${key}.type`).to.be.oneOf(["string", "integer", "boolean", "array"]);
      expect(decl.description, `${key}.description`).to.be.a("string").and.not.equal("");
    }
  });

  for (const file of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))) {
    it(`${file} sets every declared key without a default, with the declared type`, () => {
      const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(file)![1];
      expect(stackConfigProblems(project, stack, read(file)?.config ?? {})).to.deep.equal([]);
    });
  }

  it("declares only keys the program reads and that apply to every cloud (a cloud-specific declaration would be required on the other cloud's stacks)", () => {
    for (const key of Object.keys(project.config ?? {})) {
      expect(CONFIG_KEYS, `${key} is a key the program reads`).to.have.property(key);
      expect(CONFIG_KEYS[key].scope, `${key} scope`).to.equal("common");
    }
    for (const key of ["cloud", "tier", "owner"])
      expect(project.config, "required keys are documented for pulumi config").to.have.property(key);
  });

  it("uses project defaults that equal the program's own defaults, so they change no stack", () => {
    const withDefaults = readProject(REPO_ROOT);
    const withoutDefaults = { ...withDefaults, defaults: {} };
    expect(Object.keys(withDefaults.defaults)).to.not.be.empty;
    for (const { stack } of stacks) {
      const a = parseStackConfig(readStackFile(withDefaults, stack).config, withDefaults.name, stack);
      const b = parseStackConfig(readStackFile(withoutDefaults, stack).config, withDefaults.name, stack);
      expect(a, stack).to.deep.equal(b);
    }
  });

  it("would reject a cloud-specific declaration without a default (the rule the project file is shaped by)", () => {
    const declaredEverywhere: ProjectConfig = {
      name: "secure-ml-training",
      config: {
        ...project.config,
        location: { type: "string", description: "Azure only" },
        mlWorkspace: { type: "boolean" },
        vnetCidr: { type: "string" },
      },
    };
    const dev = read("Pulumi.dev.yaml").config;
    expect(stackConfigProblems(declaredEverywhere, "dev", dev)).to.deep.equal([
      "Stack 'dev' is missing configuration values 'location', 'mlWorkspace' and 'vnetCidr'",
    ]);
    expect(stackConfigProblems({ name: "p", config: { region: { type: "string" } } }, "x", {})).to.deep.equal([
      "Stack 'x' is missing configuration value 'region'",
    ]);
  });

  it("would reject a stack value of the wrong type and a malformed declaration", () => {
    const typed: ProjectConfig = {
      name: "p",
      config: { azCount: { type: "integer" }, eps: { type: "array", items: { type: "string" } }, on: { type: "boolean" } },
    };
    expect(stackConfigProblems(typed, "x", { "p:azCount": 2, "p:eps": ["a"], "p:on": true })).to.deep.equal([]);
    expect(stackConfigProblems(typed, "x", { "p:azCount": "two", "p:eps": "a", "p:on": "yes" })).to.deep.equal([
      "Stack 'x' with configuration key 'azCount' must be of type 'integer'",
      "Stack 'x' with configuration key 'eps' must be of type 'array<string>'",
      "Stack 'x' with configuration key 'on' must be of type 'boolean'",
    ]);
    expect(
      projectConfigProblems({
        name: "p",
        config: { eps: { type: "array" }, n: { type: "integer", default: "x" }, "aws:region": { default: "us-east-1" } },
      }),
    ).to.deep.equal([
      "The configuration key 'eps' declares an array but does not specify the underlying type via the 'items' attribute",
      "The default value specified for configuration key 'n' is not of the expected type 'integer'",
      "Configuration key 'aws:region' is not namespaced by the project and should not define a default value",
      "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
    ]);
  });
});
