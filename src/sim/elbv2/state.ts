import { randomBytes } from "node:crypto";
import type { Action, RuleCondition, Tag } from "@aws-sdk/client-elastic-load-balancing-v2";

/** The ELBv2 world of one region. Records keep AWS's own shapes where AWS returns them. */
export interface LoadBalancerRecord {
  arn: string;
  name: string;
  /** The 16-hex id inside the ARN; listener and rule ARNs repeat it. */
  id: string;
  type: "application" | "network" | "gateway";
  scheme: "internet-facing" | "internal";
  ipAddressType: string;
  subnets: string[];
  securityGroups: string[];
  vpcId: string;
  /** True when vpcId came from subnets declared through /_sim/elbv2/subnets, false for the simulator's one VPC. */
  vpcFromSubnets: boolean;
  dnsName: string;
  createdAt: Date;
  /** DescribeLoadBalancerAttributes' key → value, AWS's defaults until modified. */
  attributes: Map<string, string>;
}

export interface HealthCheckSettings {
  enabled: boolean;
  protocol: string;
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface TargetRecord {
  id: string;
  port: number;
  availabilityZone?: string;
  /** Set when ECS registered the target for a task. */
  taskArn?: string;
  passesHealthCheck: boolean;
  registeredAt: Date;
  /** Set on deregistration: the target drains until deregisteredAt + the group's deregistration delay. */
  deregisteredAt?: Date;
  drainingSeconds?: number;
  /** Set when the target left its group without draining: no delay, a group no listener uses, or a deleted group. */
  removedAt?: Date;
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  targetType: "instance" | "ip" | "lambda" | "alb";
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  vpcId?: string;
  ipAddressType: string;
  healthCheck: HealthCheckSettings;
  attributes: Map<string, string>;
  /** "id:port" → target. */
  targets: Map<string, TargetRecord>;
  /** Since when a listener or rule has forwarded to the group; health checks only run from then on. */
  inUseSince?: Date;
}

export interface ListenerRecord {
  arn: string;
  id: string;
  loadBalancerArn: string;
  protocol: string;
  port: number;
  certificates?: { CertificateArn?: string }[];
  sslPolicy?: string;
  /** The listener's default rule holds its default actions. */
  defaultRuleArn: string;
  /** Listener attributes set by ModifyListenerAttributes; the others have AWS's defaults. */
  attributes?: Map<string, string>;
}

export interface RuleRecord {
  arn: string;
  listenerArn: string;
  /** 1..50000, or "default" for the listener's default rule, which is evaluated last. */
  priority: number | "default";
  conditions: RuleCondition[];
  actions: Action[];
  /** While a change of `actions` propagates: the actions requests are still forwarded by, until `until`. */
  propagating?: { actions: Action[]; until: Date };
}

export class ElbRegionState {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>();
  readonly targetGroups = new Map<string, TargetGroupRecord>();
  readonly listeners = new Map<string, ListenerRecord>();
  readonly rules = new Map<string, RuleRecord>();
  /** resource ARN → tags, in the order they were added. */
  readonly tags = new Map<string, Tag[]>();
  /** subnet id → VPC id, as declared through /_sim/elbv2/subnets (the simulator has no EC2 of its own). */
  readonly subnetVpcs = new Map<string, string>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.account}:${resource}`;
  }

  /** The rules of a listener, default rule included, in the order the load balancer evaluates them. */
  rulesOf(listenerArn: string): RuleRecord[] {
    return [...this.rules.values()].filter((r) => r.listenerArn === listenerArn).sort(byEvaluationOrder);
  }

  listenersOf(loadBalancerArn: string): ListenerRecord[] {
    return [...this.listeners.values()].filter((l) => l.loadBalancerArn === loadBalancerArn).sort((a, b) => a.port - b.port);
  }
}

export function byEvaluationOrder(a: { priority: number | "default" }, b: { priority: number | "default" }): number {
  const rank = (p: number | "default") => (p === "default" ? Number.POSITIVE_INFINITY : p);
  return rank(a.priority) - rank(b.priority);
}

/** AWS's resource ids are 16 lowercase hex digits. */
export const newResourceId = (): string => randomBytes(8).toString("hex");
