/**
 * The delivery docs (docs/delivery.md, merged into README.md) show the
 * commands CI really runs: every `pulumi preview` / `pulumi up` line in them
 * is the command a workflow runs for some stack (or that command with
 * `<stack>`/`<tier>` placeholders), every `npm run check` line is accepted by
 * the check's own flag parser, and the CI check command appears verbatim.
 * The docs also cover every variable the workflows read and the topics the
 * delivery issue requires (backends, new environments, OIDC trust, roles).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseCheckArgs } from "../../cli/check/args";
import { CHECKS_WORKFLOW, REPO_ROOT, genericPulumiCommands, loadWorkflows, pulumiCommandsOfRun, stackRuns } from "./workflows";
import { interpolate } from "./expressions";
import { codeLines, pulumiOperations } from "./markdown";

const DOCS = path.join(REPO_ROOT, "docs", "delivery.md");
const README = path.join(REPO_ROOT, "README.md");

const isCheck = (l: string) => l.startsWith("npm run check");

/** Placeholders as the docs write them, replaced by real values for the flag parser. */
function concrete(cmd: string): string {
  return cmd
    .replace(/<stack>/g, "dev")
    .replace(/<tier>/g, "dev")
    .replace(/"\$stack"/g, "dev");
}

function checkArgv(cmd: string): string[] {
  const m = /^npm run check(?: -- (.*))?$/.exec(concrete(cmd));
  if (!m) throw new Error(`not an npm run check command: ${cmd}`);
  return m[1] ? m[1].split(" ") : [];
}

describe("delivery: the docs show the commands CI runs", () => {
  const workflows = loadWorkflows();
  const runs = stackRuns(workflows);
  const docs = fs.readFileSync(DOCS, "utf8");
  const ciCommands = new Set<string>([
    ...runs.filter((r) => r.inputs).flatMap((r) => pulumiCommandsOfRun(r, workflows)),
    ...genericPulumiCommands(workflows, "preview"),
    ...genericPulumiCommands(workflows, "up"),
  ]);

  it("extracts commands from fenced blocks, joining continuations", () => {
    const md =
      "text pulumi up\n```sh\n$ pulumi preview --stack dev \\\n  --policy-pack ./policy-pack\nnpm test\n```\npulumi up --stack x\n";
    expect(codeLines(md)).to.deep.equal(["pulumi preview --stack dev --policy-pack ./policy-pack", "npm test"]);
  });

  it("reads a preview/up without --stack as running on the stack selected before it", () => {
    const lines = codeLines(
      "```\npulumi up --stack a\npulumi stack select prod   # or dev\npulumi preview --policy-pack p\npulumi up --stack b\n```\n",
    );
    expect(pulumiOperations(lines)).to.deep.equal([
      "pulumi up --stack a",
      "pulumi preview --stack prod --policy-pack p",
      "pulumi up --stack b",
    ]);
  });

  it("shows the generic preview and up commands exactly as the workflows run them", () => {
    const lines = codeLines(docs);
    for (const cmd of [...genericPulumiCommands(workflows, "preview"), ...genericPulumiCommands(workflows, "up")]) {
      expect(lines, "docs/delivery.md code blocks").to.include(cmd);
    }
  });

  it("shows a concrete preview and up for the dev stack exactly as CI runs them", () => {
    const dev = runs.find((r) => r.command === "up" && r.stack === "dev")!;
    for (const cmd of pulumiCommandsOfRun(dev, workflows)) expect(codeLines(docs)).to.include(cmd);
  });

  for (const [label, file] of [
    ["docs/delivery.md", DOCS],
    ["README.md", README],
  ] as const) {
    it(`every pulumi preview/up in ${label} is a command CI runs (policy pack and tier config included)`, function () {
      if (!fs.existsSync(file)) this.skip();
      const stray = pulumiOperations(codeLines(fs.readFileSync(file, "utf8"))).filter((l) => !ciCommands.has(l));
      expect(stray, `commands in ${label} that no workflow runs; expected one of:\n${[...ciCommands].join("\n")}`).to.deep.equal([]);
    });

    it(`every npm run check in ${label} uses flags the check accepts`, function () {
      if (!fs.existsSync(file)) this.skip();
      for (const cmd of codeLines(fs.readFileSync(file, "utf8")).filter(isCheck)) {
        expect(() => parseCheckArgs(checkArgv(cmd), REPO_ROOT), cmd).to.not.throw();
      }
    });
  }

  it("catches a docs command that drifts from CI (missing tier config, wrong tier, no policy pack)", () => {
    const drifted = [
      "pulumi preview --stack dev --policy-pack ./policy-pack",
      "pulumi up --stack prod --policy-pack ./policy-pack --policy-pack-config policy-pack/config/dev.json",
      "pulumi up --stack dev",
    ];
    for (const cmd of drifted) expect(ciCommands.has(cmd), cmd).to.equal(false);
  });

  it("shows the credential-free CI commands (npm ci, npm test, the SARIF check) verbatim", () => {
    const checks = workflows.get(path.basename(CHECKS_WORKFLOW))!;
    const ciRuns = Object.values(checks.doc.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run).filter((r): r is string => !!r));
    const ciCheck = ciRuns.map((r) => /npm run check -- .*$/.exec(r)?.[0]).find((c) => c !== undefined)!;
    const generic = interpolate(ciCheck, { matrix: { stack: "<stack>" } });
    expect(generic).to.equal("npm run check -- --stack <stack> --format sarif --output out/check-<stack>.sarif");
    const lines = codeLines(docs);
    expect(lines).to.include(generic);
    expect(lines).to.include("npm ci");
    expect(lines).to.include("npm test");
    expect(ciRuns.some((r) => r.startsWith("npm ci"))).to.equal(true);
    expect(ciRuns).to.include("npm test");
  });

  it("every npm run check in the workflows uses flags the check accepts", () => {
    const cmds = [...workflows.values()].flatMap((w) =>
      Object.values(w.doc.jobs).flatMap((j) =>
        (j.steps ?? []).flatMap((s) => [...(s.run ?? "").matchAll(/npm run check -- [^\n&|;]*/g)].map((m) => m[0].trim())),
      ),
    );
    expect(cmds).to.not.be.empty;
    for (const cmd of cmds) {
      const plain = String(interpolate(cmd, { matrix: { stack: "dev" } }));
      expect(() => parseCheckArgs(checkArgv(plain), REPO_ROOT), plain).to.not.throw();
    }
  });

  it("documents every repository/environment variable and secret the workflows read", () => {
    const names = new Set(
      [...workflows.values()].flatMap((w) => [...w.source.matchAll(/(?:vars|secrets)\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1])),
    );
    expect(names.size).to.be.greaterThan(5);
    for (const name of names) expect(docs, name).to.include(`\`${name}\``);
  });

  it("documents the OIDC trust subject of every environment a workflow uses", () => {
    const envs = new Set(runs.map((r) => r.environment).filter((e): e is string => !!e));
    for (const env of envs) expect(docs, `subject for ${env}`).to.match(new RegExp(`:environment:${env.replace(/[-]/g, "\\-")}[\`']`));
    expect(docs).to.include("repo:<owner>/<repo>:environment:");
    expect(docs).to.include("token.actions.githubusercontent.com:sub");
    expect(docs).to.include("api://AzureADTokenExchange");
  });

  it("covers state backends, new environments, deployer roles and the policy pack", () => {
    const lines = codeLines(docs);
    const has = (re: RegExp, what: string) =>
      expect(
        lines.some((l) => re.test(l)),
        what,
      ).to.equal(true);
    has(/^pulumi login$/, "Pulumi Cloud login");
    has(/^pulumi login 's3:\/\//, "S3 backend login");
    has(/--secrets-provider 'awskms:\/\//, "awskms secrets provider");
    has(/^pulumi login azblob:\/\//, "Azure Blob backend login");
    has(/--secrets-provider 'azurekeyvault:\/\//, "azurekeyvault secrets provider");
    has(/^pulumi stack init /, "pulumi stack init");
    has(/^pulumi config set /, "pulumi config set");
    has(/^cp Pulumi\.dev\.yaml Pulumi\.[\w-]+\.yaml$/, "copying a stack file");
    has(/^scripts\/publish-policy-pack\.sh /, "publishing the pack");
    expect(docs).to.include("pulumi config set --stack staging --secret");
    expect(docs).to.include("pulumi policy publish <org>");
    expect(docs).to.match(/Role Based Access Control Administrator/);
    expect(docs).to.match(/resourceGroups\/<stack-resource-group>/);
    expect(docs).to.include('"iam:PassedToService"');
    expect(docs).to.include("policy-pack-v");
  });
});
