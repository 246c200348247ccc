import type {
  DescribeServiceDeploymentsRequest,
  DescribeServiceDeploymentsResponse,
  DescribeServiceRevisionsRequest,
  DescribeServiceRevisionsResponse,
  Failure,
  ListServiceDeploymentsRequest,
  ListServiceDeploymentsResponse,
  ServiceDeployment,
  ServiceRevision,
  ServiceRevisionSummary,
} from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { runsOnFargate, usesStrategy } from "./capacity-strategy.js";
import { extrasView } from "./revision-extras.js";
import { ecsState, requireCluster } from "./lookup.js";
import { paginate } from "../paging.js";
import { findService } from "./service-lookup.js";
import type { NativeRun, ServiceDeploymentRecord } from "./service-model.js";
import { deploymentConfigurationView } from "./service-view.js";
import { isPending, isRunning } from "./task-lifecycle.js";
import { schedOf, type Sched } from "./world.js";

/**
 * Service deployments and revisions (seed 002): the history of what the ECS controller deployed, with the
 * circuit breaker's verdict and any rollback. Revision counts are read live from the tasks that run them.
 */

function revisionSummary(s: Sched, serviceArn: string, revisionArn: string): ServiceRevisionSummary {
  const service = s.state.services.get(serviceArn);
  let requestedTaskCount = 0;
  for (const d of service?.deployments ?? []) if (d.serviceRevisionArn === revisionArn) requestedTaskCount += d.desiredCount;
  let runningTaskCount = 0;
  let pendingTaskCount = 0;
  for (const task of s.world.tasksOf(serviceArn)) {
    if (s.world.revisionOfDeployment.get(task.startedBy) !== revisionArn) continue;
    if (isRunning(task)) runningTaskCount++;
    else if (isPending(task)) pendingTaskCount++;
  }
  return { arn: revisionArn, requestedTaskCount, runningTaskCount, pendingTaskCount };
}

/**
 * The requested weights a native deployment shows on its revisions (M calls them a snapshot): green's share on the
 * target, the rest on the first source (blue). Rolling deployments show none.
 */
function withWeights(summary: ServiceRevisionSummary, native: NativeRun | undefined, green: boolean): ServiceRevisionSummary {
  if (!native) return summary;
  const share = (w: number) => (green ? w : 100 - w);
  return { ...summary, requestedProductionTrafficWeight: share(native.productionWeight), requestedTestTrafficWeight: share(native.testWeight) };
}

/**
 * A native deployment's stage and the hooks of its current stage. [UNKNOWN] ServiceDeploymentLifecycleStage has no
 * PRE_PRODUCTION_TRAFFIC_SHIFT though its doc string describes the stage: the simulator reports it by that name
 * (an output enum is not checked by the SDK), so a client must cope with a value outside the enum.
 */
function nativeView(native: NativeRun | undefined): Pick<ServiceDeployment, "lifecycleStage" | "lifecycleHookDetails"> {
  if (!native) return {};
  return {
    lifecycleStage: native.stage as ServiceDeployment["lifecycleStage"],
    lifecycleHookDetails: native.hooks.map((h) => ({
      hookId: h.hookId,
      targetType: h.targetType,
      ...(h.targetArn && { targetArn: h.targetArn }),
      status: h.status,
      expiresAt: h.expiresAt,
      timeoutAction: h.timeoutAction,
    })),
  };
}

function deploymentView(s: Sched, r: ServiceDeploymentRecord): ServiceDeployment {
  const sources = [...new Set(r.sources.map((x) => x.revisionArn))];
  return {
    serviceDeploymentArn: r.arn,
    serviceArn: r.serviceArn,
    clusterArn: r.clusterArn,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    ...(r.finishedAt && { finishedAt: r.finishedAt }),
    ...(r.stoppedAt && { stoppedAt: r.stoppedAt }),
    updatedAt: r.updatedAt,
    sourceServiceRevisions: sources.map((arn, i) => (i === 0 ? withWeights(revisionSummary(s, r.serviceArn, arn), r.native, false) : revisionSummary(s, r.serviceArn, arn))),
    targetServiceRevision: withWeights(revisionSummary(s, r.serviceArn, r.targetRevisionArn), r.native, true),
    status: r.status,
    ...(r.statusReason && { statusReason: r.statusReason }),
    ...nativeView(r.native),
    deploymentConfiguration: deploymentConfigurationView(r.deploymentConfiguration),
    ...(r.rollback && { rollback: { reason: r.rollback.reason, startedAt: r.rollback.startedAt, ...(r.rollback.serviceRevisionArn && { serviceRevisionArn: r.rollback.serviceRevisionArn }) } }),
    deploymentCircuitBreaker: r.circuitBreaker,
    // ServiceDeploymentAlarms: the names watched; none ever triggers in the simulator.
    alarms: { status: r.alarms.status, ...(r.alarms.status !== "DISABLED" && { alarmNames: r.alarms.alarmNames, triggeredAlarmNames: [] }) },
  };
}

/**
 * ResolvedConfiguration: "which target groups serve traffic and which listener rules direct traffic to them" — the
 * group the revision's tasks were registered in, which for blue/green alternates between the two (native-controller.ts).
 */
function resolvedView(s: Sched, revisionArn: string): Pick<ServiceRevision, "resolvedConfiguration"> {
  const record = [...s.world.serviceDeployments.values()].find((d) => d.targetRevisionArn === revisionArn && d.native);
  const native = record?.native;
  const lb = s.world.revisions.get(revisionArn)?.loadBalancers[0];
  if (!native?.greenTargetGroupArn || !lb) return {};
  const rule = lb.advancedConfiguration?.productionListenerRule;
  return { resolvedConfiguration: { loadBalancers: [{ targetGroupArn: native.greenTargetGroupArn, ...(rule && { productionListenerRule: rule }) }] } };
}

function listServiceDeployments(input: ListServiceDeploymentsRequest, ctx: CallContext): ListServiceDeploymentsResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const service = input.service ? findService(state, cluster, input.service) : undefined;
  if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
  const statuses = input.status ?? [];
  const before = input.createdAt?.before ? new Date(input.createdAt.before).getTime() : Infinity;
  const after = input.createdAt?.after ? new Date(input.createdAt.after).getTime() : -Infinity;
  // Newest first; the ARN breaks ties so the paging key is strictly ordered.
  const key = (r: ServiceDeploymentRecord) => `${String(r.createdAt.getTime()).padStart(15, "0")}|${r.arn}`;
  const records = [...s.world.serviceDeployments.values()]
    .filter((r) => r.serviceArn === service.arn && r.createdAt.getTime() >= service.createdAt.getTime())
    .filter((r) => statuses.length === 0 || statuses.includes(r.status))
    .filter((r) => r.createdAt.getTime() < before && r.createdAt.getTime() > after)
    .sort((a, b) => (key(a) < key(b) ? 1 : -1));
  const page = paginate(records, key, input, { max: 100, defaultSize: 20 }, true);
  return {
    serviceDeployments: page.items.map((r) => ({
      serviceDeploymentArn: r.arn,
      serviceArn: r.serviceArn,
      clusterArn: r.clusterArn,
      startedAt: r.startedAt,
      createdAt: r.createdAt,
      ...(r.finishedAt && { finishedAt: r.finishedAt }),
      targetServiceRevisionArn: r.targetRevisionArn,
      status: r.status,
      ...(r.statusReason && { statusReason: r.statusReason }),
    })),
    ...(page.nextToken && { nextToken: page.nextToken }),
  };
}

function describeServiceDeployments(input: DescribeServiceDeploymentsRequest, ctx: CallContext): DescribeServiceDeploymentsResponse {
  const s = schedOf(ecsState(ctx), ctx.sim);
  const arns = input.serviceDeploymentArns ?? [];
  if (arns.length === 0) throw invalidParameter("serviceDeploymentArns can not be empty.");
  if (arns.length > 20) throw invalidParameter("Too many service deployments. Up to 20 can be described at once.");
  const serviceDeployments: ServiceDeployment[] = [];
  const failures: Failure[] = [];
  for (const arn of arns) {
    const record = s.world.serviceDeployments.get(arn);
    if (record) serviceDeployments.push(deploymentView(s, record));
    else failures.push({ arn, reason: "MISSING" });
  }
  return { serviceDeployments, failures };
}

function describeServiceRevisions(input: DescribeServiceRevisionsRequest, ctx: CallContext): DescribeServiceRevisionsResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const arns = input.serviceRevisionArns ?? [];
  if (arns.length === 0) throw invalidParameter("serviceRevisionArns can not be empty.");
  if (arns.length > 20) throw invalidParameter("Too many service revisions. Up to 20 can be described at once.");
  const serviceRevisions: ServiceRevision[] = [];
  const failures: Failure[] = [];
  for (const arn of arns) {
    const r = s.world.revisions.get(arn);
    if (!r) {
      failures.push({ arn, reason: "MISSING" });
      continue;
    }
    serviceRevisions.push({
      serviceRevisionArn: r.arn,
      serviceArn: r.serviceArn,
      clusterArn: r.clusterArn,
      taskDefinition: r.taskDefinitionArn,
      ...(usesStrategy(r) && { capacityProviderStrategy: r.capacityProviderStrategy }),
      ...(r.launchType && { launchType: r.launchType as ServiceRevision["launchType"] }),
      ...(runsOnFargate(r) && { platformVersion: r.platformVersion ?? "1.4.0", platformFamily: "Linux" }),
      loadBalancers: r.loadBalancers,
      serviceRegistries: r.serviceRegistries ?? [],
      ...(r.networkConfiguration && { networkConfiguration: r.networkConfiguration }),
      ...extrasView(r),
      containerImages: r.containerImages,
      ...resolvedView(s, r.arn),
      guardDutyEnabled: false,
      createdAt: r.createdAt,
    });
  }
  return { serviceRevisions, failures };
}

export const serviceDeploymentOperations: Record<string, Handler> = {
  ListServiceDeployments: listServiceDeployments,
  DescribeServiceDeployments: describeServiceDeployments,
  DescribeServiceRevisions: describeServiceRevisions,
};
