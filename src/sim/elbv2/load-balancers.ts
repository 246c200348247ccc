import type { CreateLoadBalancerInput, DeleteLoadBalancerInput, DescribeLoadBalancersInput, LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { ControlHandler, Handler } from "../module.js";
import { ownEntry } from "../own.js";
import { list, optionalString, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { invalidConfiguration, loadBalancerNotFound, operationNotPermitted, validation } from "./errors.js";
import { page } from "./paging.js";
import { addTags } from "./tags.js";
import { refreshUsage } from "./usage.js";
import { newResourceId, type ElbRegionState, type LoadBalancerRecord } from "./state.js";

/** CreateLoadBalancer, DescribeLoadBalancers and DeleteLoadBalancer for application load balancers. */

/**
 * The simulator has no EC2, so a load balancer's VpcId comes from a subnet → VPC mapping: subnets declared with
 * PUT /_sim/elbv2/subnets {vpcId, subnets} belong to that VPC; any other subnet belongs to this one simulated VPC.
 * Only a load balancer whose VPC came from declared subnets has its listeners' target groups checked against it
 * (a group created with another VpcId is refused, as AWS refuses it), so worlds that never declare subnets —
 * which create target groups with any VpcId — behave as before.
 */
export const simulatedVpcId = "vpc-0f5e1a7c0de5a1b00";

function vpcOfSubnets(state: ElbRegionState, subnets: string[]): { vpcId: string; vpcFromSubnets: boolean } {
  const declared = [...new Set(subnets.map((s) => state.subnetVpcs.get(s)).filter((v): v is string => v !== undefined))];
  if (declared.length === 0) return { vpcId: simulatedVpcId, vpcFromSubnets: false };
  // [UNKNOWN] AWS's wording for subnets of several VPCs; the simulator's own sentence.
  if (declared.length > 1 || subnets.some((s) => !state.subnetVpcs.has(s))) {
    throw invalidConfiguration(`The subnets [${subnets.join(", ")}] do not all belong to the same VPC`);
  }
  return { vpcId: declared[0] ?? simulatedVpcId, vpcFromSubnets: true };
}

/** PUT /_sim/elbv2/subnets {vpcId, subnets}: declares the VPC of subnets for load balancers created afterwards. */
export const subnetsControl: ControlHandler = (body: { vpcId?: unknown; subnets?: unknown }, ctx) => {
  const state = stateOf(ctx);
  if (typeof body.vpcId !== "string" || !/^vpc-[0-9a-z]+$/.test(body.vpcId)) throw new AwsError("BadRequest", "vpcId must be a VPC id (vpc-…)");
  const subnets = body.subnets;
  if (!Array.isArray(subnets) || subnets.length === 0 || !subnets.every((s) => typeof s === "string" && s !== "")) throw new AwsError("BadRequest", "subnets must be a list of subnet ids");
  for (const subnet of subnets as string[]) state.subnetVpcs.set(subnet, body.vpcId);
  return { vpcId: body.vpcId, subnets };
};

/**
 * A new load balancer is `provisioning` and turns `active` this many simulated seconds after CreateLoadBalancer
 * (AWS takes a minute or few; kept short so a demo's world is ready soon). Only the reported state changes: the
 * simulated load balancer accepts listeners, rules and traffic while it provisions. A client that needs it active
 * waits as against AWS (the SDK's waitUntilLoadBalancerAvailable).
 */
export const LOAD_BALANCER_PROVISIONING_SECONDS = 30;

/** Route 53 hosted zone ids of ALBs per region (AWS publishes these); other regions fall back to us-east-1's. */
const hostedZones: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-northeast-1": "Z14GRHDCWA56QT",
};

/** An ALB's attributes with AWS's defaults. */
export const defaultLoadBalancerAttributes: [string, string][] = [
  ["access_logs.s3.enabled", "false"],
  ["access_logs.s3.bucket", ""],
  ["access_logs.s3.prefix", ""],
  ["deletion_protection.enabled", "false"],
  ["idle_timeout.timeout_seconds", "60"],
  ["routing.http2.enabled", "true"],
  ["routing.http.drop_invalid_header_fields.enabled", "false"],
  ["load_balancing.cross_zone.enabled", "true"],
];

export function checkLoadBalancerName(name: string): void {
  if (name.length > 32) throw validation(`The load balancer name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw validation(`The load balancer name '${name}' can only contain alphanumeric characters and hyphens`);
  if (name.startsWith("-") || name.endsWith("-")) throw validation(`The load balancer name '${name}' cannot begin or end with a hyphen`);
  if (name.startsWith("internal-")) throw validation(`The load balancer name '${name}' cannot begin with 'internal-'`);
}

export function requireLoadBalancer(state: ElbRegionState, arn: string): LoadBalancerRecord {
  const lb = state.loadBalancers.get(arn);
  if (!lb) throw loadBalancerNotFound();
  return lb;
}

export function describeLoadBalancer(state: ElbRegionState, lb: LoadBalancerRecord, now: Date): LoadBalancer {
  const provisioning = now.getTime() < lb.createdAt.getTime() + LOAD_BALANCER_PROVISIONING_SECONDS * 1000;
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: ownEntry(hostedZones, state.region) ?? hostedZones["us-east-1"],
    CreatedTime: lb.createdAt,
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: provisioning ? "provisioning" : "active" },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((subnet, i) => ({ ZoneName: `${state.region}${"abcdef"[i % 6] ?? "a"}`, SubnetId: subnet })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType as LoadBalancer["IpAddressType"],
  };
}

function subnetsOf(input: CreateLoadBalancerInput): string[] {
  const subnets = list<string>(input.Subnets);
  const mapped = list<{ SubnetId?: string }>(input.SubnetMappings).map((m) => m.SubnetId ?? "");
  return [...subnets, ...mapped].filter((s) => s !== "");
}

export const loadBalancerOperations: Record<string, Handler> = {
  CreateLoadBalancer(input: CreateLoadBalancerInput, ctx) {
    const state = stateOf(ctx);
    const name = requiredString(input.Name, "Name");
    checkLoadBalancerName(name);
    const type = (optionalString(input.Type) ?? "application") as LoadBalancerRecord["type"];
    if (type !== "application") {
      throw new AwsError("UnsupportedProtocol", `The simulator supports application load balancers only, not '${type}'`);
    }
    const scheme = (optionalString(input.Scheme) ?? "internet-facing") as LoadBalancerRecord["scheme"];
    if (scheme !== "internet-facing" && scheme !== "internal") throw new AwsError("InvalidScheme", `Scheme '${String(scheme)}' is not valid`);
    const ipAddressType = optionalString(input.IpAddressType) ?? "ipv4";
    const subnets = subnetsOf(input);
    // An ALB spans at least two Availability Zones; with no subnets given the simulator makes up two.
    if (subnets.length === 1) throw validation("At least two subnets in two different Availability Zones must be specified");
    const securityGroups = list<string>(input.SecurityGroups);
    const existing = [...state.loadBalancers.values()].find((lb) => lb.name === name);
    if (existing) {
      // Creating the same load balancer again is idempotent; only different settings conflict.
      const same = existing.scheme === scheme && existing.type === type && (subnets.length === 0 || subnets.join() === existing.subnets.join());
      if (!same) throw new AwsError("DuplicateLoadBalancerName", `A load balancer with the same name '${name}' exists, but with different settings`);
      return { LoadBalancers: [describeLoadBalancer(state, existing, ctx.now)] };
    }
    const vpc = vpcOfSubnets(state, subnets);
    const id = newResourceId();
    const arn = state.arn(`loadbalancer/app/${name}/${id}`);
    const dnsNumber = Number.parseInt(id.slice(0, 8), 16) % 1_000_000_000;
    const lb: LoadBalancerRecord = {
      arn,
      name,
      id,
      type,
      scheme,
      ipAddressType,
      subnets: subnets.length > 0 ? subnets : ["subnet-0sim00000000000a1", "subnet-0sim00000000000b2"],
      securityGroups,
      ...vpc,
      dnsName: `${scheme === "internal" ? "internal-" : ""}${name}-${dnsNumber}.${state.region}.elb.amazonaws.com`,
      createdAt: ctx.now,
      attributes: new Map(defaultLoadBalancerAttributes),
    };
    addTags(state, arn, input.Tags);
    state.loadBalancers.set(arn, lb);
    return { LoadBalancers: [describeLoadBalancer(state, lb, ctx.now)] };
  },

  DescribeLoadBalancers(input: DescribeLoadBalancersInput, ctx) {
    const state = stateOf(ctx);
    const names = list<string>(input.Names);
    const arns = list<string>(input.LoadBalancerArns);
    if (names.length > 0 && arns.length > 0) throw validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
    let found: LoadBalancerRecord[];
    if (names.length > 0) {
      const all = [...state.loadBalancers.values()];
      const missing = names.filter((n) => !all.some((lb) => lb.name === n));
      if (missing.length > 0) throw new AwsError("LoadBalancerNotFound", `Load balancers '[${missing.join(", ")}]' not found`);
      found = all.filter((lb) => names.includes(lb.name));
    } else if (arns.length > 0) {
      found = arns.map((arn) => requireLoadBalancer(state, arn));
    } else {
      found = [...state.loadBalancers.values()];
    }
    const { items, NextMarker } = page(found, input);
    return { LoadBalancers: items.map((lb) => describeLoadBalancer(state, lb, ctx.now)), ...(NextMarker && { NextMarker }) };
  },

  DeleteLoadBalancer(input: DeleteLoadBalancerInput, ctx) {
    const state = stateOf(ctx);
    const arn = requiredString(input.LoadBalancerArn, "LoadBalancerArn");
    // AWS: deleting a load balancer that does not exist (any more) succeeds. Its listeners and rules go with it;
    // its target groups stay, no longer in use.
    const lb = state.loadBalancers.get(arn);
    if (!lb) return {};
    if (lb.attributes.get("deletion_protection.enabled") === "true") {
      throw operationNotPermitted(`Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
    }
    for (const listener of state.listenersOf(arn)) deleteListenerAndRules(state, listener.arn);
    state.loadBalancers.delete(arn);
    state.tags.delete(arn);
    refreshUsage(state, ctx.now);
    return {};
  },
};

export function deleteListenerAndRules(state: ElbRegionState, listenerArn: string): void {
  for (const rule of state.rulesOf(listenerArn)) {
    state.rules.delete(rule.arn);
    state.tags.delete(rule.arn);
  }
  state.listeners.delete(listenerArn);
  state.tags.delete(listenerArn);
}
