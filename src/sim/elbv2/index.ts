import { PerRegion, type CallContext, type ControlHandler, type Handler, type ServiceModule } from "../module.js";
import type { ListenerRuleView, LoadBalancingLink, RegisteredTarget, TargetHealthState } from "../links.js";
import type { Simulator } from "../simulator.js";
import { loadBalancersForwardingTo } from "./actions.js";
import { listenerOperations } from "./listeners.js";
import { loadBalancerAttributeOperations } from "./load-balancer-attributes.js";
import { loadBalancerOperations, subnetsControl } from "./load-balancers.js";
import { Frontends, type FrontendPorts } from "./frontends.js";
import { frontendsControl } from "./frontends-control.js";
import { routeControl } from "./route-control.js";
import { endPropagation } from "./propagation.js";
import { listenerRuleView, setForwardWeights } from "./ecs-rules.js";
import { ruleOperations } from "./rules.js";
import { ElbRegionState } from "./state.js";
import { tagOperations } from "./tags.js";
import { targetGroupOperations } from "./target-groups.js";
import { drainedAt, healthOf, targetKey } from "./target-health.js";
import { deregister, dropDrained, register, targetOperations } from "./targets.js";
import { defaultTraffic, parseTraffic, trafficControl, type TrafficSettings } from "./traffic.js";
import { refreshUsage } from "./usage.js";
import { listenerAttributeOperations } from "./listener-attributes.js";
import { accountInfoOperations } from "./account-info.js";
import { differences } from "./differences.js";

/** Simulated Elastic Load Balancing v2: ALBs, listeners, rules, target groups and target health. */
export class ElbSimulation implements ServiceModule, LoadBalancingLink {
  readonly regions: PerRegion<ElbRegionState>;
  /** Real HTTP on a loopback port per HTTP listener; see frontends.ts. */
  readonly frontends: Frontends;
  readonly operations: Record<string, Handler> = followedByFrontendSync(
    {
      ...loadBalancerOperations,
      ...loadBalancerAttributeOperations,
      ...targetGroupOperations,
      ...listenerOperations,
      ...ruleOperations,
      ...targetOperations,
      ...tagOperations,
      ...listenerAttributeOperations,
      ...accountInfoOperations,
    },
    () => this.frontends.sync(),
  );
  readonly controls: Record<string, ControlHandler> = { route: routeControl, frontends: frontendsControl, traffic: trafficControl, subnets: subnetsControl };
  readonly differences = differences;
  /** Request duration and weight propagation, for every region; see traffic.ts. */
  readonly traffic: TrafficSettings;

  constructor(
    readonly sim: Simulator,
    frontendPorts: FrontendPorts = "ephemeral",
    seed = 1,
    traffic: Partial<TrafficSettings> = {},
  ) {
    this.regions = new PerRegion((region) => new ElbRegionState(region, sim.account));
    this.frontends = new Frontends(sim, frontendPorts, seed);
    this.traffic = { ...defaultTraffic(), ...parseTraffic(traffic) };
  }

  tick(now: Date): void {
    for (const [, state] of this.regions.entries()) {
      for (const group of state.targetGroups.values()) dropDrained(group, now);
      // A group that only the previous actions still forwarded to stops being used once the change has propagated.
      if (endPropagation(state, now)) refreshUsage(state, now);
    }
  }

  targetGroup(region: string, arn: string): { arn: string; port?: number; loadBalancerArns: string[] } | undefined {
    const state = this.regions.get(region);
    const group = state.targetGroups.get(arn);
    if (!group) return undefined;
    return { arn, ...(group.port !== undefined && { port: group.port }), loadBalancerArns: loadBalancersForwardingTo(state, arn) };
  }

  registerTarget(region: string, targetGroupArn: string, target: RegisteredTarget, at: Date): void {
    const group = this.regions.get(region).targetGroups.get(targetGroupArn);
    if (group) register(group, target, at);
  }

  deregisterTarget(region: string, targetGroupArn: string, id: string, port: number, at: Date): Date {
    const group = this.regions.get(region).targetGroups.get(targetGroupArn);
    if (group) deregister(group, id, port, at);
    const drained = group && drainedAt(group.targets.get(targetKey(id, port)));
    return drained !== undefined ? new Date(Math.max(drained, at.getTime())) : at;
  }

  targetHealth(region: string, targetGroupArn: string, id: string, port: number, now: Date): TargetHealthState {
    const group = this.regions.get(region).targetGroups.get(targetGroupArn);
    if (!group) return "unused";
    const state = healthOf(group, group.targets.get(targetKey(id, port)), now).State;
    // Lambda-style groups without health checks serve traffic; to ECS that is as good as healthy.
    return state === "unavailable" ? "healthy" : state;
  }

  listenerRule(region: string, arn: string): ListenerRuleView | undefined {
    return listenerRuleView(this.regions.get(region), arn);
  }

  setForwardWeights(region: string, ruleArn: string, weights: { targetGroupArn: string; weight: number }[], at: Date): void {
    setForwardWeights(this.regions.get(region), ruleArn, weights, at, this.traffic.weightPropagationSeconds);
  }
}

/**
 * Every call is followed by a frontend sync, so a listener's port is open when CreateListener returns and closed
 * when DeleteListener or DeleteLoadBalancer does. All calls rather than those four, so no future operation that
 * adds or removes listeners can forget; a sync with nothing to do costs a walk over the listeners.
 */
function followedByFrontendSync(operations: Record<string, Handler>, sync: () => Promise<void>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, handler]) => [
      name,
      async (input: unknown, ctx: CallContext) => {
        const out: unknown = await handler(input, ctx);
        await sync();
        return out;
      },
    ]),
  );
}
