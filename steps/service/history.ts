import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import type { DeploymentRecord, DeploymentRecords } from "../../src/engine/deployment-records.js";
import { ecsDeployments } from "./ecs-deployments.js";
import type { ServicePorts } from "./ports.js";
import { observe, revisionLabel } from "./state.js";

/** One deployment of a service as `slipway history` shows it, whichever source it came from. */
export interface HistoryEntry {
  startedAt?: string;
  endedAt?: string;
  status: string;
  /** Task definitions as family:revision; "(none)" for the deploy that created the service. */
  from: string;
  to: string;
  circuitBreaker: string;
  failedTasks?: number;
  reason?: string;
}

/** From ECS, or from slipway's records with why (a sentence for people). */
export type ServiceHistory = { source: "ecs"; entries: HistoryEntry[] } | { source: "records"; whyRecords: string; entries: HistoryEntry[] };

function fromEcs(d: ServiceDeployment, taskDefinitionOf: Map<string, string>): HistoryEntry {
  const label = (arn: string | undefined) => revisionLabel(arn ? taskDefinitionOf.get(arn) ?? arn : undefined);
  const breaker = d.deploymentCircuitBreaker;
  const ended = d.finishedAt ?? d.stoppedAt;
  return {
    ...(d.startedAt && { startedAt: d.startedAt.toISOString() }),
    ...(ended && { endedAt: ended.toISOString() }),
    status: d.status ?? "?",
    from: (d.sourceServiceRevisions ?? []).map((s) => label(s.arn)).join(", ") || "(none)",
    to: label(d.targetServiceRevision?.arn),
    circuitBreaker: breaker?.status && breaker.status !== "DISABLED" ? `${breaker.status} ${breaker.failureCount ?? 0}/${breaker.threshold ?? 0}` : "off",
    ...(breaker?.failureCount !== undefined && { failedTasks: breaker.failureCount }),
    ...(d.statusReason && { reason: d.statusReason }),
  };
}

function fromRecord(r: DeploymentRecord): HistoryEntry {
  const breaker = r.circuitBreaker;
  return {
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    status: r.kind === "rollback" ? `${r.status} (slipway rollback)` : r.status,
    from: revisionLabel(r.sourceTaskDefinition),
    to: revisionLabel(r.targetTaskDefinition),
    circuitBreaker: breaker.enabled ? `${breaker.tripped ? "TRIGGERED" : "not tripped"}${breaker.rollback ? ", rollback on" : ", rollback off"}` : "off",
    failedTasks: r.failedTasks,
    ...(r.reason && { reason: r.reason }),
  };
}

/**
 * A service's deployments, newest first: ECS's service deployments and revisions where ECS has them (they include
 * deployments slipway did not make), otherwise — an endpoint without them, an EXTERNAL service, none recorded —
 * slipway's own records, saying why.
 */
export async function serviceHistory(key: { environment: string; cluster: string; service: string }, ports: ServicePorts, records: DeploymentRecords | undefined, limit = 20): Promise<ServiceHistory> {
  const controllerOf = async () => {
    const described = await ports.services.describe(key.cluster, key.service);
    return described && observe(described).controller;
  };
  const asked = await ecsDeployments(ports, { cluster: key.cluster, name: key.service, controllerOf }, { limit });
  if ("deployments" in asked) {
    const listed = asked.deployments;
    const arns = listed.flatMap((d) => [...(d.sourceServiceRevisions ?? []).map((s) => s.arn), d.targetServiceRevision?.arn]).filter((a): a is string => a !== undefined);
    const revisions = arns.length > 0 ? await ports.history.revisions(arns) : { offered: true as const, value: [] };
    const taskDefinitionOf = new Map(revisions.offered ? revisions.value.map((r) => [r.serviceRevisionArn ?? "", r.taskDefinition ?? ""]) : []);
    return { source: "ecs", entries: listed.map((d) => fromEcs(d, taskDefinitionOf)) };
  }
  const own = records ? await records.list(key) : [];
  return { source: "records", whyRecords: asked.whyRecords, entries: own.slice(0, limit).map(fromRecord) };
}
