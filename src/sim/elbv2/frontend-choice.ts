/**
 * The two choices a load balancer makes for a forwarded request: which target group, by weight (at random, so a
 * 90/10 split is 90/10 over many requests, not in any fixed order), then which target in it (round robin, an
 * ALB's default algorithm).
 */
export function pickWeighted<T extends { weight: number }>(items: T[], random: () => number): T | undefined {
  const total = items.reduce((sum, item) => sum + Math.max(item.weight, 0), 0);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const item of items) {
    if (item.weight <= 0) continue;
    point -= item.weight;
    if (point < 0) return item;
  }
  // Rounding can leave the point on the very end of the range; it then belongs to the last weighted item.
  return items.filter((item) => item.weight > 0).at(-1);
}

/** One rotating position per key (a target group): the next request goes to the next target in the list. */
export class RoundRobin {
  private readonly positions = new Map<string, number>();

  pick<T>(key: string, items: T[]): T | undefined {
    if (items.length === 0) return undefined;
    const position = this.positions.get(key) ?? 0;
    this.positions.set(key, position + 1);
    return items[position % items.length];
  }
}
