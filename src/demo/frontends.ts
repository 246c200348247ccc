/** The simulated load balancers' real HTTP listeners, as the simulator lists them. */
export interface Frontend {
  loadBalancerName: string;
  port: number;
  url: string;
}

export async function listFrontends(endpoint: string, region = "us-east-1"): Promise<Frontend[]> {
  const res = await fetch(`${endpoint}/_sim/elbv2/frontends?region=${region}`);
  if (!res.ok) throw new Error(`the simulator did not list its load balancer frontends (${res.status})`);
  return (await res.json()) as Frontend[];
}

/** `requests` real HTTP requests to a listener, counted by the revision that answered ("503" when none could). */
export async function sampleRevisions(url: string, requests: number, headers: Record<string, string> = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i += 1) {
    const res = await fetch(url, { headers });
    const label = res.headers.get("x-slipway-revision") ?? String(res.status);
    await res.arrayBuffer();
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

export function describeCounts(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([revision, n]) => `${revision} ${Math.round((n / total) * 100)}%`)
    .join(", ");
}
