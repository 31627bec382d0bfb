/**
 * `.github/dependabot.yml` is a valid Dependabot v2 configuration (checked with
 * ajv against the keys of GitHub's options reference,
 * https://docs.github.com/en/code-security/reference/supply-chain-security/dependabot-options-reference)
 * and covers what this repository pins: npm for the program, the policy pack
 * and .ci/node24 (the `@pulumi/*` packages grouped so they move together),
 * and the SHA-pinned GitHub Actions.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as YAML from "yaml";
import { REPO_ROOT } from "./workflows";

const FILE = path.join(REPO_ROOT, ".github", "dependabot.yml");
const INTERVALS = ["daily", "weekly", "monthly", "quarterly", "semiannually", "yearly", "cron"];
const ECOSYSTEMS = [
  "bundler",
  "cargo",
  "composer",
  "devcontainers",
  "docker",
  "docker-compose",
  "dotnet-sdk",
  "elm",
  "github-actions",
  "gitsubmodule",
  "gomod",
  "gradle",
  "helm",
  "maven",
  "mix",
  "npm",
  "nuget",
  "pip",
  "pub",
  "swift",
  "terraform",
  "uv",
];

/** The documented shape (required keys, their types and allowed values); unknown keys are rejected. */
const SCHEMA = {
  type: "object",
  required: ["version", "updates"],
  additionalProperties: false,
  properties: {
    version: { const: 2 },
    registries: { type: "object" },
    "multi-ecosystem-groups": { type: "object" },
    "enable-beta-ecosystems": { type: "boolean" },
    updates: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["package-ecosystem", "schedule"],
        oneOf: [{ required: ["directory"] }, { required: ["directories"] }],
        additionalProperties: false,
        properties: {
          "package-ecosystem": { enum: ECOSYSTEMS },
          directory: { type: "string", pattern: "^/" },
          directories: { type: "array", minItems: 1, items: { type: "string", pattern: "^/" } },
          schedule: {
            type: "object",
            required: ["interval"],
            additionalProperties: false,
            properties: {
              interval: { enum: INTERVALS },
              day: { type: "string" },
              time: { type: "string" },
              timezone: { type: "string" },
              cronjob: { type: "string" },
            },
          },
          groups: {
            type: "object",
            additionalProperties: {
              type: "object",
              additionalProperties: false,
              properties: {
                "applies-to": { enum: ["version-updates", "security-updates"] },
                "dependency-type": { enum: ["development", "production"] },
                patterns: { type: "array", items: { type: "string" } },
                "exclude-patterns": { type: "array", items: { type: "string" } },
                "update-types": { type: "array", items: { enum: ["major", "minor", "patch"] } },
                "group-by": { type: "string" },
              },
            },
          },
          "open-pull-requests-limit": { type: "integer", minimum: 0 },
          allow: { type: "array" },
          ignore: { type: "array" },
          assignees: { type: "array" },
          labels: { type: "array" },
          milestone: { type: "integer" },
          "commit-message": { type: "object" },
          "pull-request-branch-name": { type: "object" },
          "rebase-strategy": { enum: ["auto", "disabled"] },
          registries: {},
          reviewers: { type: "array" },
          "target-branch": { type: "string" },
          vendor: { type: "boolean" },
          "versioning-strategy": { enum: ["auto", "increase", "increase-if-necessary", "lockfile-only", "widen"] },
          "insecure-external-code-execution": { enum: ["allow", "deny"] },
          "exclude-paths": { type: "array" },
          cooldown: { type: "object" },
        },
      },
    },
  },
};

interface Update {
  readonly "package-ecosystem": string;
  readonly directory?: string;
  readonly directories?: readonly string[];
  readonly groups?: Record<string, { patterns?: string[] }>;
}

function load(): { version: number; updates: Update[] } {
  return YAML.parse(fs.readFileSync(FILE, "utf8"));
}

function validator() {
  return new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
}

/** A glob of Dependabot's group patterns (`*` any run of characters). */
function matches(pattern: string, name: string): boolean {
  return new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  ).test(name);
}

describe("delivery: .github/dependabot.yml", () => {
  it("is a valid Dependabot v2 configuration", () => {
    const validate = validator();
    expect(validate(load()), JSON.stringify(validate.errors)).to.equal(true);
  });

  it("the validation rejects a misspelt key, a bad interval and an entry without a directory", () => {
    const validate = validator();
    const good = load();
    const broken = [
      { ...good, version: 1 },
      { ...good, updates: [{ ...good.updates[0], schedule: { interval: "hourly" } }] },
      { ...good, updates: [{ ...good.updates[0], scheduel: { interval: "weekly" } }] },
      { ...good, updates: [{ "package-ecosystem": "npm", schedule: { interval: "weekly" } }] },
    ];
    for (const b of broken) expect(validate(b), JSON.stringify(b).slice(0, 120)).to.equal(false);
  });

  it("updates npm in every folder with a pinned package.json, grouping the @pulumi/* packages", () => {
    const npm = load().updates.filter((u) => u["package-ecosystem"] === "npm");
    const dirs = npm.flatMap((u) => u.directories ?? [u.directory!]);
    for (const dir of ["/", "/policy-pack", "/.ci/node24"]) {
      expect(dirs, dir).to.include(dir);
      expect(fs.existsSync(path.join(REPO_ROOT, dir, "package.json")), `${dir}/package.json`).to.equal(true);
    }
    const pulumiDeps = ["package.json", "policy-pack/package.json"].flatMap((f) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8"));
      return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith("@pulumi/"));
    });
    expect(pulumiDeps).to.include.members(["@pulumi/pulumi", "@pulumi/policy", "@pulumi/aws", "@pulumi/azure-native"]);
    for (const u of npm) {
      const group = Object.values(u.groups ?? {}).find((g) => (g.patterns ?? []).some((p) => matches(p, "@pulumi/pulumi")));
      expect(group, "a group for @pulumi/*").to.not.equal(undefined);
      for (const d of pulumiDeps)
        expect(
          group!.patterns!.some((p) => matches(p, d)),
          d,
        ).to.equal(true);
    }
  });

  it("updates the GitHub Actions pins of .github/workflows", () => {
    const actions = load().updates.filter((u) => u["package-ecosystem"] === "github-actions");
    expect(actions).to.have.length(1);
    expect(actions[0].directory ?? actions[0].directories?.[0]).to.equal("/");
  });
});
