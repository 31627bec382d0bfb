/**
 * What tearing down a SageMaker Studio domain takes, found with read-only
 * calls and returned as ordered steps (nothing is deleted here):
 *   apps -> spaces -> user profiles -> the domain (RetentionPolicy Retain,
 *   so the home volume is deleted explicitly below, where it can be listed)
 *   -> the home EFS volume's mount targets -> the volume -> the
 *   security-group-for-inbound-nfs-<domain> / -outbound-nfs- groups
 *   (their rules first: each references the other).
 * A domain must lose its apps, spaces and profiles before DeleteDomain, and
 * the mount targets' network interfaces and the NFS groups keep the VPC from
 * being deleted (cloudformation-coverage-roadmap issue 1085).
 * Docs: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeleteDomain.html
 */
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
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
} from "@aws-sdk/client-efs";
import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  SecurityGroup,
} from "@aws-sdk/client-ec2";

export interface Clients {
  readonly sagemaker: SageMakerClient;
  readonly efs: EFSClient;
  readonly ec2: EC2Client;
}

export const PHASES = [
  "apps",
  "spaces",
  "user profiles",
  "domain",
  "EFS mount targets",
  "EFS file system",
  "NFS security group rules",
  "NFS security groups",
] as const;
export type Phase = (typeof PHASES)[number];

export interface Step {
  readonly phase: Phase;
  /** One line for the plan: what will be deleted. */
  readonly what: string;
  /** The deleting call. */
  run(): Promise<void>;
  /** True once the deletion has completed (deletions are asynchronous); steps that complete at once return true. */
  gone(): Promise<boolean>;
}

export interface DomainFacts {
  readonly domainId: string;
  readonly name?: string;
  readonly status?: string;
  readonly vpcId?: string;
  readonly homeEfsFileSystemId?: string;
}

export interface Teardown {
  readonly domain: DomainFacts;
  readonly steps: Step[];
  /** What stays, and why (the home volume with --keep-home). */
  readonly kept: string[];
}

export class DomainNotFoundError extends Error {
  constructor(readonly domainId: string) {
    super(`SageMaker domain ${domainId} does not exist in this account and region (already deleted, or another region/account)`);
    this.name = "DomainNotFoundError";
  }
}

/** Errors that mean "already gone". */
export function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string; Code?: string })?.name ?? "";
  return (
    ["ResourceNotFound", "MountTargetNotFound", "FileSystemNotFound", "InvalidGroup.NotFound", "InvalidGroupId.NotFound"].includes(name) ||
    /NotFound/.test(name)
  );
}

async function absent(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

/** Every page of a NextToken-paginated list call. */
async function pages<T>(fetch: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await fetch(token);
    all.push(...(page.items ?? []));
    token = page.next;
    if (!token) break;
  }
  return all;
}

const DELETED = new Set(["Deleted", "Failed"]);

export function nfsGroupNames(domainId: string): string[] {
  return [`security-group-for-inbound-nfs-${domainId}`, `security-group-for-outbound-nfs-${domainId}`];
}

/** Finds what the teardown of `domainId` deletes, in order. Read-only. */
export async function planTeardown(c: Clients, domainId: string, opts: { readonly keepHome: boolean }): Promise<Teardown> {
  let described;
  try {
    described = await c.sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
  } catch (e) {
    if (isNotFound(e)) throw new DomainNotFoundError(domainId);
    throw e;
  }
  const domain: DomainFacts = {
    domainId,
    name: described.DomainName,
    status: described.Status,
    vpcId: described.VpcId,
    homeEfsFileSystemId: described.HomeEfsFileSystemId,
  };
  const steps: Step[] = [];
  const kept: string[] = [];

  const apps = await pages((NextToken) =>
    c.sagemaker.send(new ListAppsCommand({ DomainIdEquals: domainId, NextToken })).then((r) => ({ items: r.Apps, next: r.NextToken })),
  );
  for (const app of apps.filter((a) => !DELETED.has(a.Status ?? ""))) {
    const owner = app.SpaceName ? { SpaceName: app.SpaceName } : { UserProfileName: app.UserProfileName };
    const ownerText = app.SpaceName ? `space ${app.SpaceName}` : `user profile ${app.UserProfileName}`;
    const key = { DomainId: domainId, AppType: app.AppType, AppName: app.AppName, ...owner };
    steps.push({
      phase: "apps",
      what: `delete ${app.AppType} app "${app.AppName}" of ${ownerText}${app.Status === "Deleting" ? " (already deleting)" : ""}`,
      run: async () => {
        if (app.Status !== "Deleting") await c.sagemaker.send(new DeleteAppCommand(key));
      },
      gone: async () => {
        try {
          const r = await c.sagemaker.send(new DescribeAppCommand(key));
          return DELETED.has(r.Status ?? "");
        } catch (e) {
          if (isNotFound(e)) return true;
          throw e;
        }
      },
    });
  }

  const spaces = await pages((NextToken) =>
    c.sagemaker.send(new ListSpacesCommand({ DomainIdEquals: domainId, NextToken })).then((r) => ({ items: r.Spaces, next: r.NextToken })),
  );
  for (const space of spaces) {
    const key = { DomainId: domainId, SpaceName: space.SpaceName };
    steps.push({
      phase: "spaces",
      what: `delete space ${space.SpaceName}`,
      run: async () => void (await c.sagemaker.send(new DeleteSpaceCommand(key))),
      gone: () => absent(() => c.sagemaker.send(new DescribeSpaceCommand(key))),
    });
  }

  const profiles = await pages((NextToken) =>
    c.sagemaker
      .send(new ListUserProfilesCommand({ DomainIdEquals: domainId, NextToken }))
      .then((r) => ({ items: r.UserProfiles, next: r.NextToken })),
  );
  for (const profile of profiles) {
    const key = { DomainId: domainId, UserProfileName: profile.UserProfileName };
    steps.push({
      phase: "user profiles",
      what: `delete user profile ${profile.UserProfileName}`,
      run: async () => void (await c.sagemaker.send(new DeleteUserProfileCommand(key))),
      gone: () => absent(() => c.sagemaker.send(new DescribeUserProfileCommand(key))),
    });
  }

  steps.push({
    phase: "domain",
    what: `delete domain ${domainId}${domain.name ? ` (${domain.name})` : ""}, keeping its home volume for the steps below`,
    run: async () =>
      void (await c.sagemaker.send(new DeleteDomainCommand({ DomainId: domainId, RetentionPolicy: { HomeEfsFileSystem: "Retain" } }))),
    gone: () => absent(() => c.sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }))),
  });

  const fs = domain.homeEfsFileSystemId;
  if (opts.keepHome) {
    if (fs)
      kept.push(
        `home EFS volume ${fs} (--keep-home): its mount targets and NFS security groups stay in VPC ${domain.vpcId ?? "?"}, so the VPC cannot be deleted until they are gone`,
      );
    return { domain, steps, kept };
  }
  if (fs) {
    const targets = await pages((Marker) =>
      c.efs
        .send(new DescribeMountTargetsCommand({ FileSystemId: fs, Marker }))
        .then((r) => ({ items: r.MountTargets, next: r.NextMarker })),
    ).catch((e) => {
      if (isNotFound(e)) return [];
      throw e;
    });
    for (const t of targets) {
      steps.push({
        phase: "EFS mount targets",
        what: `delete mount target ${t.MountTargetId} of ${fs} in ${t.SubnetId ?? "?"} (network interface ${t.NetworkInterfaceId ?? "?"})`,
        run: async () => void (await c.efs.send(new DeleteMountTargetCommand({ MountTargetId: t.MountTargetId }))),
        gone: () => absent(() => c.efs.send(new DescribeMountTargetsCommand({ MountTargetId: t.MountTargetId }))),
      });
    }
    steps.push({
      phase: "EFS file system",
      what: `delete EFS file system ${fs} (the users' home directories)`,
      run: async () => void (await c.efs.send(new DeleteFileSystemCommand({ FileSystemId: fs }))),
      gone: () => absent(() => c.efs.send(new DescribeFileSystemsCommand({ FileSystemId: fs }))),
    });
  }

  if (domain.vpcId) {
    const groups: SecurityGroup[] =
      (
        await c.ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: "vpc-id", Values: [domain.vpcId] },
              { Name: "group-name", Values: nfsGroupNames(domainId) },
            ],
          }),
        )
      ).SecurityGroups ?? [];
    for (const g of groups) {
      if ((g.IpPermissions ?? []).length > 0 || (g.IpPermissionsEgress ?? []).length > 0) {
        steps.push({
          phase: "NFS security group rules",
          what: `revoke the rules of ${g.GroupName} (${g.GroupId}): ${(g.IpPermissions ?? []).length} inbound, ${(g.IpPermissionsEgress ?? []).length} outbound`,
          run: async () => {
            if ((g.IpPermissions ?? []).length > 0)
              await c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: g.IpPermissions }));
            if ((g.IpPermissionsEgress ?? []).length > 0)
              await c.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: g.GroupId, IpPermissions: g.IpPermissionsEgress }));
          },
          gone: async () => true,
        });
      }
    }
    for (const g of groups) {
      steps.push({
        phase: "NFS security groups",
        what: `delete security group ${g.GroupName} (${g.GroupId})`,
        run: async () => void (await c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId }))),
        gone: async () => true,
      });
    }
  }
  return { domain, steps, kept };
}
