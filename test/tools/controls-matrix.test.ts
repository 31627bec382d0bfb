/**
 * Tests of tools/controls-matrix.ts and docs/controls.md: the matrix in the
 * doc is the generator's output for the code as it is, every control has
 * policies and tests, and no file of the project cites a contract outside
 * the repository.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../engine/project";
import { CONTROL_IDS } from "../../policy-pack/controls";
import {
  MATRIX_END,
  MATRIX_FILE,
  MATRIX_START,
  buildMatrix,
  headerComment,
  headerControls,
  renderMatrix,
  replaceBlock,
} from "../../tools/controls-matrix";

describe("docs/controls.md: the contract and its generated matrix", function () {
  this.timeout(120_000);
  const rows = buildMatrix();
  const doc = fs.readFileSync(path.join(PROJECT_ROOT, MATRIX_FILE), "utf8");

  it("the matrix in docs/controls.md is current (npm run controls:matrix -- --write)", () => {
    expect(replaceBlock(doc, renderMatrix(rows)), "run npm run controls:matrix -- --write").to.equal(doc);
  });

  it("the doc describes every control, C1-C11, in its own section", () => {
    for (const id of CONTROL_IDS) expect(doc, id).to.match(new RegExp(`^### ${id}: `, "m"));
  });

  it("every control has policies and tests; C1-C10 have program files that name them", () => {
    for (const r of rows) {
      expect(r.policies.length, `${r.id} policies`).to.be.greaterThan(0);
      expect(r.tests.length, `${r.id} tests`).to.be.greaterThan(0);
      if (r.id !== "C11") expect(r.programFiles.length, `${r.id} program files`).to.be.greaterThan(0);
      for (const p of r.policies) expect(fs.existsSync(path.join(PROJECT_ROOT, p.file)), p.file).to.equal(true);
    }
  });

  it("attributes a control to the file whose header names it, not to an index that lists its parts", () => {
    const header = headerComment(
      `/**\n * The component (C10).\n *   keys.ts  KMS key  C1 C2\n *   - iam.ts  role (C6)\n */\nimport x from "y"; // C9`,
    );
    expect(headerControls(header)).to.deep.equal(["C10"]);
    expect(headerControls(headerComment("// Network (C4, C11).\n// More.\nconst x = 1; // C5"))).to.deep.equal(["C4", "C11"]);
    expect(headerComment("import x from 'y';\n/** C3 */")).to.equal("");
  });

  it("replaces only the block between the markers, and refuses a doc without them", () => {
    const text = `# t\n${MATRIX_START}\nold\n${MATRIX_END}\nafter\n`;
    expect(replaceBlock(text, "new")).to.equal(`# t\n${MATRIX_START}\nnew\n${MATRIX_END}\nafter\n`);
    expect(replaceBlock("# no markers\n", "new")).to.equal(undefined);
  });

  it("no file of the project cites a contract outside the repository", () => {
    const outside = ["CONTROLS" + ".md", "shared" + "/CONTROLS"];
    const skip = new Set(["node_modules", ".git", "bin", "out", ".check-cache", ".data-local"]);
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (skip.has(e.name)) continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|js|mjs|json|md|ya?ml|sh)$/.test(e.name) && outside.some((o) => fs.readFileSync(p, "utf8").includes(o)))
          hits.push(path.relative(PROJECT_ROOT, p));
      }
    };
    walk(PROJECT_ROOT);
    expect(hits).to.deep.equal([]);
  });
});
