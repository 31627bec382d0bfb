/**
 * Azure: the command job (and its anonymous environment) built from the
 * fixture outputs equals the golden file; through a fake HTTP client the tool
 * sends GET compute (pre-check), PUT environment, PUT job with the right
 * method, URL, api-version, token and body; the pre-check refuses a cluster
 * whose VM size, node count or guardrails (no public IP, private subnet, the
 * stack's identity; C4/C6/C7) do not match, with nothing submitted; --wait
 * maps Completed/Failed/Canceled/timeout to 0/1/1/4; API errors exit 3; a
 * stack without the ML workspace and a missing az exit 2.
 */
import { expect } from "chai";
import { AZURE_ML_API_VERSION, azCliTokenProvider, isoDuration } from "../../../cli/train/azure";
import { MissingToolError, runCommand } from "../../../cli/train/exec";
import { UsageError } from "../../../cli/train/errors";
import { AZURE_ARGV, azureOutputs, harness, json, readJson, virtualOutputs, withFlag, type HttpHandler } from "./helpers";
import type { HttpRequest } from "../../../cli/train/azure";

const GOLDEN = "test/fixtures/train/azure-prod.dry-run.json";
const O = azureOutputs();
const WS = `https://management.azure.com/subscriptions/${O.subscriptionId}/resourceGroups/${O.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${O.workspaceName}`;
const COMPUTE_URL = `${WS}/computes/${O.computeName}?api-version=${AZURE_ML_API_VERSION}`;
const JOB_URL = `${WS}/jobs/mltrain-prod-golden?api-version=${AZURE_ML_API_VERSION}`;

function compute(
  overrides: {
    vmSize?: string;
    maxNodeCount?: number;
    enableNodePublicIp?: boolean | undefined;
    subnet?: string;
    identities?: string[];
    remoteLogin?: string;
    computeType?: string;
  } = {},
) {
  const o = {
    vmSize: "STANDARD_DS3_V2",
    maxNodeCount: 4,
    enableNodePublicIp: false as boolean | undefined,
    subnet: O.subnetIds[0],
    identities: [O.identityId],
    remoteLogin: "Disabled",
    computeType: "AmlCompute",
    ...overrides,
  };
  return {
    id: `${WS.replace("https://management.azure.com", "")}/computes/${O.computeName}`,
    name: O.computeName,
    identity: {
      type: "UserAssigned",
      userAssignedIdentities: Object.fromEntries(
        o.identities.map((id) => [id, { clientId: O.identityClientId, principalId: O.identityPrincipalId }]),
      ),
    },
    properties: {
      computeType: o.computeType,
      properties: {
        vmSize: o.vmSize,
        enableNodePublicIp: o.enableNodePublicIp,
        remoteLoginPortPublicAccess: o.remoteLogin,
        scaleSettings: { maxNodeCount: o.maxNodeCount, minNodeCount: 0 },
        subnet: { id: o.subnet },
      },
    },
  };
}

/** A workspace that answers like Azure ML: compute, environment version, job create, then job statuses in order. */
function azureApi(
  opts: { compute?: unknown; statuses?: string[]; fail?: { match: (r: HttpRequest) => boolean; status: number; body: unknown } } = {},
): HttpHandler {
  const statuses = [...(opts.statuses ?? [])];
  return (req) => {
    if (opts.fail?.match(req)) return json(opts.fail.status, opts.fail.body);
    if (req.method === "GET" && req.url === COMPUTE_URL) return json(200, opts.compute ?? compute());
    if (req.method === "PUT" && req.url.includes("/environments/")) return json(201, { properties: JSON.parse(req.body!).properties });
    if (req.method === "PUT" && req.url === JOB_URL) {
      return json(201, {
        name: "mltrain-prod-golden",
        properties: {
          ...JSON.parse(req.body!).properties,
          status: "NotStarted",
          services: { Studio: { endpoint: "https://ml.azure.com/runs/mltrain-prod-golden?wsid=studio" } },
        },
      });
    }
    if (req.method === "GET" && req.url === JOB_URL) {
      const status = statuses.length > 1 ? statuses.shift()! : (statuses[0] ?? "Running");
      return json(200, { properties: { status } });
    }
    return json(404, { error: { code: "NotFound", message: `unexpected ${req.method} ${req.url}` } });
  };
}

const isPutJob = (r: HttpRequest) => r.method === "PUT" && r.url === JOB_URL;
const isPutEnv = (r: HttpRequest) => r.method === "PUT" && r.url.includes("/environments/");

describe("train (Azure): request shape", () => {
  it("--dry-run prints exactly the golden requests and sends nothing (no token either)", async () => {
    const h = harness();
    expect(await h.run([...AZURE_ARGV, "--dry-run"])).to.equal(0);
    expect(JSON.parse(h.stdout.join("\n"))).to.deep.equal(readJson(GOLDEN));
    expect(h.http).to.have.length(0);
    expect(h.tokens).to.have.length(0);
  });

  it("the golden job carries every guardrail from the outputs", () => {
    const golden = readJson(GOLDEN);
    expect(golden.apiVersion).to.match(/^\d{4}-\d{2}-\d{2}$/); // a stable version, not -preview
    const [env, job] = golden.requests;
    expect(env.url).to.match(
      new RegExp(`/environments/CliV2AnonymousEnvironment/versions/[0-9a-f]{32}\\?api-version=${AZURE_ML_API_VERSION}$`),
    );
    expect(env.body).to.deep.equal({
      properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", osType: "Linux", isAnonymous: true },
    });
    const p = job.body.properties;
    expect(p.jobType).to.equal("Command");
    expect(p.environmentId).to.equal(env.url.replace("https://management.azure.com", "").replace(/\?.*$/, ""));
    expect(p.computeId).to.equal(`${WS.replace("https://management.azure.com", "")}/computes/${O.computeName}`);
    expect(p.identity).to.deep.equal({ identityType: "Managed", clientId: O.identityClientId });
    expect(p.inputs).to.deep.equal({
      data: {
        jobInputType: "uri_folder",
        uri: `wasbs://data@${O.storageAccountName}.blob.core.windows.net/datasets/v3/`,
        mode: "ReadOnlyMount",
      },
    });
    expect(p.outputs).to.deep.equal({
      model: {
        jobOutputType: "uri_folder",
        uri: `wasbs://artifacts@${O.storageAccountName}.blob.core.windows.net/mltrain-prod-golden/`,
        mode: "ReadWriteMount",
      },
    });
    expect(p.resources).to.deep.equal({ instanceCount: 2 });
    expect(p.limits).to.deep.equal({ jobLimitsType: "Command", timeout: "PT2H" });
    expect(p.tags).to.include({
      environment: "prod",
      project: "secure-ml-training",
      owner: "ml-platform@example.com",
      "data-classification": "restricted",
    });
    // Hyperparameters travel as one JSON value; nothing opens an endpoint or changes the container runtime.
    expect(Object.keys(p.environmentVariables).sort()).to.deep.equal(["AZURE_CLIENT_ID", "SM_HPS"]);
    expect(JSON.parse(p.environmentVariables.SM_HPS)).to.deep.equal(readJson("test/fixtures/outputs/hyperparameters.json"));
    expect(p).to.not.have.property("services");
    expect(p.resources).to.not.have.property("dockerArgs");
    expect(p.resources).to.not.have.property("instanceType");
  });

  it("limits.timeout is an ISO-8601 duration with second precision", () => {
    expect(isoDuration(1)).to.equal("PT1S");
    expect(isoDuration(7200)).to.equal("PT2H");
    expect(isoDuration(90061)).to.equal("P1DT1H1M1S");
    expect(isoDuration(2_419_200)).to.equal("P28D");
  });
});

describe("train (Azure): submission over the REST API", () => {
  it("GET compute, PUT environment, PUT job: methods, URLs, api-version, token and bodies", async () => {
    const h = harness({ httpHandler: azureApi() });
    expect(await h.run(AZURE_ARGV)).to.equal(0);
    const golden = readJson(GOLDEN);
    expect(h.http.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      `GET ${COMPUTE_URL}`,
      `PUT ${golden.requests[0].url}`,
      `PUT ${golden.requests[1].url}`,
    ]);
    for (const r of h.http) {
      expect(new URL(r.url).searchParams.get("api-version")).to.equal(AZURE_ML_API_VERSION);
      expect(r.headers.Authorization).to.equal("Bearer fake-arm-token");
    }
    expect(h.http[0].body).to.equal(undefined);
    expect(JSON.parse(h.http[1].body!)).to.deep.equal(golden.requests[0].body);
    expect(JSON.parse(h.http[2].body!)).to.deep.equal(golden.requests[1].body);
    expect(h.http[2].headers["Content-Type"]).to.equal("application/json");
    expect(h.tokens).to.deep.equal([O.subscriptionId]);
    expect(h.line()).to.deep.equal({
      jobName: "mltrain-prod-golden",
      cloud: "azure",
      status: "NotStarted",
      consoleUrl: "https://ml.azure.com/runs/mltrain-prod-golden?wsid=studio",
    });
  });

  describe("--wait polls the job's status", () => {
    const cases = [
      { statuses: ["Queued", "Running", "Completed"], exit: 0 },
      { statuses: ["Running", "Failed"], exit: 1 },
      { statuses: ["Running", "CancelRequested", "Canceled"], exit: 1 },
    ];
    for (const c of cases) {
      it(`${c.statuses.at(-1)} -> ${c.exit}`, async () => {
        const h = harness({ httpHandler: azureApi({ statuses: c.statuses }) });
        expect(await h.run([...AZURE_ARGV, "--wait"])).to.equal(c.exit);
        const polls = h.http.filter((r) => r.method === "GET" && r.url === JOB_URL);
        expect(polls).to.have.length(c.statuses.length);
        expect(h.line().status).to.equal(c.statuses.at(-1));
        expect(h.clock.sleeps).to.have.length(c.statuses.length - 1);
      });
    }

    it("timeout -> 4; no real time passes", async () => {
      const h = harness({ httpHandler: azureApi({ statuses: ["Running"] }) });
      expect(await h.run([...AZURE_ARGV, "--wait", "--wait-timeout", "65"])).to.equal(4);
      expect(h.line().status).to.equal("Running");
      expect(h.clock.sleeps).to.deep.equal([30_000, 30_000, 5_000]);
    });

    it("a refused status read after submission -> 3, still reporting the job", async () => {
      const h = harness({
        httpHandler: azureApi({
          fail: {
            match: (r) => r.method === "GET" && r.url === JOB_URL,
            status: 403,
            body: { error: { code: "AuthorizationFailed", message: "no jobs/read" } },
          },
        }),
      });
      expect(await h.run([...AZURE_ARGV, "--wait"])).to.equal(3);
      expect(h.line().jobName).to.equal("mltrain-prod-golden");
      expect(h.err()).to.include("AuthorizationFailed: no jobs/read");
    });
  });

  describe("API rejection -> exit 3 with the API's message", () => {
    const cases: { name: string; match: (r: HttpRequest) => boolean; status: number; body: unknown; expect: string[]; jobSent: boolean }[] =
      [
        {
          name: "403 on the compute read",
          match: (r) => r.method === "GET",
          status: 403,
          body: { error: { code: "AuthorizationFailed", message: "The client does not have authorization" } },
          expect: ["AuthorizationFailed: The client does not have authorization", "AzureML Data Scientist"],
          jobSent: false,
        },
        {
          name: "400 on the environment",
          match: isPutEnv,
          status: 400,
          body: { error: { code: "UserError", message: "Invalid image reference" } },
          expect: ["UserError: Invalid image reference"],
          jobSent: false,
        },
        {
          name: "409 on the job",
          match: isPutJob,
          status: 409,
          body: { error: { code: "Conflict", message: "Job already exists" } },
          expect: ["Conflict: Job already exists", "another --job-name"],
          jobSent: true,
        },
        { name: "500 without a JSON body", match: isPutJob, status: 500, body: "oops", expect: ["HTTP 500", "try again"], jobSent: true },
        {
          name: "401 token refused",
          match: isPutJob,
          status: 401,
          body: { error: { code: "InvalidAuthenticationToken", message: "expired" } },
          expect: ["InvalidAuthenticationToken: expired", "az login"],
          jobSent: true,
        },
      ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = harness({ httpHandler: azureApi({ fail: { match: c.match, status: c.status, body: c.body } }) });
        expect(await h.run([...AZURE_ARGV, "--wait"])).to.equal(3);
        for (const s of c.expect) expect(h.err()).to.include(s);
        expect(h.http.some(isPutJob)).to.equal(c.jobSent);
        expect(h.http.filter((r) => r.method === "GET" && r.url === JOB_URL)).to.have.length(0); // no waiting on a job that does not exist
        expect(h.stdout).to.deep.equal([]);
      });
    }

    it("network failure -> 3", async () => {
      const h = harness({
        httpHandler: () => {
          throw new Error("getaddrinfo ENOTFOUND management.azure.com");
        },
      });
      expect(await h.run(AZURE_ARGV)).to.equal(3);
      expect(h.err()).to.include("ENOTFOUND");
    });
  });

  describe("the compute pre-check refuses before anything is written (exit 2)", () => {
    const cases: { name: string; compute: unknown; argv?: string[]; expect: string }[] = [
      {
        name: "--instance-type is not the cluster's VM size",
        compute: compute({ vmSize: "Standard_NC6s_v3" }),
        expect: "--instance-type Standard_NC6s_v3",
      },
      {
        name: "--instance-count above the cluster's max nodes",
        compute: compute({ maxNodeCount: 1 }),
        expect: "scales to at most 1 nodes",
      },
      { name: "nodes have public IPs", compute: compute({ enableNodePublicIp: true }), expect: "public IPs" },
      {
        name: "enableNodePublicIp not reported (defaults to true)",
        compute: compute({ enableNodePublicIp: undefined }),
        expect: "public IPs",
      },
      { name: "public SSH", compute: compute({ remoteLogin: "Enabled" }), expect: "SSH" },
      {
        name: "cluster outside the stack's subnet",
        compute: compute({ subnet: O.subnetIds[0].replace("/subnets/training", "/subnets/default") }),
        expect: "not in the stack's private subnet",
      },
      {
        name: "cluster without the stack's identity",
        compute: compute({ identities: [O.identityId.replace("id5a0c7e93", "other")] }),
        expect: "does not carry the stack's user-assigned identity",
      },
      {
        name: "not an AmlCompute",
        compute: compute({ computeType: "ComputeInstance" }),
        expect: "expected the stack's AmlCompute cluster",
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = harness({ httpHandler: azureApi({ compute: c.compute }) });
        expect(await h.run(c.argv ?? AZURE_ARGV)).to.equal(2);
        expect(h.err()).to.include(c.expect);
        expect(h.http.map((r) => r.method)).to.deep.equal(["GET"]);
        expect(h.stdout).to.deep.equal([]);
      });
    }

    it("the VM size comparison ignores case (Azure reports STANDARD_DS3_V2)", async () => {
      const h = harness({ httpHandler: azureApi() });
      expect(await h.run(withFlag(AZURE_ARGV, "--instance-type", "Standard_DS3_v2"))).to.equal(0);
    });
  });

  describe("bad input -> exit 2 and nothing sent", () => {
    it("a stack without the ML workspace explains mlWorkspace: true", async () => {
      const h = harness({ httpHandler: azureApi() });
      const doc = azureOutputs();
      delete doc.workspaceName;
      delete doc.workspaceId;
      delete doc.computeName;
      expect(await h.run(withFlag(AZURE_ARGV, "--outputs", virtualOutputs(h, doc)))).to.equal(2);
      expect(h.err()).to.include("workspaceName and computeName").and.include("mlWorkspace: true").and.include("Pulumi.azure-prod.yaml");
      expect(h.http).to.have.length(0);
      expect(h.tokens).to.have.length(0);
    });

    const tamper: { name: string; mutate: (d: Record<string, any>) => void; expect: string }[] = [
      { name: "missing identityClientId", mutate: (d) => delete d.identityClientId, expect: '"identityClientId"' },
      {
        name: "identityId in another subscription",
        mutate: (d) => (d.identityId = d.identityId.replace(O.subscriptionId, "11111111-1111-4111-8111-111111111111")),
        expect: '"identityId"',
      },
      {
        name: "subnet outside the VNet",
        mutate: (d) => (d.subnetIds = [d.networkId.replace(/[^/]+$/, "other-vnet") + "/subnets/training"]),
        expect: "not in the VNet",
      },
      {
        name: "dataLocation in another storage account",
        mutate: (d) => (d.dataLocation = "https://evilaccount.blob.core.windows.net/data"),
        expect: '"dataLocation"',
      },
      { name: "workspace name with a path", mutate: (d) => (d.workspaceName = "ws/../../other"), expect: '"workspaceName"' },
      { name: "location differs from the stack config", mutate: (d) => (d.location = "eastus"), expect: 'expected "westeurope"' },
      { name: "key in another vault", mutate: (d) => (d.keyId = "https://othervault.vault.azure.net/keys/k"), expect: '"keyId"' },
    ];
    for (const t of tamper) {
      it(`outputs: ${t.name}`, async () => {
        const h = harness({ httpHandler: azureApi() });
        const doc = azureOutputs();
        t.mutate(doc);
        expect(await h.run(withFlag(AZURE_ARGV, "--outputs", virtualOutputs(h, doc)))).to.equal(2);
        expect(h.err()).to.include(t.expect);
        expect(h.http).to.have.length(0);
      });
    }

    const flags: { name: string; argv: string[]; expect: string }[] = [
      {
        name: "image from Docker Hub",
        argv: withFlag(AZURE_ARGV, "--image", "docker.io/library/python:3.12"),
        expect: "mcr.microsoft.com",
      },
      {
        name: "image from a private Azure registry the managed network cannot reach",
        argv: withFlag(AZURE_ARGV, "--image", "mltrainprodacr.azurecr.io/trainer:1.4.2"),
        expect: "no private registry",
      },
      { name: "an AWS instance type", argv: withFlag(AZURE_ARGV, "--instance-type", "ml.m5.xlarge"), expect: "an Azure VM size name" },
      { name: "instance count 0", argv: withFlag(AZURE_ARGV, "--instance-count", "0"), expect: "--instance-count" },
      {
        name: "a job name that would change the URL path",
        argv: withFlag(AZURE_ARGV, "--job-name", "../computes/x"),
        expect: "--job-name",
      },
    ];
    for (const f of flags) {
      it(`flags: ${f.name}`, async () => {
        const h = harness({ httpHandler: azureApi() });
        expect(await h.run(f.argv)).to.equal(2);
        expect(h.err()).to.include(f.expect);
        expect(h.http).to.have.length(0);
      });
    }

    it("a token provider failure (az missing or signed out) is exit 2 with nothing sent", async () => {
      const h = harness({ httpHandler: azureApi(), tokenError: new UsageError(["the Azure CLI (az) is not installed"]) });
      expect(await h.run(AZURE_ARGV)).to.equal(2);
      expect(h.err()).to.include("Azure CLI");
      expect(h.http).to.have.length(0);
    });
  });
});

describe("train (Azure): az CLI token provider", () => {
  it("runs `az account get-access-token` for ARM and the stack's subscription and returns accessToken", async () => {
    const calls: (readonly string[])[] = [];
    const provider = azCliTokenProvider(async (cmd, args) => {
      expect(cmd).to.equal("az");
      calls.push(args);
      return { code: 0, stdout: JSON.stringify({ accessToken: "tok", tokenType: "Bearer" }), stderr: "" };
    });
    expect(await provider(O.subscriptionId)).to.equal("tok");
    expect(calls[0]).to.include.members([
      "account",
      "get-access-token",
      "--resource",
      "https://management.azure.com",
      "--subscription",
      O.subscriptionId,
    ]);
  });

  it("a missing az is a UsageError (exit 2) with install instructions", async () => {
    const provider = azCliTokenProvider(async () => {
      throw new MissingToolError("az");
    });
    const e = await provider(O.subscriptionId).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(UsageError);
    expect((e as UsageError).exitCode).to.equal(2);
    expect((e as Error).message)
      .to.include("install-azure-cli")
      .and.include("az login");
  });

  it("a signed-out az is a UsageError naming az login", async () => {
    const provider = azCliTokenProvider(async () => ({ code: 1, stdout: "", stderr: "ERROR: Please run 'az login' to setup account." }));
    const e = (await provider(O.subscriptionId).catch((x: unknown) => x)) as UsageError;
    expect(e).to.be.instanceOf(UsageError);
    expect(e.message).to.include("Please run 'az login'");
  });

  it("the real runner reports a missing executable as MissingToolError", async () => {
    const e = await runCommand("definitely-not-a-real-cli-7f3a", ["--version"]).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(MissingToolError);
  });
});
