/**
 * npm run teardown: the prod Studio domain's teardown, against mocked AWS
 * SDK clients (aws-sdk-client-mock). A dry run lists, in order, what would be
 * deleted and calls no deleting API; --yes deletes phase by phase and waits
 * for each deletion; bad input exits 2 naming the flag or output.
 */
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import {
  DeleteAppCommand,
  DeleteDomainCommand,
  DeleteSpaceCommand,
  DeleteUserProfileCommand,
  DescribeAppCommand,
  DescribeDomainCommand,
  DescribeSpaceCommand,
  DescribeUserProfileCommand,
  ListAppsCommand,
  ListSpacesCommand,
  ListUserProfilesCommand,
  ResourceNotFound,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  FileSystemNotFound,
  MountTargetNotFound,
} from "@aws-sdk/client-efs";
import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { main } from "../../../cli/teardown/cli";
import { executeTeardown, TeardownTimeoutError } from "../../../cli/teardown/execute";
import { PHASES, Step, nfsGroupNames, planTeardown } from "../../../cli/teardown/plan";

const DOMAIN = "d-7k2p9x4m1q8z";
const FS = "fs-0123456789abcdef0";
const VPC = "vpc-0a1b2c3d4e5f60718";
const OUTPUTS = JSON.stringify({ cloud: "aws", tier: "prod", region: "us-east-1", domainId: DOMAIN });

const notFound = (Cls: any, what: string) => new Cls({ message: `${what} not found`, $metadata: {} });

function mocks() {
  const sm = mockClient(SageMakerClient);
  const efs = mockClient(EFSClient);
  const ec2 = mockClient(EC2Client);
  sm.on(DescribeDomainCommand).resolves({
    DomainId: DOMAIN,
    DomainName: "mltrain-prod-studio",
    Status: "InService",
    VpcId: VPC,
    HomeEfsFileSystemId: FS,
  });
  sm.on(ListAppsCommand)
    .resolvesOnce({
      Apps: [
        { AppType: "JupyterServer", AppName: "default", UserProfileName: "mltrain-prod-trainer", Status: "InService" },
        { AppType: "KernelGateway", AppName: "old", UserProfileName: "mltrain-prod-trainer", Status: "Deleted" },
      ],
      NextToken: "page2",
    })
    .resolves({ Apps: [{ AppType: "JupyterLab", AppName: "lab", SpaceName: "team-space", Status: "InService" }] });
  sm.on(ListSpacesCommand).resolves({ Spaces: [{ SpaceName: "team-space" }] });
  sm.on(ListUserProfilesCommand).resolves({ UserProfiles: [{ UserProfileName: "mltrain-prod-trainer" }] });
  efs.on(DescribeMountTargetsCommand, { FileSystemId: FS }).resolves({
    MountTargets: [
      { MountTargetId: "fsmt-1", FileSystemId: FS, SubnetId: "subnet-a", NetworkInterfaceId: "eni-1", LifeCycleState: "available" },
      { MountTargetId: "fsmt-2", FileSystemId: FS, SubnetId: "subnet-b", NetworkInterfaceId: "eni-2", LifeCycleState: "available" },
    ],
  });
  const rule = (group: string) => [{ IpProtocol: "tcp", FromPort: 2049, ToPort: 2049, UserIdGroupPairs: [{ GroupId: group }] }];
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: "sg-in", GroupName: nfsGroupNames(DOMAIN)[0], VpcId: VPC, IpPermissions: rule("sg-out"), IpPermissionsEgress: [] },
      { GroupId: "sg-out", GroupName: nfsGroupNames(DOMAIN)[1], VpcId: VPC, IpPermissions: [], IpPermissionsEgress: rule("sg-in") },
    ],
  });
  return { sm, efs, ec2 };
}

/** Once deleted, describing a resource says it is gone. */
function afterDeletion(m: ReturnType<typeof mocks>) {
  m.sm.on(DescribeAppCommand).resolves({ Status: "Deleted" });
  m.sm.on(DescribeSpaceCommand).rejects(notFound(ResourceNotFound, "space"));
  m.sm.on(DescribeUserProfileCommand).rejects(notFound(ResourceNotFound, "profile"));
  m.efs.on(DescribeMountTargetsCommand, { MountTargetId: "fsmt-1" }).rejects(notFound(MountTargetNotFound, "fsmt-1"));
  m.efs.on(DescribeMountTargetsCommand, { MountTargetId: "fsmt-2" }).rejects(notFound(MountTargetNotFound, "fsmt-2"));
  m.efs.on(DescribeFileSystemsCommand).rejects(notFound(FileSystemNotFound, FS));
}

const DELETING = [
  DeleteAppCommand,
  DeleteSpaceCommand,
  DeleteUserProfileCommand,
  DeleteDomainCommand,
  DeleteMountTargetCommand,
  DeleteFileSystemCommand,
  RevokeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgressCommand,
  DeleteSecurityGroupCommand,
];

async function run(argv: string[], m: ReturnType<typeof mocks>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    clients: () => ({
      sagemaker: new SageMakerClient({ region: "us-east-1" }),
      efs: new EFSClient({ region: "us-east-1" }),
      ec2: new EC2Client({ region: "us-east-1" }),
    }),
    readFile: (p) => {
      if (p === "outputs.json") return OUTPUTS;
      if (p === "nodomain.json") return JSON.stringify({ cloud: "aws", region: "us-east-1" });
      if (p === "bad.json") return JSON.stringify({ cloud: "aws", region: "us-east-1", domainId: "studio" });
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    },
    run: async () => ({ code: 1, stdout: "", stderr: "pulumi must not run in tests" }),
    root: "/nonexistent",
    sleep: async () => undefined,
  });
  return { code, out: out.join("\n"), err: err.join("\n"), m };
}

describe("cli/teardown: the prod Studio domain's documented teardown", () => {
  let m: ReturnType<typeof mocks>;
  beforeEach(() => (m = mocks()));
  afterEach(() => {
    m.sm.restore();
    m.efs.restore();
    m.ec2.restore();
  });

  it("dry run (default): prints every step in order and calls no deleting API", async () => {
    const r = await run(["--stack", "prod", "--outputs", "outputs.json"], m);
    expect(r.code, r.err).to.equal(0);
    expect(r.out)
      .to.include(`Teardown of SageMaker domain ${DOMAIN} (mltrain-prod-studio) in us-east-1`)
      .and.include("Dry run: nothing is deleted");
    const phases = r.out
      .split("\n")
      .filter((l) => /^\s+\d+\. \[/.test(l))
      .map((l) => /\[([^\]]+)\]/.exec(l)![1]);
    // One step per live thing the mocks hold (the deleted app is skipped; each NFS group has its rules revoked, then goes).
    const count = (phase: string) => phases.filter((p) => p === phase).length;
    expect(Object.fromEntries(PHASES.map((p) => [p, count(p)]))).to.deep.equal({
      apps: 2,
      spaces: 1,
      "user profiles": 1,
      domain: 1,
      "EFS mount targets": 2,
      "EFS file system": 1,
      "NFS security group rules": 2,
      "NFS security groups": 2,
    });
    // What the cloud refuses otherwise: a domain with apps, spaces or profiles; a space or profile with apps;
    // a volume with mount targets; a group still used by a mount target's interface or referenced by the other's rules.
    const before: [string, string][] = [
      ["apps", "spaces"],
      ["apps", "user profiles"],
      ["spaces", "domain"],
      ["user profiles", "domain"],
      ["domain", "EFS mount targets"],
      ["EFS mount targets", "EFS file system"],
      ["EFS mount targets", "NFS security groups"],
      ["NFS security group rules", "NFS security groups"],
    ];
    for (const [first, then] of before) expect(phases.lastIndexOf(first), `${first} before ${then}`).to.be.lessThan(phases.indexOf(then));
    expect(r.out)
      .to.include('JupyterServer app "default" of user profile mltrain-prod-trainer')
      .and.include('JupyterLab app "lab" of space team-space')
      .and.not.include('"old"');
    expect(r.out).to.include(`delete security group ${nfsGroupNames(DOMAIN)[0]} (sg-in)`);
    for (const C of DELETING) {
      expect(
        m.sm.commandCalls(C as any).length + m.efs.commandCalls(C as any).length + m.ec2.commandCalls(C as any).length,
        C.name,
      ).to.equal(0);
    }
  });

  it("--yes deletes phase by phase, retaining the volume in DeleteDomain and deleting it explicitly, and waits for each phase", async () => {
    afterDeletion(m);
    const domainGone = m.sm.on(DescribeDomainCommand);
    domainGone
      .resolvesOnce({ DomainId: DOMAIN, DomainName: "mltrain-prod-studio", Status: "InService", VpcId: VPC, HomeEfsFileSystemId: FS })
      .rejects(notFound(ResourceNotFound, "domain"));
    const r = await run(["--stack", "prod", "--outputs", "outputs.json", "--yes"], m);
    expect(r.code, r.err).to.equal(0);
    expect(m.sm.commandCalls(DeleteAppCommand).map((c) => c.args[0].input.AppName)).to.deep.equal(["default", "lab"]);
    expect(m.sm.commandCalls(DeleteAppCommand)[1].args[0].input).to.include({ SpaceName: "team-space", DomainId: DOMAIN });
    expect(m.sm.commandCalls(DeleteSpaceCommand)).to.have.length(1);
    expect(m.sm.commandCalls(DeleteUserProfileCommand)[0].args[0].input).to.deep.equal({
      DomainId: DOMAIN,
      UserProfileName: "mltrain-prod-trainer",
    });
    expect(m.sm.commandCalls(DeleteDomainCommand)[0].args[0].input).to.deep.equal({
      DomainId: DOMAIN,
      RetentionPolicy: { HomeEfsFileSystem: "Retain" },
    });
    expect(m.efs.commandCalls(DeleteMountTargetCommand).map((c) => c.args[0].input.MountTargetId)).to.deep.equal(["fsmt-1", "fsmt-2"]);
    expect(m.efs.commandCalls(DeleteFileSystemCommand)[0].args[0].input).to.deep.equal({ FileSystemId: FS });
    expect(m.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0].args[0].input.GroupId).to.equal("sg-in");
    expect(m.ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0].args[0].input.GroupId).to.equal("sg-out");
    expect(m.ec2.commandCalls(DeleteSecurityGroupCommand).map((c) => c.args[0].input.GroupId)).to.deep.equal(["sg-in", "sg-out"]);
    // Progress follows the phases in order.
    const at = (text: string) => r.out.indexOf(text);
    expect(at("apps: done")).to.be.lessThan(at("user profiles: done"));
    expect(at("domain: done")).to.be.lessThan(at("EFS mount targets: done"));
    expect(at("EFS file system: done")).to.be.lessThan(at("NFS security groups: done"));
    expect(r.out).to.include("pulumi state unprotect --all --stack prod").and.include("pulumi destroy --stack prod");
  });

  it("--keep-home deletes the SageMaker resources only and says the VPC cannot be deleted", async () => {
    const r = await run(["--stack", "prod", "--outputs", "outputs.json", "--keep-home"], m);
    expect(r.code, r.err).to.equal(0);
    expect(r.out)
      .to.include(`kept: home EFS volume ${FS} (--keep-home)`)
      .and.include("the VPC cannot be deleted")
      .and.not.include("EFS mount targets");
  });

  it("says so when the stack has no Studio domain (dev), and refuses bad input with exit 2", async () => {
    expect((await run(["--stack", "dev", "--outputs", "nodomain.json"], m)).out).to.include("has no SageMaker Studio domain");
    const missing = await run(["--outputs", "outputs.json"], m);
    expect(missing.code).to.equal(2);
    expect(missing.err).to.include("--stack: missing");
    const bad = await run(["--stack", "prod", "--outputs", "bad.json"], m);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.include('stack output "domainId"').and.include('"studio"');
    expect((await run(["--stack", "prod", "--outputs", "outputs.json", "--poll", "soon"], m)).err).to.include('--poll: got "soon"');
    expect((await run(["--stack", "prod", "--bogus"], m)).code).to.equal(2);
  });

  it("exits 1 naming the domain when it no longer exists", async () => {
    m.sm.on(DescribeDomainCommand).rejects(notFound(ResourceNotFound, "domain"));
    const r = await run(["--stack", "prod", "--outputs", "outputs.json"], m);
    expect(r.code).to.equal(1);
    expect(r.err).to.include(`SageMaker domain ${DOMAIN} does not exist`);
  });
});

describe("cli/teardown: waiting for asynchronous deletions", () => {
  const step = (phase: Step["phase"], checks: boolean[], calls: string[]): Step => ({
    phase,
    what: `${phase} step`,
    run: async () => void calls.push(`run ${phase}`),
    gone: async () => {
      calls.push(`check ${phase}`);
      return checks.shift() ?? true;
    },
  });

  it("starts the next phase only after every deletion of the current one completed", async () => {
    const calls: string[] = [];
    await executeTeardown([step("domain", [false, false, true], calls), step("apps", [true], calls)], {
      log: () => undefined,
      pollMs: 0,
      timeoutMs: 1000,
      sleep: async () => undefined,
    });
    expect(calls).to.deep.equal(["run apps", "check apps", "run domain", "check domain", "check domain", "check domain"]);
    expect(PHASES.indexOf("apps")).to.be.lessThan(PHASES.indexOf("domain"));
  });

  it("times out naming the phase and what is still there", async () => {
    let t = 0;
    const never: Step = {
      phase: "EFS file system",
      what: "delete EFS file system fs-1",
      run: async () => undefined,
      gone: async () => false,
    };
    try {
      await executeTeardown([never], {
        log: () => undefined,
        pollMs: 10,
        timeoutMs: 30,
        sleep: async (ms) => void (t += ms),
        now: () => t,
      });
      expect.fail("should time out");
    } catch (e) {
      expect(e).to.be.instanceOf(TeardownTimeoutError);
      expect((e as Error).message)
        .to.include("EFS file system")
        .and.include("fs-1")
        .and.include("Re-run");
    }
  });

  it("plans from read-only calls only", async () => {
    const m = mocks();
    try {
      const plan = await planTeardown(
        {
          sagemaker: new SageMakerClient({ region: "us-east-1" }),
          efs: new EFSClient({ region: "us-east-1" }),
          ec2: new EC2Client({ region: "us-east-1" }),
        },
        DOMAIN,
        { keepHome: false },
      );
      expect(plan.steps).to.have.length(12);
      expect(m.sm.calls().every((c) => /^(Describe|List)/.test(c.args[0].constructor.name))).to.equal(true);
      expect(m.efs.calls().every((c) => /^Describe/.test(c.args[0].constructor.name))).to.equal(true);
      expect(m.ec2.calls().every((c) => /^Describe/.test(c.args[0].constructor.name))).to.equal(true);
    } finally {
      m.sm.restore();
      m.efs.restore();
      m.ec2.restore();
    }
  });
});
