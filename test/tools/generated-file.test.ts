/**
 * Tests of tools/generated-file.ts: the marker helpers and the command line
 * the cost, coverage and control tables share (print, --write, --check).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Generator, replaceBetweenMarkers, runGenerator, textBetweenMarkers } from "../../tools/generated-file";

const START = "<!-- t:start -->";
const END = "<!-- t:end -->";

function generator(body: string, extra: Partial<Generator> = {}): Generator {
  return {
    script: "t:table",
    generate: async () => ({
      print: body,
      parts: [
        { file: "doc.md", what: "the table", update: (text: string) => replaceBetweenMarkers(text, body, START, END) },
        { file: "absent.md", what: "the table", optional: true, update: () => "never" },
      ],
    }),
    ...extra,
  };
}

describe("tools: generated parts of files", () => {
  let dir: string;
  const io = () => {
    const seen = { out: "", err: "" };
    return { seen, stdout: (t: string) => (seen.out += t), stderr: (t: string) => (seen.err += t) };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-file-"));
    fs.writeFileSync(path.join(dir, "doc.md"), `# Doc\n${START}\nold\n${END}\nafter\n`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("replaces and reads only the text between the markers", () => {
    const text = `a\n${START}\nx\n${END}\nb`;
    expect(replaceBetweenMarkers(text, "y", START, END)).to.equal(`a\n${START}\ny\n${END}\nb`);
    expect(textBetweenMarkers(text, START, END)).to.equal("x");
    expect(replaceBetweenMarkers(`${END}\n${START}`, "y", START, END)).to.equal(undefined);
    expect(textBetweenMarkers("none", START, END)).to.equal(undefined);
  });

  it("--check fails on a stale part naming the fix, --write updates it, then --check passes; no flag prints", async () => {
    const a = io();
    expect(await runGenerator(generator("new"), { argv: ["--check"], root: dir, ...a })).to.equal(1);
    expect(a.seen.err).to.contain("doc.md: the table is out of date; run npm run t:table -- --write");
    expect(await runGenerator(generator("new"), { argv: ["--write"], root: dir, ...io() })).to.equal(0);
    expect(fs.readFileSync(path.join(dir, "doc.md"), "utf8")).to.equal(`# Doc\n${START}\nnew\n${END}\nafter\n`);
    expect(fs.existsSync(path.join(dir, "absent.md")), "an optional missing file is not created").to.equal(false);
    expect(await runGenerator(generator("new"), { argv: ["--check"], root: dir, ...io() })).to.equal(0);
    const p = io();
    expect(await runGenerator(generator("new"), { argv: [], root: dir, ...p })).to.equal(0);
    expect(p.seen.out).to.equal("new\n");
  });

  it("a file without the markers fails both --check and --write", async () => {
    fs.writeFileSync(path.join(dir, "doc.md"), "# no markers\n");
    const a = io();
    expect(await runGenerator(generator("new"), { argv: ["--write"], root: dir, ...a })).to.equal(1);
    expect(a.seen.err).to.contain("doc.md: no place for the table");
  });

  it("rejects unknown flags naming the allowed ones, prints usage, and passes on a generator's own exit code", async () => {
    const a = io();
    expect(await runGenerator(generator("x"), { argv: ["--bogus"], root: dir, ...a })).to.equal(2);
    expect(a.seen.err).to.contain("allowed flags: --write, --check, --help");
    const h = io();
    expect(await runGenerator(generator("x"), { argv: ["-h"], root: dir, ...h })).to.equal(0);
    expect(h.seen.out).to.equal("usage: npm run t:table [-- --write | --check]\n");
    expect(await runGenerator(generator("x", { generate: async () => 1 }), { argv: ["--check"], root: dir, ...io() })).to.equal(1);
  });
});
