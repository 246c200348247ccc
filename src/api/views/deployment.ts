import type { Gate } from "../../engine/approvals.js";
import type { DeploymentRecord } from "../../engine/deployment-records.js";
import type { JournalEntry } from "../../engine/journal.js";
import type { DeploymentEvent, Store } from "../../engine/store.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { runsIn } from "../../releases/process-steps.js";
import type { Release } from "../../releases/release.js";
import type { Target } from "../../../targets/target.js";

/** One deployment as GET /deployments/{id} shows it: the run and everything it wrote. */
export interface DeploymentDetail {
  run: DeploymentRun;
  journal: JournalEntry[];
  gates: Gate[];
  records: DeploymentRecord[];
  /** The newest events, oldest first (the events stream has them all). */
  events: DeploymentEvent[];
}

const latestEvents = 100;

/** The services a release's process deploys in an environment. */
export function servicesOf(release: Release, environment: string): string[] {
  return [...new Set(release.snapshot.steps.flatMap((s) => (s.uses === "service" && runsIn(s, environment) ? [s.raw.service] : [])))];
}

/** The service deployment records runs wrote, by run id: one read per service, however many runs. */
export async function recordsByRun(store: Store, target: Target | undefined, services: readonly string[]): Promise<Map<string, DeploymentRecord[]>> {
  const byRun = new Map<string, DeploymentRecord[]>();
  if (!target) return byRun;
  const lists = await Promise.all(services.map((service) => store.records.list({ environment: target.environment, cluster: target.cluster, service })));
  for (const record of lists.flat()) byRun.set(record.deploymentId, [...(byRun.get(record.deploymentId) ?? []), record]);
  return byRun;
}

export async function deploymentDetail(store: Store, run: DeploymentRun, target: Target | undefined): Promise<DeploymentDetail> {
  const release = await store.releases.get(run.release);
  const [journal, gates, records, events] = await Promise.all([
    store.journal.entries(run.id),
    store.approvals.list(),
    release ? recordsByRun(store, target, servicesOf(release, run.environment)) : new Map<string, DeploymentRecord[]>(),
    store.events.since(run.id),
  ]);
  return { run, journal, gates: gates.filter((g) => g.deploymentId === run.id), records: records.get(run.id) ?? [], events: events.slice(-latestEvents) };
}
