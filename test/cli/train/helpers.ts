/**
 * Fakes for `npm run train` tests: captured stdout/stderr, an in-memory file
 * overlay, a fake clock (sleep advances time, never waits), a recording HTTP
 * client, a token provider and a `pulumi` runner that count their calls.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../engine/project";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { HttpRequest, HttpResponse } from "../../../cli/train/azure";
import type { CommandResult } from "../../../cli/train/exec";
import { runTrain, type TrainDeps } from "../../../cli/train/run";
import type { ClientFactory } from "../../../cli/data/target";

export const ROOT = PROJECT_ROOT;
export const FIXTURES = path.join(ROOT, "test", "fixtures");
export const AWS_OUTPUTS = "test/fixtures/outputs/aws-prod.json";
export const AZURE_OUTPUTS = "test/fixtures/outputs/azure-prod.json";
export const HYPERPARAMETERS = "test/fixtures/outputs/hyperparameters.json";
export const ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1.4.2";
export const ACR_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest";

export function readJson<T = any>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), "utf8")) as T;
}

export const awsOutputs = (): Record<string, any> => readJson(AWS_OUTPUTS);
export const azureOutputs = (): Record<string, any> => readJson(AZURE_OUTPUTS);

/** The argv the golden files were made with (plus --dry-run for the goldens). */
function goldenArgv(stack: string, outputs: string, image: string, instanceType: string): string[] {
  return [
    "--stack",
    stack,
    "--outputs",
    outputs,
    "--image",
    image,
    "--instance-type",
    instanceType,
    "--instance-count",
    "2",
    "--max-runtime",
    "7200",
    "--hyperparameters",
    HYPERPARAMETERS,
    "--input-prefix",
    "datasets/v3/",
    "--job-name",
    "mltrain-prod-golden",
  ];
}
export const AWS_ARGV = goldenArgv("prod", AWS_OUTPUTS, ECR_IMAGE, "ml.m5.xlarge");
export const AZURE_ARGV = goldenArgv("azure-prod", AZURE_OUTPUTS, ACR_IMAGE, "Standard_DS3_v2");

/** Replaces (or adds) a flag's value in an argv. */
export function withFlag(argv: readonly string[], flag: string, value?: string): string[] {
  const out = [...argv];
  const i = out.indexOf(flag);
  if (i >= 0) {
    if (value === undefined) out.splice(i, 2);
    else out[i + 1] = value;
  } else if (value !== undefined) out.push(flag, value);
  return out;
}

export class FakeClock {
  now_ = Date.UTC(2025, 0, 2, 3, 4, 5);
  sleeps: number[] = [];
  now = (): number => this.now_;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.now_ += ms;
  };
}

export type HttpHandler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export interface Harness {
  deps: TrainDeps;
  stdout: string[];
  stderr: string[];
  files: Map<string, string>;
  clock: FakeClock;
  http: HttpRequest[];
  tokens: string[];
  pulumi: { args: readonly string[]; cwd?: string }[];
  /** Exit code of the last run. */
  run(argv: readonly string[]): Promise<number>;
  /** The one JSON line on stdout. */
  line(): { jobName: string; cloud: string; status: string; consoleUrl: string };
  err(): string;
}

export const json = (status: number, body: unknown): HttpResponse => ({ status, body: JSON.stringify(body) });

export function harness(
  opts: {
    httpHandler?: HttpHandler;
    pulumiResult?: CommandResult | Error;
    sagemaker?: SageMakerClient;
    tokenError?: Error;
    /** Storage clients for --dataset (default: none expected). */
    clients?: ClientFactory;
  } = {},
): Harness {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const files = new Map<string, string>();
  const clock = new FakeClock();
  const http: HttpRequest[] = [];
  const tokens: string[] = [];
  const pulumi: { args: readonly string[]; cwd?: string }[] = [];
  const deps: TrainDeps = {
    root: ROOT,
    cwd: ROOT,
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    readFile: (f) => files.get(f) ?? fs.readFileSync(f, "utf8"),
    run: async (cmd, args, o) => {
      if (cmd !== "pulumi") throw new Error(`unexpected command ${cmd}`);
      pulumi.push({ args, cwd: o?.cwd });
      const r = opts.pulumiResult ?? new Error("pulumi must not run in this test");
      if (r instanceof Error) throw r;
      return r;
    },
    sagemaker: (region) =>
      opts.sagemaker ?? new SageMakerClient({ region, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } }),
    http: async (req) => {
      http.push(req);
      if (!opts.httpHandler) throw new Error(`no HTTP expected in this test, got ${req.method} ${req.url}`);
      return opts.httpHandler(req);
    },
    token: async (sub) => {
      tokens.push(sub);
      if (opts.tokenError) throw opts.tokenError;
      return "fake-arm-token";
    },
    clock,
    pollIntervalMs: 30_000,
    randomHex: (n) => "abcdef0123456789".slice(0, n),
    clients: opts.clients ?? {
      s3: () => {
        throw new Error("no S3 access expected in this test");
      },
      container: () => {
        throw new Error("no Azure Blob access expected in this test");
      },
    },
  };
  const h: Harness = {
    deps,
    stdout,
    stderr,
    files,
    clock,
    http,
    tokens,
    pulumi,
    run: (argv) => runTrain(argv, deps),
    line: () => {
      const lines = stdout.filter((l) => l.trim() !== "");
      if (lines.length !== 1) throw new Error(`expected one stdout line, got ${JSON.stringify(stdout)}`);
      return JSON.parse(lines[0]);
    },
    err: () => stderr.join("\n"),
  };
  return h;
}

/** Puts an outputs document at a virtual path and returns the path for --outputs. */
export function virtualOutputs(h: Harness, doc: unknown, name = "outputs.json"): string {
  const p = path.join(ROOT, "virtual", name);
  h.files.set(p, JSON.stringify(doc));
  return p;
}

export function virtualFile(h: Harness, name: string, text: string): string {
  const p = path.join(ROOT, "virtual", name);
  h.files.set(p, text);
  return p;
}
