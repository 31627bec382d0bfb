/**
 * Runs Microsoft's SARIF validator (@microsoft/sarif-multitool-linux, the
 * `Sarif.Multitool validate` command) with the SARIF rules and GitHub code
 * scanning's ingestion rules (`--rule-kind "Sarif;Ghas"`) over a SARIF file
 * and returns what it reports.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ValidatorFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
}

const TOOL = require.resolve("@microsoft/sarif-multitool-linux/Sarif.Multitool");

export function validateSarif(file: string): ValidatorFinding[] {
  // The package's postinstall only sets the execute bit (npm may skip install scripts): do the same.
  if ((fs.statSync(TOOL).mode & 0o100) === 0) fs.chmodSync(TOOL, 0o755);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-validate-"));
  try {
    const out = path.join(dir, "validation.sarif");
    const r = spawnSync(TOOL, ["validate", "--rule-kind", "Sarif;Ghas", "--output", out, file], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    });
    if (!fs.existsSync(out)) throw new Error(`the SARIF validator wrote no result (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    const log = JSON.parse(fs.readFileSync(out, "utf8").replace(/^\uFEFF/, ""));
    const results: { ruleId: string; level?: string; message?: { text?: string; id?: string; arguments?: string[] } }[] =
      log.runs?.[0]?.results ?? [];
    return results.map((x) => ({
      ruleId: x.ruleId,
      level: x.level ?? "warning",
      message: x.message?.text ?? [x.message?.id, ...(x.message?.arguments ?? [])].join(" "),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
