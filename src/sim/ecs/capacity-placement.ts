import type { CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";

/**
 * Which capacity provider a service's next task runs on. AWS's documented order: the provider with a base gets
 * tasks first until its base is met, then the rest are split in the ratio of the weights (weight 0 gets none past
 * its base). The simulator computes the exact split for one more task than already run and places the task where
 * the split is furthest ahead of what runs — so a batch started at once lands exactly on the split, a scale-out
 * after a scale-in fills whichever provider fell short, and the answer never depends on chance.
 */

/** How `total` tasks divide among the strategy's providers, by provider name. */
export function splitTasks(strategy: CapacityProviderStrategyItem[], total: number): Map<string, number> {
  const split = new Map<string, number>(strategy.map((i) => [i.capacityProvider ?? "", 0]));
  const based = strategy.find((i) => (i.base ?? 0) > 0);
  let rest = total;
  if (based) {
    const onBase = Math.min(based.base ?? 0, total);
    split.set(based.capacityProvider ?? "", onBase);
    rest -= onBase;
  }
  const weighted = strategy.filter((i) => (i.weight ?? 0) > 0);
  const sum = weighted.reduce((n, i) => n + (i.weight ?? 0), 0);
  if (rest === 0 || sum === 0) return split;
  // Whole shares first, then the remaining tasks one each by the largest fractional share (ties: strategy order).
  const shares = weighted.map((i, order) => {
    const exact = (rest * (i.weight ?? 0)) / sum;
    return { name: i.capacityProvider ?? "", whole: Math.floor(exact), fraction: exact - Math.floor(exact), order };
  });
  let left = rest - shares.reduce((n, s) => n + s.whole, 0);
  for (const s of [...shares].sort((a, b) => b.fraction - a.fraction || a.order - b.order)) {
    const extra = left > 0 ? 1 : 0;
    left -= extra;
    split.set(s.name, (split.get(s.name) ?? 0) + s.whole + extra);
  }
  return split;
}

/** The provider for one more task, given how many of the same deployment or task set already run on each. */
export function nextProvider(strategy: CapacityProviderStrategyItem[], running: ReadonlyMap<string, number>): string {
  const total = [...running.values()].reduce((n, c) => n + c, 0) + 1;
  const split = splitTasks(strategy, total);
  let best = strategy[0]?.capacityProvider ?? "";
  let bestGap = -Infinity;
  for (const item of strategy) {
    const name = item.capacityProvider ?? "";
    const gap = (split.get(name) ?? 0) - (running.get(name) ?? 0);
    if (gap > bestGap) {
      best = name;
      bestGap = gap;
    }
  }
  return best;
}
