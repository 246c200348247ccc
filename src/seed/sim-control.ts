/**
 * One call to a simulator's control surface (/_sim/…): what stands in for what AWS's APIs cannot do without a
 * real registry or a real clock, such as `docker push`. Only ever sent to an endpoint that answered as a simulator.
 */
export async function simControl(endpoint: string, region: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${endpoint}/_sim/${path}?region=${region}`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const answer: unknown = await res.json();
  // Not the user's doing: seeding sends only requests the simulator documents.
  if (!res.ok) throw new Error(`the simulator at ${endpoint} refused ${method} /_sim/${path}: ${JSON.stringify(answer)}`);
  return answer;
}
