/**
 * The AWS training network (C4, C8): private subnets only (no internet / NAT
 * gateway, no public IPs, no routes out), one per configured AZ inside the
 * VPC CIDR; interface endpoints exactly as configured with private DNS; an
 * S3 gateway endpoint whose policy admits only the environment's buckets and
 * the ECR layer bucket; security-group rules exactly as designed; VPC flow
 * logs to a KMS-encrypted log group with the configured retention.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { contains, overlaps } from "../../../stacks/cidr";
import { chooseZones } from "../../../stacks/aws/network";
import { AWS_STACKS, T, configOf, envName, named, one, statements, list, cond } from "./helpers";
import type { AwsStackConfig } from "../../../stacks/config";

/** Resource types that would give a training VPC a way out to the internet. */
const EGRESS_TYPES = [
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/route:Route",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:ec2/transitGatewayVpcAttachment:TransitGatewayVpcAttachment",
  "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
];

function networkSuite(label: string, stack: string, overrides: Record<string, string> = {}): void {
  describe(`aws ${label}: network`, () => {
    const config: AwsStackConfig = configOf(stack, overrides);
    const name = envName(config);
    let rec: Recording;
    let vpc: RecordedResource;
    let subnets: RecordedResource[];
    before(async () => {
      rec = await runStack(stack, overrides);
      vpc = one(rec, T.vpc);
      subnets = ofType(rec, T.subnet);
    });

    it("C4: one VPC with the configured CIDR and DNS (for private endpoint names)", () => {
      expect(vpc.inputs.cidrBlock, vpc.urn).to.equal(config.vpcCidr);
      expect(vpc.inputs.enableDnsSupport, vpc.urn).to.equal(true);
      expect(vpc.inputs.enableDnsHostnames, vpc.urn).to.equal(true);
      expect(rec.outputs!.networkId).to.equal(vpc.outputs.id);
    });

    it("C4: no internet gateway, NAT gateway, elastic IP, route out, peering or transit attachment", () => {
      for (const type of EGRESS_TYPES)
        expect(
          ofType(rec, type).map((r) => r.urn),
          type,
        ).to.deep.equal([]);
      for (const rt of ofType(rec, T.routeTable)) {
        expect(rt.inputs.routes ?? [], `${rt.urn}: inline routes`).to.deep.equal([]);
        expect(rt.inputs.propagatingVgws ?? [], `${rt.urn}: propagating VPN gateways`).to.deep.equal([]);
      }
    });

    it(`C4: ${config.azCount} private subnet(s), one per AZ, inside the VPC CIDR, disjoint, without public IPs`, () => {
      expect(subnets, `${rec.stack}: subnets`).to.have.length(config.azCount);
      const azs = subnets.map((s) => s.inputs.availabilityZone);
      expect(new Set(azs).size, `distinct AZs: ${azs}`).to.equal(config.azCount);
      for (const s of subnets) {
        expect(s.inputs.vpcId, s.urn).to.equal(vpc.outputs.id);
        expect(contains(config.vpcCidr, s.inputs.cidrBlock), `${s.urn}: ${s.inputs.cidrBlock} inside ${config.vpcCidr}`).to.equal(true);
        expect(s.inputs.mapPublicIpOnLaunch, `${s.urn}: mapPublicIpOnLaunch`).to.equal(false);
        expect(s.inputs.availabilityZone, s.urn).to.match(new RegExp(`^${config.region}[a-z]$`));
      }
      for (let i = 0; i < subnets.length; i++) {
        for (let j = i + 1; j < subnets.length; j++) {
          expect(
            overlaps(subnets[i].inputs.cidrBlock, subnets[j].inputs.cidrBlock),
            `${subnets[i].urn} overlaps ${subnets[j].urn}`,
          ).to.equal(false);
        }
      }
      expect(rec.outputs!.subnetIds).to.have.members(subnets.map((s) => s.outputs.id));
    });

    it("C4: every subnet uses the private route table, which the S3 gateway endpoint serves", () => {
      const rt = one(rec, T.routeTable);
      const assocs = ofType(rec, T.rtAssoc);
      expect(assocs.map((a) => a.inputs.subnetId).sort()).to.deep.equal(subnets.map((s) => s.outputs.id).sort());
      for (const a of assocs) expect(a.inputs.routeTableId, a.urn).to.equal(rt.outputs.id);
      const s3 = named(rec, T.vpce, `${name}-vpce-s3`);
      expect(s3.inputs.routeTableIds, s3.urn).to.deep.equal([rt.outputs.id]);
    });

    it("C4: interface endpoints are exactly the configured services, with private DNS, in every subnet, behind the endpoint group", () => {
      const endpointSg = named(rec, T.sg, `${name}-endpoints-sg`);
      const interfaces = ofType(rec, T.vpce).filter((e) => e.inputs.vpcEndpointType === "Interface");
      expect(interfaces.map((e) => e.inputs.serviceName).sort()).to.deep.equal(
        config.interfaceEndpoints.map((s) => `com.amazonaws.${config.region}.${s}`).sort(),
      );
      for (const e of interfaces) {
        expect(e.inputs.privateDnsEnabled, `${e.urn}: privateDnsEnabled`).to.equal(true);
        expect(e.inputs.vpcId, e.urn).to.equal(vpc.outputs.id);
        expect(e.inputs.subnetIds, e.urn).to.have.members(subnets.map((s) => s.outputs.id));
        expect(e.inputs.securityGroupIds, e.urn).to.deep.equal([endpointSg.outputs.id]);
      }
    });

    it("C4: the S3 gateway endpoint's policy admits only the environment's buckets (this account) and the ECR layer bucket", () => {
      const s3 = named(rec, T.vpce, `${name}-vpce-s3`);
      expect(s3.inputs.vpcEndpointType, s3.urn).to.equal("Gateway");
      expect(s3.inputs.serviceName, s3.urn).to.equal(`com.amazonaws.${config.region}.s3`);
      const bucketArns = ofType(rec, T.bucket).map((b) => b.outputs.arn as string);
      expect(bucketArns).to.have.length(3);
      const allowed = new Set([...bucketArns, ...bucketArns.map((a) => `${a}/*`)]);
      const ecrLayers = `arn:aws:s3:::prod-${config.region}-starport-layer-bucket/*`;
      const sts = statements(s3);
      for (const st of sts) {
        expect(st.Effect, `${s3.urn}: ${st.Sid}`).to.equal("Allow");
        expect(st.NotResource ?? st.NotAction, `${s3.urn}: ${st.Sid}`).to.equal(undefined);
        for (const a of list(st.Action)) expect(a, `${s3.urn}: ${st.Sid}`).to.match(/^s3:[A-Za-z]+$/);
      }
      const env = sts.filter((st) => !list(st.Resource).includes(ecrLayers));
      const ecr = sts.filter((st) => list(st.Resource).includes(ecrLayers));
      expect(ecr, `${s3.urn}: ECR layer statement`).to.have.length(1);
      expect(list(ecr[0].Resource), s3.urn).to.deep.equal([ecrLayers]);
      expect(list(ecr[0].Action), s3.urn).to.deep.equal(["s3:GetObject"]);
      expect(env, `${s3.urn}: bucket statements`).to.have.length.at.least(1);
      for (const st of env) {
        for (const r of list(st.Resource))
          expect(allowed.has(r), `${s3.urn}: ${st.Sid} resource ${r} is not an environment bucket`).to.equal(true);
        expect(cond(st, "StringEquals", "aws:PrincipalAccount"), `${s3.urn}: ${st.Sid}`).to.deep.equal([rec.outputs!.accountId]);
      }
      const covered = new Set(env.flatMap((st) => list(st.Resource)));
      for (const a of allowed) expect(covered.has(a), `${s3.urn}: ${a} reachable`).to.equal(true);
    });

    it("C4: the endpoint group admits HTTPS from the VPC CIDR only and sends nothing", () => {
      const sg = named(rec, T.sg, `${name}-endpoints-sg`);
      expect(sg.inputs.vpcId, sg.urn).to.equal(vpc.outputs.id);
      expect(sg.inputs.ingress ?? [], `${sg.urn}: inline ingress`).to.deep.equal([]);
      expect(sg.inputs.egress ?? [], `${sg.urn}: inline egress`).to.deep.equal([]);
      const ins = ofType(rec, T.ingress).filter((r) => r.inputs.securityGroupId === sg.outputs.id);
      expect(
        ins.map((r) => ({
          p: r.inputs.ipProtocol,
          from: r.inputs.fromPort,
          to: r.inputs.toPort,
          cidr: r.inputs.cidrIpv4,
          ref: r.inputs.referencedSecurityGroupId,
        })),
        sg.urn,
      ).to.deep.equal([{ p: "tcp", from: 443, to: 443, cidr: config.vpcCidr, ref: undefined }]);
      expect(
        ofType(rec, T.egress)
          .filter((r) => r.inputs.securityGroupId === sg.outputs.id)
          .map((r) => r.urn),
        `${sg.urn}: egress`,
      ).to.deep.equal([]);
    });

    it("C4: the training group talks only within itself and HTTPS to the endpoints and to S3 through the gateway", () => {
      const sg = named(rec, T.sg, `${name}-training-sg`);
      const endpointSg = named(rec, T.sg, `${name}-endpoints-sg`);
      const s3 = named(rec, T.vpce, `${name}-vpce-s3`);
      expect(sg.inputs.ingress ?? [], `${sg.urn}: inline ingress`).to.deep.equal([]);
      expect(sg.inputs.egress ?? [], `${sg.urn}: inline egress`).to.deep.equal([]);
      const shape = (r: RecordedResource) => ({
        p: r.inputs.ipProtocol,
        from: r.inputs.fromPort,
        to: r.inputs.toPort,
        cidr: r.inputs.cidrIpv4,
        ref: r.inputs.referencedSecurityGroupId,
        pl: r.inputs.prefixListId,
      });
      const ins = ofType(rec, T.ingress)
        .filter((r) => r.inputs.securityGroupId === sg.outputs.id)
        .map(shape);
      expect(ins, `${sg.urn}: ingress`).to.deep.equal([
        { p: "-1", from: undefined, to: undefined, cidr: undefined, ref: sg.outputs.id, pl: undefined },
      ]);
      const outs = ofType(rec, T.egress)
        .filter((r) => r.inputs.securityGroupId === sg.outputs.id)
        .map(shape);
      expect(outs, `${sg.urn}: egress`).to.have.deep.members([
        { p: "-1", from: undefined, to: undefined, cidr: undefined, ref: sg.outputs.id, pl: undefined },
        { p: "tcp", from: 443, to: 443, cidr: undefined, ref: endpointSg.outputs.id, pl: undefined },
        { p: "tcp", from: 443, to: 443, cidr: undefined, ref: undefined, pl: s3.outputs.prefixListId },
      ]);
      expect(s3.outputs.prefixListId, s3.urn).to.match(/^pl-/);
      expect(rec.outputs!.securityGroupIds).to.deep.equal([sg.outputs.id]);
    });

    it("C4: no rule anywhere opens to 0.0.0.0/0 or ::/0, and the default group has no rules", () => {
      for (const r of [...ofType(rec, T.ingress), ...ofType(rec, T.egress)]) {
        expect(r.inputs.cidrIpv4, r.urn).to.not.equal("0.0.0.0/0");
        expect(r.inputs.cidrIpv6, r.urn).to.equal(undefined);
      }
      const def = one(rec, T.defaultSg);
      expect(def.inputs.vpcId, def.urn).to.equal(vpc.outputs.id);
      expect(def.inputs.ingress, `${def.urn}: ingress`).to.deep.equal([]);
      expect(def.inputs.egress, `${def.urn}: egress`).to.deep.equal([]);
    });

    it("C8: VPC flow logs capture all traffic into a KMS-encrypted log group with the configured retention", () => {
      const fl = one(rec, T.flowLog);
      const lg = one(rec, T.logGroup);
      const key = one(rec, T.key);
      expect(fl.inputs.vpcId, fl.urn).to.equal(vpc.outputs.id);
      expect(fl.inputs.trafficType, fl.urn).to.equal("ALL");
      expect(fl.inputs.logDestinationType, fl.urn).to.equal("cloud-watch-logs");
      expect(fl.inputs.logDestination, fl.urn).to.equal(lg.outputs.arn);
      expect(lg.inputs.kmsKeyId, lg.urn).to.equal(key.outputs.arn);
      expect(lg.inputs.retentionInDays, lg.urn).to.equal(config.logRetentionDays);
      const role = ofType(rec, T.role).find((r) => r.outputs.arn === fl.inputs.iamRoleArn);
      expect(role, `${fl.urn}: delivery role`).to.not.equal(undefined);
      const trust = statements(role!, "assumeRolePolicy");
      expect(trust, role!.urn).to.have.length(1);
      expect(trust[0].Principal, role!.urn).to.deep.equal({ Service: "vpc-flow-logs.amazonaws.com" });
      expect(cond(trust[0], "StringEquals", "aws:SourceAccount"), role!.urn).to.deep.equal([rec.outputs!.accountId]);
      const write = ofType(rec, T.rolePolicy).filter((p) => p.inputs.role === role!.outputs.id);
      expect(write, `${role!.urn}: one inline policy`).to.have.length(1);
      for (const st of statements(write[0])) {
        for (const r of list(st.Resource))
          expect(r.startsWith(`arn:aws:logs:${config.region}:${rec.outputs!.accountId}:log-group:`), `${write[0].urn}: ${r}`).to.equal(
            true,
          );
        for (const a of list(st.Action))
          expect(a, `${write[0].urn}`).to.match(/^logs:(CreateLogStream|PutLogEvents|DescribeLogStreams|DescribeLogGroups)$/);
      }
      expect(fl.dependencies, `${fl.urn}: waits for its role's policy`).to.include(write[0].urn);
    });
  });
}

for (const stack of AWS_STACKS) networkSuite(stack, stack);
networkSuite("dev with azCount=3", "dev", { azCount: "3" });

describe("aws: subnet zones offer every interface endpoint service", () => {
  const where = { project: "secure-ml-training", region: "us-east-1" };
  const all = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];

  it("C11: takes the region's available zones, in order, that every endpoint service is offered in", () => {
    const services = [
      { service: "sagemaker.api", zones: ["us-east-1b", "us-east-1c", "us-east-1d"] },
      { service: "sts", zones: ["us-east-1a", "us-east-1c", "us-east-1d", "us-east-1f"] },
    ];
    expect(chooseZones(all, services, 2, where)).to.deep.equal(["us-east-1c", "us-east-1d"]);
    expect(chooseZones(all, [], 3, where), "no interface endpoint: the first available zones").to.deep.equal([
      "us-east-1a",
      "us-east-1b",
      "us-east-1c",
    ]);
  });

  it("C11: fewer usable zones than azCount fails naming azCount, the region and each service's zones", () => {
    const services = [{ service: "sagemaker.runtime", zones: ["us-east-1b"] }];
    expect(() => chooseZones(all, services, 2, where)).to.throw(
      /secure-ml-training:azCount: got 2; region us-east-1 has 1 zone\(s\).*sagemaker\.runtime: us-east-1b.*at most 1/,
    );
    expect(() => chooseZones(["us-east-1a"], [], 2, where)).to.throw(/azCount: got 2; region us-east-1 has only 1 available zone/);
  });

  it("C11: the program asks for the zones of each configured interface endpoint service (the subnets of prod lie in them)", async () => {
    const rec = await runStack("prod");
    const zones = ofType(rec, T.subnet).map((s) => s.inputs.availabilityZone);
    expect(zones).to.deep.equal(["us-east-1a", "us-east-1b"]);
  });
});
