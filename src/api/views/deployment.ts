import type { Gate } from "../../engine/approvals.js";
import type { DeploymentRecord } from "../../engine/deployment-records.js";
import type { JournalEntry } from "../../engine/journal.js";
import type { DeploymentEvent, Store } from "../../engine/store.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { runsIn, type Release } from "../../releases/release.js";
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

/**
 * The release whose process the run ran. A rollback ran none: its release, when known, only names what the service
 * returned to, and that release's steps are not this run's.
 */
export function processReleaseOf(store: Store, run: DeploymentRun): Promise<Release | undefined> {
  return run.kind === "deploy" ? store.releases.get(run.release) : Promise.resolve(undefined);
}

/** The services the run deployed: those of its release's process there, or the one a rollback returned. */
export async function servicesOfRun(store: Store, run: DeploymentRun): Promise<string[]> {
  if (run.kind === "rollback") return [run.rollback.service];
  const release = await store.releases.get(run.release);
  return release ? servicesOf(release, run.environment) : [];
}

export async function deploymentDetail(store: Store, run: DeploymentRun, target: Target | undefined): Promise<DeploymentDetail> {
  const [journal, gates, records, events] = await Promise.all([
    store.journal.entries(run.id),
    store.approvals.list(),
    servicesOfRun(store, run).then((services) => recordsByRun(store, target, services)),
    store.events.since(run.id),
  ]);
  return { run, journal, gates: gates.filter((g) => g.deploymentId === run.id), records: records.get(run.id) ?? [], events: events.slice(-latestEvents) };
}
