/**
 * `npm run teardown -- --stack <stack> [--outputs <file>] [--yes] [--keep-home]`:
 * the documented teardown of a stack's SageMaker Studio domain (prod protects
 * the domain and keeps the users' home volume, so `pulumi destroy` stops at
 * it). Dry run by default: it prints what it would delete, in order, and
 * deletes nothing; with --yes it deletes and waits for each phase.
 * Exit codes: 0 done (or planned), 1 an AWS error or timeout, 2 bad input.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { EFSClient } from "@aws-sdk/client-efs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { readRawOutputs } from "../train/outputs";
import { PROJECT_ROOT } from "../../engine/project";
import { runCommand, CommandRunner } from "../train/exec";
import { UsageError } from "../train/errors";
import { Clients, DomainNotFoundError, planTeardown } from "./plan";
import { executeTeardown, TeardownTimeoutError } from "./execute";

export const USAGE = `Usage: npm run teardown -- --stack <stack> [--outputs <file>] [--yes] [--keep-home]

Tears down the stack's SageMaker Studio domain the way prod needs it (the domain
is protected and keeps the users' home EFS volume, so pulumi destroy stops at it):
its apps, spaces and user profiles, the domain, the home volume's mount targets,
the volume and its security-group-for-*-nfs-<domain id> groups. Without --yes it
only prints what it would delete.

Flags:
  --stack NAME     the stack whose outputs name the domain and region (required)
  --outputs FILE   read the outputs from FILE (pulumi stack output --json --show-secrets)
                   instead of running pulumi
  --yes            delete (default: dry run, nothing is deleted)
  --keep-home      keep the home EFS volume (the VPC then cannot be deleted)
  --poll SECONDS   between checks of a phase's deletions (default 15)
  --timeout MIN    longest wait for one phase (default 30)
  -h, --help       show this help
`;

export interface Deps {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly clients: (region: string) => Clients;
  readonly readFile: (p: string) => string;
  readonly run: CommandRunner;
  readonly root: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

const DOMAIN_RE = /^d-[a-z0-9]+$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

function positiveNumber(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError([`${flag}: got ${JSON.stringify(v)}; allowed: a positive number`]);
  return n;
}

export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        outputs: { type: "string" },
        yes: { type: "boolean", default: false },
        "keep-home": { type: "boolean", default: false },
        poll: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    deps.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    deps.out(USAGE);
    return 0;
  }
  try {
    if (!values.stack) throw new UsageError(["--stack: missing (required); allowed: a stack name such as prod"]);
    const pollMs = positiveNumber("--poll", values.poll, 15) * 1000;
    const timeoutMs = positiveNumber("--timeout", values.timeout, 30) * 60_000;
    const { raw, source } = await readRawOutputs({
      stack: values.stack,
      outputsFile: values.outputs,
      root: deps.root,
      readFile: deps.readFile,
      run: deps.run,
    });
    if (raw.cloud !== undefined && raw.cloud !== "aws")
      throw new UsageError([`stack output "cloud" (${source}): got ${JSON.stringify(raw.cloud)}; the teardown is for AWS stacks`]);
    const region = raw.region;
    if (typeof region !== "string" || !REGION_RE.test(region))
      throw new UsageError([`stack output "region" (${source}): got ${JSON.stringify(region)}; expected an AWS region such as us-east-1`]);
    const domainId = raw.domainId;
    if (domainId === undefined || domainId === null) {
      deps.out(
        `Stack ${values.stack} has no SageMaker Studio domain (its studio key is false): nothing to tear down here; pulumi destroy deletes the rest.`,
      );
      return 0;
    }
    if (typeof domainId !== "string" || !DOMAIN_RE.test(domainId))
      throw new UsageError([`stack output "domainId" (${source}): got ${JSON.stringify(domainId)}; expected a SageMaker domain id d-<id>`]);

    const plan = await planTeardown(deps.clients(region), domainId, { keepHome: values["keep-home"] });
    const d = plan.domain;
    deps.out(
      `Teardown of SageMaker domain ${d.domainId}${d.name ? ` (${d.name})` : ""} in ${region}: status ${d.status ?? "?"}, VPC ${d.vpcId ?? "?"}, home EFS volume ${d.homeEfsFileSystemId ?? "none"}`,
    );
    deps.out(values.yes ? "Deleting, in this order:" : "Dry run: nothing is deleted. With --yes this deletes, in this order:");
    plan.steps.forEach((s, i) => deps.out(`  ${String(i + 1).padStart(2)}. [${s.phase}] ${s.what}`));
    for (const k of plan.kept) deps.out(`  kept: ${k}`);
    if (!values.yes) {
      deps.out("Re-run with --yes to delete. Back up the home directories first if you need them.");
      return 0;
    }
    await executeTeardown(plan.steps, { log: deps.out, pollMs, timeoutMs, sleep: deps.sleep });
    deps.out(
      `Done. The domain is gone; now let Pulumi forget it and destroy the rest:\n` +
        `  pulumi state unprotect --all --stack ${values.stack} --yes\n  pulumi refresh --stack ${values.stack} --yes\n  pulumi destroy --stack ${values.stack}\n` +
        "(prod buckets are not forceDestroy: empty them, every version included, before the destroy; the KMS key is scheduled for deletion after its 30-day window)",
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      deps.err(e.message);
      return 2;
    }
    if (e instanceof DomainNotFoundError || e instanceof TeardownTimeoutError) {
      deps.err(e.message);
      return 1;
    }
    deps.err(`AWS error: ${(e as Error).name}: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    clients: (region) => ({ sagemaker: new SageMakerClient({ region }), efs: new EFSClient({ region }), ec2: new EC2Client({ region }) }),
    readFile: (p) => fs.readFileSync(p, "utf8"),
    run: runCommand,
    root: PROJECT_ROOT,
  }).then((code) => process.exit(code));
}
