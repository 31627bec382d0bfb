/**
 * The mutation suite (`npm run mutate`) as a test: one run of the real
 * policy pack over the analyzer protocol (one pack process for the whole
 * file) on the recordings `npm run check` makes, prod policy config.
 *
 * Proves: the catalog has at least 40 distinct mutations, the floor
 * list among them, covering C1-C10 on both clouds, each expecting the policy
 * of its own control; the unmutated stacks have no violation of any level
 * (the false-positive guard the policy-pack tests also hold per tier); every
 * mutant is killed by the expected policy (a survivor or a catch by the
 * wrong policy fails); benign changes are not "killed" (so 100% is not an
 * artefact of catching any change); no known gap is left (the former
 * gaps are killed mutations now), and any gap added later must still
 * survive (so the list stays true); the report and the CLI say so.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { knownGaps, MUTATIONS } from "../../../tools/mutate/catalog";
import { parseMutateArgs } from "../../../tools/mutate/cli";
import { editDocument, mutation, MutationTargetError, one, set, statement } from "../../../tools/mutate/edit";
import { killRateLine, renderCatalog, renderJson, renderTable } from "../../../tools/mutate/report";
import { classify, runMutationSuite, SuiteResult } from "../../../tools/mutate/run";
import { AWS_STACKS, AZURE_STACKS, CONTROLS, Mutation } from "../../../tools/mutate/types";
import { catalogProblems } from "../../../tools/mutate/validate";
import { ROOT, runStack } from "../../harness";
import { ALL_POLICIES } from "../../policy-pack/pack";

/** The list of mutations (the floor), by catalog name. */
const FLOOR: Record<string, string> = {
  "one public-access-block flag false": "s3-public-access-block-flag-false",
  "the block removed": "s3-public-access-block-removed",
  "SSE switched to AES256": "s3-sse-aes256",
  "SSE config removed": "s3-sse-config-removed",
  "key rotation off": "kms-key-rotation-off",
  "deletion window 7 days in prod": "kms-key-deletion-window-7-days",
  "public-read ACL": "s3-public-read-acl",
  "ownership controls removed": "s3-ownership-controls-removed",
  "TLS deny statement removed": "s3-tls-deny-removed",
  "versioning suspended": "s3-versioning-suspended",
  "access logging removed": "s3-access-logging-removed",
  "s3:* added to the role": "iam-role-policy-s3-wildcard-action",
  "* added to the role": "iam-role-policy-star-action",
  "* resource on s3:GetObject": "iam-getobject-any-bucket",
  "NotAction with Allow": "iam-allow-not-action",
  "trust principal *": "iam-trust-any-principal",
  "trust another account": "iam-trust-other-account",
  "AdministratorAccess attached": "iam-administrator-access-attached",
  "IAM user with an access key": "iam-user-with-access-key",
  "internet gateway added": "vpc-internet-gateway-added",
  "NAT gateway added": "vpc-nat-gateway-added",
  "domain PublicInternetOnly": "sagemaker-domain-public-internet",
  "notebook with direct internet": "sagemaker-notebook-direct-internet",
  "allowBlobPublicAccess true": "azure-storage-blob-public-access-on",
  "container public access Blob": "azure-container-public-blob",
  "shared key on": "azure-storage-shared-key-on",
  TLS1_0: "azure-storage-tls-1-0",
  "https only off": "azure-storage-https-only-off",
  "public network access enabled": "azure-storage-public-network-enabled",
  "network default Allow": "azure-storage-network-default-allow",
  "vault purge protection off": "azure-vault-purge-protection-off",
  "RBAC off on the vault": "azure-vault-rbac-off",
  "key without rotation policy": "azure-key-without-rotation-policy",
  "Owner role assigned": "azure-owner-role-assigned",
  "role at subscription scope": "azure-role-at-subscription-scope",
  "ML workspace public": "azure-ml-workspace-public",
  "prod data store without protect": "s3-data-bucket-unprotected",
  "a required tag removed": "aws-owner-tag-removed",
  "C7 guardrail removed from the job launcher": "job-launcher-network-isolation-dropped",
  "C7 guardrail removed from the role": "execution-role-kms-guardrails-dropped",
  "C8 flow log removed": "vpc-flow-log-removed",
  "C8 diagnostic setting removed": "azure-vault-diagnostics-removed",
};

/** Changes no policy should object to: they must survive, or "killed" would mean "changed". */
const BENIGN: Mutation[] = [
  {
    name: "benign-kms-key-description",
    control: "C1",
    description: "The KMS key's description is reworded.",
    stacks: ["prod"],
    expect: [],
    apply: mutation((rec) => set(one(rec, "aws:kms/key:Key", "key"), "description", "Reworded description")),
  },
  {
    name: "benign-longer-log-retention",
    control: "C8",
    description: "The flow-log group keeps logs for 90 days instead of 30.",
    stacks: ["dev"],
    expect: [],
    apply: mutation((rec) => set(one(rec, "aws:cloudwatch/logGroup:LogGroup", "flow-logs"), "retentionInDays", 90)),
  },
  {
    name: "benign-stricter-bucket-policy",
    control: "C3",
    description: "The data bucket policy also denies s3:DeleteBucket to everyone.",
    stacks: ["prod"],
    expect: [],
    apply: mutation((rec) =>
      editDocument(one(rec, "aws:s3/bucketPolicy:BucketPolicy", "data-policy"), "policy", (doc) => {
        const tls = statement(doc, "DenyInsecureTransport");
        doc.Statement.push({ Sid: "NoBucketDeletion", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: tls.Resource });
      }),
    ),
  },
  {
    name: "benign-extra-tag",
    control: "C10",
    description: "The storage account carries one more tag.",
    stacks: ["azure-prod"],
    expect: [],
    apply: mutation((rec) => set(one(rec, "azure-native:storage:StorageAccount"), "tags.cost-center", "ml-research")),
  },
  {
    name: "benign-smaller-compute",
    control: "C7",
    description: "The GPU training cluster scales to 1 node at most instead of 2.",
    stacks: ["azure-prod"],
    expect: [],
    apply: mutation((rec) =>
      set(
        one(rec, "azure-native:machinelearningservices:Compute", "compute-train-gpu"),
        "properties.properties.scaleSettings.maxNodeCount",
        1,
      ),
    ),
  },
];

describe("mutation suite: the catalog", () => {
  it("has at least 40 distinct mutations, every name unique", () => {
    const names = MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names.length).to.be.at.least(40);
  });

  it("covers every control on both clouds (at least one mutant on an AWS and on an Azure stack per control)", () => {
    const missing: string[] = [];
    for (const c of CONTROLS) {
      for (const [cloud, stacks] of [
        ["aws", AWS_STACKS],
        ["azure", AZURE_STACKS],
      ] as const) {
        if (!MUTATIONS.some((m) => m.control === c && m.stacks.some((s) => stacks.includes(s)))) missing.push(`${c} on ${cloud}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it("holds the issue's floor list", () => {
    const names = new Set(MUTATIONS.map((m) => m.name));
    const absent = Object.entries(FLOOR).filter(([, name]) => !names.has(name));
    expect(absent).to.deep.equal([]);
  });

  it("has no known gaps left: the six former gaps are mutations killed by the policy for their control", () => {
    expect(knownGaps.map((g) => g.name)).to.deep.equal([]);
    const formerGaps: [name: string, stacks: string[], policy: string][] = [
      ["s3-bucket-policy-vpce-deny-removed", ["dev", "prod"], "aws-s3-bucket-enforce-vpc-endpoint-only"],
      ["s3-noncurrent-version-lifecycle-removed", ["dev", "prod"], "aws-s3-bucket-configure-noncurrent-version-lifecycle"],
      ["s3-versioning-resource-unprotected", ["prod"], "common-stack-data-store-enforce-protection"],
      ["azure-key-unprotected", ["azure-prod"], "common-stack-data-store-enforce-protection"],
      ["azure-data-container-unprotected", ["azure-prod"], "common-stack-data-store-enforce-protection"],
      ["azure-vault-private-endpoint-removed", ["azure-prod"], "azure-network-key-vault-missing-private-endpoint"],
    ];
    for (const [name, stacks, policy] of formerGaps) {
      const m = MUTATIONS.find((x) => x.name === name);
      expect(m, `${name} is in the catalog`).to.not.equal(undefined);
      expect({ stacks: m!.stacks, expect: m!.expect }, name).to.deep.equal({ stacks, expect: [policy] });
    }
  });

  it("expects, for each mutation, policies of the pack that prove its control ([Cn] prefix)", () => {
    expect(catalogProblems(MUTATIONS, [...knownGaps, ...BENIGN], ALL_POLICIES)).to.deep.equal([]);
  });

  it("validation rejects a mutation expecting the policy of another control, an unknown policy or a duplicate name", () => {
    const base = MUTATIONS[0];
    const problems = catalogProblems(
      [
        { ...base, name: "x-wrong-control", control: "C2" },
        { ...base, name: "x-unknown-policy", expect: ["no-such-policy"] },
        { ...base, name: "x-unknown-policy" },
      ],
      [],
      ALL_POLICIES,
    );
    expect(problems.join("\n")).to.match(/x-wrong-control: expected policy \S+ proves C1, not C2/);
    expect(problems.join("\n")).to.match(/x-unknown-policy: expected policy no-such-policy is not in the pack/);
    expect(problems.join("\n")).to.match(/x-unknown-policy: the name is used twice/);
  });

  it("classifies a mutant: killed only when every expected policy fired", () => {
    expect(classify(["a"], ["a", "b"])).to.equal("killed");
    expect(classify(["a", "b"], ["a"])).to.equal("wrong-policy");
    expect(classify(["a"], ["b"])).to.equal("wrong-policy");
    expect(classify(["a"], [])).to.equal("survived");
    expect(classify(["a"], ["a"], "target gone")).to.equal("error");
    expect(classify([], [])).to.equal("survived");
  });

  it("a mutation returns a weakened copy and fails loudly when its target is missing", async () => {
    const rec = await runStack("prod");
    const before = JSON.stringify(rec);
    const m = MUTATIONS.find((x) => x.name === "s3-sse-aes256")!;
    const after = m.apply(rec);
    expect(JSON.stringify(rec)).to.equal(before);
    const sse = after.resources.find((r) => r.name === "mltrain-prod-data-sse")!;
    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "AES256" });
    expect(sse.outputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "AES256" });
    const azure = MUTATIONS.find((x) => x.name === "azure-ml-workspace-public")!;
    expect(() => azure.apply(rec)).to.throw(MutationTargetError, /stack prod: expected one azure-native:machinelearningservices:Workspace/);
  });

  it("docs/mutation.md lists every mutation, known gap and flag, with the current counts", () => {
    const docs = fs.readFileSync(path.join(ROOT, "docs", "mutation.md"), "utf8");
    const unlisted = [...MUTATIONS, ...knownGaps].map((m) => m.name).filter((n) => !docs.includes(`| \`${n}\` |`));
    expect(unlisted, "add them to the catalog tables of docs/mutation.md").to.deep.equal([]);
    const mutants = MUTATIONS.reduce((n, m) => n + m.stacks.length, 0);
    expect(docs).to.include(`Kill rate: ${mutants}/${mutants} mutants (100.0%) over ${MUTATIONS.length} mutations`);
    expect(docs).to.include(`| distinct mutations | ${MUTATIONS.length} `);
    for (const flag of ["--format", "--stack", "--mutation", "--policy-config", "--concurrency", "--list", "--help"])
      expect(docs, flag).to.include(`\`${flag}`);
  });

  it("parses the CLI flags strictly", () => {
    expect(parseMutateArgs(["--format", "json", "--stack", "prod", "--stack", "azure-dev"])).to.include({ format: "json" });
    expect(parseMutateArgs(["--stack", "prod"]).stacks).to.deep.equal(["prod"]);
    expect(() => parseMutateArgs(["--stack", "staging"])).to.throw(
      /--stack "staging" is not a shipped stack; allowed: dev, prod, azure-dev, azure-prod/,
    );
    expect(() => parseMutateArgs(["--format", "sarif"])).to.throw(/--format "sarif" is not supported; allowed: table, json/);
    expect(() => parseMutateArgs(["--mutation", "nope"])).to.throw(/--mutation "nope" is not in the catalog/);
    expect(() => parseMutateArgs(["--concurrency", "0"])).to.throw(/--concurrency "0" is not valid/);
    expect(() => parseMutateArgs(["--bogus"])).to.throw(/allowed flags: --format, --stack/);
  });

  it("lists the catalog (--list) and exits 2 on a bad flag, without running anything", () => {
    const cli = path.join(ROOT, "tools", "mutate", "cli.ts");
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, ...args], { cwd: ROOT, encoding: "utf8" });
    const bad = run(["--stack", "staging"]);
    expect(bad.status, bad.stderr).to.equal(2);
    expect(bad.stderr).to.match(/error: --stack "staging" is not a shipped stack/);
    const list = run(["--list"]);
    expect(list.status, list.stderr).to.equal(0);
    expect(list.stdout).to.equal(renderCatalog(MUTATIONS, knownGaps));
    expect(list.stdout).to.match(new RegExp(`${MUTATIONS.length} mutations \\(\\d+ mutants\\) and ${knownGaps.length} known gaps`));
  });
});

describe("mutation suite: every mutant is killed by the policy for its control (prod policy config, real pack)", function () {
  this.timeout(600_000);
  let result: SuiteResult;

  before(async () => {
    result = await runMutationSuite({ gaps: [...knownGaps, ...BENIGN] });
  });

  after(() => {
    if (!result) return;
    const t = result.timings;
    // Figures for docs/mutation.md, not assertions (no timing is asserted).
    console.log(
      `      ${killRateLine(result)}; runtime ${(t.totalMs / 1000).toFixed(1)} s (recording ${(t.recordMs / 1000).toFixed(1)} s, mutants ${(t.mutantsMs / 1000).toFixed(1)} s)`,
    );
  });

  it("the unmutated stacks have no violation of any level (false-positive guard; test/policy-pack/stacks.test.ts holds it per tier)", () => {
    for (const b of result.baselines) expect(b.violations, `${b.stack}: ${JSON.stringify(b.violations)}`).to.deep.equal([]);
    expect(result.baselines.map((b) => b.stack)).to.deep.equal(["dev", "prod", "azure-dev", "azure-prod"]);
  });

  for (const m of MUTATIONS) {
    for (const stack of m.stacks) {
      it(`${stack}: ${m.name} (${m.control}) is killed by ${m.expect.join(" and ")}`, () => {
        const r = result.mutants.find((x) => x.mutation === m.name && x.stack === stack);
        expect(r, "not run").to.not.equal(undefined);
        expect(r!.status, `${r!.error ?? ""} fired: ${r!.fired.join(", ") || "nothing"}; missing: ${r!.missing.join(", ")}`).to.equal(
          "killed",
        );
        expect(r!.violations.filter((v) => m.expect.includes(v.policy)).every((v) => v.level === "mandatory")).to.equal(true);
      });
    }
  }

  it("benign changes are not killed: no policy fires on them", () => {
    const benign = result.gaps.filter((g) => BENIGN.some((b) => b.name === g.mutation));
    expect(benign.length).to.equal(BENIGN.length);
    for (const g of benign) expect(g, `${g.mutation}: ${g.fired.join(", ")} ${g.error ?? ""}`).to.include({ status: "survived" });
  });

  it("any known gap still survives (when one is caught, move it from tools/mutate/catalog/gaps.ts into the catalog); none is left", () => {
    const gaps = result.gaps.filter((g) => knownGaps.some((k) => k.name === g.mutation));
    expect(gaps.length).to.equal(knownGaps.reduce((n, k) => n + k.stacks.length, 0));
    for (const g of gaps) expect(g.status, `${g.stack} ${g.mutation}: ${g.fired.join(", ")} ${g.error ?? ""}`).to.equal("survived");
  });

  it("kill rate 100% over every mutant of the catalog; the suite passes", () => {
    const s = result.summary;
    expect(s.mutants).to.equal(MUTATIONS.reduce((n, m) => n + m.stacks.length, 0));
    expect(s.mutations).to.equal(MUTATIONS.length);
    expect({ survived: s.survived, wrongPolicy: s.wrongPolicy, errors: s.errors }).to.deep.equal({
      survived: 0,
      wrongPolicy: 0,
      errors: 0,
    });
    expect(s.killRate).to.equal(1);
    expect(s.passed).to.equal(true);
    for (const stack of result.stacks) {
      expect(s.byStack[stack].mutants, stack).to.be.greaterThan(0);
      expect(s.byStack[stack].killed, stack).to.equal(s.byStack[stack].mutants);
    }
    for (const c of CONTROLS) {
      expect(s.byControl[c].aws > 0, `${c} on AWS`).to.equal(true);
      expect(s.byControl[c].azure > 0, `${c} on Azure`).to.equal(true);
    }
  });

  it("the report prints each mutant, the survivors and the kill rate; JSON carries the same", () => {
    const table = renderTable(result);
    expect(table).to.include(
      `Kill rate: ${result.summary.killed}/${result.summary.mutants} mutants (100.0%) over ${MUTATIONS.length} mutations`,
    );
    expect(table).to.include("Survivors: none");
    expect(table).to.include("Caught only by the wrong policy: none");
    expect(table).to.match(
      /^prod\s+s3-sse-aes256\s+C1\s+aws-s3-bucket-missing-kms-encryption\s+killed\s+aws-s3-bucket-missing-kms-encryption$/m,
    );
    expect(table).to.match(/PASSED/);
    const json = JSON.parse(renderJson(result)) as SuiteResult;
    expect(json.summary).to.deep.equal(result.summary);
    expect(json.mutants.length).to.equal(result.mutants.length);
  });
});
