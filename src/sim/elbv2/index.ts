import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { LoadBalancingLink, RegisteredTarget, TargetHealthState } from "../links.js";
import type { Simulator } from "../simulator.js";

/** Simulated Elastic Load Balancing v2: ALBs, listeners, rules, target groups and target health. */
export class ElbSimulation implements ServiceModule, LoadBalancingLink {
  readonly regions: PerRegion<Map<string, unknown>>;
  readonly operations: Record<string, Handler> = {};

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion(() => new Map());
  }

  targetGroup(_region: string, _arn: string): { arn: string; port?: number; loadBalancerArns: string[] } | undefined {
    return undefined;
  }
  registerTarget(_region: string, _targetGroupArn: string, _target: RegisteredTarget, _at: Date): void {}
  deregisterTarget(_region: string, _targetGroupArn: string, _id: string, _port: number, _at: Date): void {}
  targetHealth(_region: string, _targetGroupArn: string, _id: string, _port: number, _now: Date): TargetHealthState {
    return "unused";
  }
}
