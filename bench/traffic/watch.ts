import type { Simulator } from "../../src/sim/simulator.js";
import { forwardTargets } from "../../src/sim/elbv2/actions.js";
import { healthOf } from "../../src/sim/elbv2/target-health.js";

/** What the load balancer was doing during a path: its rules and weights, and target health per group, sampled in-process. */
export interface Observation {
  t: number;
  text: string;
}

/** When a verification (header) rule was there: [from, to) in ms since the load started, to undefined while it is. */
export type Interval = [number, number | undefined];

export interface ListenerWatch {
  observations: Observation[];
  verifyRule: Interval[];
  /** The default rule's weights now, by target group name. */
  weights(): Record<string, number>;
  stop(): void;
}

export function watchListener(sim: Simulator, region: string, listenerArn: string, names: Map<string, string>, started: number): ListenerWatch {
  const observations: Observation[] = [];
  let last = "";
  const verifyRule: Interval[] = [];
  let weights: Record<string, number> = {};
  const look = () => {
    const now = sim.advance();
    const state = sim.elbv2.regions.get(region);
    const rules = state.rulesOf(listenerArn);
    const parts: string[] = [];
    const groups = new Set<string>();
    const t = performance.now() - started;
    let headerRule = false;
    for (const rule of rules) {
      const forward = rule.actions.find((a) => a.Type === "forward");
      const targets = forward ? forwardTargets(forward) : [];
      for (const g of targets) groups.add(g.arn);
      const header = rule.conditions.some((c) => c.Field === "http-header");
      headerRule ||= header;
      if (rule.priority === "default") weights = Object.fromEntries(targets.map((g) => [names.get(g.arn) ?? g.arn, g.weight]));
      parts.push(`${rule.priority === "default" ? "default" : header ? "header" : `rule ${rule.priority}`} → ${targets.map((g) => `${names.get(g.arn) ?? g.arn}=${g.weight}`).join(" ")}`);
    }
    for (const arn of groups) {
      const group = state.targetGroups.get(arn);
      if (!group) continue;
      const counts: Record<string, number> = {};
      for (const target of group.targets.values()) {
        const health = healthOf(group, target, now).State;
        if (health === "unused") continue;
        counts[health] = (counts[health] ?? 0) + 1;
      }
      parts.push(`${group.name}: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ") || "no targets"}`);
    }
    const open = verifyRule.at(-1);
    if (headerRule && (!open || open[1] !== undefined)) verifyRule.push([t, undefined]);
    if (!headerRule && open && open[1] === undefined) open[1] = t;
    const text = parts.join("; ");
    if (text !== last) observations.push({ t, text });
    last = text;
  };
  look();
  const timer = setInterval(look, 20);
  return { observations, verifyRule, weights: () => weights, stop: () => clearInterval(timer) };
}
